//! Compiled phrase lists: many phrases found at once in folded text.
//!
//! Every phrase of every list, every allow context and the common-word
//! dictionary (`lists/common-words.txt`) go into one trie over folded text
//! (`crate::fold`), entered through a bitmap of the keys' first two
//! characters (`kefu_scan::Trie`): the time to scan a reply grows with the
//! text and the longest phrase, not with the number of phrases. The text is
//! folded once into an array, then searched. Patterns are Rust regular
//! expressions, run on the folded text (linear time: no list can hang the
//! page). Hits are reported at original char offsets, spanning any
//! separators inserted inside the phrase.
//!
//! Why not an Aho-Corasick automaton (daachorse, `aho-corasick`; measured
//! side by side in `benches/lists.rs`, numbers in BENCHMARKS.md): on a
//! large list nearly every Chinese character begins some phrase, so an
//! automaton pays failure transitions at most characters, while only one
//! position in ten begins a phrase's first two characters; the trie scans
//! the 64k-phrase benchmark several times faster, builds faster in less
//! memory, and its three flat arrays serialize and load back with a cheap
//! validation ([`Matcher::to_bytes`] / [`Matcher::from_bytes`], `serial`),
//! so an extension restarts without recompiling.
//!
//! Rules for a hit (SPEC "Phrase lists"):
//! - a phrase that begins (ends) with a Latin letter or digit hits only where
//!   the original character before (after) it is not one (no `ass` in
//!   "assistant");
//! - a hit inside an occurrence of an allow context of its rule or list, or
//!   (unless the list says `common_words = false`) of a common word, is not a
//!   hit;
//! - with `fold_digits`, Chinese numerals match digits (`crate::fold::
//!   fold_digit`); without it they do not (一条狗 is not 1条狗);
//! - overlapping hits of the same rule are merged into one.
//!
//! What a list says is `crate::lists`; what a hit means for a reply is
//! `crate::guard`.

mod compile;
mod perl;
mod serial;

pub use serial::LoadError;

#[cfg(feature = "authoring")]
pub(crate) use compile::FastMap;

pub mod dictionary;

use crate::fold::{fold_digit, table};
use crate::lists::PhraseList;
use kefu_scan::Trie;
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

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

/// Why lists could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BuildError(String);

/// All lists, compiled.
pub struct Matcher {
    /// Every key (folded phrase, allow context, common word, trigger);
    /// a key's value is its slot.
    trie: Trie,
    /// Per key: its length and the entries it stands for.
    slots: Vec<Slot>,
    entries: Vec<Entry>,
    /// Plain folded forms for entries that must match exactly (see
    /// [`Entry::exact`]).
    exact: Vec<Box<str>>,
    /// Whether the trie runs on digit-folded text (some rule has
    /// `fold_digits`).
    digits: bool,
    patterns: Vec<Pattern>,
    /// Longest allow context or common word, in folded chars.
    max_allow: usize,
    /// Which lists (and fold tables) this was built from.
    fingerprint: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// Length of the key in chars.
    len: u32,
    /// `entries[first..first + count]`.
    first: u32,
    count: u32,
    latin_start: bool,
    latin_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Phrase,
    RuleAllow,
    ListAllow,
    Common,
    /// A literal that every match of a pattern starts with: the pattern
    /// (index in `rule`) is tried only where one occurs.
    Trigger,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    kind: Kind,
    list: u32,
    rule: u32,
    /// When the trie runs on digit-folded text but this entry does not
    /// fold digits, the index in `exact` of the plain folded form the text
    /// must equal (`NO_EXACT` when there is no digit in it to confuse).
    exact: u32,
}

const NO_EXACT: u32 = u32::MAX;

