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
/// At most this many intents (their group bits live on the stack; an
/// index keeps a comment's intent in a byte, 255 for none).
const MAX_INTENTS: usize = 255;
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
        let mut index = self.index();
        for (text, &e) in texts.iter().zip(eligible) {
            index.push(e.then_some(*text));
        }
        let clusters = index.finish();
        (0..texts.len())
            .map(|i| (clusters.cluster(i), clusters.intent(i)))
            .unzip()
    }

    /// An empty index: comments are pushed one at a time, in order, and
    /// [`Index::finish`] numbers the clusters.
    pub fn index(&self) -> Index<'_> {
        Index {
            clusterer: self,
            parent: Vec::new(),
            intents: Vec::new(),
            first_of_intent: HashMap::new(),
            buckets: HashMap::with_hasher(Prehashed),
            chunks: Vec::new(),
            kept: Vec::new(),
            letters: Vec::new(),
            hashes: Vec::new(),
            set: Vec::new(),
            compared: Vec::new(),
        }
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

/// No intent, in [`Index`]'s compact per-comment arrays.
const NO_INTENT: u8 = u8::MAX;
/// Not eligible, in [`Index::parent`].
const NOT_ELIGIBLE: u32 = u32::MAX;
/// No kept shingle set, in [`Index::kept`].
const NOT_KEPT: (u32, u32) = (u32::MAX, u32::MAX);
/// An empty place in a bucket.
const EMPTY: u32 = u32::MAX;
/// Kept shingle sets are stored in chunks of this many hashes (a larger set
/// gets a chunk of its own): no reallocation doubles the store.
const CHUNK: usize = 1 << 16;

/// Clustering as a stream: comments are pushed in order and only a compact
/// index of them is kept, never their text. Per comment: its union-find
/// parent, its intent and where its shingle set is (13 bytes); per LSH
/// bucket, its first [`BUCKET_PEERS`] members (about 21 bytes). A
/// comment's shingle set is kept only while it sits in some bucket (only
/// bucket members are ever compared with a newcomer), as the high 32 bits
/// of each hash (4 bytes a character). So a question asked again and again
/// costs its 13 bytes, and a new one its shingles and up to `BANDS`
/// buckets (about 0.4 KB).
///
/// The clusters are those [`Clusterer::clusters`] gives for the same
/// comments (it is this index). Against the full 64-bit sets, the kept
/// 32-bit ones change a Jaccard similarity only when two shingles of the
/// pair agree in their high 32 bits (about one pair of comments in 10^7).
pub struct Index<'c> {
    clusterer: &'c Clusterer,
    /// Union-find parents ([`NOT_ELIGIBLE`] for a comment that takes no
    /// part); a root is its cluster's first member.
    parent: Vec<u32>,
    intents: Vec<u8>,
    first_of_intent: HashMap<usize, u32>,
    /// Bucket key → its first members ([`EMPTY`] where there is none yet).
    buckets: HashMap<u64, [u32; BUCKET_PEERS], Prehashed>,
    /// Kept shingle sets (sorted, deduplicated, high 32 bits), each
    /// preceded by its length, in chunks.
    chunks: Vec<Vec<u32>>,
    /// Per comment, (chunk, offset) of its kept set, or [`NOT_KEPT`].
    kept: Vec<(u32, u32)>,
    /// Scratch space, reused.
    letters: Vec<char>,
    hashes: Vec<u64>,
    set: Vec<u32>,
    compared: Vec<u32>,
}

