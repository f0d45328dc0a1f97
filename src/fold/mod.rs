//! Text folding: the normal form in which phrases are matched.
//!
//! People evade phrase lists with full-width letters (ＳＢ), case (Sb),
//! traditional characters (蠢驢), look-alike letters (Cyrillic ѕ), letter and
//! digit forms (Ⓢ, ①, 𝟏), and separators slipped between the characters of
//! a phrase (蠢 驴, 蠢*驴, 蠢\u{200b}驴, 蠢😀驴). Folding maps each character of
//! the input to at most one folded character and drops separators,
//! remembering for every folded character where it came from, so that a
//! match in the folded text can be reported at the original characters.
//!
//! What folds to what is data, in `data/fold/` (its README says where each
//! table comes from): `unicode.txt` (generated from the Unicode database:
//! compatibility forms, case, diacritics, digits, separators), OpenCC's
//! traditional → simplified tables, `lookalikes.txt`, `separators.txt`, and
//! `digits.txt` for [`fold_digit`]. The tables are compiled into one lookup
//! table on first use ([`table`]), so folding a character is two array reads.
//!
//! Chinese numerals are *not* folded to digits here (一条狗 is not 1条狗);
//! [`fold_digit`] does that for the rules that ask for it (`fold_digits`).
//!
//! This module owns the character mapping only; what counts as a word
//! boundary for Latin phrases is the matcher's business (`crate::matcher`).

mod table;

/// Text after folding, with a map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded characters, separators removed.
    pub chars: Vec<char>,
    /// For each folded character, the char index in the original text.
    pub origin: Vec<usize>,
    /// Number of chars in the original text.
    pub original_len: usize,
}

impl Folded {
    /// The folded text as a `String`.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

/// Folds `text`: see the module documentation.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        chars: Vec::with_capacity(text.len() / 2),
        origin: Vec::with_capacity(text.len() / 2),
        original_len: 0,
    };
    let t = table::table();
    let mut n = 0;
    for c in text.chars() {
        if let Some(f) = fold_with(t, c) {
            out.chars.push(f);
            out.origin.push(n);
        }
        n += 1;
    }
    out.original_len = n;
    out
}

/// Folds `text` to a `String` without the map back (for keys and
/// comparisons, where offsets do not matter).
pub fn fold_str(text: &str) -> String {
    let t = table::table();
    text.chars().filter_map(|c| fold_with(t, c)).collect()
}

/// Folds one character: `None` for a separator, else its folded form.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    fold_with(table::table(), c)
}

#[inline(always)]
pub(crate) fn fold_with(t: &table::Table, c: char) -> Option<char> {
    t.fold(c)
}

/// The table, for callers that fold many characters in a loop.
pub(crate) fn table() -> &'static table::Table {
    table::table()
}

/// The data files the fold tables are built from (for fingerprints of
/// anything compiled from folded text).
pub fn table_sources() -> &'static [&'static str] {
    table::sources()
}

/// Characters that people insert inside a phrase to break it up: white
/// space, punctuation, symbols, emoji, zero-width and other format
/// characters, combining marks.
pub fn is_separator(c: char) -> bool {
    fold_char(c).is_none()
}

/// The digit a folded Chinese numeral stands for (一 → 1, 壹 → 1, 〇 → 0),
/// else `c` itself. Applied on top of [`fold_char`] for rules with
/// `fold_digits`.
#[inline]
pub fn fold_digit(c: char) -> char {
    table::table().digit(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_dropped_and_mapped_back() {
        let f = fold("蠢 *驴");
        assert_eq!(f.as_string(), "蠢驴");
        assert_eq!(f.origin, vec![0, 3]);
        assert_eq!(f.original_len, 4);
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(fold("ＳＢ").as_string(), "sb");
        assert_eq!(fold("S.b").as_string(), "sb");
    }

    #[test]
    fn folded_text_is_a_fixed_point() {
        // Every character of every table: folding twice changes nothing.
        let mut bad = Vec::new();
        for cp in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if let Some(f) = fold_char(c) {
                if fold_char(f) != Some(f) {
                    bad.push((c, f, fold_char(f)));
                }
            }
        }
        let shown: Vec<String> = bad
            .iter()
            .take(20)
            .map(|(c, f, g)| {
                format!(
                    "{:X}->{:X}->{:?}",
                    *c as u32,
                    *f as u32,
                    g.map(|g| g as u32)
                )
            })
            .collect();
        assert!(bad.is_empty(), "{} not fixed: {shown:?}", bad.len());
    }
}
