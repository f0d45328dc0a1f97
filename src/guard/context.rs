//! Labels that depend on the comment the draft answers: `no_empathy` and
//! `no_next_step` (SPEC label table), both spanning the whole draft.
//!
//! The comment's category comes from the triage engine (`crate::triage`),
//! or from the caller when the page has triaged it already
//! (`super::Context::reply_category`).
//!
//! - `no_empathy` (warn): a reply to a complaint or a safety report with no
//!   `empathy` signal (an apology, or an acknowledgement such as 理解您的心情,
//!   给您添麻烦了, 确实是我们的问题). Thanks for the feedback is not one.
//! - `no_next_step` (hint): a reply to a complaint, safety report or
//!   question with no concrete next step: a `next_step` signal (a time, an
//!   action, a channel such as 私信 or the hotline) in a sentence that does
//!   not send the customer elsewhere (a buck-passing finding); for a
//!   question, an `answer` signal in a sentence without an official formula
//!   counts too (answering is the next step). A negated action (不予退换,
//!   无法补发) is none. Passing it to 相关部门 is not in the signal list on
//!   purpose.

use super::draft::Draft;
use super::lexicon::Signal;
use super::report::Finding;
use crate::lists::Severity;
use crate::triage::Category;

/// The context findings, given every finding made so far and the spans of
/// the official formulas (`bureaucratic` cues, gated or not).
pub fn findings(
    draft: &Draft<'_>,
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
    let complaint = matches!(category, Category::Complaint | Category::Safety);
    if complaint && !sig.has(Signal::Empathy) {
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
    let asks = complaint || category == Category::Question;
    if asks {
        let overlaps = |s: (usize, usize), (a, b): (usize, usize)| a < s.1 && b > s.0;
        let sentence_ok = |at: usize, strict: bool| {
            let Some(s) = draft.sentence_at(at) else {
                return false;
            };
            let span = s.span();
            let passes_buck = earlier
                .iter()
                .any(|f| f.label == "buck_passing" && overlaps(span, (f.start, f.end)));
            let formal = strict && formulas.iter().any(|&f| overlaps(span, f));
            !passes_buck && !formal
        };
        // "不予退换", "无法补发": a negated action is no step.
        let negated = |at: usize| {
            let before: String = draft.chars[at.saturating_sub(2)..at].iter().collect();
            ["不", "没", "无法", "不能", "未", "不予"]
                .iter()
                .any(|n| before.ends_with(n) || before.starts_with("不予"))
        };
        let has_step = sig
            .get(Signal::NextStep)
            .iter()
            .any(|&(s, _)| !negated(s) && sentence_ok(s, false))
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
