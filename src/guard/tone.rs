//! Tone labels: `blame`, `buck_passing`, `bureaucratic`, `sarcasm`,
//! `ad_tone`, `overpromise` from the cue list (`data/tone/tone.toml`, list id
//! `tone`), and `cold` from the signals.
//!
//! A cue hit is a finding `tone/RULE_ID` with the rule's message and
//! suggestion, except where its label's (or its rule id prefix's) gate says
//! no. The gates carry the meaning a phrase cannot: who does what, to whom,
//! in reply to what.
//!
//! - `bureaucratic` (官腔) counts only in a draft with nothing warm (no
//!   apology or acknowledgement, no friendly particle, no warm emoticon, no
//!   亲): 按流程 said warmly with a time is fine.
//! - `ad_tone` counts only in a reply to a complaint or a safety report, or
//!   in a reply that apologises (the agent treats the comment as a
//!   complaint), and not where the clause gives something as compensation
//!   (为您/给您/补偿/赠送 before the cue): selling is the fault, not the
//!   promotion (a new product in a reply to praise is fine).
//! - `sarcasm` cues in a playful exchange (a reply to praise or chatter, in
//!   a sentence with a friendly particle, warm emoticon or thanks) are play;
//!   `sarcasm-weak…` cues (才…就, 慢慢等, lol) count only outside praise
//!   and chatter and not in a sentence that apologises.
//! - Agency and negation: a `blame` or `buck_passing` cue right after a
//!   negator is none (不用您自己跑); a fault cue (`blame-fault…`) whose
//!   clause names us or another party (是快递员没按要求派送) is not the
//!   customer's; an omission cue (`blame-fault-omission…`) in a condition
//!   (如果您没收到) accuses no one; a go-elsewhere cue (`buck-elsewhere…`)
//!   whose clause says we run the errand (我们已经帮您联系快递) is no
//!   buck-passing, nor is a not-ours cue (`buck-not-ours…`) in a draft that
//!   takes the errand itself (the `ours` signal: 快递的问题，我们来补发).
//! - Context: a denial (`blame-denial…`) needs a report to deny (not in a
//!   reply to a question or praise); sending the customer to our own branch
//!   (`buck-channel…`) is buck-passing only in a reply to a complaint or a
//!   safety report, and not in a sentence that offers another way (或,
//!   也可以): to a question, where to go is the answer.
//!
//! Two sarcasm forms depend on the sentence, not on a phrase: a cold
//! emoticon ([微笑], [白眼] …) in a hostile sentence (one with a blame,
//! buck-passing, sarcasm or insult finding), or a cold or playful one
//! ([doge], [笑cry] …) in a reply to a complaint with no apology
//! (`tone/cold-emoticon`); and 亲 in a hostile sentence
//! (`tone/hostile-qin`).
//!
//! `cold` (`tone/cold`, a hint spanning the whole draft): nothing warm — no
//! word that addresses the reader, no greeting or thanks, no friendly
//! particle, no warm or playful emoticon, no apology to the reader (an
//! apology in a draft that names the customer in the third person, 此客人,
//! does not count) — and no other personal word (我们, 师傅: Flesch's
//! personal words; the SPEC's `cold` is "no personal word, no greeting,
//! nothing warm"). A short factual answer to a question (营业到晚上十点。)
//! is not cold, unless it is said in 官腔 or with blame (以公告为准。).
//!
//! Context labels (`no_empathy`, `no_next_step`) are `super::context`'s.

use super::draft::Draft;
use super::lexicon::Signal;
use super::report::Finding;
use crate::lists::{PhraseList, Severity};
use crate::triage::Category;

/// Labels whose findings make a sentence hostile.
const HOSTILE: &[&str] = &["blame", "buck_passing", "sarcasm", "insult"];

/// Words that, just before a blame or buck-passing cue, negate it:
/// 不是您的问题, 不怪您, 不用您自己去, 无需联系快递.
const NEGATORS: &[&str] = &[
    "不是",
    "并非",
    "不怪",
    "不能怪",
    "别怪",
    "不用",
    "无需",
    "不必",
    "不需要",
    "用不着",
    "不该",
    "不应该",
];

