//! Common questions: comments that ask the same thing share a cluster id,
//! so that the agent answers once for many.
//!
//! Two ways to be the same question, both from `data/triage/intents.toml`:
//!
//! - **Same intent.** An intent is a few groups of phrases; a comment that
//!   has a phrase of each group has the intent ("退款" + "什么时候" →
//!   退款什么时候到账). This joins different wordings that share no
//!   characters worth counting.
//! - **Near-duplicates.** Each comment becomes the set of its character
//!   shingles (particles dropped); MinHash signatures put similar sets in
//!   the same LSH buckets (16 bands of 2 rows), and candidates in a bucket
//!   are joined when the exact Jaccard similarity of their sets reaches the
//!   threshold. Linear in the number of comments: 5,000 cluster in about a
//!   millisecond, where comparing all pairs took seconds.
//!
//! A comment with a known intent joins its intent's cluster and skips the
//! near-duplicate search (which is the costly half). Joined comments form
//! clusters (union-find). A comment alone gets no
//! cluster (SPEC: `null`); ids are numbered from 0 in order of first member.

use super::data::{self, Entry};
use super::hash::{mix, Prehashed};
use crate::matcher::dictionary::Dictionary;
use std::collections::HashMap;

/// The intents that ship with Kefu.
pub fn default_intents() -> &'static str {
    crate::data::get("data/triage/intents.toml")
}

const BANDS: usize = 16;
const ROWS: usize = 2;
const HASHES: usize = BANDS * ROWS;
/// At most this many intents (their group bits live on the stack).
const MAX_INTENTS: usize = 256;
/// Members of an LSH bucket a newcomer is compared with.
const BUCKET_PEERS: usize = 3;

/// One intent: a label and its phrase groups.
#[derive(Debug, Clone)]
pub struct Intent {
    pub id: String,
    pub label: String,
    groups: usize,
}

/// The compiled intents and near-duplicate settings.
pub struct Clusterer {
    pub intents: Vec<Intent>,
    automaton: Dictionary,
    /// Pattern → (intent, group).
    owner: Vec<(usize, usize)>,
    shingle: usize,
    threshold: f32,
    /// Characters left out of shingles, sorted.
    ignore: Vec<char>,
}

impl Clusterer {
    /// The intents that ship with Kefu.
    pub fn new() -> Clusterer {
        Clusterer::from_toml(default_intents()).expect("the shipped intents parse (tested)")
    }

    /// Intents from the text of `intents.toml`.
    pub fn from_toml(text: &str) -> Result<Clusterer, String> {
        let table = data::parse("intents.toml", text)?;
        let top = Entry::top("intents.toml", &table);
        top.only(&["near_duplicates", "intent"])?;
        let nd = top.table("near_duplicates")?;
        nd.only(&["shingle", "threshold", "ignore"])?;
        let (shingle, threshold) = (nd.usize("shingle")?, nd.f32("threshold")?);
        if shingle == 0 || !(0.0..=1.0).contains(&threshold) {
            return Err(nd.error("needs shingle ≥ 1 and 0 ≤ threshold ≤ 1"));
        }
        let entries = top.tables("intent")?;
        if entries.len() > MAX_INTENTS {
            return Err(top.error(format!("at most {MAX_INTENTS} intents")));
        }
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        let mut intents = Vec::new();
        for (ii, e) in entries.iter().enumerate() {
            e.only(&["id", "label", "all"])?;
            let all = e.string_lists("all")?;
            if all.is_empty() || all.len() > 32 || all.iter().any(Vec::is_empty) {
                return Err(e.error("`all` needs 1 to 32 groups, none empty"));
            }
            for (gi, group) in all.iter().enumerate() {
                for p in group {
                    patterns.push(p.to_lowercase());
                    owner.push((ii, gi));
                }
            }
            intents.push(Intent {
                id: e.str("id")?.to_string(),
                label: e.str("label")?.to_string(),
                groups: all.len(),
            });
        }
        let automaton = Dictionary::new(&patterns, false)
            .map_err(|e| format!("cannot compile the intents: {e}"))?;
        Ok(Clusterer {
            intents,
            automaton,
            owner,
            shingle,
            threshold,
            ignore: {
                let mut ignore: Vec<char> = nd.str("ignore")?.chars().collect();
                crate::sort::sort_unstable(&mut ignore);
                ignore
            },
        })
    }

