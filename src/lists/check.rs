//! Checks on what a list says, after it has been read (`toml`, `plain`):
//! phrases that fold to nothing, duplicates, patterns that do not compile,
//! match the empty string or match almost anything, allow contexts that can
//! never cover a hit of their rule, and the suspicious but legal
//! (one-character phrases without an allow context).

use super::{Diagnostic, Level, PhraseList, Places, Source};
use crate::fold::{fold_digit, fold_str};
use crate::matcher::compile_pattern;
use crate::matcher::FastMap;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::{HashMap, HashSet};

/// The most phrases one list may hold: compiling 200,000 takes about 2 s,
/// a million 43 s and 1.8 GB (RELIABILITY.md), too long for the browser.
pub(crate) const MAX_PHRASES: usize = 200_000;

/// The longest phrase, in characters. Matching walks from where a phrase
/// may begin for as long as the text follows it, so the time per character
/// is bounded by the longest phrase: a phrase of 4,000 `a`s against a draft
/// of a million `a`s took 8.3 s natively, one of 256 takes 0.8 s (and a
/// draft is at most a few thousand characters).
pub(crate) const MAX_PHRASE_CHARS: usize = 256;

pub(super) fn check(src: &Source, list: &PhraseList, places: &Places, diags: &mut Vec<Diagnostic>) {
    let mut out = Out { src, diags };
    if list.rules.is_empty() {
        out.warning(
            places.list,
            "the list has no `[[rule]]`, so it finds nothing".into(),
        );
    }
    let plain = !src.file.ends_with(".toml");
    let phrases: usize = list.rules.iter().map(|r| r.phrases.len()).sum();
    if phrases > MAX_PHRASES {
        // Compiling grows faster than the list (a million phrases: 43 s and
        // 1.8 GB), so no phrase is looked at: the list is refused at once.
        out.error(
            places.list,
            format!("{phrases} phrases, more than the {MAX_PHRASES} a list may hold; split it into several lists"),
        );
        return;
    }
    // Folded phrase → (rule index, place) of its first occurrence.
    let mut first: FastMap<String, (usize, usize)> = FastMap::default();
    let mut rule_ids: HashMap<&str, usize> = HashMap::new();
    let mut compiled: Vec<Vec<regex::Regex>> = Vec::new();
    for (ri, (rule, rp)) in list.rules.iter().zip(&places.rules).enumerate() {
        if rule.id.is_empty() {
            // Missing: reported while reading.
        } else if let Some(&prev) = rule_ids.get(rule.id.as_str()) {
            out.error(
                rp.id,
                format!(
                    "duplicate rule id `{}` (line {})",
                    rule.id,
                    src.diagnostic(prev, Level::Error, String::new()).line
                ),
            );
        } else {
            rule_ids.insert(&rule.id, rp.id);
        }
        for (p, &at) in rule.phrases.iter().zip(&rp.phrases) {
            let key = fold_str(p);
            if p.trim().is_empty() {
                out.error(at, "empty phrase".into());
                continue;
            }
            let n = p.chars().count();
            if n > MAX_PHRASE_CHARS {
                out.error(
                    at,
                    format!("a phrase of {n} characters, longer than the {MAX_PHRASE_CHARS} a phrase may have (the time to check a reply grows with the longest phrase); use a pattern or shorter phrases"),
                );
                continue;
            }
            if let Some((i, c)) = p.char_indices().find(|&(_, c)| c.is_control() && c != '\t') {
                // In a plain list the phrase is the source itself: point at the
                // character; in TOML (an escape) at the phrase.
                let here = if src
                    .text
                    .get(at..)
                    .is_some_and(|t| t.starts_with(p.as_str()))
                {
                    at + i
                } else {
                    at
                };
                // A NUL is a sign of a damaged or binary file: an error. Other
                // control characters come with real lists (a U+0016 in the
                // 64k benchmark list); matching skips them like separators:
                // a warning, and the phrase is used.
                let message = format!(
                    "phrase {p:?} contains the control character U+{:04X}, which matching skips",
                    c as u32
                );
                if c == '\0' {
                    out.error(here, format!("{message}; remove it"));
                    continue;
                }
                out.warning(
                    here,
                    format!("{message}; it matches as if the character were not there"),
                );
            }
            if key.is_empty() {
                out.error(
                    at,
                    format!("phrase {p:?} is only spaces, punctuation or symbols, which matching skips, so it can never match"),
                );
                continue;
            }
            match first.get(&key) {
                Some(&(r, prev)) if r == ri => out.warning(
                    at,
                    format!(
                        "phrase {p:?} repeats the phrase on line {} (the same once folded)",
                        line_of(src, prev)
                    ),
                ),
                Some(&(r, prev)) => out.error(
                    at,
                    format!(
                        "phrase {p:?} is also in rule `{}` (line {}); a phrase belongs to one rule",
                        list.rules[r].id,
                        line_of(src, prev)
                    ),
                ),
                None => {
                    first.insert(key.clone(), (ri, at));
                }
            }
            if key.chars().count() == 1 && !covered_by_some_allow(&key, &rule.allow, &list.allow) {
                out.warning(
                    at,
                    format!("one-character phrase {p:?} hits every word that contains it; add `allow` contexts for the innocent words"),
                );
            }
        }
        let mut regexes = Vec::new();
        for (p, &at) in rule.patterns.iter().zip(&rp.patterns) {
            match compile_pattern(p) {
                Err(e) => out.error(at, format!("invalid pattern: {e}")),
                Ok(re) if re.is_match("") => out.error(
                    at,
                    format!("pattern {p:?} matches the empty string, so it would hit every text"),
                ),
                Ok(re) => {
                    broadness(p, at, &mut out);
                    regexes.push(re);
                }
            }
        }
        for (a, &at) in rule.allow.iter().zip(&rp.allow) {
            if allow_is_empty(a, at, &mut out) {
                continue;
            }
            if !allow_overlaps(
                a,
                std::slice::from_ref(rule),
                std::slice::from_ref(&regexes),
            ) {
                out.error(
                    at,
                    format!(
                        "allow context {a:?} contains no phrase or pattern of rule `{}`, so it can never apply",
                        rule.id
                    ),
                );
            }
        }
        if !plain && rule.examples_hit.is_empty() && rule.examples_ok.is_empty() {
            out.warning(
                rp.examples.max(rp.id),
                format!(
                    "rule `{}` has no `examples`; `kefu lists test` cannot check it",
                    rule.id
                ),
            );
        }
        compiled.push(regexes);
    }
    for (a, &at) in list.allow.iter().zip(&places.list_allow) {
        if allow_is_empty(a, at, &mut out) {
            continue;
        }
        if !list.rules.is_empty() && !allow_overlaps(a, &list.rules, &compiled) {
            out.error(
                at,
                format!("allow context {a:?} contains no phrase or pattern of any rule, so it can never apply"),
            );
        }
    }
}

