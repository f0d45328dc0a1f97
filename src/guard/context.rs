//! Labels that depend on the comment the draft answers: `no_empathy` and
//! `no_next_step` (SPEC label table), both spanning the whole draft.
//!
//! The comment's category comes from the triage engine (`crate::triage`),
//! or from the caller when the page has triaged it already
//! (`super::Context::reply_category`).
//!
//! Empathy is owed to a complaint or a safety report, not to praise, a
//! suggestion or a question; a next step is owed to a complaint, a safety
//! report or a question, and answering the question is one.
//!
//! - `no_empathy` (warn): a reply to a complaint or a safety report with no
//!   `empathy` signal (an apology, or an acknowledgement such as 理解您的心情,
//!   给您添麻烦了, 让您白跑了, 确实是我们的问题) outside a sarcastic sentence
//!   (是是是，都是我们的错[微笑] is a mock apology). Thanks for the feedback
//!   is not one.
//! - `no_next_step` (hint): a reply to a complaint, safety report or
//!   question with no concrete next step: a `next_step` signal (a time, an
//!   action of ours, a channel such as 私信 or the hotline, or something for
//!   the reader to do: 更新到最新版本, 在订单页申请) in a sentence that does
//!   not send the customer elsewhere (a buck-passing finding) and a clause
//!   that does not blame, mock or sell (下周新品开售 is no step), nor, in a
//!   sentence that blames, leaves the fix to the reader (建议您自己换一个;
//!   这次我们给您换 counts); for a
//!   question, an `answer` signal in a sentence without an official formula
//!   counts too (answering is the next step). A negated action (不予退换,
//!   无法补发) is none. Passing it to 相关部门 is not in the signal list on
//!   purpose.
//! - a flat contradiction (`tone/contradicts`, label `blame`, warn): the
//!   complaint says something is missing (无暖气, 没有什么吃饭的地方) and the
//!   reply, with no apology, says it is there (含暖气, 有很多吃饭的地方). The
//!   thing is the two Chinese characters after 无/没有/没/缺 in the comment
//!   (after a filler such as 什么, 任何); the reply affirms it when one of
//!   有/含/提供/配/设/免费/均/都 stands in the three characters before it, in
//!   the same clause, and no 无/没/不/未 does.

use super::draft::Draft;
use super::lexicon::Signal;
use super::report::Finding;
use super::words::is_han;
use crate::lists::Severity;
use crate::triage::Category;

/// The context findings, given every finding made so far and the spans of
/// the official formulas (`bureaucratic` cues, gated or not).
pub fn findings(
    draft: &Draft<'_>,
    reply_to: Option<&str>,
    category: Option<Category>,
    earlier: &[Finding],
    formulas: &[(usize, usize)],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(category) = category else {
        return out;
    };
    if draft.sentences.is_empty() {
        return out;
    }
    let sig = &draft.signals;
    let overlaps = |s: (usize, usize), (a, b): (usize, usize)| a < s.1 && b > s.0;
    let finding_in = |span: (usize, usize), labels: &[&str]| {
        earlier
            .iter()
            .any(|f| labels.contains(&f.label.as_str()) && overlaps(span, (f.start, f.end)))
    };
    // A mock apology (in a sentence with a sarcasm finding) is none.
    let empathy = sig.get(Signal::Empathy).iter().any(|&(s, _)| {
        draft
            .sentence_at(s)
            .is_none_or(|sentence| !finding_in(sentence.span(), &["sarcasm"]))
    });
    let complaint = matches!(category, Category::Complaint | Category::Safety);
    if complaint && !empathy {
        out.push(Finding::builtin(
            "tone/no-empathy",
            "no_empathy",
            Severity::Warn,
            &draft.chars,
            draft.whole(),
            "回复投诉却没有道歉，也没有体谅客户的感受",
            "先道歉或体谅，例如「给您添麻烦了，真的很抱歉」",
        ));
    }
    if complaint && !empathy {
        if let Some(span) = reply_to.and_then(|r| contradiction(draft, r)) {
            out.push(Finding::builtin(
                "tone/contradicts",
                "blame",
                Severity::Warn,
                &draft.chars,
                span,
                "直接反驳客户说的情况，却没有一句体谅",
                "先认可客户的感受，再说明情况，例如「抱歉让您有这样的体验，其实……」",
            ));
        }
    }
    let asks = complaint || category == Category::Question;
    if asks {
        let sentence_ok = |at: usize, strict: bool| {
            let Some(s) = draft.sentence_at(at) else {
                return false;
            };
            let span = s.span();
            let passes_buck = finding_in(span, &["buck_passing"]);
            // A step said as blame or mockery, or the time of a sale
            // (下周新品开售), is none.
            let clause = draft.clause_at(at);
            let hostile = finding_in(clause, &["blame", "sarcasm", "insult", "ad_tone"]);
            // After blame, a fix left to the reader (建议您自己换一个) is
            // none; one we take (这次我们给您换一件) is.
            let after_blame = finding_in(span, &["blame", "sarcasm", "insult"])
                && !sig.within(Signal::Ours, clause);
            let formal = strict && formulas.iter().any(|&f| overlaps(span, f));
            !passes_buck && !hostile && !after_blame && !formal
        };
        // "不予退换", "无法补发": a negated action is no step.
        let negated = |at: usize| {
            let before = super::report::chars_to_string(&draft.chars[at.saturating_sub(2)..at]);
            ["不", "没", "无法", "不能", "未", "不予"]
                .iter()
                .any(|n| before.ends_with(n) || before.starts_with("不予"))
        };
        // An official formula in the step's clause makes it none (请按流程
        //提交申诉材料, 审核结果将另行通知).
        let formal_clause = |at: usize| {
            let clause = draft.clause_at(at);
            formulas.iter().any(|&f| overlaps(clause, f))
        };
        let has_step = sig
            .get(Signal::NextStep)
            .iter()
            .any(|&(s, _)| !negated(s) && !formal_clause(s) && sentence_ok(s, false))
            || (category == Category::Question
                && sig
                    .get(Signal::Answer)
                    .iter()
                    .any(|&(s, _)| sentence_ok(s, true)));
        if !has_step {
            out.push(Finding::builtin(
                "tone/no-next-step",
                "no_next_step",
                Severity::Hint,
                &draft.chars,
                draft.whole(),
                "没有具体的下一步：什么时候、做什么、怎么联系",
                "写清下一步，例如「请私信订单号，我们今天内给您回复」",
            ));
        }
    }
    out
}

