//! Building a [`Matcher`] from lists: fold every phrase and allow context to
//! a trie key, merge equal keys into one slot with several entries,
//! and add the common words that contain some phrase.

use super::{
    is_raw_hir, trigger_literals_hir, BuildError, Entry, Kind, Matcher, Pattern, Slot, NO_EXACT,
};
use crate::fold::{fold_digit, fold_str};
use crate::lists::PhraseList;
use std::collections::HashMap;

/// Words that contain a listed phrase but are innocent (路口交通 ⊃ 口交): a
/// hit inside one is not a hit, for every list that does not opt out.
pub(crate) fn common_words_text() -> &'static str {
    crate::data::get("lists/common-words.txt")
}

/// The common words, folded, without comments.
pub(crate) fn common_words() -> impl Iterator<Item = String> {
    common_words_text()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(fold_str)
        .filter(|w| !w.is_empty())
}

/// A fast hasher for short strings (FxHash, as in rustc): the standard
/// SipHash costs a third of compiling a 64k-phrase list.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

struct Builder {
    digits: bool,
    keys: Vec<String>,
    slot_of: FastMap<String, u32>,
    /// (slot, entry), flattened by slot at the end.
    entries: Vec<(u32, Entry)>,
    exact: Vec<Box<str>>,
    exact_of: FastMap<String, u32>,
}

impl Builder {
    /// Adds `text` as an entry; `fold_digits` says whether digit forms of it
    /// may match.
    fn add(&mut self, text: &str, kind: Kind, list: usize, rule: usize, fold_digits: bool) {
        let plain = fold_str(text);
        if plain.is_empty() {
            return;
        }
        let key: String = if self.digits {
            plain.chars().map(fold_digit).collect()
        } else {
            plain.clone()
        };
        // With digit folding on for the trie, a key with a digit in it
        // also matches numerals (一 for 1); an entry that does not fold
        // digits must then see the very forms it was written with.
        let exact = if self.digits && !fold_digits && key.chars().any(|c| c.is_ascii_digit()) {
            // The text's digits must be the very forms the phrase has.
            let n = self.exact.len() as u32;
            *self.exact_of.entry(plain.clone()).or_insert_with(|| {
                self.exact.push(plain.into_boxed_str());
                n
            })
        } else {
            NO_EXACT
        };
        let slot = match self.slot_of.get(&key) {
            Some(&s) => s,
            None => {
                let s = self.keys.len() as u32;
                self.slot_of.insert(key.clone(), s);
                self.keys.push(key);
                s
            }
        };
        self.entries.push((
            slot,
            Entry {
                kind,
                list: list as u32,
                rule: rule as u32,
                exact,
            },
        ));
    }
}

pub(super) fn compile(lists: &[PhraseList]) -> Result<Matcher, BuildError> {
    let digits = lists.iter().any(|l| {
        l.rules
            .iter()
            .any(|r| r.fold_digits && !r.phrases.is_empty())
    });
    let mut b = Builder {
        digits,
        keys: Vec::new(),
        slot_of: FastMap::default(),
        entries: Vec::new(),
        exact: Vec::new(),
        exact_of: FastMap::default(),
    };
    let mut patterns = Vec::new();
    let mut max_allow = 0;
    for (li, list) in lists.iter().enumerate() {
        for (ri, rule) in list.rules.iter().enumerate() {
            for p in &rule.phrases {
                b.add(p, Kind::Phrase, li, ri, rule.fold_digits);
            }
            for a in &rule.allow {
                b.add(a, Kind::RuleAllow, li, ri, rule.fold_digits);
                max_allow = max_allow.max(fold_str(a).chars().count());
            }
            for p in &rule.patterns {
                // A pattern that does not parse is skipped (the lint rejects
                // it); its regex is compiled on first use (`Pattern::compiled`).
                let Some(hir) = super::parse_hir(p) else {
                    continue;
                };
                let pi = patterns.len();
                // Literals that fold to something else never occur in
                // folded text: drop them (lint warns about them).
                let raw = is_raw_hir(&hir);
                let triggers: Option<Vec<String>> = (!raw)
                    .then(|| trigger_literals_hir(&hir))
                    .flatten()
                    .map(|ls| ls.into_iter().filter(|l| fold_str(l) == *l).collect());
                for l in triggers.iter().flatten() {
                    b.add(l, Kind::Trigger, li, pi, rule.fold_digits);
                }
                patterns.push(Pattern::new(
                    li as u32,
                    ri as u32,
                    rule.fold_digits,
                    p.clone(),
                    triggers.is_some(),
                    raw,
                ));
            }
        }
        for a in &list.allow {
            b.add(a, Kind::ListAllow, li, 0, false);
            max_allow = max_allow.max(fold_str(a).chars().count());
        }
    }
    // Only the common words that contain a phrase of a list that uses them:
    // the others could never cover a hit and would only cost scan time.
    let mut with_common = vec![false; b.keys.len()];
    for (slot, e) in &b.entries {
        if e.kind == Kind::Phrase && lists[e.list as usize].common_words {
            with_common[*slot as usize] = true;
        }
    }
    let uses_common = with_common.iter().any(|&u| u);
    let phrase_keys = |k: &str| b.slot_of.get(k).is_some_and(|&s| with_common[s as usize]);
    let mut common = Vec::new();
    if uses_common {
        for w in common_words() {
            let key: Vec<char> = if digits {
                w.chars().map(fold_digit).collect()
            } else {
                w.chars().collect()
            };
            let contains_phrase = (0..key.len()).any(|i| {
                (i + 1..=key.len()).any(|j| phrase_keys(&key[i..j].iter().collect::<String>()))
            });
            if contains_phrase {
                common.push(w);
                max_allow = max_allow.max(key.len());
            }
        }
    }
    for w in common {
        b.add(&w, Kind::Common, 0, 0, false);
    }
    from_parts(b, patterns, max_allow, fingerprint(lists))
}