    /// The first intent of `text` (a normal form), if any.
    pub fn intent(&self, text: &str) -> Option<usize> {
        let mut seen = [0u32; MAX_INTENTS];
        self.automaton.for_each_overlapping(text, |m| {
            let (ii, gi) = self.owner[m.index];
            seen[ii] |= 1 << gi;
        });
        (0..self.intents.len()).find(|&i| seen[i].count_ones() as usize == self.intents[i].groups)
    }

    /// For each text (normal form), its cluster id or `None`, and its
    /// intent. Only texts with `eligible` set take part.
    pub fn clusters(
        &self,
        texts: &[&str],
        eligible: &[bool],
    ) -> (Vec<Option<u32>>, Vec<Option<usize>>) {
        let n = texts.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let mut intents = vec![None; n];
        let mut first_of_intent: HashMap<usize, usize> = HashMap::new();
        // Bucket key → index into `peers`: one allocation for all buckets.
        let eligible_count = eligible.iter().filter(|&&e| e).count();
        let mut buckets: HashMap<u64, u32, Prehashed> =
            HashMap::with_capacity_and_hasher(eligible_count * BANDS, Prehashed);
        let mut peers: Vec<(u8, [u32; BUCKET_PEERS])> = Vec::with_capacity(eligible_count * BANDS);
        let mut compared: Vec<usize> = Vec::new();
        // Every comment's shingle set, one after another in one vector:
        // comment i's is `shingles[spans[i].0..spans[i].1]`.
        let mut shingles: Vec<u64> = Vec::new();
        let mut spans: Vec<(usize, usize)> = vec![(0, 0); n];
        let mut letters: Vec<char> = Vec::new();
        for i in 0..n {
            if !eligible[i] {
                continue;
            }
            intents[i] = self.intent(texts[i]);
            if let Some(ii) = intents[i] {
                let first = *first_of_intent.entry(ii).or_insert(i);
                union(&mut parent, i, first);
                // Its intent already joins it with the others that ask the
                // same; near-duplicate search is for the rest.
                continue;
            }
            let start = shingles.len();
            self.shingles(texts[i], &mut letters, &mut shingles);
            spans[i] = (start, shingles.len());
            if start == shingles.len() {
                continue;
            }
            let sig = minhash(&shingles[start..]);
            compared.clear();
            for band in 0..BANDS {
                let key = mix(band as u64 ^ band_hash(&sig[band * ROWS..(band + 1) * ROWS]));
                let slot = *buckets.entry(key).or_insert_with(|| {
                    peers.push((0, [0; BUCKET_PEERS]));
                    (peers.len() - 1) as u32
                }) as usize;
                let (len, members) = peers[slot];
                for &j in &members[..len as usize] {
                    let j = j as usize;
                    // Each candidate once, and none already joined.
                    if compared.contains(&j) || root(&mut parent, i) == root(&mut parent, j) {
                        continue;
                    }
                    compared.push(j);
                    let (a, b) = (spans[i], spans[j]);
                    if jaccard(&shingles[a.0..a.1], &shingles[b.0..b.1]) >= self.threshold {
                        union(&mut parent, i, j);
                    }
                }
                if (len as usize) < BUCKET_PEERS {
                    peers[slot].1[len as usize] = i as u32;
                    peers[slot].0 += 1;
                }
            }
        }
        let roots: Vec<usize> = (0..n).map(|i| root(&mut parent, i)).collect();
        let mut size = vec![0u32; n];
        for i in (0..n).filter(|&i| eligible[i]) {
            size[roots[i]] += 1;
        }
        let mut ids = vec![u32::MAX; n];
        let mut next = 0;
        let clusters = (0..n)
            .map(|i| {
                if !eligible[i] || size[roots[i]] < 2 {
                    return None;
                }
                if ids[roots[i]] == u32::MAX {
                    ids[roots[i]] = next;
                    next += 1;
                }
                Some(ids[roots[i]])
            })
            .collect();
        (clusters, intents)
    }

