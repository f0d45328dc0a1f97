//! Scoring the reply guard on COLD, the Chinese Offensive Language Dataset
//! (`../shared/data/cold/`, or `KEFU_SHARED_DATA`): shared by the
//! `cold_eval` example (prints the figures in QUALITY.md) and the
//! `cold_quality` test (holds the floors). Included with `#[path]`.
//!
//! A COLD text counts as flagged when the guard, checking it as a draft
//! with no comment replied to (what `kefu check TEXT` does), gives the
//! verdict block or any `insult` finding.

#![allow(dead_code)]

use kefu::guard::{Context, Guard, Verdict};
use std::path::{Path, PathBuf};

/// One COLD text and its label (true: offensive).
pub struct Text {
    pub text: String,
    pub offensive: bool,
}

/// The shared data folder: `KEFU_SHARED_DATA`, else `../shared/data`.
pub fn shared_data() -> PathBuf {
    std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The fields of one CSV record (RFC 4180 quoting), from `text` at `*at`.
fn record(text: &str, at: &mut usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut i = *at;
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap_or('\0');
        i += c.len_utf8();
        match (quoted, c) {
            (true, '"') if text[i..].starts_with('"') => {
                field.push('"');
                i += 1;
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\n') => break,
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    fields.push(field);
    *at = i;
    fields
}

/// Reads a COLD split (`train`, `dev` or `test`); panics, naming the file
/// and where the data lives, if it is missing or malformed.
pub fn read(split: &str) -> Vec<Text> {
    let path = shared_data().join(format!("cold/{split}.csv"));
    read_csv(&path)
}

pub fn read_csv(path: &Path) -> Vec<Text> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (the shared data lives in ../shared/data, or set KEFU_SHARED_DATA)",
            path.display()
        )
    });
    let text = text.trim_start_matches('\u{feff}');
    let mut at = 0;
    let header = record(text, &mut at);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{}: no column {name}", path.display()))
    };
    let (label, body) = (col("label"), col("TEXT"));
    let mut out = Vec::new();
    while at < text.len() {
        let fields = record(text, &mut at);
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        let offensive = match fields.get(label).map(String::as_str) {
            Some("1") => true,
            Some("0") => false,
            other => panic!("{}: label {other:?}", path.display()),
        };
        out.push(Text {
            text: fields[body].clone(),
            offensive,
        });
    }
    out
}

/// Whether the guard flags a text (block, or any `insult` finding).
pub fn flagged(guard: &Guard, text: &str) -> bool {
    let r = guard.check(text, &Context::default());
    r.verdict == Verdict::Block || r.findings.iter().any(|f| f.label == "insult")
}

/// Binary scores, `offensive` the positive class.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    pub fn_: usize,
}

impl Scores {
    pub fn of(texts: &[Text], flagged: &[bool]) -> Scores {
        let mut s = Scores::default();
        for (t, &f) in texts.iter().zip(flagged) {
            match (t.offensive, f) {
                (true, true) => s.tp += 1,
                (false, true) => s.fp += 1,
                (false, false) => s.tn += 1,
                (true, false) => s.fn_ += 1,
            }
        }
        s
    }
    pub fn n(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }
    pub fn accuracy(&self) -> f64 {
        (self.tp + self.tn) as f64 / self.n().max(1) as f64
    }
    pub fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(tp: usize, fp: usize, fn_: usize) -> f64 {
        if tp == 0 {
            return 0.0;
        }
        2.0 * tp as f64 / (2 * tp + fp + fn_) as f64
    }
    /// Mean F1 of the two classes.
    pub fn macro_f1(&self) -> f64 {
        (Scores::f1(self.tp, self.fp, self.fn_) + Scores::f1(self.tn, self.fn_, self.fp)) / 2.0
    }
    pub fn line(&self) -> String {
        format!(
            "accuracy {:.4}, macro-F1 {:.4}, offensive precision {:.4}, recall {:.4} (n {})",
            self.accuracy(),
            self.macro_f1(),
            self.precision(),
            self.recall(),
            self.n()
        )
    }
}

/// Scores the guard on texts.
pub fn score(guard: &Guard, texts: &[Text]) -> Scores {
    let flags: Vec<bool> = texts.iter().map(|t| flagged(guard, &t.text)).collect();
    Scores::of(texts, &flags)
}