/// Who is at fault when the clause before a fault cue names them: not the
/// customer but us, our staff, or another party (是快递员没按要求派送).
const NOT_THE_CUSTOMER: &[&str] = &[
    "我",
    "本店",
    "我司",
    "我方",
    "小编",
    "工作人员",
    "员工",
    "客服",
    "系统",
    "仓库",
    "快递",
    "骑手",
    "司机",
    "师傅",
    "店员",
    "商家",
    "厂家",
    "物流",
    "导游",
    "教练",
    "老师",
    "护士",
    "医生",
    "保安",
    "前台",
    "页面",
    "技术",
];

/// Words that open a condition: 如果您没收到 accuses no one.
const CONDITIONS: &[&str] = &["如果", "如", "若", "万一", "假如", "要是", "倘若", "假设"];

/// Words that, in the clause before a selling cue, make it compensation:
/// 给您补偿一张新品体验券.
const COMPENSATION: &[&str] = &[
    "补偿", "赔偿", "为您", "给您", "为你", "给你", "免费", "赠送", "送您", "送你", "作为",
];

/// Words that offer another way in the sentence (到门店办理，或私信我们).
const ALTERNATIVE: &[&str] = &["或", "也可以"];

/// Who runs the errand when the clause before a "go to them" cue names
/// them: us (我们联系快递, 帮您找厂家, 已联系商家).
const WE_DO: &[&str] = &["我", "帮", "替", "为您", "为你", "给您", "给你", "已", "代"];

/// The clause before char `at`: back to the last clause or sentence mark,
/// folded (給您 reads as 给您).
fn clause_before<'d>(draft: &'d Draft<'_>, at: usize) -> &'d [char] {
    let at = at.min(draft.chars.len());
    let from = draft.chars[..at]
        .iter()
        .rposition(|&c| {
            matches!(
                c,
                '，' | ','
                    | '。'
                    | '！'
                    | '!'
                    | '？'
                    | '?'
                    | '；'
                    | ';'
                    | '、'
                    | '…'
                    | '\n'
                    | '：'
                    | ':'
            )
        })
        .map_or(0, |i| i + 1);
    &draft.folded[from..at]
}

fn ends_with(chars: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.len() >= w.len() && chars[chars.len() - w.len()..] == w[..]
}

fn contains(chars: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.windows(w.len()).any(|x| x == &w[..])
}

/// Whether a negator stands right before the cue (不是/不怪/不用 …; 不 alone
/// before a cue that starts with 是: 不是因为您).
fn negated(draft: &Draft<'_>, (start, _): (usize, usize)) -> bool {
    let before = clause_before(draft, start);
    NEGATORS.iter().any(|n| ends_with(before, n))
        || (draft.chars.get(start) == Some(&'是')
            && (ends_with(before, "不") || ends_with(before, "并")))
}

/// Whether the clause before the cue contains one of `who`.
fn names(draft: &Draft<'_>, (start, _): (usize, usize), who: &[&str]) -> bool {
    let before = clause_before(draft, start);
    who.iter().any(|w| contains(before, w))
}

/// Whether the cue itself names the reader (您自己同意的): then the fault is
/// theirs whoever else the clause names (师傅说您自己同意的).
fn names_the_reader(draft: &Draft<'_>, (start, end): (usize, usize)) -> bool {
    draft.folded[start..end]
        .iter()
        .any(|&c| matches!(c, '您' | '你'))
}

/// Whether the clause before the cue opens with a condition (如果您…).
fn conditional(draft: &Draft<'_>, (start, _): (usize, usize)) -> bool {
    let before = clause_before(draft, start);
    CONDITIONS
        .iter()
        .any(|w| before.starts_with(&w.chars().collect::<Vec<char>>()))
}

/// Whether the sentence around the cue contains one of `words`.
fn sentence_has(draft: &Draft<'_>, (start, _): (usize, usize), words: &[&str]) -> bool {
    draft.sentence_at(start).is_some_and(|s| {
        let chars = &draft.folded[s.start..s.end];
        words.iter().any(|w| contains(chars, w))
    })
}

/// Whether the draft takes the errand itself: an `ours` signal (我们来,
/// 帮您, 已为您 …) not negated right after (我们帮不了) and not inside a
/// not-ours cue.
fn takes_errand(draft: &Draft<'_>, not_ours: &[(usize, usize)]) -> bool {
    draft.signals.get(Signal::Ours).iter().any(|&(s, e)| {
        !matches!(draft.folded.get(e), Some('不' | '没'))
            && !not_ours.iter().any(|&(a, b)| a < e && s < b)
    })
}