fn from_parts(
    b: Builder,
    patterns: Vec<Pattern>,
    max_allow: usize,
    fingerprint: u64,
) -> Result<Matcher, BuildError> {
    let mut b = b;
    // The maps from keys to slots are done with: free them before the
    // trie is built, the peak of a compile (wasm memory never shrinks).
    b.slot_of = FastMap::default();
    b.exact_of = FastMap::default();
    // Entries grouped by slot, each slot's in the order of the lists: a
    // counting sort (no comparison sort's code in the engine for this).
    let mut slots = Vec::with_capacity(b.keys.len());
    let mut count = vec![0u32; b.keys.len()];
    for (slot, _) in &b.entries {
        count[*slot as usize] += 1;
    }
    let mut next = Vec::with_capacity(b.keys.len());
    let mut first = 0u32;
    for (key, &n) in b.keys.iter().zip(&count) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        slots.push(Slot {
            len: key.chars().count() as u32,
            first,
            count: n,
            latin_start: latin(key.chars().next()),
            latin_end: latin(key.chars().next_back()),
        });
        next.push(first);
        first += n;
    }
    let mut placed: Vec<Option<Entry>> = vec![None; b.entries.len()];
    for (slot, e) in b.entries {
        let at = &mut next[slot as usize];
        placed[*at as usize] = Some(e);
        *at += 1;
    }
    let entries: Vec<Entry> = placed.into_iter().flatten().collect();
    // The trie's node numbers are u32, one per key char at most.
    if b.keys.iter().map(|k| k.len() as u64).sum::<u64>() >= u64::from(u32::MAX) {
        return Err(BuildError(
            "the lists cannot be compiled: too many phrases".to_string(),
        ));
    }
    let keys: Vec<Vec<char>> = b.keys.into_iter().map(|k| k.chars().collect()).collect();
    let trie = kefu_scan::Trie::new(&keys);
    Ok(Matcher {
        trie,
        slots,
        entries,
        exact: b.exact,
        digits: b.digits,
        patterns,
        max_allow,
        fingerprint,
    })
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike the
/// standard library's hasher.
pub(crate) struct Fnv(pub u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    /// A string with its length, so that ("ab", "c") ≠ ("a", "bc").
    pub fn str(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }
}

/// See [`Matcher::fingerprint_of`].
pub(super) fn fingerprint(lists: &[PhraseList]) -> u64 {
    let mut h = Fnv::new();
    h.bytes(&super::serial::FORMAT.to_le_bytes());
    h.bytes(&super::serial::tables_fingerprint().to_le_bytes());
    h.str(common_words_text());
    for l in lists {
        h.str(&l.id);
        h.str(&l.version);
        h.bytes(&[u8::from(l.common_words)]);
        l.allow.iter().for_each(|a| h.str(a));
        h.bytes(&(l.rules.len() as u64).to_le_bytes());
        for r in &l.rules {
            h.str(&r.id);
            h.bytes(&[u8::from(r.fold_digits)]);
            for group in [&r.phrases, &r.patterns, &r.allow] {
                h.bytes(&(group.len() as u64).to_le_bytes());
                group.iter().for_each(|p| h.str(p));
            }
        }
    }
    h.0
}
