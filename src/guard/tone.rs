//! Tone labels: `blame`, `buck_passing`, `bureaucratic`, `sarcasm`,
//! `ad_tone`, `overpromise` from the cue list (`data/tone/tone.toml`, list id
//! `tone`), and `cold` from the signals.
//!
//! A cue hit is a finding `tone/RULE_ID` with the rule's message and
//! suggestion, except where its label's gate says no:
//!
//! - `bureaucratic` (官腔) counts only in a draft with nothing warm (no
//!   apology or acknowledgement, no friendly particle, no warm emoticon, no
//!   亲): 按流程 said warmly with a time is fine.
//! - `ad_tone` counts only in a reply to a complaint or a safety report, or
//!   in a reply that apologises (the agent treats the comment as a
//!   complaint): selling is the fault, not the promotion (a new product in a
//!   reply to praise is fine).
//! - `sarcasm` cues in a playful exchange (a reply to praise or chatter,
//!   in a sentence with a friendly particle or warm emoticon) are play.
//!
//! Two sarcasm forms depend on the sentence, not on a phrase: a cold
//! emoticon ([微笑], [白眼] …) in a hostile sentence (one with a blame,
//! buck-passing or sarcasm finding) or in a reply to a complaint with no
//! apology (`tone/cold-emoticon`); and 亲 in a hostile sentence
//! (`tone/hostile-qin`).
//!
//! `cold` (`tone/cold`, a hint spanning the whole draft): no word that
//! addresses the reader, no greeting or thanks, no friendly particle, no
//! warm emoticon, and no apology to the reader (an apology in a draft that
//! names the customer in the third person, 此客人, does not count). 我们
//! alone does not make a draft warm.
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

/// Who is at fault when the clause before a fault cue names them: us.
const OURS: &[&str] = &[
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
];

/// Who runs the errand when the clause before a "go to them" cue names
/// them: us (我们联系快递, 帮您找厂家, 已联系商家).
const WE_DO: &[&str] = &["我", "帮", "替", "为您", "为你", "给您", "给你", "已", "代"];

/// The clause before char `at`: back to the last clause or sentence mark.
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
    &draft.chars[from..at]
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
    let mut out = Vec::new();
    for &(ri, span) in hits {
        let Some(rule) = list.rules.get(ri) else {
            continue;
        };
        let keep = match rule.label.as_str() {
            "bureaucratic" => !warm,
            // Selling in a reply to a complaint: the comment's category,
            // or the reply's own apology (a mixed review that triage calls
            // praise is a complaint to the agent who apologises for it).
            "ad_tone" => complaint || sig.has(Signal::Empathy),
            "blame" | "buck_passing" if negated(draft, span) => false,
            // Fault and errands are the customer's only when the clause
            // does not name us as the one at fault or doing the errand.
            _ if rule.id.starts_with("blame-fault") && names(draft, span, OURS) => false,
            _ if rule.id.starts_with("buck-elsewhere") && names(draft, span, WE_DO) => false,
            // Denying what the customer reports needs a report to deny.
            _ if rule.id.starts_with("blame-denial")
                && matches!(category, Some(Category::Question | Category::Praise)) =>
            {
                false
            }
            "sarcasm" => {
                !(playful
                    && draft.sentence_at(span.0).is_some_and(|s| {
                        sig.within(Signal::Particle, s.span())
                            || sig.within(Signal::EmoticonWarm, s.span())
                    }))
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
    for &span in sig.get(Signal::EmoticonCold) {
        if unapologetic_complaint || hostile(span) {
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
    let cold = !sig.has(Signal::Address)
        && !sig.has(Signal::Greeting)
        && !sig.has(Signal::Particle)
        && !sig.has(Signal::EmoticonWarm)
        && !apologises_to_reader;
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
