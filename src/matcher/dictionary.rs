//! Plain strings found at once, for the lexicons that are not phrase lists
//! (triage cues and intents, the segmenter's words): the same trie as the
//! matcher (`kefu_scan::Trie`), so the engine carries one multi-string
//! search. No folding here: callers match their own normal form.
//!
//! Lexicons have duplicate and empty strings (a word under two roles), so
//! each distinct string keeps the list of the input indices it stands for,
//! and a match yields one hit per index.

use kefu_scan::Trie;
use std::collections::HashMap;

/// A compiled set of strings.
pub struct Dictionary {
    trie: Trie,
    /// For each distinct string, the indices it had in the input.
    owners: Vec<Vec<usize>>,
}

/// One occurrence: byte offsets into the text, and the input index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictMatch {
    pub start: usize,
    pub end: usize,
    pub index: usize,
}

impl Dictionary {
    /// Compiles `strings`. Empty strings, and strings with a NUL character
    /// in them, never match. (`longest` is kept for the callers' sake: a
    /// dictionary answers both kinds of search.)
    pub fn new<S: AsRef<str>>(strings: &[S], longest: bool) -> Result<Dictionary, String> {
        let _ = longest;
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut keys: Vec<Vec<char>> = Vec::new();
        for (i, s) in strings.iter().enumerate() {
            let s = s.as_ref();
            if s.is_empty() || s.contains('\0') {
                continue;
            }
            let id = *ids.entry(s).or_insert_with(|| {
                owners.push(Vec::new());
                keys.push(s.chars().collect());
                (owners.len() - 1) as u32
            });
            owners[id as usize].push(i);
        }
        Ok(Dictionary {
            trie: Trie::new(&keys),
            owners,
        })
    }

    /// Every occurrence of a distinct string, in order of start and then
    /// end: `f(start, end, id)` in bytes.
    fn each(&self, text: &str, f: &mut dyn FnMut(usize, usize, u32)) {
        if self.trie.is_empty() {
            return;
        }
        self.trie
            .find_str(text, &mut |id, s, e| f(s as usize, e as usize, id));
    }

    /// Every occurrence, overlapping, handed to `f` as found (by start).
    pub fn for_each_overlapping(&self, text: &str, mut f: impl FnMut(DictMatch)) {
        self.each(text, &mut |start, end, id| {
            for &index in &self.owners[id as usize] {
                f(DictMatch { start, end, index });
            }
        });
    }

    /// Leftmost-longest occurrences: from the left, the longest string that
    /// begins at the first place one does, then on after its end.
    pub fn leftmost_longest(&self, text: &str) -> impl Iterator<Item = DictMatch> + '_ {
        // The longest occurrence at each start (they come by start, then
        // end: the last one at a start is the longest)…
        let mut longest: Vec<(usize, usize, u32)> = Vec::new();
        self.each(text, &mut |start, end, id| match longest.last_mut() {
            Some(last) if last.0 == start => *last = (start, end, id),
            _ => longest.push((start, end, id)),
        });
        // …then from the left, each one that begins after the last kept.
        let mut kept: Vec<(usize, usize, u32)> = Vec::with_capacity(longest.len());
        for l in longest {
            if kept.last().is_none_or(|k| l.0 >= k.1) {
                kept.push(l);
            }
        }
        kept.into_iter().flat_map(move |(start, end, id)| {
            self.owners[id as usize]
                .iter()
                .map(move |&index| DictMatch { start, end, index })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_empty_strings_are_fine() {
        let d = Dictionary::new(&["退款", "", "退款", "款"], false).unwrap();
        let mut got: Vec<(usize, usize, usize)> = Vec::new();
        d.for_each_overlapping("要退款", |m| got.push((m.start, m.end, m.index)));
        got.sort_unstable();
        assert_eq!(got, vec![(3, 9, 0), (3, 9, 2), (6, 9, 3)]);
    }

    #[test]
    fn leftmost_longest_prefers_the_longer_word() {
        let d = Dictionary::new(&["客服", "客服电话", "电话"], true).unwrap();
        let got: Vec<usize> = d.leftmost_longest("打客服电话").map(|m| m.index).collect();
        assert_eq!(got, vec![1]);
    }
}
