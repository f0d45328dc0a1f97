//! Plain strings found at once, for the lexicons that are not phrase lists
//! (triage cues and intents, the segmenter's words): the same daachorse
//! automaton as the matcher, so the engine carries one Aho-Corasick
//! implementation. No folding here: callers match their own normal form.
//!
//! daachorse refuses duplicate and empty patterns; lexicons have both (a
//! word under two roles), so each distinct string keeps the list of the
//! input indices it stands for, and a match yields one hit per index.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

/// A compiled set of strings.
pub struct Dictionary {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
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
    /// Compiles `strings` for overlapping search (every occurrence) or, with
    /// `longest`, for leftmost-longest search. Empty strings never match.
    pub fn new<S: AsRef<str>>(strings: &[S], longest: bool) -> Result<Dictionary, String> {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (i, s) in strings.iter().enumerate() {
            let s = s.as_ref();
            if s.is_empty() {
                continue;
            }
            let id = *ids.entry(s).or_insert_with(|| {
                owners.push(Vec::new());
                (owners.len() - 1) as u32
            });
            owners[id as usize].push(i);
        }
        let automaton = if ids.is_empty() {
            None
        } else {
            let kind = if longest {
                MatchKind::LeftmostLongest
            } else {
                MatchKind::Standard
            };
            let built = CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(kind)
                .build_with_values(ids.iter().map(|(s, &id)| (*s, id)))
                .map_err(|e| e.to_string())?;
            Some(built)
        };
        Ok(Dictionary { automaton, owners })
    }

    fn expand(&self, start: usize, end: usize, id: u32) -> impl Iterator<Item = DictMatch> + '_ {
        self.owners[id as usize]
            .iter()
            .map(move |&index| DictMatch { start, end, index })
    }

    /// Every occurrence, overlapping (a dictionary built without `longest`),
    /// handed to `f` as found. The walk is `kefu_scan`'s, built for speed.
    pub fn for_each_overlapping(&self, text: &str, mut f: impl FnMut(DictMatch)) {
        if let Some(a) = &self.automaton {
            kefu_scan::overlapping(a, text, &mut |start, end, id| {
                for &index in &self.owners[id as usize] {
                    f(DictMatch { start, end, index });
                }
            });
        }
    }

    /// Leftmost-longest occurrences (a dictionary built with `longest`).
    pub fn leftmost_longest<'a>(&'a self, text: &'a str) -> impl Iterator<Item = DictMatch> + 'a {
        self.automaton
            .iter()
            .flat_map(move |a| a.leftmost_find_iter(text))
            .flat_map(move |m| self.expand(m.start(), m.end(), m.value()))
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
