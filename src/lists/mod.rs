//! Phrase lists: the files the compliance team writes (SPEC "Phrase lists").
//!
//! A list is TOML (`[list]` metadata and `[[rule]]`s) or plain text (one
//! phrase a line, `#` comments, `!` allow contexts). Parsing turns either into
//! a [`PhraseList`]; a list that has any error is rejected whole, with
//! [`Diagnostic`]s that name file, line and column. Compiling lists into
//! something that matches is `crate::matcher`'s job.

use serde::Deserialize;
use std::fmt;

/// How bad a finding is (SPEC vocabulary).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
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
}

/// One parsed list.
#[derive(Debug, Clone, PartialEq)]
pub struct PhraseList {
    pub id: String,
    pub version: String,
    pub name: String,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub allow: Vec<String>,
    pub rules: Vec<Rule>,
}

/// One rule of a list.
#[derive(Debug, Clone, PartialEq)]
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
        writeln!(f, "{}", self.source_line)?;
        write!(f, "{}^", " ".repeat(self.col.saturating_sub(1)))
    }
}

/// The outcome of reading a list: the list if it has no error, and every
/// diagnostic (warnings too).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub list: Option<PhraseList>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    list: RawMeta,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    version: String,
    name: Option<String>,
    owner: Option<String>,
    description: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    label: String,
    severity: Severity,
    message: String,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    suggest: Option<String>,
    #[serde(default)]
    fold_digits: bool,
    #[serde(default)]
    examples: RawExamples,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(default)]
    hit: Vec<String>,
    #[serde(default)]
    ok: Vec<String>,
}

/// Reads a list from bytes. `file` names it in diagnostics; a name ending in
/// `.toml` is read as TOML, anything else as a plain-text list whose id is the
/// file name without extension.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            return Parsed {
                list: None,
                diagnostics: vec![Diagnostic {
                    file: file.to_string(),
                    line,
                    col,
                    level: Level::Error,
                    message: "the file is not UTF-8 text".into(),
                    source_line: String::from_utf8_lossy(
                        bytes[line_start..]
                            .split(|&b| b == b'\n')
                            .next()
                            .unwrap_or(&[]),
                    )
                    .into_owned(),
                }],
            };
        }
    };
    if file.ends_with(".toml") {
        parse_toml(file, text)
    } else {
        parse_plain(file, text)
    }
}

fn diagnostic_at(file: &str, text: &str, byte: usize, level: Level, message: String) -> Diagnostic {
    let byte = byte.min(text.len());
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let col = text[line_start..byte].chars().count() + 1;
    let source_line = text[line_start..].lines().next().unwrap_or("").to_string();
    Diagnostic {
        file: file.to_string(),
        line,
        col,
        level,
        message,
        source_line,
    }
}

fn parse_toml(file: &str, text: &str) -> Parsed {
    let raw: RawFile = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            return Parsed {
                list: None,
                diagnostics: vec![diagnostic_at(
                    file,
                    text,
                    at,
                    Level::Error,
                    e.message().to_string(),
                )],
            };
        }
    };
    let mut diagnostics = Vec::new();
    let find = |needle: &str| text.find(needle).unwrap_or(0);
    let mut rules = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in raw.rule {
        if !seen.insert(r.id.clone()) {
            diagnostics.push(diagnostic_at(
                file,
                text,
                find(&format!("\"{}\"", r.id)),
                Level::Error,
                format!("duplicate rule id `{}`", r.id),
            ));
        }
        if r.phrases.is_empty() && r.patterns.is_empty() {
            diagnostics.push(diagnostic_at(
                file,
                text,
                find(&format!("\"{}\"", r.id)),
                Level::Error,
                format!("rule `{}` has neither phrases nor patterns", r.id),
            ));
        }
        for p in &r.phrases {
            if crate::fold::fold(p).chars.is_empty() {
                diagnostics.push(diagnostic_at(
                    file,
                    text,
                    find(&format!("\"{p}\"")),
                    Level::Error,
                    format!("phrase {p:?} is empty once folded"),
                ));
            }
        }
        for p in &r.patterns {
            match regex::Regex::new(p) {
                Err(e) => diagnostics.push(diagnostic_at(
                    file,
                    text,
                    find(p),
                    Level::Error,
                    format!(
                        "invalid pattern: {}",
                        e.to_string().lines().last().unwrap_or("")
                    ),
                )),
                Ok(re) if re.is_match("") => diagnostics.push(diagnostic_at(
                    file,
                    text,
                    find(p),
                    Level::Error,
                    format!("pattern {p:?} matches the empty string"),
                )),
                Ok(_) => {}
            }
        }
        rules.push(Rule {
            id: r.id,
            label: r.label,
            severity: r.severity,
            message: r.message,
            phrases: r.phrases,
            patterns: r.patterns,
            allow: r.allow,
            suggest: r.suggest,
            fold_digits: r.fold_digits,
            examples_hit: r.examples.hit,
            examples_ok: r.examples.ok,
        });
    }
    let list = PhraseList {
        name: raw.list.name.unwrap_or_else(|| raw.list.id.clone()),
        id: raw.list.id,
        version: raw.list.version,
        owner: raw.list.owner,
        description: raw.list.description,
        allow: raw.list.allow,
        rules,
    };
    let failed = diagnostics.iter().any(|d| d.level == Level::Error);
    Parsed {
        list: (!failed).then_some(list),
        diagnostics,
    }
}

fn parse_plain(file: &str, text: &str) -> Parsed {
    let id = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    let mut phrases = Vec::new();
    let mut allow = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(a) = line.strip_prefix('!') {
            allow.push(a.trim().to_string());
        } else {
            phrases.push(line.to_string());
        }
    }
    let rule = Rule {
        id: "phrases".into(),
        label: id.clone(),
        severity: Severity::Warn,
        message: format!("列表「{id}」中的词语"),
        phrases,
        patterns: Vec::new(),
        allow,
        suggest: None,
        fold_digits: false,
        examples_hit: Vec::new(),
        examples_ok: Vec::new(),
    };
    Parsed {
        list: Some(PhraseList {
            name: id.clone(),
            id,
            version: "0".into(),
            owner: None,
            description: None,
            allow: Vec::new(),
            rules: vec![rule],
        }),
        diagnostics: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_a_place() {
        let p = parse(
            "x.toml",
            b"[list]\nid = \"x\"\nversion = \"1\"\nnmae = \"oops\"\n",
        );
        assert!(p.has_errors());
        assert_eq!(p.diagnostics[0].line, 4);
    }

    #[test]
    fn plain_text_list_is_one_warn_rule() {
        let p = parse("brand-words.txt", "# c\n甲\n!甲乙\n".as_bytes());
        let l = p.list.unwrap();
        assert_eq!(l.id, "brand-words");
        assert_eq!(l.rules[0].phrases, vec!["甲"]);
        assert_eq!(l.rules[0].allow, vec!["甲乙"]);
    }
}
