//! Phrase lists: the files the compliance team writes (SPEC "Phrase lists").
//!
//! A list is TOML (`[list]` metadata and `[[rule]]`s, read by [`toml`]) or
//! plain text (one phrase a line, `#` comments, `!` allow contexts, read by
//! [`plain`]). Either is turned into a [`PhraseList`] and then checked
//! ([`check`]: what `kefu lists lint` reports beyond syntax). A list that has
//! any error is rejected whole; every problem comes as a [`Diagnostic`] that
//! names file, line and column, whose `Display` is the SPEC's lint format.
//!
//! Compiling lists into something that matches is `crate::matcher`'s job;
//! what a finding means for a reply is `crate::guard`'s.
//!
//! # Format extensions beyond the SPEC
//!
//! - `[list] common_words = false` turns off the common-word dictionary
//!   (`lists/common-words.txt`) for that list: by default a hit that lies
//!   inside a common word (路口交通 ⊃ 口交) is not a hit.

#[cfg(feature = "authoring")]
mod check;
#[cfg(feature = "authoring")]
mod plain;
#[cfg(feature = "authoring")]
mod toml;

use std::fmt;

/// How bad a finding is (SPEC vocabulary).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Warn,
    Block,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }

    /// Reads `block`, `warn` or `hint`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "block" => Some(Severity::Block),
            "warn" => Some(Severity::Warn),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// One parsed list. Its JSON (serde) is the form the data bundle and the
/// extension hand to the engine once a list has been read and linted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PhraseList {
    pub id: String,
    pub version: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub allow: Vec<String>,
    /// Whether the common-word dictionary applies (`common_words`, default
    /// true; see the module documentation).
    pub common_words: bool,
    pub rules: Vec<Rule>,
}

/// One rule of a list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub id: String,
    pub label: String,
    pub severity: Severity,
    pub message: String,
    pub phrases: Vec<String>,
    pub patterns: Vec<String>,
    pub allow: Vec<String>,
    pub suggest: Option<String>,
    pub fold_digits: bool,
    pub examples_hit: Vec<String>,
    pub examples_ok: Vec<String>,
}

/// A problem in a list file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    pub level: Level,
    pub message: String,
    /// The offending line, for display with a caret.
    pub source_line: String,
}

/// Whether a diagnostic rejects the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

impl fmt::Display for Diagnostic {
    /// `FILE:LINE:COL: error: message`, the offending line, and a caret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        writeln!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.col, level, self.message
        )?;
        // A long line (a phrase of megabytes on one line) is shown around
        // the column only, with … where it is cut.
        const SHOWN: usize = 160;
        let col = self.col.saturating_sub(1);
        let from = if self.source_line.chars().nth(SHOWN).is_some() {
            col.saturating_sub(SHOWN / 2)
        } else {
            0
        };
        let mut window: String = self.source_line.chars().skip(from).take(SHOWN).collect();
        let mut before = col - from.min(col);
        if from > 0 {
            window.insert(0, '…');
            before += 1;
        }
        if self.source_line.chars().nth(from + SHOWN).is_some() {
            window.push('…');
        }
        writeln!(f, "{window}")?;
        // The caret sits under the character: count display columns of what
        // precedes it, a CJK character being two columns wide in a terminal.
        let pad: usize = window
            .chars()
            .take(before)
            .map(|c| if c == '\t' { 1 } else { display_width(c) })
            .sum();
        let tabs: String = window
            .chars()
            .take(before)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .filter(|&c| c == '\t')
            .collect();
        write!(f, "{tabs}{}^", " ".repeat(pad.saturating_sub(tabs.len())))
    }
}

/// Terminal columns of a character: 2 for East Asian wide characters.
fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(feature = "authoring")]
/// The outcome of reading a list: the list if it has no error, and every
/// diagnostic (warnings too).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub list: Option<PhraseList>,
    pub diagnostics: Vec<Diagnostic>,
}

#[cfg(feature = "authoring")]
impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

#[cfg(feature = "authoring")]
/// Reads a list from bytes. `file` names it in diagnostics; a name ending in
/// `.toml` is read as TOML, anything else as a plain-text list whose id is the
/// file name without extension.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    let src = match Source::new(file, bytes) {
        Ok(src) => src,
        Err(d) => {
            return Parsed {
                list: None,
                diagnostics: vec![*d],
            }
        }
    };
    let mut diags = Vec::new();
    let read = if file.ends_with(".toml") {
        toml::read(&src, &mut diags)
    } else {
        Some(plain::read(&src, &mut diags))
    };
    if let Some((list, places)) = &read {
        check::check(&src, list, places, &mut diags);
    }
    crate::sort::sort_by_key(&mut diags, |d| (d.line, d.col));
    let failed = diags.iter().any(|d| d.level == Level::Error);
    Parsed {
        list: read.filter(|_| !failed).map(|(l, _)| l),
        diagnostics: diags,
    }
}

