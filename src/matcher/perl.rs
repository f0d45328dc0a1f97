//! Perl classes in list patterns, spelled out.
//!
//! A pattern may use `\d`, `\s`, `\w` and `\b` (SPEC: patterns are Rust
//! regex). Their Unicode tables are the largest part of the regex engine,
//! and the checker that runs in every page has a size budget, so the engine
//! is built without them (`regex`'s `unicode-perl` feature is off) and every
//! pattern is rewritten here before it is parsed or compiled, in the CLI and
//! in the browser alike, so both read a pattern the same way:
//!
//! - `\d` is `[0-9]` (the matcher runs on folded text, where full-width and
//!   other digits have become ASCII already);
//! - `\s` is Unicode's White_Space, listed;
//! - `\w` is ASCII letters, digits and `_`, Latin-1 and Latin Extended
//!   letters, Greek, Cyrillic, kana, Hangul and the CJK ideographs — the
//!   letters of the text Kefu reads, not every letter Unicode has;
//! - `\b`, `\B` and the other word boundaries are ASCII word boundaries.
//!
//! Negated classes (`\D`, `\S`, `\W`) are the negations of these.

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSetItem};
use std::borrow::Cow;

const DIGIT: &str = "0-9";
const SPACE: &str = "\\t\\n\\x0B\\x0C\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
const WORD: &str = "0-9A-Za-z_\\x{AA}\\x{B5}\\x{BA}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{24F}\\x{370}-\\x{3FF}\\x{400}-\\x{52F}\\x{3040}-\\x{30FF}\\x{3400}-\\x{4DBF}\\x{4E00}-\\x{9FFF}\\x{AC00}-\\x{D7AF}\\x{F900}-\\x{FAFF}\\x{FF10}-\\x{FF19}\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{20000}-\\x{3134F}";

/// `pattern` with its Perl classes and word boundaries spelled out; the
/// pattern itself when it has none. A pattern that does not parse is
/// returned as it is: the parser that reads it next reports the error.
pub(crate) fn spell_out(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains('\\') {
        return Cow::Borrowed(pattern);
    }
    let Ok(tree) = ast::parse::Parser::new().parse(pattern) else {
        return Cow::Borrowed(pattern);
    };
    let Ok(mut edits) = ast::visit(
        &tree,
        Perls {
            pattern,
            edits: Vec::new(),
        },
    ) else {
        return Cow::Borrowed(pattern);
    };
    if edits.is_empty() {
        return Cow::Borrowed(pattern);
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(pattern.len() + edits.len() * 64);
    let mut at = 0;
    for (start, end, with) in edits {
        out.push_str(&pattern[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&pattern[at..]);
    Cow::Owned(out)
}

/// The edits (byte start, byte end, replacement) a pattern needs.
struct Perls<'p> {
    pattern: &'p str,
    edits: Vec<(usize, usize, String)>,
}

impl Perls<'_> {
    fn class(&mut self, c: &ast::ClassPerl, in_set: bool) {
        let set = match c.kind {
            ClassPerlKind::Digit => DIGIT,
            ClassPerlKind::Space => SPACE,
            ClassPerlKind::Word => WORD,
        };
        // In a bracket class a negated set nests ([a\D] → [a[^0-9]]).
        let with = match (in_set, c.negated) {
            (true, false) => set.to_string(),
            (_, true) => format!("[^{set}]"),
            (false, false) => format!("[{set}]"),
        };
        self.edits
            .push((c.span.start.offset, c.span.end.offset, with));
    }
}

impl ast::Visitor for Perls<'_> {
    type Output = Vec<(usize, usize, String)>;
    type Err = ();

    fn finish(self) -> Result<Self::Output, ()> {
        Ok(self.edits)
    }

    fn visit_pre(&mut self, node: &Ast) -> Result<(), ()> {
        use ast::AssertionKind::{EndLine, EndText, StartLine, StartText};
        match node {
            Ast::ClassPerl(c) => self.class(c, false),
            // \b, \B, \b{start}, \<, … : ASCII word boundaries.
            Ast::Assertion(a) if !matches!(a.kind, StartLine | EndLine | StartText | EndText) => {
                let (s, e) = (a.span.start.offset, a.span.end.offset);
                self.edits
                    .push((s, e, format!("(?-u:{})", &self.pattern[s..e])));
            }
            _ => {}
        }
        Ok(())
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
        if let ClassSetItem::Perl(c) = item {
            self.class(c, true);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::spell_out;

    #[test]
    fn perl_classes_are_spelled_out() {
        assert_eq!(spell_out("第[一1]"), "第[一1]");
        assert_eq!(
            spell_out(r"100\s*[%％]"),
            format!(r"100[{}]*[%％]", super::SPACE)
        );
        assert_eq!(spell_out(r"\d{11}"), "[0-9]{11}");
        assert_eq!(spell_out(r"[a\d]"), "[a0-9]");
        assert_eq!(spell_out(r"[a\D]"), "[a[^0-9]]");
        assert_eq!(spell_out(r"\bsb\b"), r"(?-u:\b)sb(?-u:\b)");
        assert_eq!(
            spell_out(r"\\d"),
            r"\\d",
            "an escaped backslash is a backslash"
        );
        assert_eq!(
            spell_out(r"(\d"),
            r"(\d",
            "a broken pattern is left to the parser"
        );
    }

    #[test]
    fn spelled_out_patterns_compile_and_match_as_before() {
        for (p, hit, miss) in [
            (r"\d{3}", "电话123", "电话一二"),
            (r"退款\s*\d+元", "退款 30元", "退款三十元"),
            (r"\w+店", "旗舰店", "。店"),
            (r"\bok\b", "是 ok 的", "token"),
            (r"[^\W\d]", "a", "1"),
        ] {
            let re = crate::matcher::compile_pattern(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            assert!(re.is_match(hit), "{p} on {hit}");
            assert!(!re.is_match(miss), "{p} on {miss}");
        }
    }
}
