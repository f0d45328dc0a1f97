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
    /// A table that folds nothing but ASCII (see [`FoldTable::fold`]).
    pub fn new() -> FoldTable {
        let mut ascii = [0; PAGE];
        for (cp, delta) in ascii.iter_mut().enumerate().take(128) {
            let c = cp as u8;
            *delta = if c.is_ascii_uppercase() {
                i32::from(b'a') - i32::from(b'A')
            } else if c.is_ascii_alphanumeric() || c == b'%' {
                0
            } else {
                SEPARATOR
            };
        }
        let mut index = vec![0; PAGES];
        index[0] = 1;
        FoldTable {
            index,
            pages: vec![[0; PAGE], ascii],
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
    /// what Latin evasions are made of, is decided by a fixed rule (set up
    /// by [`FoldTable::new`]; [`FoldTable::set`] leaves it alone): every
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

    /// The folded form of `c` and whether it is kept (not a separator),
    /// without a branch: for a separator the char is meaningless.
    #[inline(always)]
    pub fn fold_fast(&self, c: char) -> (char, bool) {
        let cp = c as u32;
        let delta = self.pages[self.index[(cp >> 8) as usize] as usize][(cp & 0xff) as usize];
        let f = char::from_u32(cp.wrapping_add(delta as u32)).unwrap_or('\0');
        (f, delta != SEPARATOR)
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

    /// Sets the delta of a code point (not of ASCII, whose rule is fixed).
    pub fn set(&mut self, cp: u32, delta: i32) {
        if cp < 128 {
            return;
        }
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
    fold_loop(
        table,
        char_count(text),
        text.chars().zip(0..),
        chars,
        origin,
    );
}

/// [`fold_into`] of a text given as UTF-16 code units (as JavaScript holds
/// its strings): `origin` in code units, an unpaired surrogate read as
/// U+FFFD.
#[inline(never)]
pub fn fold_into_utf16(
    table: &FoldTable,
    text: &[u16],
    chars: &mut Vec<char>,
    origin: &mut Vec<u32>,
) {
    fold_loop(table, text.len(), utf16_chars(text), chars, origin);
}

/// How many chars `text` has (the room the fold loops take: bytes would
/// be three times too many for Chinese, in three arrays).
#[inline(always)]
fn char_count(text: &str) -> usize {
    // The standard count: it counts the bytes that begin a char, many at a
    // time.
    text.chars().count()
}

/// The chars of UTF-16 text with the code unit each begins at.
#[inline(always)]
fn utf16_chars(text: &[u16]) -> impl Iterator<Item = (char, u32)> + '_ {
    char::decode_utf16(text.iter().copied()).scan(0u32, |at, r| {
        let c = r.unwrap_or('\u{fffd}');
        let here = *at;
        // A replaced unpaired surrogate took one unit, as U+FFFD does.
        *at += c.len_utf16() as u32;
        Some((c, here))
    })
}

/// The loop of the fold functions: `text` yields at most `len` chars, each
/// with where it is in the original.
#[inline(always)]
fn fold_loop(
    table: &FoldTable,
    len: usize,
    text: impl Iterator<Item = (char, u32)>,
    chars: &mut Vec<char>,
    origin: &mut Vec<u32>,
) {
    // Room for every char of the text. Each char is written at `k`, which
    // moves on only past one that is not a separator: no branch on what the
    // char is (text mixes punctuation, Latin and Chinese, and such branches
    // are mispredicted).
    chars.reserve(len);
    origin.reserve(len);
    let (c0, o0) = (chars.len(), origin.len());
    let spare = &mut chars.spare_capacity_mut()[..len];
    let ospare = &mut origin.spare_capacity_mut()[..len];
    let mut k = 0;
    for (c, n) in text {
        let (f, keep) = table.fold_fast(c);
        spare[k].write(f);
        ospare[k].write(n);
        k += usize::from(keep);
    }
    // SAFETY: the first `k` elements of both spare capacities were written
    // above (each index up to `k` was written before `k` moved past it).
    unsafe {
        chars.set_len(c0 + k);
        origin.set_len(o0 + k);
    }
}

/// [`fold_into`], and at the same time the positions (in `chars`) where a
/// key of `trie` may begin, into `starts` (in order), for
/// [`Trie::find_from`]: one pass over the text instead of two.
#[inline(never)]
pub fn fold_with_starts(
    table: &FoldTable,
    trie: &Trie,
    text: &str,
    chars: &mut Vec<char>,
    origin: &mut Vec<u32>,
    starts: &mut Vec<u32>,
) {
    let it = text.chars().zip(0..);
    fold_starts_loop(table, trie, char_count(text), it, chars, origin, starts);
}

/// [`fold_with_starts`] of UTF-16 text, as [`fold_into_utf16`].
#[inline(never)]
pub fn fold_with_starts_utf16(
    table: &FoldTable,
    trie: &Trie,
    text: &[u16],
    chars: &mut Vec<char>,
    origin: &mut Vec<u32>,
    starts: &mut Vec<u32>,
) {
    let it = utf16_chars(text);
    fold_starts_loop(table, trie, text.len(), it, chars, origin, starts);
}

#[inline(always)]
fn fold_starts_loop(
    table: &FoldTable,
    trie: &Trie,
    len: usize,
    text: impl Iterator<Item = (char, u32)>,
    chars: &mut Vec<char>,
    origin: &mut Vec<u32>,
    starts: &mut Vec<u32>,
) {
    if trie.is_empty() {
        return fold_loop(table, len, text, chars, origin);
    }
    chars.reserve(len);
    origin.reserve(len);
    starts.reserve(len);
    let (c0, o0, s0) = (chars.len(), origin.len(), starts.len());
    let spare = &mut chars.spare_capacity_mut()[..len];
    let ospare = &mut origin.spare_capacity_mut()[..len];
    let sspare = &mut starts.spare_capacity_mut()[..len];
    let (mut k, mut m) = (0, 0);
    // The last char kept (0 before the first: never a pair of the trie's).
    let mut prev = 0u32;
    for (c, n) in text {
        let (f, keep) = table.fold_fast(c);
        spare[k].write(f);
        ospare[k].write(n);
        // A key may begin at k - 1: the previous char alone, or with this one.
        sspare[m].write((k as u32).wrapping_sub(1));
        let may = trie.may_begin(prev, f as u32) | trie.may_be_single(prev);
        m += usize::from(keep & (k > 0) & may);
        if keep {
            prev = f as u32;
        }
        k += usize::from(keep);
    }
    // The last char kept has no next one: a key of one character only.
    if k > 0 && trie.may_be_single(prev) {
        sspare[m].write(k as u32 - 1);
        m += 1;
    }
    // SAFETY: the first `k` (`m`) elements of the spare capacities were
    // written above (each index was written before the count moved past it).
    unsafe {
        chars.set_len(c0 + k);
        origin.set_len(o0 + k);
        starts.set_len(s0 + m);
    }
}

/// A checksum of `bytes`, eight at a time: for telling damaged compiled
/// lists (and changed data files) apart. Not for tampering.
#[inline(never)]
pub fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(31);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    h ^ (h >> 29)
}

/// Replaces each Chinese numeral in `chars` by its digit
/// ([`FoldTable::digit`]).
#[inline(never)]
pub fn fold_digits(table: &FoldTable, chars: &[char]) -> Vec<char> {
    chars.iter().map(|&c| table.digit(c)).collect()
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
    fn one_pass_finds_what_two_passes_find() {
        let mut t = FoldTable::new();
        t.map('驢', '驴');
        t.separator(0x200b);
        let keys: Vec<Vec<char>> = ["蠢驴", "sb", "驴子", "蠢驴子", "b蠢", "子", "b"]
            .iter()
            .map(|k| k.chars().collect())
            .collect();
        let trie = Trie::new(&keys);
        let mut x: u64 = 11;
        let pieces = ["蠢", "驢", "驴", "子", "S", "b", " ", "\u{200b}", "!", "好"];
        for _ in 0..200 {
            let text: String = (0..(x % 40) as usize)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    pieces[(x % pieces.len() as u64) as usize]
                })
                .collect();
            let (mut c1, mut o1, mut c2, mut o2, mut starts) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            fold_into(&t, &text, &mut c1, &mut o1);
            fold_with_starts(&t, &trie, &text, &mut c2, &mut o2, &mut starts);
            assert_eq!((&c1, &o1), (&c2, &o2), "{text}");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            trie.find(&c1, &mut |v, s, e| a.push((v, s, e)));
            trie.find_from(&c2, &starts, &mut |v, s, e| b.push((v, s, e)));
            assert_eq!(a, b, "{text}");
        }
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