struct Pattern {
    list: u32,
    rule: u32,
    fold_digits: bool,
    source: String,
    /// Whether the pattern has trigger literals in the trie; then
    /// `regex` is anchored (`^(?:…)`) and run only at triggers, else it
    /// scans the whole text.
    triggered: bool,
    /// Whether the pattern runs on the original text: it has literal
    /// characters that folding drops (an emoticon's brackets, quotes).
    raw: bool,
    /// For a raw pattern, the literals every match starts with (`[` of an
    /// emoticon, each emoji of a class), if few enough to list: then
    /// `regex` is anchored and tried only where one occurs, instead of
    /// scanning the whole text (which, with this build's regex features,
    /// costs several µs per pattern per reply).
    needles: Vec<String>,
    /// The first characters of `needles`, sorted and without repeats.
    firsts: Vec<char>,
    /// For a pattern that scans the whole text (neither triggered nor with
    /// needles): literals every match starts with, when they can be
    /// listed. A text with none of them is not scanned: without regex's
    /// literal optimisations (left out of the wasm for size), a scan tries
    /// the pattern at every position, a few µs a pattern a reply.
    prefilter: Vec<String>,
    /// The first characters of `prefilter`, sorted and without repeats.
    prefilter_firsts: Vec<char>,
    /// Compiled on first use (see [`Pattern::compiled`]).
    lazy: std::sync::OnceLock<Option<Compiled>>,
}

/// A pattern's regex, and what was read from its syntax with it.
struct Compiled {
    regex: Regex,
    /// For a triggered pattern without anchors or word boundaries: the
    /// longest match in bytes. It then runs on that much text after its
    /// trigger, not on the rest of the text: the bounded backtracker's
    /// cost grows with the text it is given, even when the match is short.
    window: Option<usize>,
    /// With a window: literals every match ends with, when they can be
    /// listed. A window that holds none of them cannot hold a match, and
    /// the regex is not run there (您 and 你 trigger many patterns; few
    /// windows after them end as any pattern does).
    suffixes: Vec<String>,
    /// The last characters of `suffixes`, sorted and without repeats.
    suffix_lasts: Vec<char>,
}

impl Compiled {
    /// Whether `window` may hold a match: false when it holds none of the
    /// suffixes (looked for where their last character occurs).
    fn may_end_in(&self, window: &str) -> bool {
        self.suffixes.is_empty()
            || window.char_indices().any(|(b, c)| {
                self.suffix_lasts.binary_search(&c).is_ok() && {
                    let upto = &window[..b + c.len_utf8()];
                    self.suffixes.iter().any(|s| upto.ends_with(s.as_str()))
                }
            })
    }
}

impl Pattern {
    fn new(
        list: u32,
        rule: u32,
        fold_digits: bool,
        source: String,
        triggered: bool,
        raw: bool,
    ) -> Pattern {
        let needles = if raw {
            raw_needles(&source)
        } else {
            Vec::new()
        };
        let prefilter = if triggered || !needles.is_empty() {
            Vec::new()
        } else {
            prefix_literals(&source).unwrap_or_default()
        };
        Pattern {
            list,
            rule,
            fold_digits,
            source,
            triggered,
            raw,
            firsts: first_chars(&needles),
            needles,
            prefilter_firsts: first_chars(&prefilter),
            prefilter,
            lazy: std::sync::OnceLock::new(),
        }
    }

    /// Whether a scan of `hay` may find a match: false when the pattern
    /// has prefilter literals and none occurs in it.
    fn may_match(&self, hay: &str) -> bool {
        self.prefilter.is_empty()
            || hay.char_indices().any(|(b, c)| {
                self.prefilter_firsts.binary_search(&c).is_ok()
                    && self
                        .prefilter
                        .iter()
                        .any(|l| hay[b..].starts_with(l.as_str()))
            })
    }