impl Index<'_> {
    /// Adds the next comment: `Some(text)` (its normal form) if it takes
    /// part in clustering, `None` if not.
    pub fn push(&mut self, text: Option<&str>) {
        let i = self.parent.len() as u32;
        self.kept.push(NOT_KEPT);
        let Some(text) = text else {
            self.parent.push(NOT_ELIGIBLE);
            self.intents.push(NO_INTENT);
            return;
        };
        self.parent.push(i);
        let intent = self.clusterer.intent(text);
        self.intents.push(intent.map_or(NO_INTENT, |ii| ii as u8));
        if let Some(ii) = intent {
            let first = *self.first_of_intent.entry(ii).or_insert(i);
            union(&mut self.parent, i, first);
            // Its intent already joins it with the others that ask the
            // same; near-duplicate search is for the rest.
            return;
        }
        self.hashes.clear();
        self.clusterer
            .shingles(text, &mut self.letters, &mut self.hashes);
        if self.hashes.is_empty() {
            return;
        }
        let sig = minhash(&self.hashes);
        self.set.clear();
        self.set
            .extend(self.hashes.iter().map(|h| (h >> 32) as u32));
        crate::sort::sort_unstable(&mut self.set);
        self.set.dedup();
        self.compared.clear();
        let mut kept = false;
        for band in 0..BANDS {
            let key = mix(band as u64 ^ band_hash(&sig[band * ROWS..(band + 1) * ROWS]));
            let members = self.buckets.entry(key).or_insert([EMPTY; BUCKET_PEERS]);
            let mut free = None;
            for (slot, &j) in members.iter().enumerate() {
                if j == EMPTY {
                    free = Some(slot);
                    break;
                }
                // Each candidate once, and none already joined.
                if self.compared.contains(&j)
                    || root(&mut self.parent, i) == root(&mut self.parent, j)
                {
                    continue;
                }
                self.compared.push(j);
                let theirs = kept_set(&self.chunks, &self.kept, j);
                if jaccard(&self.set, theirs) >= self.clusterer.threshold {
                    union(&mut self.parent, i, j);
                }
            }
            if let Some(slot) = free {
                members[slot] = i;
                kept = true;
            }
        }
        if kept {
            let need = self.set.len() + 1;
            if self
                .chunks
                .last()
                .is_none_or(|c| c.capacity() - c.len() < need)
            {
                self.chunks.push(Vec::with_capacity(CHUNK.max(need)));
            }
            let chunk = self.chunks.len() - 1;
            let store = &mut self.chunks[chunk];
            self.kept[i as usize] = (chunk as u32, store.len() as u32);
            store.push(self.set.len() as u32);
            store.extend_from_slice(&self.set);
        }
    }
    /// The clusters, numbered from 0 in order of first member.
    pub fn finish(self) -> Clusters {
        let mut parent = self.parent;
        let n = parent.len();
        // Roots are first members (`union` keeps the earlier), so one pass
        // in order sizes every cluster before any member past its first is
        // numbered: count first, then number.
        let mut size = vec![0u32; n];
        for i in 0..n {
            if parent[i] != NOT_ELIGIBLE {
                let r = root(&mut parent, i as u32);
                parent[i] = r;
                size[r as usize] += 1;
            }
        }
        let mut ids = size;
        let mut next = 0;
        for i in 0..n {
            if parent[i] == NOT_ELIGIBLE {
                ids[i] = NO_CLUSTER;
                continue;
            }
            let r = parent[i] as usize; // set to the root above
            if r == i {
                // A root: its size becomes its id, or none when alone.
                ids[i] = if ids[i] < 2 {
                    NO_CLUSTER
                } else {
                    next += 1;
                    next - 1
                };
            } else {
                ids[i] = ids[r];
            }
        }
        Clusters {
            ids,
            intents: self.intents,
        }
    }
}

/// The kept shingle set of comment `j` (a bucket member: it has one).
fn kept_set<'s>(chunks: &'s [Vec<u32>], kept: &[(u32, u32)], j: u32) -> &'s [u32] {
    let (chunk, offset) = kept[j as usize];
    let store = &chunks[chunk as usize];
    let len = store[offset as usize] as usize;
    &store[offset as usize + 1..offset as usize + 1 + len]
}

/// No cluster, in [`Clusters`].
const NO_CLUSTER: u32 = u32::MAX;

/// The clusters of the comments pushed into an [`Index`], by position.
pub struct Clusters {
    ids: Vec<u32>,
    intents: Vec<u8>,
}

impl Clusters {
    /// Comment `i`'s cluster id, `None` when it shares its question with no
    /// other (or takes no part).
    pub fn cluster(&self, i: usize) -> Option<u32> {
        Some(self.ids[i]).filter(|&c| c != NO_CLUSTER)
    }

    /// Comment `i`'s intent (an index into [`Clusterer::intents`]).
    pub fn intent(&self, i: usize) -> Option<usize> {
        Some(self.intents[i])
            .filter(|&ii| ii != NO_INTENT)
            .map(usize::from)
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
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
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

fn root(p: &mut [u32], mut i: u32) -> u32 {
    while p[i as usize] != i {
        p[i as usize] = p[p[i as usize] as usize];
        i = p[i as usize];
    }
    i
}

fn union(p: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (root(p, a), root(p, b));
    if ra != rb {
        // The earlier comment stays the root: ids follow first members.
        p[ra.max(rb) as usize] = ra.min(rb);
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
