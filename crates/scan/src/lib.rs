//! The hot loops of Kefu's phrase matching: fold each character of a text,
//! and find every phrase in the folded text ([`Trie`]).
//!
//! It lives in its own crate for one reason: the wasm engine is built for
//! size (`opt-level = "z"`), which halves the speed of this loop, and Cargo
//! sets the optimization level per crate. Only non-generic code can live
//! here for that to work (generic code is compiled, and optimized, in the
//! crate that uses it), so [`Trie::find`] takes its callback as `dyn`; and the
//! entry points are never inlined, or link-time optimization would move
//! them into their size-optimized callers.
//!
//! What folding means, and how the table is built from its data files, is
//! `kefu::fold`'s business; this crate only holds the table's layout.

use daachorse::CharwiseDoubleArrayAhoCorasick;

pub mod trie;
pub use trie::Trie;

/// Code points per page of the table.
pub const PAGE: usize = 256;
/// Pages that cover every code point.
pub const PAGES: usize = 0x110000 / PAGE;
/// The delta that marks a separator (folded to nothing).
pub const SEPARATOR: i32 = i32::MIN;

/// The fold table: for each code point the delta to its folded form, or
/// [`SEPARATOR`]. Two-level (an index of pages of 256), so that the blocks
/// that fold nothing share one page of zeros.
#[derive(Debug, Clone)]
pub struct FoldTable {
    /// For each block of 256 code points, the page that holds its deltas.
    pub index: Vec<u16>,
    pub pages: Vec<[i32; PAGE]>,
    /// Chinese numerals and their ASCII digits (`fold_digits`), sorted.
    pub digits: Vec<(char, char)>,
}

impl Default for FoldTable {
    fn default() -> Self {
        FoldTable::new()
    }
}

impl FoldTable {
    /// A table that folds nothing.
    pub fn new() -> FoldTable {
        FoldTable {
            index: vec![0; PAGES],
            pages: vec![[0; PAGE]],
            digits: Vec::new(),
        }
    }

    /// The folded form of `c` by the table alone, or `None` for a separator.
    #[inline(always)]
    pub fn get(&self, c: char) -> Option<char> {
        let cp = c as u32;
        let page = self.index[(cp as usize) >> 8] as usize;
        let delta = self.pages[page][(cp as usize) & (PAGE - 1)];
        if delta == SEPARATOR {
            return None;
        }
        // Deltas are only stored for valid targets (checked in `map`).
        char::from_u32(cp.wrapping_add(delta as u32))
    }

    /// The folded form of `c`, or `None` for a separator. ASCII, most of
    /// what Latin evasions are made of, is decided without the table: every
    /// ASCII character that is not a letter or digit is white space,
    /// punctuation, a symbol or a control character, all separators but
    /// `%`, which means something inside a phrase ("100%").
    #[inline(always)]
    pub fn fold(&self, c: char) -> Option<char> {
        if c.is_ascii() {
            return (c.is_ascii_alphanumeric() || c == '%').then(|| c.to_ascii_lowercase());
        }
        self.get(c)
    }

    /// The digit a folded Chinese numeral stands for, else `c`.
    #[inline(always)]
    pub fn digit(&self, c: char) -> char {
        if c.is_ascii() {
            return c;
        }
        match self.digits.binary_search_by_key(&c, |&(from, _)| from) {
            Ok(i) => self.digits[i].1,
            Err(_) => c,
        }
    }

    /// Sets the delta of a code point.
    pub fn set(&mut self, cp: u32, delta: i32) {
        let block = (cp as usize) >> 8;
        if self.index[block] == 0 {
            self.pages.push([0; PAGE]);
            self.index[block] = (self.pages.len() - 1) as u16;
        }
        let page = self.index[block] as usize;
        self.pages[page][(cp as usize) & (PAGE - 1)] = delta;
    }

    /// Folds `from` to `to`.
    pub fn map(&mut self, from: char, to: char) {
        if from != to {
            self.set(from as u32, to as i32 - from as i32);
        }
    }

    /// Makes a code point a separator.
    pub fn separator(&mut self, cp: u32) {
        self.set(cp, SEPARATOR);
    }
}

/// Folds `text` into `chars` (what is left of each character that is not a
/// separator) and `origin` (the index in `text`, in chars, of each).
#[inline(never)]
pub fn fold_into(table: &FoldTable, text: &str, chars: &mut Vec<char>, origin: &mut Vec<u32>) {
    // A char takes at least one byte: no push below reallocates.
    chars.reserve(text.len());
    origin.reserve(text.len());
    for (n, c) in text.chars().enumerate() {
        if let Some(f) = table.fold(c) {
            chars.push(f);
            origin.push(n as u32);
        }
    }
}

/// Little-endian u32s from bytes (a length not a multiple of four drops
/// the rest); for loading a compiled list quickly.
#[inline(never)]
pub fn u32s_from_le(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Replaces each Chinese numeral in `chars` by its digit
/// ([`FoldTable::digit`]).
#[inline(never)]
pub fn fold_digits(table: &FoldTable, chars: &[char]) -> Vec<char> {
    chars.iter().map(|&c| table.digit(c)).collect()
}

/// Every occurrence of `automaton`'s patterns in `text` (no folding),
/// overlapping ones included: `f(start, end, value)`, byte offsets. For the
/// lexicons that are not phrase lists (triage's cues and intents).
#[inline(never)]
pub fn overlapping(
    automaton: &CharwiseDoubleArrayAhoCorasick<u32>,
    text: &str,
    f: &mut dyn FnMut(usize, usize, u32),
) {
    for m in automaton.find_overlapping_iter(text) {
        f(m.start(), m.end(), m.value());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_skips_separators_and_keeps_origins() {
        let mut t = FoldTable::new();
        t.map('驢', '驴');
        t.separator('*' as u32); // ASCII is decided without the table anyway
        t.separator(0x200b);
        let (mut chars, mut origin) = (Vec::new(), Vec::new());
        fold_into(&t, "蠢*驢 S.B蠢\u{200b}驴", &mut chars, &mut origin);
        assert_eq!(chars.iter().collect::<String>(), "蠢驴sb蠢驴");
        assert_eq!(origin, [0, 2, 4, 6, 7, 9]);
        let trie = Trie::new(&[vec!['蠢', '驴'], vec!['s', 'b']]);
        let mut seen = Vec::new();
        trie.find(&chars, &mut |v, s, e| seen.push((v, s, e)));
        assert_eq!(seen, [(0, 0, 2), (1, 2, 4), (0, 4, 6)]);
    }

    #[test]
    fn digits_fold_only_when_asked() {
        let mut t = FoldTable::new();
        t.digits = vec![('一', '1')];
        assert_eq!(t.digit('一'), '1');
        assert_eq!(t.digit('二'), '二');
        assert_eq!(t.fold('A'), Some('a'));
        assert_eq!(t.fold('%'), Some('%'));
        assert_eq!(t.fold('-'), None);
    }
}