    /// The regex, compiled the first time the pattern may match: a compile
    /// costs a few hundred microseconds (regex's Thompson compiler sets up
    /// a UTF-8 map for every class, and `(蠢|笨)` is a class), most of a
    /// list's build time, and most patterns of a list never meet a trigger
    /// in a given session. None if it does not compile (a list that lints
    /// has no such pattern; a pattern too large once compiled never hits).
    fn compiled(&self) -> Option<&Compiled> {
        self.lazy
            .get_or_init(|| {
                let anchored = self.triggered || !self.needles.is_empty();
                let regex = if anchored {
                    compile_anchored(&self.source)
                } else {
                    compile_pattern(&self.source)
                };
                let window = if self.triggered {
                    window_of(&self.source)
                } else {
                    None
                };
                let suffixes = match window {
                    Some(_) => literals(&self.source, ExtractKind::Suffix).unwrap_or_default(),
                    None => Vec::new(),
                };
                let mut suffix_lasts: Vec<char> =
                    suffixes.iter().filter_map(|s| s.chars().last()).collect();
                crate::sort::sort_unstable(&mut suffix_lasts);
                suffix_lasts.dedup();
                regex.ok().map(|regex| Compiled {
                    regex,
                    window,
                    suffixes,
                    suffix_lasts,
                })
            })
            .as_ref()
    }
}

/// The longest match of a pattern in bytes, if it has no look-around
/// (`^`, `$`, `\b`), whose meaning would change on a cut text.
pub(crate) fn window_of(pattern: &str) -> Option<usize> {
    let hir = parse_hir(pattern)?;
    if !hir.properties().look_set().is_empty() {
        return None;
    }
    hir.properties().maximum_len()
}

/// Literals every match of `pattern` starts with (regex-syntax's prefix
/// extraction, classes of up to 64 characters listed), if finitely many
/// and none empty; for a prefilter, so a pattern's length does not matter.
pub(crate) fn prefix_literals(pattern: &str) -> Option<Vec<String>> {
    literals(pattern, ExtractKind::Prefix)
}

/// Literals every match of `pattern` starts (`Prefix`) or ends (`Suffix`)
/// with, classes of up to 64 characters listed, if finitely many and none
/// empty.
fn literals(pattern: &str, kind: ExtractKind) -> Option<Vec<String>> {
    let hir = parse_hir(pattern)?;
    strings(&Extractor::new().kind(kind).limit_class(64).extract(&hir))
}

