//! Measuring triage against labelled comments: per-class precision and
//! recall, the SPEC floors, and ROC AUC of the score.
//!
//! Used by `examples/triage_eval.rs` (prints the tables of QUALITY.md) and
//! `tests/triage_quality.rs` (fails below the floors). The labelled files
//! are JSON Lines with `text`, `category`, `urgency` and optionally the
//! fields `kefu triage` reads (`followers`, `verified`, `user`, …).

use super::{Category, Comment, Triage, Triager, Urgency};
use crate::settings::Settings;
use serde_json::Value;

/// A labelled comment.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub comment: Comment,
    pub category: Category,
    pub urgency: Urgency,
    pub note: String,
}

/// Reads labelled JSON Lines; the error names the line.
pub fn read_labelled(jsonl: &str) -> Result<Vec<Labelled>, String> {
    let mut out = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |e: String| format!("line {}: {e}", n + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let comment = Comment::from_json(&v, Value::from(n)).map_err(at)?;
        let category = serde_json::from_value(v["category"].clone())
            .map_err(|e| at(format!("category: {e}")))?;
        let urgency = serde_json::from_value(v["urgency"].clone())
            .map_err(|e| at(format!("urgency: {e}")))?;
        out.push(Labelled {
            comment,
            category,
            urgency,
            // `kind` in the blind sets: a description of the case's kind.
            note: v["note"]
                .as_str()
                .or_else(|| v["kind"].as_str())
                .unwrap_or("")
                .to_string(),
        });
    }
    Ok(out)
}

/// Counts for one class: true positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    /// Precision, or `None` when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }

    /// Recall, or `None` when nothing is labelled so.
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }

    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
}

/// The measures of one labelled set.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub n: usize,
    pub category: Vec<(Category, Counts)>,
    pub urgency: Vec<(Urgency, Counts)>,
    /// `high` and `critical` taken together.
    pub high_or_critical: Counts,
    pub category_correct: usize,
    pub urgency_correct: usize,
}

impl Report {
    pub fn category(&self, c: Category) -> Counts {
        self.category
            .iter()
            .find(|(k, _)| *k == c)
            .map_or_else(Counts::default, |(_, v)| *v)
    }

    pub fn urgency(&self, u: Urgency) -> Counts {
        self.urgency
            .iter()
            .find(|(k, _)| *k == u)
            .map_or_else(Counts::default, |(_, v)| *v)
    }

    /// A Markdown table of precision and recall per class.
    pub fn markdown(&self) -> String {
        let pct = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.2}"));
        let row = |name: &str, c: &Counts| {
            format!(
                "| {name} | {} | {} | {} | {} |\n",
                c.tp + c.fn_,
                c.tp + c.fp,
                pct(c.precision()),
                pct(c.recall())
            )
        };
        let mut s = String::from(
            "| class | labelled | predicted | precision | recall |\n|---|---|---|---|---|\n",
        );
        for (c, k) in &self.category {
            s += &row(c.as_str(), k);
        }
        for (u, k) in &self.urgency {
            s += &row(&format!("urgency {}", u.as_str()), k);
        }
        s += &row("urgency high+critical", &self.high_or_critical);
        s += &format!(
            "\n{} comments; category right {:.2}, urgency right {:.2}\n",
            self.n,
            self.category_correct as f64 / self.n.max(1) as f64,
            self.urgency_correct as f64 / self.n.max(1) as f64
        );
        s
    }
}

/// Triages the labelled comments as one batch and measures the result.
pub fn evaluate(t: &Triager, items: &[Labelled], settings: &Settings) -> (Report, Vec<Triage>) {
    let comments: Vec<Comment> = items.iter().map(|l| l.comment.clone()).collect();
    let got = t.triage(&comments, settings, None);
    let mut r = Report {
        n: items.len(),
        category: Category::ALL
            .iter()
            .map(|&c| (c, Counts::default()))
            .collect(),
        urgency: Urgency::ALL
            .iter()
            .map(|&u| (u, Counts::default()))
            .collect(),
        ..Report::default()
    };
    for (l, g) in items.iter().zip(&got) {
        for (c, k) in &mut r.category {
            k.add(g.category == *c, l.category == *c);
        }
        for (u, k) in &mut r.urgency {
            k.add(g.urgency == *u, l.urgency == *u);
        }
        let hc = |u: Urgency| u <= Urgency::High;
        r.high_or_critical.add(hc(g.urgency), hc(l.urgency));
        r.category_correct += usize::from(g.category == l.category);
        r.urgency_correct += usize::from(g.urgency == l.urgency);
    }
    (r, got)
}