/// Markers of absence in a comment: what follows is missing.
const ABSENT: &[&str] = &["没有", "无", "没", "缺少", "缺"];
/// Words between an absence marker and the thing (没有什么吃饭的地方).
const FILLERS: &[&str] = &[
    "什么", "任何", "一个", "一点", "多少", "啥", "个", "设置", "提供", "配备", "配置", "安装",
    "看到", "见到",
];
/// Markers of a flat denial in a reply: what follows did not happen.
const DENIAL: &[&str] = &[
    "并没有",
    "并未",
    "并不",
    "从未",
    "从来没有",
    "从来没",
    "绝对没有",
    "根本没有",
    "根本不",
    "没有任何",
    "不存在",
];
/// What cannot be the thing missing: 无法, 没想到, 没人管, 无语 …
const NOT_THINGS: &str = "法论聊语奈想办人事用空完有了得的再过问关必效数比限意所疑能可";
/// Words that, before the thing in the reply, say it is there.
const AFFIRM: &[char] = &['有', '含', '供', '配', '设', '免', '均', '都'];
/// Words that, before the thing in the reply, say it is not.
const DENY: &[char] = &['无', '没', '不', '未', '缺'];

/// The two-character things that follow one of `markers` in `c` (after a
/// filler), as (position of the marker, thing).
fn things_after(c: &[char], markers: &[&str]) -> Vec<(usize, [char; 2])> {
    let firsts: Vec<char> = markers.iter().filter_map(|m| m.chars().next()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if !firsts.contains(&c[i]) {
            i += 1;
            continue;
        }
        let Some(m) = markers.iter().find(|m| starts_at(c, i, m)) else {
            i += 1;
            continue;
        };
        let mut j = i + m.chars().count();
        if let Some(f) = FILLERS.iter().find(|f| starts_at(c, j, f)) {
            j += f.chars().count();
        }
        if let (Some(&a), Some(&b)) = (c.get(j), c.get(j + 1)) {
            if is_han(a) && is_han(b) && !NOT_THINGS.contains(a) {
                out.push((i, [a, b]));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The span in the draft where it contradicts the comment, if any: it
/// affirms something the comment says is missing, or flatly denies
/// (并没有, 从未, 不存在 …) something the comment says happened.
fn contradiction(draft: &Draft<'_>, reply_to: &str) -> Option<(usize, usize)> {
    let c: Vec<char> = reply_to.chars().collect();
    let d = &draft.chars;
    // Denied in the reply, said (not negated) in the comment.
    for (at, t) in things_after(d, DENIAL) {
        let said = (0..c.len().saturating_sub(1)).any(|k| {
            c[k] == t[0]
                && c[k + 1] == t[1]
                && !c[k.saturating_sub(2)..k].iter().any(|ch| DENY.contains(ch))
        });
        if said {
            let end = (at..d.len().saturating_sub(1))
                .find(|&k| d[k] == t[0] && d[k + 1] == t[1])
                .map_or(d.len(), |k| k + 2);
            return Some((at, end));
        }
    }
    let things: Vec<[char; 2]> = things_after(&c, ABSENT)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for t in &things {
        for k in 0..d.len().saturating_sub(1) {
            if d[k] != t[0] || d[k + 1] != t[1] {
                continue;
            }
            let mut from = k.saturating_sub(3);
            if let Some(p) = d[from..k].iter().rposition(|&ch| !is_han(ch)) {
                from += p + 1;
            }
            let before = &d[from..k];
            if before.iter().any(|ch| AFFIRM.contains(ch))
                && !before.iter().any(|ch| DENY.contains(ch))
            {
                return Some((from, k + 2));
            }
        }
    }
    None
}

fn starts_at(c: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(k, w)| c.get(k) == Some(&w))
}