/// An extracted literal sequence as strings: None when it is infinite,
/// empty, or has an empty or non-UTF-8 literal.
fn strings(seq: &regex_syntax::hir::literal::Seq) -> Option<Vec<String>> {
    let lits = seq.literals()?;
    if lits.is_empty() {
        return None;
    }
    lits.iter()
        .map(|l| {
            std::str::from_utf8(l.as_bytes())
                .ok()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .collect()
}

/// The first characters of needles, sorted and without repeats.
pub(crate) fn first_chars(needles: &[String]) -> Vec<char> {
    let mut f: Vec<char> = needles.iter().filter_map(|n| n.chars().next()).collect();
    crate::sort::sort_unstable(&mut f);
    f.dedup();
    f
}

/// The needles of a raw pattern (see `Pattern::needles`); empty if it has
/// none to list.
pub(crate) fn raw_needles(pattern: &str) -> Vec<String> {
    trigger_literals(pattern).unwrap_or_default()
}

/// Whether a pattern must run on the original text rather than the folded
/// one: some literal character of it is one that folding drops as a
/// separator (`\[心\]`, `“宝贵”`), so folded text could never match it.
pub(crate) fn is_raw(pattern: &str) -> bool {
    parse_hir(pattern).is_some_and(|h| is_raw_hir(&h))
}

/// [`is_raw`] of a parsed pattern.
pub(crate) fn is_raw_hir(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    fn walk(h: &Hir) -> bool {
        match h.kind() {
            HirKind::Literal(lit) => std::str::from_utf8(&lit.0)
                .map(|s| s.chars().any(|c| crate::fold::fold_char(c).is_none()))
                .unwrap_or(false),
            // A class of separators only (`[“"「]`) never matches folded text.
            HirKind::Class(regex_syntax::hir::Class::Unicode(cls)) => {
                let mut all = cls.ranges().iter().flat_map(|r| r.start()..=r.end());
                cls.ranges().iter().map(|r| r.len()).sum::<usize>() <= 64
                    && all.all(|c| crate::fold::fold_char(c).is_none())
            }
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(walk),
            HirKind::Repetition(r) => walk(&r.sub),
            HirKind::Capture(c) => walk(&c.sub),
            _ => false,
        }
    }
    walk(hir)
}

/// The longest match (in UTF-8 bytes) of a pattern that is run from its
/// trigger literals; longer ones scan the whole text once.
const MAX_TRIGGERED_LEN: usize = 256;

/// The literals every match of `pattern` starts with, if there are few
/// enough to list (regex-syntax's prefix extraction), none is empty, and
/// the pattern's matches are short (`MAX_TRIGGERED_LEN`).
pub(crate) fn trigger_literals(pattern: &str) -> Option<Vec<String>> {
    trigger_literals_hir(&parse_hir(pattern)?)
}

/// [`trigger_literals`] of a parsed pattern.
pub(crate) fn trigger_literals_hir(hir: &regex_syntax::hir::Hir) -> Option<Vec<String>> {
    // Run from every trigger, a pattern must stop soon: one whose matches
    // can be long (`(a+)+b`) would rescan the rest of the text from each
    // `a`, quadratic time. Those scan the whole text once instead.
    if hir
        .properties()
        .maximum_len()
        .is_none_or(|n| n > MAX_TRIGGERED_LEN)
    {
        return None;
    }
    strings(&Extractor::new().kind(ExtractKind::Prefix).extract(hir))
}

/// A list pattern's syntax tree, read as the matcher runs it (Perl classes
/// spelled out: `perl`); None when it does not parse (the compiler reports
/// why).
pub(crate) fn parse_hir(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::parse(&perl::spell_out(pattern)).ok()
}

/// A pattern compiled to match only at the start of the text it is given.
pub(crate) fn compile_anchored(p: &str) -> Result<Regex, String> {
    compile_pattern(&format!("^(?:{p})"))
}

/// Compiles a list pattern the way the matcher runs it (on folded text, so
/// already lower case), with limits on its compiled size so that no list
/// can exhaust memory.
pub(crate) fn compile_pattern(p: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(&perl::spell_out(p))
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                "the pattern is too large once compiled (over 1 MiB); split it".to_string()
            }
            e => e
                .to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .trim_start_matches("error: ")
                .to_string(),
        })
}

/// A hit or allow span in folded coordinates during a scan.
#[derive(Debug, Clone, Copy)]
struct Span {
    list: u32,
    rule: u32,
    start: u32,
    end: u32,
    /// For a phrase hit: whether it begins / ends with a Latin letter or
    /// digit, so needs a boundary there (checked in `finish`, once the next
    /// char is known).
    latin_start: bool,
    latin_end: bool,
}

impl Matcher {
    /// Compiles lists that have already passed parsing (`crate::lists`).
    /// Phrases that fold to nothing and patterns that do not compile are
    /// skipped (the lint rejects them).
    ///
    /// # Panics
    ///
    /// Only if the lists exceed the trie's capacity (2³² nodes, far
    /// beyond any list a person writes); [`Matcher::try_new`] returns that
    /// as an error instead.
    pub fn new(lists: &[PhraseList]) -> Matcher {
        Matcher::try_new(lists).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Compiles lists, or says why they cannot be.
    pub fn try_new(lists: &[PhraseList]) -> Result<Matcher, BuildError> {
        compile::compile(lists)
    }

    /// A stable hash of everything in `lists` that the compiled form
    /// depends on, and of the fold tables: compare it with
    /// [`Matcher::fingerprint`] of a loaded matcher to know whether it was
    /// built from these lists.
    pub fn fingerprint_of(lists: &[PhraseList]) -> u64 {
        compile::fingerprint(lists)
    }

    /// The fingerprint of the lists this matcher was built from.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Approximate heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.trie.heap_bytes()
            + self.slots.len() * std::mem::size_of::<Slot>()
            + self.entries.len() * std::mem::size_of::<Entry>()
            + self.exact.iter().map(|e| e.len() + 16).sum::<usize>()
            + self
                .patterns
                .iter()
                .map(|p| p.source.len() * 64)
                .sum::<usize>()
    }