    /// Appends the sorted, deduplicated hashes of a text's character
    /// shingles to `out` (`letters` is scratch space, reused).
    fn shingles(&self, text: &str, letters: &mut Vec<char>, out: &mut Vec<u64>) {
        letters.clear();
        letters.extend(
            text.chars()
                .filter(|&c| super::form::is_letter(c) && self.ignore.binary_search(&c).is_err()),
        );
        let start = out.len();
        let k = self.shingle.min(letters.len().max(1));
        for w in letters.windows(k) {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for &c in w {
                h = mix(h ^ c as u64);
            }
            out.push(h);
        }
        let set = &mut out[start..];
        crate::sort::sort_unstable(set);
        let mut kept = 0;
        for i in 0..set.len() {
            if i == 0 || set[i] != set[kept - 1] {
                set[kept] = set[i];
                kept += 1;
            }
        }
        out.truncate(start + kept);
    }
}

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new()
    }
}

/// MinHash signature: for each of `HASHES` permutations, the least image
/// of the set. The shingle hashes are already well mixed, so a permutation
/// can be one odd multiplier and an offset (one multiply, which the
/// compiler vectorises) rather than a full hash per shingle and function.
fn minhash(set: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &h in set {
        for i in 0..HASHES {
            sig[i] = sig[i].min(h.wrapping_mul(MULTIPLIERS[i]).wrapping_add(OFFSETS[i]));
        }
    }
    sig
}

/// Permutation `i` is `h * MULTIPLIERS[i] + OFFSETS[i]`: seed `i`, made
/// odd, and seed `i + 7` (mod `HASHES`).
const MULTIPLIERS: [u64; HASHES] = {
    let mut m = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        m[i] = SEEDS[i] | 1;
        i += 1;
    }
    m
};
const OFFSETS: [u64; HASHES] = {
    let mut o = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        o[i] = SEEDS[(i + 7) % HASHES];
        i += 1;
    }
    o
};

const SEEDS: [u64; HASHES] = {
    let mut s = [0u64; HASHES];
    let mut i = 0;
    let mut x = 0x1234_5678_9abc_def0u64;
    while i < HASHES {
        // xorshift64 at compile time: fixed seeds, repeatable clusters.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s[i] = x;
        i += 1;
    }
    s
};

fn band_hash(rows: &[u64]) -> u64 {
    rows.iter().fold(0, |h, &r| mix(h ^ r))
}

/// Jaccard similarity of two sorted, deduplicated sets.
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f32 / union as f32
    }
}

fn root(p: &mut [usize], mut i: usize) -> usize {
    while p[i] != i {
        p[i] = p[p[i]];
        i = p[i];
    }
    i
}

fn union(p: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (root(p, a), root(p, b));
    if ra != rb {
        // The earlier comment stays the root: ids follow first members.
        p[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_intents_parse() {
        assert!(Clusterer::new().intents.len() > 10);
    }

    #[test]
    fn same_intent_joins_different_wordings() {
        let c = Clusterer::new();
        let texts = [
            "退款什么时候到账?",
            "钱退回来了吗,怎么还没收到",
            "今天天气不错",
            "我的退款多久能到",
        ];
        let (ids, intents) = c.clusters(&texts, &[true; 4]);
        assert_eq!(ids, [Some(0), Some(0), None, Some(0)]);
        assert_eq!(c.intents[intents[0].unwrap()].id, "refund-arrival");
    }

    #[test]
    fn near_duplicates_join_and_singletons_stay_alone() {
        let c = Clusterer::new();
        let texts = [
            "这个杯子能放进洗碗机吗",
            "这个杯子可以放进洗碗机吗?",
            "杯子颜色好看",
        ];
        let (ids, _) = c.clusters(&texts, &[true; 3]);
        assert_eq!(ids, [Some(0), Some(0), None]);
        let (ids, _) = c.clusters(&texts, &[true, false, true]);
        assert_eq!(ids, [None, None, None]);
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }
}
