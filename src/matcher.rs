//! Compiled phrase lists: many phrases found at once in folded text.
//!
//! All phrases of all lists go into one Aho-Corasick automaton over folded
//! text (`crate::fold`), so the time to scan a reply does not grow with the
//! size of the lists. Patterns are Rust regular expressions (linear time: no
//! list can hang the page). Hits are reported at original char offsets.
//!
//! What a list says is `crate::lists`; what a hit means for a reply is
//! `crate::guard`.

use crate::fold::{fold, Folded};
use crate::lists::PhraseList;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

/// A phrase or pattern of a rule found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the list in the slice the matcher was built from.
    pub list: usize,
    /// Index of the rule in its list.
    pub rule: usize,
    /// Char offset of the first original char of the hit.
    pub start: usize,
    /// Char offset one past the last original char of the hit.
    pub end: usize,
}

struct Entry {
    list: usize,
    rule: usize,
    latin_start: bool,
    latin_end: bool,
}

/// All lists, compiled.
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
    patterns: Vec<(usize, usize, Regex)>,
    /// Allow contexts: folded phrase automaton, and per context the list and
    /// (for rule contexts) the rule it covers.
    allow: Option<AhoCorasick>,
    allow_scope: Vec<(usize, Option<usize>)>,
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl Matcher {
    /// Compiles lists that have already passed parsing (`crate::lists`).
    pub fn new(lists: &[PhraseList]) -> Matcher {
        let mut phrases = Vec::new();
        let mut entries = Vec::new();
        let mut patterns = Vec::new();
        let mut allows = Vec::new();
        let mut allow_scope = Vec::new();
        for (li, list) in lists.iter().enumerate() {
            for a in &list.allow {
                allows.push(fold(a).as_string());
                allow_scope.push((li, None));
            }
            for (ri, rule) in list.rules.iter().enumerate() {
                for p in &rule.phrases {
                    let f = fold(p).as_string();
                    if f.is_empty() {
                        continue;
                    }
                    entries.push(Entry {
                        list: li,
                        rule: ri,
                        latin_start: f.chars().next().is_some_and(is_latin),
                        latin_end: f.chars().last().is_some_and(is_latin),
                    });
                    phrases.push(f);
                }
                for p in &rule.patterns {
                    if let Ok(re) = Regex::new(p) {
                        patterns.push((li, ri, re));
                    }
                }
                for a in &rule.allow {
                    allows.push(fold(a).as_string());
                    allow_scope.push((li, Some(ri)));
                }
            }
        }
        let build = |ps: &[String]| {
            (!ps.is_empty()).then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(ps)
                    .expect("phrases are plain strings")
            })
        };
        Matcher {
            automaton: build(&phrases),
            entries,
            patterns,
            allow: build(&allows),
            allow_scope,
        }
    }

    /// Every hit in `text`, in order of start.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let folded = fold(text);
        let original: Vec<char> = text.chars().collect();
        let folded_str = folded.as_string();
        // Byte offset in folded_str → folded char index.
        let byte_to_char = byte_to_char_map(&folded_str);
        let allowed = self.allowed_spans(&folded_str, &byte_to_char, &folded);
        let mut hits = Vec::new();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(&folded_str) {
                let e = &self.entries[m.pattern().as_usize()];
                let fs = byte_to_char[m.start()];
                let fe = byte_to_char[m.end()];
                let start = folded.origin[fs];
                let end = folded.origin[fe - 1] + 1;
                if e.latin_start && start > 0 && is_latin(original[start - 1]) {
                    continue;
                }
                if e.latin_end && end < original.len() && is_latin(original[end]) {
                    continue;
                }
                let hit = Hit {
                    list: e.list,
                    rule: e.rule,
                    start,
                    end,
                };
                if !covered(&allowed, &hit) {
                    hits.push(hit);
                }
            }
        }
        if !self.patterns.is_empty() {
            let char_of_byte = byte_to_char_map(text);
            for (li, ri, re) in &self.patterns {
                for m in re.find_iter(text) {
                    if m.start() == m.end() {
                        continue;
                    }
                    let hit = Hit {
                        list: *li,
                        rule: *ri,
                        start: char_of_byte[m.start()],
                        end: char_of_byte[m.end()],
                    };
                    if !covered(&allowed, &hit) {
                        hits.push(hit);
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.end, h.list, h.rule));
        hits.dedup();
        hits
    }

    fn allowed_spans(
        &self,
        folded_str: &str,
        byte_to_char: &[usize],
        folded: &Folded,
    ) -> Vec<(usize, Option<usize>, usize, usize)> {
        let Some(ac) = &self.allow else {
            return Vec::new();
        };
        ac.find_overlapping_iter(folded_str)
            .map(|m| {
                let (list, rule) = self.allow_scope[m.pattern().as_usize()];
                let fs = byte_to_char[m.start()];
                let fe = byte_to_char[m.end()];
                (list, rule, folded.origin[fs], folded.origin[fe - 1] + 1)
            })
            .collect()
    }
}

fn covered(allowed: &[(usize, Option<usize>, usize, usize)], hit: &Hit) -> bool {
    allowed.iter().any(|&(list, rule, s, e)| {
        list == hit.list && rule.is_none_or(|r| r == hit.rule) && s <= hit.start && hit.end <= e
    })
}

/// For each byte offset of `s` that starts a char (and `s.len()`), the char
/// index; other offsets hold the index of the char they fall in.
fn byte_to_char_map(s: &str) -> Vec<usize> {
    let mut map = vec![0; s.len() + 1];
    let mut ci = 0;
    for (bi, c) in s.char_indices() {
        for slot in &mut map[bi..bi + c.len_utf8()] {
            *slot = ci;
        }
        ci += 1;
    }
    map[s.len()] = ci;
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::parse;

    fn matcher(toml: &str) -> Matcher {
        let p = parse("t.toml", toml.as_bytes());
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        Matcher::new(&[p.list.unwrap()])
    }

    const LIST: &str = r#"
[list]
id = "t"
version = "1"
allow = ["路口交通"]
[[rule]]
id = "r"
label = "insult"
severity = "block"
message = "m"
phrases = ["蠢驴", "sb", "口交", "第一"]
allow = ["第一时间"]
"#;

    #[test]
    fn evasions_hit_at_original_offsets() {
        let m = matcher(LIST);
        let h = m.find("你这蠢 * 驴");
        assert_eq!((h[0].start, h[0].end), (2, 7));
        assert_eq!(m.find("你是ＳＢ").len(), 1);
        assert_eq!(m.find("你是s.b吧").len(), 1);
    }

    #[test]
    fn latin_needs_boundaries_and_allow_contexts_cover() {
        let m = matcher(LIST);
        assert!(m.find("asbestos").is_empty());
        assert!(m.find("前方路口交通拥堵").is_empty());
        assert!(m.find("我们第一时间处理").is_empty());
        assert_eq!(m.find("全网第一").len(), 1);
    }
}