#[cfg(feature = "authoring")]
/// Checks that lists read together do not share an id (what `kefu lists
/// lint a.toml b.toml` reports besides each file's own problems). Takes
/// each file's name and bytes; returns a diagnostic at the second file's
/// `id` for each repeat.
pub fn check_ids(files: &[(&str, &[u8])]) -> Vec<Diagnostic> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for (file, bytes) in files {
        let Ok(src) = Source::new(file, bytes) else {
            continue;
        };
        let Some((id, at)) = (if file.ends_with(".toml") {
            toml::list_id(&src)
        } else {
            Some((plain::list_id(file), 0))
        }) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(i, _)| *i == id) {
            out.push(src.diagnostic(
                at,
                Level::Error,
                format!("duplicate list id `{id}`: {first} has the same id"),
            ));
        } else {
            seen.push((id, file.to_string()));
        }
    }
    out
}

#[cfg(feature = "authoring")]
/// A list file's text and name, for making diagnostics at byte offsets.
pub(crate) struct Source<'a> {
    file: &'a str,
    text: &'a str,
    /// Byte offsets where lines start, computed on the first diagnostic
    /// (a large list with many warnings must not rescan its text for each).
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

#[cfg(feature = "authoring")]
impl<'a> Source<'a> {
    fn new(file: &'a str, bytes: &'a [u8]) -> Result<Source<'a>, Box<Diagnostic>> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Source::with_text(file, text)),
            Err(e) => {
                // Point at the first bad byte, on text decoded up to there.
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                let src = Source::with_text(file, good);
                let mut d = src.diagnostic(
                    good.len(),
                    Level::Error,
                    format!(
                        "the file is not UTF-8 text (byte {} is invalid); save it as UTF-8",
                        e.valid_up_to()
                    ),
                );
                let line_start = good.rfind('\n').map_or(0, |p| p + 1);
                d.source_line = String::from_utf8_lossy(
                    bytes[line_start..]
                        .split(|&b| b == b'\n')
                        .next()
                        .unwrap_or(&[]),
                )
                .trim_end_matches('\r')
                .to_string();
                Err(Box::new(d))
            }
        }
    }

    fn with_text(file: &'a str, text: &'a str) -> Source<'a> {
        Source {
            file,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// A diagnostic at byte offset `at` of the text.
    fn diagnostic(&self, at: usize, level: Level, message: String) -> Diagnostic {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&s| s <= at);
        let line_start = starts[line - 1];
        Diagnostic {
            file: self.file.to_string(),
            line,
            col: self.text[line_start..at].chars().count() + 1,
            level,
            message,
            source_line: self.text[line_start..]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string(),
        }
    }
}

#[cfg(feature = "authoring")]
/// Where the parts of a list are in its file (byte offsets), for checks
/// that run after reading.
#[derive(Debug, Default)]
pub(crate) struct Places {
    pub list: usize,
    pub list_allow: Vec<usize>,
    pub rules: Vec<RulePlaces>,
}

#[cfg(feature = "authoring")]
#[derive(Debug, Default, Clone)]
pub(crate) struct RulePlaces {
    pub id: usize,
    pub phrases: Vec<usize>,
    pub patterns: Vec<usize>,
    pub allow: Vec<usize>,
    pub examples: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_around_its_column() {
        let line: String = "a".repeat(400) + "X" + &"b".repeat(400);
        let d = Diagnostic {
            file: "f.txt".into(),
            line: 1,
            col: 401,
            level: Level::Error,
            message: "m".into(),
            source_line: line,
        };
        let shown = d.to_string();
        let mut lines = shown.lines().skip(1);
        let (text, caret) = (lines.next().unwrap(), lines.next().unwrap());
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(text.chars().count() <= 162, "{text}");
        // The caret is under the X.
        assert_eq!(
            text.chars().nth(caret.len() - 1),
            Some('X'),
            "{text}\n{caret}"
        );
    }

    #[test]
    fn unknown_key_is_an_error_with_a_place() {
        let p = parse(
            "x.toml",
            b"[list]\nid = \"x\"\nversion = \"1\"\nnmae = \"oops\"\n",
        );
        assert!(p.has_errors());
        let d = p.diagnostics.iter().find(|d| d.line == 4).unwrap();
        assert_eq!(d.col, 1);
        assert!(d.message.contains("nmae"), "{}", d.message);
    }

    #[test]
    fn plain_text_list_is_one_warn_rule() {
        let p = parse("brand-words.txt", "# c\n甲乙丙\n!甲乙丙丁\n".as_bytes());
        let l = p.list.unwrap();
        assert_eq!(l.id, "brand-words");
        assert_eq!(l.rules[0].phrases, vec!["甲乙丙"]);
        assert_eq!(l.rules[0].allow, vec!["甲乙丙丁"]);
        assert_eq!(l.rules[0].severity, Severity::Warn);
    }

    #[test]
    fn caret_counts_wide_characters() {
        let d = Diagnostic {
            file: "f".into(),
            line: 1,
            col: 3,
            level: Level::Error,
            message: "m".into(),
            source_line: "蠢驴x".into(),
        };
        assert!(d.to_string().ends_with("\n    ^"), "{d}");
    }
}