/// A hit of the cue list: rule index and char span.
pub type CueHit = (usize, (usize, usize));

/// The tone findings of a draft, given the cue list's hits and the findings
/// the phrase lists already made (`earlier`, for hostile sentences).
pub fn findings(
    draft: &Draft<'_>,
    list: &PhraseList,
    hits: &[CueHit],
    category: Option<Category>,
    earlier: &[Finding],
) -> Vec<Finding> {
    let warm = draft.is_warm();
    let complaint = matches!(category, Some(Category::Complaint | Category::Safety));
    let playful = matches!(category, Some(Category::Praise | Category::Chatter));
    let sig = &draft.signals;
    let rule_of = |ri: usize| list.rules.get(ri);
    let not_ours: Vec<(usize, usize)> = hits
        .iter()
        .filter(|(ri, _)| rule_of(*ri).is_some_and(|r| r.id.starts_with("buck-not-ours")))
        .map(|&(_, span)| span)
        .collect();
    let errand_ours = takes_errand(draft, &not_ours);
    // Official formulas: a step said in 官腔 (按三包规定办理) is none.
    let formulas: Vec<(usize, usize)> = hits
        .iter()
        .filter(|(ri, _)| rule_of(*ri).is_some_and(|r| r.label == "bureaucratic"))
        .map(|&(_, span)| span)
        .collect();
    let mut out = Vec::new();
    for &(ri, span) in hits {
        let Some(rule) = rule_of(ri) else {
            continue;
        };
        let id = rule.id.as_str();
        let in_sentence = |signal: Signal| {
            draft
                .sentence_at(span.0)
                .is_some_and(|s| sig.within(signal, s.span()))
        };
        let keep = match rule.label.as_str() {
            "bureaucratic" => !warm,
            // Selling in a reply to a complaint: the comment's category,
            // or the reply's own apology (a mixed review that triage calls
            // praise is a complaint to the agent who apologises for it);
            // a gift given as compensation is not selling.
            "ad_tone" => {
                (complaint || sig.has(Signal::Empathy)) && !names(draft, span, COMPENSATION)
            }
            "blame" | "buck_passing" if negated(draft, span) => false,
            // Fault and errands are the customer's only when the clause
            // does not name someone else as the one at fault or doing the
            // errand.
            _ if id.starts_with("blame-fault")
                && !names_the_reader(draft, span)
                && names(draft, span, NOT_THE_CUSTOMER) =>
            {
                false
            }
            _ if id.starts_with("blame-fault-omission") && conditional(draft, span) => false,
            _ if id.starts_with("buck-elsewhere") && names(draft, span, WE_DO) => false,
            _ if id.starts_with("buck-not-ours") && errand_ours => false,
            // Go to our branch: passing the buck only when nothing else
            // in the sentence is done for the reader (到门店，我们今天退款).
            _ if id.starts_with("buck-channel") => {
                let clause = draft.clause_at(span.0);
                let formal = |at: usize| {
                    let c = draft.clause_at(at);
                    formulas.iter().any(|&(a, b)| a < c.1 && c.0 < b)
                };
                let other_step = draft.sentence_at(span.0).is_some_and(|s| {
                    sig.get(Signal::NextStep).iter().any(|&(a, b)| {
                        s.start <= a && b <= s.end && (b <= clause.0 || a >= clause.1) && !formal(a)
                    })
                });
                complaint
                    && !other_step
                    && !sentence_has(draft, span, ALTERNATIVE)
                    && !names(draft, span, WE_DO)
            }
            // Denying what the customer reports needs a report to deny.
            _ if id.starts_with("blame-denial")
                && matches!(category, Some(Category::Question | Category::Praise)) =>
            {
                false
            }
            _ if id.starts_with("sarcasm-weak") => !playful && !in_sentence(Signal::Empathy),
            "sarcasm" => {
                !(playful
                    && (in_sentence(Signal::Particle)
                        || in_sentence(Signal::EmoticonWarm)
                        || in_sentence(Signal::EmoticonPlayful)
                        || in_sentence(Signal::Greeting)))
            }
            _ => true,
        };
        if keep {
            out.push(Finding {
                rule: format!("{}/{}", list.id, rule.id),
                label: rule.label.clone(),
                severity: rule.severity,
                start: span.0,
                end: span.1,
                text: draft.slice(span),
                message: rule.message.clone(),
                suggestion: rule.suggest.clone(),
            });
        }
    }

    // A dare to complain elsewhere (去12315投诉啊) is mockery, not an
    // errand: a buck-passing cue inside a sarcasm finding goes.
    let dares: Vec<(usize, usize)> = out
        .iter()
        .filter(|f| f.label == "sarcasm")
        .map(|f| (f.start, f.end))
        .collect();
    out.retain(|f| {
        f.label != "buck_passing" || !dares.iter().any(|&(a, b)| a <= f.start && f.end <= b)
    });

    // Which sentences hold a hostile finding, marked once (not a scan of
    // every finding per cue: a long draft has thousands).
    let mut hostile_sentence = vec![false; draft.sentences.len()];
    for f in out.iter().chain(earlier) {
        if !HOSTILE.contains(&f.label.as_str()) {
            continue;
        }
        let first = draft.sentences.partition_point(|s| s.end <= f.start);
        for (i, s) in draft.sentences.iter().enumerate().skip(first) {
            if s.start >= f.end {
                break;
            }
            hostile_sentence[i] = true;
        }
    }
    let hostile = |span: (usize, usize)| {
        draft
            .sentence_index_at(span.0)
            .is_some_and(|i| hostile_sentence[i])
    };
    let mut extra = Vec::new();
    let unapologetic_complaint = complaint && !sig.has(Signal::Empathy);
    let cold_emoticons = sig.get(Signal::EmoticonCold).iter().map(|&s| (s, true));
    let playful_emoticons = sig.get(Signal::EmoticonPlayful).iter().map(|&s| (s, false));
    for (span, cold) in cold_emoticons.chain(playful_emoticons) {
        if unapologetic_complaint || (cold && hostile(span)) {
            extra.push(Finding::builtin(
                "tone/cold-emoticon",
                "sarcasm",
                Severity::Warn,
                &draft.chars,
                span,
                "在不满或敌意的语境里，这个表情读起来像冷笑",
                "换成[抱抱]或[心]，或者删掉表情",
            ));
        }
    }
    for &span in sig.get(Signal::Address) {
        if draft.slice(span) == "亲" && hostile(span) {
            extra.push(Finding::builtin(
                "tone/hostile-qin",
                "sarcasm",
                Severity::Warn,
                &draft.chars,
                span,
                "在指责的句子里叫「亲」，读起来是反讽",
                "先道歉、再帮忙，例如「亲，给您添麻烦了，我们来处理」",
            ));
        }
    }
    out.extend(extra);

    // An apology said to the reader warms a draft; one said about "the
    // guest" in the third person does not.
    let apologises_to_reader = sig.has(Signal::Empathy) && !sig.has(Signal::Impersonal);
    // A draft that pushes the reader away: its answer is no warmth.
    let pushes_away = out
        .iter()
        .chain(earlier)
        .any(|f| HOSTILE.contains(&f.label.as_str()) || f.label == "bureaucratic");
    // Any personal word (我们, 师傅 …) is one: the SPEC's `cold` is "no
    // personal word, no greeting, nothing warm".
    // (我 inside 我司 is the institution speaking, not a person.)
    let impersonal = sig.get(Signal::Impersonal);
    let personal = sig
        .get(Signal::Personal)
        .iter()
        .any(|&(s, e)| !impersonal.iter().any(|&(a, b)| a < e && s < b));
    // A factual answer to a question is not cold: the answer is what the
    // reader asked for.
    let answers = category == Some(Category::Question)
        && !pushes_away
        && (sig.has(Signal::Answer) || sig.has(Signal::NextStep));
    let cold = !sig.has(Signal::Address)
        && !sig.has(Signal::Greeting)
        && !sig.has(Signal::Particle)
        && !sig.has(Signal::EmoticonWarm)
        && !sig.has(Signal::EmoticonPlayful)
        && !apologises_to_reader
        && !personal
        && !answers;
    if cold && !draft.sentences.is_empty() {
        out.push(Finding::builtin(
            "tone/cold",
            "cold",
            Severity::Hint,
            &draft.chars,
            draft.whole(),
            "没有称呼、没有问候，也没有语气词或表情，读起来冷冰冰",
            "加一句称呼或问候，例如「亲，您好」，句末可以加「哦」「呀」",
        ));
    }
    out
}
