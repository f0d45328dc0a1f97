//! Any text against the default lists: folding maps back to the original,
//! folded text is a fixed point, and every hit lies inside the text and
//! starts and ends on a character that is not a separator; the same text
//! as UTF-16 code units gives the same hits, in code units.
#![no_main]

use kefu::fold::{fold, fold_str, is_separator};
use kefu::guard::default_lists;
use kefu::lists::parse;
use kefu::matcher::Matcher;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let lists: Vec<_> = default_lists()
            .iter()
            .filter_map(|(n, t)| parse(n, t.as_bytes()).list)
            .collect();
        Matcher::new(&lists)
    })
}

fuzz_target!(|text: &str| {
    let f = fold(text);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(f.original_len, chars.len());
    assert!(f.origin.windows(2).all(|w| w[0] < w[1]));
    let s = f.as_string();
    assert_eq!(fold_str(&s), s);
    let hits = matcher().find(text);
    for h in &hits {
        assert!(h.start < h.end && h.end <= chars.len(), "{h:?}");
        assert!(!is_separator(chars[h.start]) && !is_separator(chars[h.end - 1]));
    }
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut unit_of = vec![0usize];
    for c in &chars {
        unit_of.push(unit_of[unit_of.len() - 1] + c.len_utf16());
    }
    let from_utf16: Vec<(usize, usize, usize, usize)> = matcher()
        .find_utf16(&units)
        .iter()
        .map(|h| (h.list, h.rule, h.start, h.end))
        .collect();
    let want: Vec<(usize, usize, usize, usize)> = hits
        .iter()
        .map(|h| (h.list, h.rule, unit_of[h.start], unit_of[h.end]))
        .collect();
    assert_eq!(from_utf16, want);
});
