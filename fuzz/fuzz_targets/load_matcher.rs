//! Damaged compiled bytes: a real compiled matcher with bytes changed, cut
//! or appended never panics on load, and whatever loads can scan.
#![no_main]

use kefu::guard::default_lists;
use kefu::lists::parse;
use kefu::matcher::Matcher;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn bytes() -> &'static Vec<u8> {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| {
        let lists: Vec<_> = default_lists()
            .iter()
            .filter_map(|(n, t)| parse(n, t.as_bytes()).list)
            .collect();
        Matcher::new(&lists).to_bytes()
    })
}

fuzz_target!(|edit: (u32, Vec<u8>, bool)| {
    let (at, patch, cut) = edit;
    let mut b = bytes().clone();
    let at = at as usize % (b.len() + 1);
    if cut {
        b.truncate(at);
        b.extend_from_slice(&patch);
    } else {
        for (i, p) in patch.iter().enumerate() {
            if let Some(x) = b.get_mut(at + i) {
                *x ^= p;
            }
        }
    }
    if let Ok(m) = Matcher::from_bytes(&b) {
        let _ = m.find("你这个蠢驴，全网第一，保证100%");
    }
});