/// ROC AUC: the chance that a random positive scores above a random
/// negative (ties count half). `None` when either side is empty.
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    // Rank all scores (average rank for ties): Mann–Whitney U.
    let mut all: Vec<(f64, bool)> = positives
        .iter()
        .map(|&s| (s, true))
        .chain(negatives.iter().map(|&s| (s, false)))
        .collect();
    crate::sort::sort_by(&mut all, |a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let avg = (i + 1 + j) as f64 / 2.0;
        rank_sum += avg * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let p = positives.len() as f64;
    let n = negatives.len() as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Where the shared real data is: `$KEFU_SHARED_DATA`, else `shared/data`
/// beside the repository (or beside a folder above it, for worktrees). The
/// error says how to point at it.
pub fn shared_data() -> Result<std::path::PathBuf, String> {
    if let Some(d) = std::env::var_os("KEFU_SHARED_DATA") {
        let dir = std::path::PathBuf::from(d);
        return if dir.join("real").is_dir() {
            Ok(dir)
        } else {
            Err(format!(
                "KEFU_SHARED_DATA={} has no real/ folder with the shared data",
                dir.display()
            ))
        };
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .take(3)
        .map(|a| a.join("shared/data"))
        .find(|d| d.join("real").is_dir())
        .ok_or_else(|| {
            format!(
                "the shared real data is missing: no shared/data/real beside {}. Set \
                 KEFU_SHARED_DATA to the folder that holds real/waimai_10k.csv and \
                 real/labelled-comments.jsonl",
                root.display()
            )
        })
}

/// Reads `waimai_10k.csv` (`label,review`, 1 = positive): each review with
/// whether it is negative (a complaint).
pub fn read_reviews(csv: &str) -> Result<Vec<(bool, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in csv.lines().enumerate().skip(1) {
        let Some((label, review)) = line.split_once(',') else {
            continue;
        };
        let negative = match label.trim() {
            "0" => true,
            "1" => false,
            other => return Err(format!("line {}: label `{other}` is not 0 or 1", n + 1)),
        };
        let review = match review.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => review.to_string(),
        };
        out.push((negative, review));
    }
    Ok(out)
}

/// ROC AUC of the triage score for ranking negative reviews above positive
/// ones, with the number of reviews.
pub fn review_auc(t: &Triager, reviews: &[(bool, String)]) -> (f64, usize) {
    let comments: Vec<Comment> = reviews.iter().map(|(_, r)| Comment::from_text(r)).collect();
    let got = t.triage(&comments, &Settings::default(), None);
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for ((negative, _), g) in reviews.iter().zip(&got) {
        if *negative {
            pos.push(f64::from(g.score));
        } else {
            neg.push(f64::from(g.score));
        }
    }
    (roc_auc(&pos, &neg).unwrap_or(0.5), reviews.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_half() {
        assert_eq!(roc_auc(&[2.0, 3.0], &[1.0]), Some(1.0));
        assert_eq!(roc_auc(&[1.0], &[2.0]), Some(0.0));
        assert_eq!(roc_auc(&[1.0], &[1.0]), Some(0.5));
        assert_eq!(roc_auc(&[], &[1.0]), None);
    }

    #[test]
    fn labelled_lines_are_read_and_bad_ones_named() {
        let ok = r#"{"text": "顶", "category": "chatter", "urgency": "noise"}"#;
        assert_eq!(read_labelled(ok).unwrap().len(), 1);
        let bad = r#"{"text": "顶", "category": "nope", "urgency": "noise"}"#;
        assert!(read_labelled(bad).unwrap_err().starts_with("line 1"));
    }
}