struct Out<'a, 'b> {
    src: &'a Source<'b>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Out<'_, '_> {
    fn error(&mut self, at: usize, message: String) {
        self.diags
            .push(self.src.diagnostic(at, Level::Error, message));
    }
    fn warning(&mut self, at: usize, message: String) {
        self.diags
            .push(self.src.diagnostic(at, Level::Warning, message));
    }
}

fn line_of(src: &Source, at: usize) -> usize {
    src.diagnostic(at, Level::Error, String::new()).line
}

fn allow_is_empty(a: &str, at: usize, out: &mut Out) -> bool {
    if fold_str(a).is_empty() {
        out.error(
            at,
            format!("allow context {a:?} is empty once spaces and punctuation are skipped"),
        );
        return true;
    }
    false
}

fn covered_by_some_allow(key: &str, rule_allow: &[String], list_allow: &[String]) -> bool {
    rule_allow
        .iter()
        .chain(list_allow)
        .any(|a| fold_str(a).contains(key))
}

/// Whether some phrase or pattern of `rules` can hit inside `allow` (as
/// folded text), so that the context can cover a hit.
fn allow_overlaps(allow: &str, rules: &[super::Rule], regexes: &[Vec<regex::Regex>]) -> bool {
    let plain: Vec<char> = fold_str(allow).chars().collect();
    let digits: Vec<char> = plain.iter().map(|&c| fold_digit(c)).collect();
    let substrings = |chars: &[char]| {
        let mut set = HashSet::new();
        for i in 0..chars.len() {
            for j in i + 1..=chars.len() {
                set.insert(chars[i..j].iter().collect::<String>());
            }
        }
        set
    };
    let (plain_subs, digit_subs) = (substrings(&plain), substrings(&digits));
    let plain_text: String = plain.iter().collect();
    rules.iter().zip(regexes).any(|(rule, res)| {
        rule.phrases.iter().any(|p| {
            let key = fold_str(p);
            if rule.fold_digits {
                digit_subs.contains(&key.chars().map(fold_digit).collect::<String>())
            } else {
                plain_subs.contains(&key)
            }
        }) || res.iter().any(|re| re.is_match(&plain_text))
    })
}

/// Warns about a pattern that matches almost anything: one that can match a
/// single character, or that repeats a broad class without bound (`.*`,
/// `\S+`), so that its hits swallow whole sentences. Also warns about
/// literal characters that folded text never contains (in a pattern that
/// runs on folded text).
fn broadness(pattern: &str, at: usize, out: &mut Out) {
    let Some(hir) = crate::matcher::parse_hir(pattern) else {
        return;
    };
    if min_chars(&hir) <= 1 {
        out.warning(
            at,
            format!(
                "pattern {pattern:?} can match a single character, so it hits almost every text"
            ),
        );
    }
    if has_broad_repetition(&hir) {
        out.warning(
            at,
            format!("pattern {pattern:?} repeats a broad class without bound (like `.*`); bound it (`.{{0,10}}`) or name the characters"),
        );
    }
    // A pattern with a separator among its literals runs on the original
    // text (matcher::is_raw); otherwise it runs on folded text, where a
    // literal that folds to something else never occurs.
    if crate::matcher::is_raw(pattern) {
        return;
    }
    let mut odd: Vec<char> = Vec::new();
    literal_chars(&hir, &mut |c| {
        if crate::fold::fold_char(c) != Some(c) && !odd.contains(&c) {
            odd.push(c);
        }
    });
    if !odd.is_empty() {
        let shown: String = odd.iter().collect();
        out.warning(
            at,
            format!("patterns match folded text (lower case, simplified, without spaces, punctuation or symbols), which never contains {shown:?}; write the folded form"),
        );
    }
}

/// The fewest characters a match can have.
fn min_chars(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(l) => String::from_utf8_lossy(&l.0).chars().count(),
        HirKind::Class(_) => 1,
        HirKind::Repetition(r) => (r.min as usize).saturating_mul(min_chars(&r.sub)),
        HirKind::Capture(c) => min_chars(&c.sub),
        HirKind::Concat(hs) => hs.iter().map(min_chars).sum(),
        HirKind::Alternation(hs) => hs.iter().map(min_chars).min().unwrap_or(0),
    }
}

fn has_broad_repetition(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(r) => {
            (r.max.is_none() && class_size(&r.sub) >= 100) || has_broad_repetition(&r.sub)
        }
        HirKind::Capture(c) => has_broad_repetition(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(has_broad_repetition),
        _ => false,
    }
}

fn class_size(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .map(|r| (r.end() as usize) - (r.start() as usize) + 1)
            .sum(),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .map(|r| (r.end() as usize) - (r.start() as usize) + 1)
            .sum(),
        HirKind::Capture(c) => class_size(&c.sub),
        _ => 0,
    }
}

fn literal_chars(hir: &Hir, f: &mut impl FnMut(char)) {
    match hir.kind() {
        HirKind::Literal(l) => String::from_utf8_lossy(&l.0).chars().for_each(f),
        HirKind::Repetition(r) => literal_chars(&r.sub, f),
        HirKind::Capture(c) => literal_chars(&c.sub, f),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            hs.iter().for_each(|h| literal_chars(h, f))
        }
        _ => {}
    }
}
