//! The offensive-language model: an `insult` finding for a draft that reads
//! as offensive or contemptuous even where no phrase list has the words.
//!
//! It owns reading the model (`data/guard/offensive.tsv`, trained offline by
//! `data/guard/train_offensive.py` on COLD, the Chinese Offensive Language
//! Dataset; provenance and figures in `data/guard/MODEL.md`) and the group
//! words (`data/guard/groups.txt`), scoring a draft, and making the finding.
//! It does not own the phrase lists: a list's `insult` hit decides on its
//! own, and the guard drops this finding where a list already gave `insult`
//! over overlapping text (`super::dedupe_builtin`).
//!
//! The model is logistic regression over character 1–3-grams of the folded
//! text (`crate::fold`: width, case, traditional → simplified), cut into
//! runs at separators; each distinct n-gram counts once, p(offensive) =
//! sigmoid(bias + the sum of their weights). The n-grams are packed into
//! integers and looked up in a map built once, so a 140-character draft
//! costs a few hundred lookups.
//!
//! - p ≥ `block` → `tone/offensive`, block;
//! - p ≥ `warn` and the draft names a group of people (region, gender,
//!   race, disability …: `groups.txt`) → `tone/offensive-group`, block: a
//!   brand's public reply must not run down a group;
//! - p ≥ `warn` → `tone/offensive`, warn.
//!
//! The finding spans the n-grams that pushed hardest (up to three, not
//! overlapping) and names them in its message.

use super::report::Finding;
use crate::fold;
use crate::lists::Severity;
use crate::triage::hash::{mix, Prehashed};
use std::collections::HashMap;
use std::sync::OnceLock;

const MODEL: &str = "data/guard/offensive.tsv";
const GROUPS: &str = "data/guard/groups.txt";
/// The n-grams the model knows are this long at most.
const MAX_N: usize = 3;
/// Pushes kept to choose the three shown from.
const KEEP: usize = 12;

/// A loaded model.
#[derive(Debug, Clone, Default)]
pub struct Offensive {
    bias: f32,
    /// Thresholds, as probabilities.
    warn: f32,
    block: f32,
    /// Packed n-gram → its weight and its index (for counting it once).
    /// The triage model's map type: one instance of the map's code.
    weights: HashMap<u64, (f32, u32), Prehashed>,
    /// Group words, folded.
    groups: Vec<Vec<char>>,
    /// Their first characters, sorted: most characters of a draft begin
    /// no group word, and are passed by one search here.
    group_firsts: Vec<char>,
}

/// What the model says of one draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// log-odds that the draft is offensive.
    pub logit: f32,
    /// The n-grams that pushed hardest toward offensive, as char spans of
    /// the draft, strongest first (up to three; see [`Offensive::read`]).
    pub top: Vec<(usize, usize)>,
}

impl Reading {
    /// p(offensive).
    pub fn probability(&self) -> f32 {
        1.0 / (1.0 + (-self.logit).exp())
    }
}

/// An n-gram of up to three folded characters as one integer (21 bits a
/// character; no character folds to NUL, so lengths cannot collide), mixed.
#[inline]
fn key(gram: &[char]) -> u64 {
    mix(gram.iter().fold(0u64, |k, &c| (k << 21) | c as u64))
}

