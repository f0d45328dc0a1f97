//! Building a [`Matcher`] from lists: fold every phrase and allow context to
//! an automaton key, merge equal keys into one slot with several entries,
//! and add the common words that contain some phrase.

use super::{compile_pattern, BuildError, Entry, Kind, Matcher, Pattern, Slot, NO_EXACT};
use crate::fold::{fold_digit, fold_str};
use crate::lists::PhraseList;
use daachorse::{CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// Words that contain a listed phrase but are innocent (路口交通 ⊃ 口交): a
/// hit inside one is not a hit, for every list that does not opt out.
pub(crate) const COMMON_WORDS: &str = include_str!("../../lists/common-words.txt");

/// The common words, folded, without comments.
pub(crate) fn common_words() -> impl Iterator<Item = String> {
    COMMON_WORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(fold_str)
        .filter(|w| !w.is_empty())
}

struct Builder {
    digits: bool,
    keys: Vec<String>,
    slot_of: HashMap<String, u32>,
    /// Entries per slot, before flattening.
    per_slot: Vec<Vec<Entry>>,
    exact: Vec<Box<str>>,
    exact_of: HashMap<String, u32>,
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
        // With digit folding on for the automaton, a key with a digit in it
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
                self.per_slot.push(Vec::new());
                s
            }
        };
        self.per_slot[slot as usize].push(Entry {
            kind,
            list: list as u32,
            rule: rule as u32,
            exact,
        });
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
        slot_of: HashMap::new(),
        per_slot: Vec::new(),
        exact: Vec::new(),
        exact_of: HashMap::new(),
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
                if let Ok(regex) = compile_pattern(p) {
                    patterns.push(Pattern {
                        list: li as u32,
                        rule: ri as u32,
                        fold_digits: rule.fold_digits,
                        source: p.clone(),
                        regex,
                    });
                }
            }
        }
        for a in &list.allow {
            b.add(a, Kind::ListAllow, li, 0, false);
            max_allow = max_allow.max(fold_str(a).chars().count());
        }
    }
    // Only the common words that contain a phrase of a list that uses them:
    // the others could never cover a hit and would only cost scan time.
    let phrase_keys: std::collections::HashSet<String> = b
        .keys
        .iter()
        .zip(&b.per_slot)
        .filter(|(_, es)| {
            es.iter()
                .any(|e| e.kind == Kind::Phrase && lists[e.list as usize].common_words)
        })
        .map(|(k, _)| k.clone())
        .collect();
    if !phrase_keys.is_empty() {
        for w in common_words() {
            let key: Vec<char> = if digits {
                w.chars().map(fold_digit).collect()
            } else {
                w.chars().collect()
            };
            let contains_phrase = (0..key.len()).any(|i| {
                (i + 1..=key.len())
                    .any(|j| phrase_keys.contains(&key[i..j].iter().collect::<String>()))
            });
            if contains_phrase {
                b.add(&w, Kind::Common, 0, 0, false);
                max_allow = max_allow.max(key.len());
            }
        }
    }
    from_parts(b, patterns, max_allow, fingerprint(lists))
}

fn from_parts(
    b: Builder,
    patterns: Vec<Pattern>,
    max_allow: usize,
    fingerprint: u64,
) -> Result<Matcher, BuildError> {
    let mut slots = Vec::with_capacity(b.keys.len());
    let mut entries = Vec::new();
    for (key, es) in b.keys.iter().zip(b.per_slot) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        slots.push(Slot {
            len: key.chars().count() as u32,
            first: entries.len() as u32,
            count: es.len() as u32,
            latin_start: latin(key.chars().next()),
            latin_end: latin(key.chars().next_back()),
        });
        entries.extend(es);
    }
    let automaton = if b.keys.is_empty() {
        None
    } else {
        // The stepper we scan with does not use daachorse's prefilter:
        // leave it out and save its 64 KiB.
        Some(
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .use_prefilter(false)
                .build_with_values(b.keys.iter().zip(0u32..).map(|(k, v)| (k.as_str(), v)))
                .map_err(|e| BuildError(format!("the lists cannot be compiled: {e}")))?,
        )
    };
    Ok(Matcher {
        automaton,
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
    h.str(COMMON_WORDS);
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
