//! The character table behind `fold_char`, built once from the data files in
//! `data/fold/` (see `data/fold/README.md` for where each comes from).
//!
//! The table covers all of Unicode as 256-character pages: a page index per
//! block of 256 code points and a page of deltas (`folded - original`), so
//! every block that nothing maps (most of Unicode) shares the all-zero page.
//! A lookup is two array reads. Building it costs well under a millisecond of
//! parsing and about 200 KiB of memory.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

// The data files (crate::data): built in natively, handed over in wasm.
const UNICODE: &str = "data/fold/unicode.txt";
const TS_CHARACTERS: &str = "data/fold/opencc/TSCharacters.txt";
const TW_VARIANTS_REV: &str = "data/fold/opencc/TWVariantsRev.txt";
const HK_VARIANTS_REV: &str = "data/fold/opencc/HKVariantsRev.txt";
const LOOKALIKES: &str = "data/fold/lookalikes.txt";
const EXTRA_SEPARATORS: &str = "data/fold/separators.txt";
const DIGITS: &str = "data/fold/digits.txt";

/// The data the table is built from, for fingerprints of compiled forms
/// that depend on it.
pub(crate) fn sources() -> &'static [&'static str] {
    static SOURCES: OnceLock<Vec<&'static str>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        [
            UNICODE,
            TS_CHARACTERS,
            TW_VARIANTS_REV,
            HK_VARIANTS_REV,
            LOOKALIKES,
            EXTRA_SEPARATORS,
            DIGITS,
        ]
        .iter()
        .map(|p| crate::data::get(p))
        .collect()
    })
}

/// A delta no real mapping has: the character is a separator.
/// The table's layout lives in `kefu-scan`, the crate built for speed that
/// runs the matching loop; how it is built from the data files is here.
pub(crate) use kefu_scan::FoldTable as Table;
use kefu_scan::{PAGE, SEPARATOR};

/// The table, built on first use.
pub(crate) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn hex(s: &str) -> Option<u32> {
    u32::from_str_radix(s, 16).ok()
}

/// Lines of a data file without comments and blank lines.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// OpenCC dictionary lines `KEY\tVALUE [VALUE…]`, single characters only;
/// the first value is OpenCC's preferred one.
fn opencc_pairs(text: &str) -> impl Iterator<Item = (char, char)> + '_ {
    data_lines(text).filter_map(|l| {
        let (k, v) = l.split_once('\t')?;
        let mut kc = k.chars();
        let key = kc.next()?;
        let value = v.split(' ').next()?;
        let mut vc = value.chars();
        let val = vc.next()?;
        (kc.next().is_none() && vc.next().is_none()).then_some((key, val))
    })
}

/// Two-character lines `X Y`.
fn char_pairs(text: &str) -> impl Iterator<Item = (char, char)> + '_ {
    data_lines(text).filter_map(|l| {
        let mut it = l.split_whitespace().map(|w| w.chars());
        let (mut a, mut b) = (it.next()?, it.next()?);
        Some((a.next()?, b.next()?))
    })
}

fn build() -> Table {
    let mut t = Table::new();
    // 1. Unicode: compatibility forms, case, diacritics, digits, separators.
    //    The generator already closed these under repetition.
    for line in data_lines(crate::data::get(UNICODE)) {
        let (kind, rest) = line.split_at(1);
        let mut parts = rest.split_whitespace();
        let Some(range) = parts.next() else { continue };
        let (from, to) = match range.split_once("..") {
            Some((a, b)) => (hex(a), hex(b)),
            None => (hex(range), hex(range)),
        };
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        match kind {
            "=" => {
                let Some(target) = parts.next().and_then(hex) else {
                    continue;
                };
                for (i, cp) in (from..=to).enumerate() {
                    if let (Some(f), Some(t2)) =
                        (char::from_u32(cp), char::from_u32(target + i as u32))
                    {
                        t.map(f, t2);
                    }
                }
            }
            "-" => (from..=to).for_each(|cp| t.separator(cp)),
            _ => {}
        }
    }
    for c in data_lines(crate::data::get(EXTRA_SEPARATORS)).filter_map(|l| l.chars().next()) {
        t.separator(c as u32);
    }
    // 2. Look-alike letters, after Unicode's lower-casing: every character
    //    whose fold so far is a look-alike now folds to its Latin letter.
    let lookalikes: Vec<(char, char)> = char_pairs(crate::data::get(LOOKALIKES)).collect();
    // 3. Traditional → simplified. Regional variants first go to OpenCC's
    //    standard traditional form, then through TSCharacters.
    let ts: BTreeMap<char, char> = opencc_pairs(crate::data::get(TS_CHARACTERS)).collect();
    let simplified: BTreeSet<char> = ts.values().copied().collect();
    let mut second: BTreeMap<char, char> = lookalikes.iter().copied().collect();
    for (k, v) in opencc_pairs(crate::data::get(TW_VARIANTS_REV))
        .chain(opencc_pairs(crate::data::get(HK_VARIANTS_REV)))
    {
        // A regional variant that is also a simplified character (TW 么 for
        // 幺) must stay: simplified text uses it for another word (什么).
        if !simplified.contains(&k) {
            second.insert(k, *ts.get(&v).unwrap_or(&v));
        }
    }
    for (&k, &v) in &ts {
        second.entry(k).or_insert(v);
    }
    // Apply the second stage to every character the first stage maps, and to
    // the second stage's own keys.
    let mut firsts = Vec::new();
    for (block, &page) in t.index.iter().enumerate() {
        if page == 0 {
            continue;
        }
        for (i, &delta) in t.pages[page as usize].iter().enumerate() {
            if delta != 0 && delta != SEPARATOR {
                let cp = (block * PAGE + i) as u32;
                firsts.push((cp, cp.wrapping_add(delta as u32)));
            }
        }
    }
    for (cp, folded) in firsts {
        if let (Some(c), Some(f)) = (char::from_u32(cp), char::from_u32(folded)) {
            if let Some(&s) = second.get(&f) {
                t.map(c, s);
            }
        }
    }
    for (&k, &v) in &second {
        // A key the first stage already changed (an upper-case look-alike)
        // was handled above; the key itself folds through the first stage.
        if t.get(k) == Some(k) {
            let v = t.get(v).unwrap_or(v);
            t.map(k, v);
        }
    }
    close(&mut t);
    t.digits = char_pairs(crate::data::get(DIGITS)).collect();
    crate::sort::sort_unstable(&mut t.digits);
    t
}

/// Makes every mapping final: a character that maps to a character that
/// maps on (or is a separator) takes the end of the chain, so that folded
/// text is a fixed point of folding.
fn close(t: &mut Table) {
    loop {
        let mut changes = Vec::new();
        for (block, &page) in t.index.iter().enumerate() {
            if page == 0 {
                continue;
            }
            for (i, &delta) in t.pages[page as usize].iter().enumerate() {
                if delta == 0 || delta == SEPARATOR {
                    continue;
                }
                let cp = (block * PAGE + i) as u32;
                let Some(target) = char::from_u32(cp.wrapping_add(delta as u32)) else {
                    continue;
                };
                match t.get(target) {
                    None => changes.push((cp, None)),
                    Some(next) if next != target => changes.push((cp, Some(next))),
                    Some(_) => {}
                }
            }
        }
        if changes.is_empty() {
            return;
        }
        for (cp, to) in changes {
            match (to, char::from_u32(cp)) {
                (Some(to), Some(from)) => t.map(from, to),
                _ => t.separator(cp),
            }
        }
    }
}