    /// Every hit in `text`, in order of start.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let t = table();
        self.find_folded(
            |chars, origin, starts| match starts {
                Some(starts) => {
                    kefu_scan::fold_with_starts(t, &self.trie, text, chars, origin, starts)
                }
                None => kefu_scan::fold_into(t, text, chars, origin),
            },
            || (std::borrow::Cow::Borrowed(text), false),
            &|_| 1,
        )
    }

    /// Every hit in a text given as UTF-16 code units, as JavaScript holds
    /// its strings (so a long text crosses into wasm without being encoded
    /// as UTF-8 and decoded again); `start` and `end` are in code units (a
    /// JavaScript string's indices). An unpaired surrogate is read as
    /// U+FFFD.
    pub fn find_utf16(&self, text: &[u16]) -> Vec<Hit> {
        let t = table();
        self.find_folded(
            |chars, origin, starts| match starts {
                Some(starts) => {
                    kefu_scan::fold_with_starts_utf16(t, &self.trie, text, chars, origin, starts)
                }
                None => kefu_scan::fold_into_utf16(t, text, chars, origin),
            },
            || {
                (
                    std::borrow::Cow::Owned(String::from_utf16_lossy(text)),
                    true,
                )
            },
            // A char of two code units: a surrogate pair.
            &|at| {
                let pair = text.get(at as usize..at as usize + 2);
                1 + u32::from(pair.is_some_and(|p| {
                    (0xd800..0xdc00).contains(&p[0]) && (0xdc00..0xe000).contains(&p[1])
                }))
            },
        )
    }

    /// [`Matcher::find`] given how to fold the text (into chars, their
    /// origins and, when asked, the positions where keys may begin), the
    /// original text for raw patterns (with whether origins count UTF-16
    /// code units rather than chars), and how many units the original char
    /// at an origin takes.
    fn find_folded<'t>(
        &self,
        fold: impl FnOnce(&mut Vec<char>, &mut Vec<u32>, Option<&mut Vec<u32>>),
        original: impl FnOnce() -> (std::borrow::Cow<'t, str>, bool),
        width: &dyn Fn(u32) -> u32,
    ) -> Vec<Hit> {
        let t = table();
        let mut chars: Vec<char> = Vec::new();
        let mut origin: Vec<u32> = Vec::new();
        let mut hits: Vec<Span> = Vec::new();
        let mut allows: Vec<(Kind, Span)> = Vec::new();
        // (pattern index, folded start) where a pattern may match.
        let mut triggers: Vec<(u32, u32)> = Vec::new();
        // The loops are in `kefu-scan`, built for speed.
        let mut on = |slot, start, end, chars: &[char]| {
            self.on_match(
                slot,
                start,
                end,
                chars,
                &mut hits,
                &mut allows,
                &mut triggers,
            )
        };
        if !self.digits {
            // The usual case: fold, and find where keys may begin, in one
            // pass; then walk from there.
            let mut starts = Vec::new();
            fold(&mut chars, &mut origin, Some(&mut starts));
            self.trie
                .find_from(&chars, &starts, &mut |s, a, b| on(s, a, b, &chars));
        } else {
            fold(&mut chars, &mut origin, None);
            let digits = kefu_scan::fold_digits(t, &chars);
            self.trie.find(&digits, &mut |s, a, b| on(s, a, b, &chars));
        }
        if !triggers.is_empty() || self.patterns.iter().any(|p| !p.triggered) {
            self.find_patterns(&chars, &triggers, &mut hits);
        }
        if self.patterns.iter().any(|p| p.raw) {
            let (text, utf16) = original();
            self.find_raw_patterns(&text, utf16, &origin, &mut hits);
        }
        self.finish(&chars, &origin, width, hits, allows)
    }

    #[allow(clippy::too_many_arguments)]
    fn on_match(
        &self,
        slot: u32,
        start: u32,
        end: u32,
        chars: &[char],
        hits: &mut Vec<Span>,
        allows: &mut Vec<(Kind, Span)>,
        triggers: &mut Vec<(u32, u32)>,
    ) {
        // Checked access: a loaded matcher's trie values are not trusted to
        // stay inside the slot table.
        let Some(&s) = self.slots.get(slot as usize) else {
            return;
        };
        for e in &self.entries[s.first as usize..(s.first + s.count) as usize] {
            if e.exact != NO_EXACT {
                let want = &self.exact[e.exact as usize];
                if !want
                    .chars()
                    .eq(chars[start as usize..end as usize].iter().copied())
                {
                    continue;
                }
            }
            let span = Span {
                list: e.list,
                rule: e.rule,
                start,
                end,
                latin_start: s.latin_start,
                latin_end: s.latin_end,
            };
            match e.kind {
                Kind::Phrase => hits.push(span),
                Kind::Trigger => triggers.push((e.rule, start)),
                kind => allows.push((kind, span)),
            }
        }
    }

    fn find_patterns(&self, chars: &[char], triggers: &[(u32, u32)], hits: &mut Vec<Span>) {
        // Sized once (collecting chars grows a string char by char).
        let mut plain = String::with_capacity(chars.len() * 3);
        plain.extend(chars);
        // Digit-folded text, for patterns of rules with `fold_digits`.
        let digits: Option<String> = self.patterns.iter().any(|p| p.fold_digits).then(|| {
            let mut d = String::with_capacity(plain.len());
            d.extend(chars.iter().map(|&c| fold_digit(c)));
            d
        });
        // Byte offset of each folded char, in the plain and in the
        // digit-folded string (a Chinese numeral is three bytes, its digit
        // one, so the two differ after the first numeral).
        let offsets = |s: &str| -> Vec<u32> {
            let mut v: Vec<u32> = Vec::with_capacity(chars.len() + 1);
            v.extend(s.char_indices().map(|(b, _)| b as u32));
            v.push(s.len() as u32);
            v
        };
        let starts = offsets(&plain);
        let digit_starts = digits.as_deref().map(offsets);
        let mut push = |p: &Pattern, starts: &[u32], start: usize, end: usize| {
            let index = |byte: usize| starts.partition_point(|&s| (s as usize) < byte) as u32;
            if start < end {
                hits.push(Span {
                    list: p.list,
                    rule: p.rule,
                    start: index(start),
                    end: index(end),
                    latin_start: false,
                    latin_end: false,
                });
            }
        };
        let hay = |p: &Pattern| -> (&str, &[u32]) {
            match (&digits, &digit_starts) {
                (Some(d), Some(ds)) if p.fold_digits => (d, ds),
                _ => (&plain, &starts),
            }
        };
        for p in self.patterns.iter().filter(|p| !p.triggered && !p.raw) {
            let (h, st) = hay(p);
            if !p.may_match(h) {
                continue;
            }
            let Some(c) = p.compiled() else { continue };
            for m in c.regex.find_iter(h) {
                push(p, st, m.start(), m.end());
            }
        }
        for &(pi, at) in triggers {
            let Some(p) = self.patterns.get(pi as usize) else {
                continue;
            };
            let (h, st) = hay(p);
            let Some(&b) = st.get(at as usize) else {
                continue;
            };
            let Some(c) = p.compiled() else { continue };
            let mut end = c.window.map_or(h.len(), |w| (b as usize + w).min(h.len()));
            while !h.is_char_boundary(end) {
                end += 1;
            }
            let Some(window) = h.get(b as usize..end) else {
                continue;
            };
            if !c.may_end_in(window) {
                continue;
            }
            if let Some(m) = c.regex.find(window) {
                push(p, st, b as usize + m.start(), b as usize + m.end());
            }
        }
    }

    /// Patterns that run on the original text; their matches are mapped to
    /// the folded characters they cover (a match of separators alone, which
    /// covers none, is no hit).
    fn find_raw_patterns(&self, text: &str, utf16: bool, origin: &[u32], hits: &mut Vec<Span>) {
        // Where a byte is in the units `origin` counts (chars, or UTF-16
        // code units): counted for the few matches there are.
        let unit_of_byte = |byte: usize| -> u32 {
            let before = &text[..byte];
            if utf16 {
                before.chars().map(|c| c.len_utf16() as u32).sum()
            } else {
                before.chars().count() as u32
            }
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        for p in self.patterns.iter().filter(|p| p.raw) {
            found.clear();
            if p.needles.is_empty() {
                if !p.may_match(text) {
                    continue;
                }
                if let Some(c) = p.compiled() {
                    found.extend(c.regex.find_iter(text).map(|m| (m.start(), m.end())));
                }
            } else {
                let mut next = 0;
                for (b, c) in text.char_indices() {
                    if b < next || p.firsts.binary_search(&c).is_err() {
                        continue;
                    }
                    let rest = &text[b..];
                    if !p.needles.iter().any(|n| rest.starts_with(n.as_str())) {
                        continue;
                    }
                    if let Some(m) = p.compiled().and_then(|c| c.regex.find(rest)) {
                        found.push((b + m.start(), b + m.end()));
                        next = b + m.end();
                    }
                }
            }
            for &(ms, me) in &found {
                let (s, e) = (unit_of_byte(ms), unit_of_byte(me));
                let start = origin.partition_point(|&o| o < s) as u32;
                let end = origin.partition_point(|&o| o < e) as u32;
                if start < end {
                    hits.push(Span {
                        list: p.list,
                        rule: p.rule,
                        start,
                        end,
                        latin_start: false,
                        latin_end: false,
                    });
                }
            }
        }
    }

    fn finish(
        &self,
        chars: &[char],
        origin: &[u32],
        width: &dyn Fn(u32) -> u32,
        hits: Vec<Span>,
        allows: Vec<(Kind, Span)>,
    ) -> Vec<Hit> {
        if hits.is_empty() {
            return Vec::new();
        }
        // `allows` are in the order the trie found them: by start. No sort
        // needed (a text full of common words has tens of thousands).
        debug_assert!(allows.windows(2).all(|w| w[0].1.start <= w[1].1.start));
        let latin = |i: u32| {
            chars
                .get(i as usize)
                .is_some_and(|c| c.is_ascii_alphanumeric())
        };
        // Adjacent in the original: no separator between folded i and i + 1.
        let adjacent = |i: u32| {
            let o = origin[i as usize];
            o + width(o) == origin[i as usize + 1]
        };
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            let rule = h.rule;
            if h.latin_start && h.start > 0 && latin(h.start - 1) && adjacent(h.start - 1) {
                continue;
            }
            if h.latin_end && (h.end as usize) < chars.len() && latin(h.end) && adjacent(h.end - 1)
            {
                continue;
            }
            if self.covered(&allows, h.list, rule, h.start, h.end) {
                continue;
            }
            out.push(Hit {
                list: h.list as usize,
                rule: rule as usize,
                start: origin[h.start as usize] as usize,
                end: {
                    let o = origin[h.end as usize - 1];
                    (o + width(o)) as usize
                },
            });
        }
        // Overlapping hits of one rule are one finding (行业第一 and 第一品牌
        // in 行业第一品牌): sorted by rule and start, each hit either extends
        // the last one or starts a new one.
        crate::sort::sort_by_key(&mut out, |h| (h.list, h.rule, h.start, h.end));
        let mut kept: Vec<Hit> = Vec::with_capacity(out.len());
        for h in out {
            if let Some(last) = kept.last_mut() {
                if last.list == h.list && last.rule == h.rule && h.start < last.end {
                    last.end = last.end.max(h.end);
                    continue;
                }
            }
            kept.push(h);
        }
        crate::sort::sort_by_key(&mut kept, |h| (h.start, h.end, h.list, h.rule));
        kept
    }

    /// Whether an allow span of the hit's scope covers `start..end`.
    fn covered(&self, allows: &[(Kind, Span)], list: u32, rule: u32, start: u32, end: u32) -> bool {
        // Allows are sorted by start; one that covers the hit starts at or
        // before it, and at most `max_allow` chars before its end.
        let lo =
            allows.partition_point(|(_, s)| s.start < end.saturating_sub(self.max_allow as u32));
        allows[lo..]
            .iter()
            .take_while(|(_, s)| s.start <= start)
            .any(|(kind, s)| {
                s.end >= end
                    && match kind {
                        Kind::Common => true,
                        Kind::ListAllow => s.list == list,
                        Kind::RuleAllow => s.list == list && s.rule == rule,
                        Kind::Phrase | Kind::Trigger => false,
                    }
            })
    }
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
examples = { hit = ["蠢驴"] }
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
    fn raw_patterns_are_tried_where_their_literals_start_also_after_loading() {
        let m = matcher(
            r#"
[list]
id = "t"
version = "1"
[[rule]]
id = "r"
label = "sarcasm"
severity = "warn"
message = "m"
patterns = ['\[(?:心|抱抱)\]', "[❤😊]"]
"#,
        );
        let text = "谢谢[心]，[微笑]，[抱抱][心]😊[心";
        let spans = |m: &Matcher| -> Vec<(usize, usize)> {
            m.find(text).iter().map(|h| (h.start, h.end)).collect()
        };
        // Hits span the folded characters a match covers (心, not [心]); an
        // emoji alone covers none, since folding drops it, so it is no hit.
        assert_eq!(spans(&m), [(3, 4), (12, 14), (16, 17)]);
        let loaded = Matcher::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(spans(&loaded), spans(&m));
    }

    #[test]
    fn latin_needs_boundaries_and_allow_contexts_cover() {
        let m = matcher(LIST);
        assert!(m.find("asbestos").is_empty());
        assert!(m.find("前方路口交通拥堵").is_empty());
        assert!(m.find("我们第一时间处理").is_empty());
        assert_eq!(m.find("全网第一").len(), 1);
    }

    #[test]
    fn utf16_text_gives_the_same_hits_in_code_units() {
        // The default lists (one-character keys, digits, raw patterns) and a
        // list without digit folding (the one-pass path).
        let lists = [
            Matcher::new(&crate::guard::default_phrase_lists()),
            matcher(LIST),
        ];
        let pieces = [
            "蠢",
            "驴",
            "驢",
            " ",
            "*",
            "\u{200b}",
            "𝐒",
            "𝐁",
            "s",
            "b",
            "ass",
            "istant",
            "第一",
            "时间",
            "滚",
            "😀",
            "100",
            "%",
            "[心]",
            "[",
            "绝对",
            "保证",
            "口交",
            "路口交通",
            "！",
        ];
        let mut x: u64 = 3;
        for _ in 0..400 {
            let text: String = (0..(x % 24) as usize)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    pieces[(x % pieces.len() as u64) as usize]
                })
                .collect();
            let units: Vec<u16> = text.encode_utf16().collect();
            // Char offset → code unit offset.
            let mut unit_of: Vec<usize> = vec![0];
            for c in text.chars() {
                unit_of.push(unit_of.last().unwrap() + c.len_utf16());
            }
            for m in &lists {
                let want: Vec<Hit> = m
                    .find(&text)
                    .into_iter()
                    .map(|h| Hit {
                        start: unit_of[h.start],
                        end: unit_of[h.end],
                        ..h
                    })
                    .collect();
                assert_eq!(m.find_utf16(&units), want, "{text}");
            }
        }
        // An unpaired surrogate is a char of its own (U+FFFD), not a crash.
        let m = matcher(LIST);
        let units: Vec<u16> = [0xd800u16]
            .into_iter()
            .chain("蠢驴".encode_utf16())
            .collect();
        let h = m.find_utf16(&units);
        assert_eq!((h[0].start, h[0].end), (1, 3));
    }
}
