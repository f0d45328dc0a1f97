//! What a check returns: the [`Report`] that `kefu check` prints (SPEC "The
//! command line"), its [`Finding`]s, the [`Tone`] part and the [`Verdict`].
//!
//! The shape is a contract: fields may be added, never renamed. Offsets are
//! char offsets into the draft, `end` exclusive (the wasm layer converts
//! them to UTF-16). How findings are made is the other modules' business.

use crate::lists::Severity;
use serde::Serialize;

/// The worst severity among a reply's findings (`hint` alone gives `ok`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }

    /// The verdict a finding of this severity alone gives.
    pub fn of(severity: Severity) -> Verdict {
        match severity {
            Severity::Block => Verdict::Block,
            Severity::Warn => Verdict::Warn,
            Severity::Hint => Verdict::Ok,
        }
    }
}

/// One thing wrong (or worth a hint) in a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `LIST_ID/RULE_ID`; built-in detectors use the list ids `tone`, `pii`
    /// and `weibo`.
    pub rule: String,
    pub label: String,
    pub severity: Severity,
    /// Char offsets into the draft, `end` exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    /// A finding of a built-in detector over `chars[start..end]`.
    pub(crate) fn builtin(
        rule: &str,
        label: &str,
        severity: Severity,
        chars: &[char],
        (start, end): (usize, usize),
        message: &str,
        suggestion: &str,
    ) -> Finding {
        Finding {
            rule: rule.to_string(),
            label: label.to_string(),
            severity,
            start,
            end,
            text: chars_to_string(&chars[start..end]),
            message: message.to_string(),
            suggestion: (!suggestion.is_empty()).then(|| suggestion.to_string()),
        }
    }
}

/// Chars as a string, allocated once at its size (collecting chars into a
/// `String` grows it char by char: several reallocations per finding).
pub(crate) fn chars_to_string(chars: &[char]) -> String {
    let mut s = String::with_capacity(chars.iter().map(|c| c.len_utf8()).sum());
    s.extend(chars);
    s
}

/// A word or sentence that moved the human-touch score, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreItem {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Why it counts, in Chinese (shown to the agent).
    pub reason: String,
}

/// The tone part of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tone {
    /// The human-touch (人情味) score, 0–100 (`crate::guard::score`); 0 for
    /// an empty draft, at most 9 while an insult, blame or sarcasm finding
    /// stands.
    pub score: u32,
    /// Flesch's band for the score: `dull`, `mildly interesting`,
    /// `interesting`, `highly interesting`, `dramatic`; `none` for an empty
    /// draft (no score to show).
    pub band: String,
    /// Every label of the reply, once each, in order of first finding.
    pub labels: Vec<String>,
    /// What raised the score (personal words, personal sentences).
    pub raised: Vec<ScoreItem>,
    /// What lowered it (the customer named in the third person, sentences
    /// with nothing personal).
    pub lowered: Vec<ScoreItem>,
}

/// What `kefu check` prints for one draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub tone: Tone,
}