impl Offensive {
    /// The shipped model and group words, read once.
    pub fn shipped() -> &'static Offensive {
        static SHIPPED: OnceLock<Offensive> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Offensive::from_tsv(crate::data::get(MODEL), crate::data::get(GROUPS))
                .expect("the shipped offensive-language model parses (tested)")
        })
    }

    /// A model from `offensive.tsv` (`#` comments; `bias`, `warn` and
    /// `block` lines, the thresholds as probabilities; then one n-gram a
    /// line, `ngram<TAB>weight`) and a group-word list (one a line, `#`
    /// comments).
    pub fn from_tsv(model: &str, groups: &str) -> Result<Offensive, String> {
        let mut m = Offensive::default();
        let (mut bias, mut warn, mut block) = (None, None, None);
        for (n, line) in model.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |e: &str| format!("offensive.tsv:{}: {e}", n + 1);
            let (name, w) = line
                .split_once('\t')
                .ok_or_else(|| at("expected `ngram<TAB>weight`"))?;
            let w: f32 = w
                .trim()
                .parse()
                .map_err(|_| at("the weight is not a number"))?;
            match name {
                "bias" => bias = Some(w),
                "warn" | "block" if !(0.0 < w && w < 1.0) => {
                    return Err(at("a threshold is a probability between 0 and 1"))
                }
                "warn" => warn = Some(w),
                "block" => block = Some(w),
                _ => {
                    let gram: Vec<char> = name.chars().collect();
                    if gram.is_empty() || gram.len() > MAX_N {
                        return Err(at("an n-gram has one to three characters"));
                    }
                    let index = m.weights.len() as u32;
                    if m.weights.insert(key(&gram), (w, index)).is_some() {
                        return Err(at("this n-gram is already in the file"));
                    }
                }
            }
        }
        m.bias = bias.ok_or("offensive.tsv: no `bias` line")?;
        m.warn = warn.ok_or("offensive.tsv: no `warn` line")?;
        m.block = block.ok_or("offensive.tsv: no `block` line")?;
        m.groups = groups
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| fold::fold_str(l).chars().collect::<Vec<char>>())
            .filter(|g| !g.is_empty())
            .collect();
        m.group_firsts = m.groups.iter().map(|g| g[0]).collect();
        crate::sort::sort_unstable(&mut m.group_firsts);
        m.group_firsts.dedup();
        Ok(m)
    }

    /// Reads a draft.
    pub fn read(&self, text: &str) -> Reading {
        // Each n-gram counts once: a bit per model n-gram.
        let mut seen = vec![0u64; self.weights.len().div_ceil(64)];
        let mut logit = self.bias;
        // The last characters of the current run and where each began.
        let mut run = ['\0'; MAX_N];
        let mut from = [0usize; MAX_N];
        let mut len = 0;
        // The strongest positive pushes, strongest first (the earlier among
        // equals): (weight, start, end) of first occurrences. A handful is
        // enough to find three that do not overlap, without a sort.
        let mut best = [(0f32, 0usize, 0usize); KEEP];
        let mut kept = 0;
        let table = fold::table();
        for (i, c) in text.chars().enumerate() {
            let Some(f) = fold::fold_with(table, c) else {
                len = 0;
                continue;
            };
            run.copy_within(1.., 0);
            from.copy_within(1.., 0);
            run[MAX_N - 1] = f;
            from[MAX_N - 1] = i;
            len = (len + 1).min(MAX_N);
            for n in 1..=len {
                let Some(&(w, at)) = self.weights.get(&key(&run[MAX_N - n..])) else {
                    continue;
                };
                let (word, bit) = (at as usize / 64, 1u64 << (at % 64));
                if seen[word] & bit != 0 {
                    continue;
                }
                seen[word] |= bit;
                logit += w;
                if w > 0.0 {
                    if let Some(p) = (0..KEEP).find(|&p| p >= kept || best[p].0 < w) {
                        best.copy_within(p..KEEP - 1, p + 1);
                        best[p] = (w, from[MAX_N - n], i + 1);
                        kept = (kept + 1).min(KEEP);
                    }
                }
            }
        }
        // Shown to the agent: n-grams of two or three characters that do not
        // overlap (a single character says little), a single character only
        // when nothing longer pushed.
        let mut top: Vec<(usize, usize)> = Vec::new();
        for &(_, s, e) in &best[..kept] {
            if e - s >= 2 && top.len() < 3 && top.iter().all(|t| e <= t.0 || t.1 <= s) {
                top.push((s, e));
            }
        }
        if top.is_empty() {
            top.extend(best[..kept].first().map(|&(_, s, e)| (s, e)));
        }
        Reading { logit, top }
    }

    /// The first group word the draft names, as a char span.
    fn group(&self, text: &str) -> Option<(usize, usize)> {
        let folded = fold::fold(text);
        let chars = &folded.chars;
        (0..chars.len()).find_map(|i| {
            self.group_firsts.binary_search(&chars[i]).ok()?;
            let word = self.groups.iter().find(|g| chars[i..].starts_with(g))?;
            let end = folded.origin[i + word.len() - 1] + 1;
            Some((folded.origin[i], end))
        })
    }

    /// The model's finding on a draft, if it reads as offensive.
    pub fn finding(&self, text: &str, chars: &[char]) -> Option<Finding> {
        let reading = self.read(text);
        let p = reading.probability();
        if p < self.warn || reading.top.is_empty() {
            return None;
        }
        let percent = (p * 100.0 + 0.5) as u32;
        let words: Vec<String> = reading
            .top
            .iter()
            .map(|&(s, e)| format!("「{}」", chars[s..e].iter().collect::<String>()))
            .collect();
        let words = words.concat();
        let mut span = reading
            .top
            .iter()
            .fold((usize::MAX, 0), |(s, e), &t| (s.min(t.0), e.max(t.1)));
        let group = self.group(text);
        let (rule, severity, message) = if let Some(g) = group {
            span = (span.0.min(g.0), span.1.max(g.1));
            let named: String = chars[g.0..g.1].iter().collect();
            (
                "tone/offensive-group",
                Severity::Block,
                format!(
                    "这条回复读起来在贬低一个群体（「{named}」：地域、性别、种族、残障等），\
                     品牌的公开回复不能这样说（模型判断冒犯的可能性 {percent}%）；\
                     分量最重的字词：{words}"
                ),
            )
        } else if p >= self.block {
            (
                "tone/offensive",
                Severity::Block,
                format!(
                    "这条回复读起来在冒犯、轻蔑对方，不能这样发布（模型判断冒犯的可能性 \
                     {percent}%）；分量最重的字词：{words}"
                ),
            )
        } else {
            (
                "tone/offensive",
                Severity::Warn,
                format!(
                    "这条回复读起来可能冒犯、轻蔑对方，请换个尊重对方的说法（模型判断冒犯的\
                     可能性 {percent}%）；分量最重的字词：{words}"
                ),
            )
        };
        Some(Finding::builtin(
            rule, "insult", severity, chars, span, &message, "",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_parses_and_leans_the_right_way() {
        let m = Offensive::shipped();
        assert!(m.weights.len() > 1000);
        assert!(m.warn < m.block);
        let bad = m.read("这些骗子真恶心，滚回去");
        let good = m.read("亲，非常抱歉让您久等了，我们马上为您处理哦");
        assert!(bad.probability() > 0.9, "{bad:?}");
        assert!(good.probability() < 0.3, "{good:?}");
        assert!(!bad.top.is_empty());
    }

    #[test]
    fn the_rust_reading_is_the_training_scripts() {
        // The script writes the log-odds it computed for a few texts; the
        // fold tables and the n-grams must agree with it.
        let text = crate::data::get(MODEL);
        let probes: Vec<(&str, f32)> = text
            .lines()
            .filter_map(|l| {
                let mut parts = l.strip_prefix("# probe\t")?.split('\t');
                Some((parts.next()?, parts.next()?.parse().ok()?))
            })
            .collect();
        assert!(probes.len() >= 3);
        for (probe, want) in probes {
            let got = Offensive::shipped().read(probe).logit;
            assert!((got - want).abs() < 0.02, "{probe}: {got} vs {want}");
        }
    }

    #[test]
    fn thresholds_and_groups_decide_the_severity() {
        let model = "bias\t-2\nwarn\t0.5\nblock\t0.9\n蠢\t0.5\n蠢货\t2\n恶心\t5\n";
        let m = Offensive::from_tsv(model, "# g\n外地人\n——\n").unwrap();
        let f = |t: &str| m.finding(t, &t.chars().collect::<Vec<_>>());
        assert_eq!(f("您好"), None);
        let warn = f("你 蠢货").unwrap();
        assert_eq!(
            (warn.severity, warn.start, warn.end),
            (Severity::Warn, 2, 4)
        );
        assert!(warn.message.contains("蠢货"), "{}", warn.message);
        let block = f("恶心").unwrap();
        assert_eq!(
            (block.severity, block.rule.as_str()),
            (Severity::Block, "tone/offensive")
        );
        let group = f("外地人真蠢貨").unwrap();
        assert_eq!(group.rule, "tone/offensive-group");
        assert_eq!(
            (group.severity, group.start, group.end),
            (Severity::Block, 0, 6)
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let err = |t: &str| Offensive::from_tsv(t, "").unwrap_err();
        assert!(err("bias\t0\nwarn\t.5\nblock\t.9\nabcd\t1\n").contains("offensive.tsv:4"));
        assert!(err("warn\t.5\nblock\t.9\n").contains("bias"));
        assert!(err("bias\t0\nwarn\t2\nblock\t.9\n").contains("offensive.tsv:2"));
        assert!(err("bias\t0\nwarn\t.5\nblock\t.9\n好\t1\n好\t2\n").contains("offensive.tsv:5"));
        assert!(err("bias\tx\n").contains("offensive.tsv:1"));
    }
}
