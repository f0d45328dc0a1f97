//! Scoring the reply guard against labelled drafts: shared by the
//! `guard_eval` example (prints the tables in QUALITY.md) and the
//! `guard_quality` test (holds the floors). Included with `#[path]`.

#![allow(dead_code)]

use kefu::guard::{Context, Guard, Verdict};
use kefu::settings::Settings;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The SPEC's tone labels: the macro-F1 floor is over these.
pub const TONE_LABELS: &[&str] = &[
    "bureaucratic",
    "blame",
    "buck_passing",
    "sarcasm",
    "ad_tone",
    "cold",
    "overpromise",
];

/// Every reply label, in the SPEC's order.
pub const ALL_LABELS: &[&str] = &[
    "insult",
    "pii",
    "ad_law",
    "overpromise",
    "blame",
    "buck_passing",
    "bureaucratic",
    "sarcasm",
    "ad_tone",
    "no_empathy",
    "cold",
    "no_next_step",
    "too_long",
    "repeated",
];

/// One labelled draft.
pub struct Case {
    pub id: String,
    pub reply_to: Option<String>,
    pub draft: String,
    pub recent: Vec<String>,
    pub expect_block: bool,
    pub expect: Vec<String>,
    /// What kind of case it is (the blind set's `kind`; else the `note`).
    pub kind: String,
}

/// What the guard said about a case.
pub struct Outcome {
    pub blocked: bool,
    pub labels: Vec<String>,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared data folder: `KEFU_SHARED_DATA`, else `../shared/data`.
pub fn shared_data() -> PathBuf {
    std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"))
}

/// Reads a labelled JSON Lines file; panics with the line on bad input.
pub fn read_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (the shared data lives in ../shared/data, or set KEFU_SHARED_DATA)",
            path.display()
        )
    });
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            let strs = |key: &str| -> Vec<String> {
                v.get(key)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            Case {
                id: v["id"].as_str().map_or_else(|| n.to_string(), String::from),
                reply_to: v.get("reply_to").and_then(Value::as_str).map(String::from),
                draft: v["draft"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{}:{}: no draft", path.display(), n + 1))
                    .to_string(),
                recent: strs("recent"),
                expect_block: v["expect_block"].as_bool().unwrap_or(false),
                expect: strs("expect_labels"),
                kind: v
                    .get("kind")
                    .or_else(|| v.get("note"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            }
        })
        .collect()
}

/// The team settings the labelled set assumes.
pub fn settings() -> Settings {
    let path = repo().join("tests/guard/settings.toml");
    let text = std::fs::read_to_string(&path).expect("tests/guard/settings.toml");
    Settings::from_toml(&text).expect("tests/guard/settings.toml parses")
}

pub fn run(guard: &Guard, settings: &Settings, cases: &[Case]) -> Vec<Outcome> {
    cases
        .iter()
        .map(|c| {
            let r = guard.check(
                &c.draft,
                &Context {
                    reply_to: c.reply_to.as_deref(),
                    recent: &c.recent,
                    hotlines: &settings.hotlines,
                    ..Context::default()
                },
            );
            Outcome {
                blocked: r.verdict == Verdict::Block,
                labels: r.tone.labels,
            }
        })
        .collect()
}

/// Counts for one label (or for block).
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, expected: bool, got: bool) {
        match (expected, got) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            _ => {}
        }
    }
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }
}

/// The metrics of one set.
pub struct Metrics {
    pub cases: usize,
    pub labels: BTreeMap<&'static str, Counts>,
    pub block: Counts,
    /// Drafts that must not be blocked, and how many were.
    pub not_block: usize,
    pub false_blocks: usize,
}

impl Metrics {
    pub fn new(cases: &[Case], outcomes: &[Outcome]) -> Metrics {
        let mut labels: BTreeMap<&'static str, Counts> = BTreeMap::new();
        let mut block = Counts::default();
        let (mut not_block, mut false_blocks) = (0, 0);
        for (c, o) in cases.iter().zip(outcomes) {
            for &l in ALL_LABELS {
                labels.entry(l).or_default().add(
                    c.expect.iter().any(|x| x == l),
                    o.labels.iter().any(|x| x == l),
                );
            }
            block.add(c.expect_block, o.blocked);
            if !c.expect_block {
                not_block += 1;
                false_blocks += o.blocked as usize;
            }
        }
        Metrics {
            cases: cases.len(),
            labels,
            block,
            not_block,
            false_blocks,
        }
    }

    /// Macro-F1 over the tone labels that occur in the set.
    pub fn tone_macro_f1(&self) -> f64 {
        let present: Vec<f64> = TONE_LABELS
            .iter()
            .map(|l| self.labels[l])
            .filter(|c| c.support() > 0)
            .map(|c| c.f1())
            .collect();
        // (+ 0.0: an empty sum is -0.0, printed "-0.00")
        (present.iter().sum::<f64>() + 0.0) / present.len().max(1) as f64
    }

    pub fn false_block_rate(&self) -> f64 {
        self.false_blocks as f64 / self.not_block.max(1) as f64
    }

    /// The Markdown table of QUALITY.md.
    pub fn table(&self) -> String {
        let mut s = String::from(
            "| label | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n",
        );
        for &l in ALL_LABELS {
            let c = self.labels[l];
            if c.support() == 0 && c.fp == 0 {
                continue;
            }
            s += &format!(
                "| {l} | {} | {:.2} | {:.2} | {:.2} |\n",
                c.support(),
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        s += &format!(
            "| **block** | {} | {:.2} | {:.2} | {:.2} |\n",
            self.block.support(),
            self.block.precision(),
            self.block.recall(),
            self.block.f1()
        );
        s += &format!(
            "\n{} drafts; false blocks {}/{} = {:.1}% of the drafts that must not be blocked; macro-F1 over tone labels {:.2}\n",
            self.cases,
            self.false_blocks,
            self.not_block,
            100.0 * self.false_block_rate(),
            self.tone_macro_f1()
        );
        s
    }
}
