//! The reply guard: checks a draft reply and says whether it may be posted.
//!
//! A [`Guard`] holds the phrase lists in force (compiled by
//! `crate::matcher`) and the built-in detectors (tone, personal data,
//! Weibo's length rule). [`Guard::check`] returns a [`Report`] in the shape
//! of the SPEC's `kefu check` JSON. Loading lists is atomic: a list with an
//! error is rejected whole and the guard keeps the lists it had
//! ([`Guard::with_lists`] returns a new guard or the errors).

pub mod tone;

use crate::lists::{self, Diagnostic, PhraseList, Severity};
use crate::matcher::Matcher;
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
}

/// One thing wrong (or worth a hint) in a draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `LIST_ID/RULE_ID`.
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

/// The tone part of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tone {
    pub score: u32,
    pub band: String,
    pub labels: Vec<String>,
}

/// What `kefu check` prints for one draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub tone: Tone,
}

/// What the draft answers, when known.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The comment the draft replies to.
    pub reply_to: Option<&'a str>,
}

/// The lists that ship with Kefu, as (file name, contents).
pub const DEFAULT_LISTS: &[(&str, &str)] = &[
    ("insults.toml", include_str!("../../lists/insults.toml")),
    ("ad-law.toml", include_str!("../../lists/ad-law.toml")),
    (
        "service-taboo.toml",
        include_str!("../../lists/service-taboo.toml"),
    ),
    (
        "overpromise.toml",
        include_str!("../../lists/overpromise.toml"),
    ),
];

/// Lists in force plus the built-in detectors.
pub struct Guard {
    lists: Vec<PhraseList>,
    matcher: Matcher,
}

impl Guard {
    /// A guard with the given lists (already parsed without errors).
    pub fn new(lists: Vec<PhraseList>) -> Guard {
        let matcher = Matcher::new(&lists);
        Guard { lists, matcher }
    }

    /// A guard with the default lists.
    pub fn with_default_lists() -> Guard {
        let mut lists = Vec::new();
        for (name, text) in DEFAULT_LISTS {
            let parsed = lists::parse(name, text.as_bytes());
            // The default lists are tested in CI; a broken one is a build bug.
            lists.push(parsed.list.unwrap_or_else(|| {
                panic!(
                    "default list {name} does not parse: {:?}",
                    parsed.diagnostics
                )
            }));
        }
        Guard::new(lists)
    }

    /// The lists in force.
    pub fn lists(&self) -> &[PhraseList] {
        &self.lists
    }

    /// A new guard with `extra` lists added to the ones in force, or every
    /// diagnostic if any of them fails; `self` is untouched either way.
    pub fn with_lists(&self, extra: &[(String, Vec<u8>)]) -> Result<Guard, Vec<Diagnostic>> {
        let mut lists = self.lists.clone();
        let mut errors = Vec::new();
        for (name, bytes) in extra {
            let parsed = lists::parse(name, bytes);
            if parsed.has_errors() {
                errors.extend(parsed.diagnostics);
            } else if let Some(list) = parsed.list {
                if lists.iter().any(|l| l.id == list.id) {
                    errors.push(Diagnostic {
                        file: name.clone(),
                        line: 1,
                        col: 1,
                        level: lists::Level::Error,
                        message: format!("a list with id `{}` is already loaded", list.id),
                        source_line: String::new(),
                    });
                } else {
                    lists.push(list);
                }
            }
        }
        if errors.is_empty() {
            Ok(Guard::new(lists))
        } else {
            Err(errors)
        }
    }

    /// Checks one draft.
    pub fn check(&self, draft: &str, _context: &Context<'_>) -> Report {
        let chars: Vec<char> = draft.chars().collect();
        let mut findings: Vec<Finding> = self
            .matcher
            .find(draft)
            .into_iter()
            .map(|h| {
                let list = &self.lists[h.list];
                let rule = &list.rules[h.rule];
                Finding {
                    rule: format!("{}/{}", list.id, rule.id),
                    label: rule.label.clone(),
                    severity: rule.severity,
                    start: h.start,
                    end: h.end,
                    text: chars[h.start..h.end].iter().collect(),
                    message: rule.message.clone(),
                    suggestion: rule.suggest.clone(),
                }
            })
            .collect();
        let tone = tone::score(draft);
        if tone.cold && !chars.is_empty() {
            findings.push(Finding {
                rule: "tone/cold".into(),
                label: "cold".into(),
                severity: Severity::Hint,
                start: 0,
                end: chars.len(),
                text: draft.to_string(),
                message: "回复里没有称呼、没有人称，读起来冷冰冰".into(),
                suggestion: Some("加一句称呼或问候，例如「亲，您好」".into()),
            });
        }
        findings.sort_by_key(|f| (f.start, f.end));
        let verdict = findings
            .iter()
            .map(|f| match f.severity {
                Severity::Block => Verdict::Block,
                Severity::Warn => Verdict::Warn,
                Severity::Hint => Verdict::Ok,
            })
            .max()
            .unwrap_or(Verdict::Ok);
        let mut labels: Vec<String> = Vec::new();
        for f in &findings {
            if !labels.contains(&f.label) {
                labels.push(f.label.clone());
            }
        }
        Report {
            verdict,
            findings,
            tone: Tone {
                score: tone.score,
                band: tone.band.to_string(),
                labels,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insult_blocks_and_clean_reply_passes() {
        let g = Guard::with_default_lists();
        let r = g.check("你这个蠢驴", &Context::default());
        assert_eq!(r.verdict, Verdict::Block);
        assert_eq!(r.findings[0].label, "insult");
        let r = g.check("亲，您好，我们马上为您处理哦", &Context::default());
        assert_eq!(r.verdict, Verdict::Ok, "{r:?}");
    }

    #[test]
    fn a_broken_list_leaves_the_guard_as_it_was() {
        let g = Guard::with_default_lists();
        let n = g.lists().len();
        let bad = vec![("bad.toml".to_string(), b"[list\n".to_vec())];
        assert!(g.with_lists(&bad).is_err());
        assert_eq!(g.lists().len(), n);
    }
}
