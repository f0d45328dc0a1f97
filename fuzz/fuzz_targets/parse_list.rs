//! Any bytes as a list file, TOML or plain text: parsing never panics, a
//! list comes back exactly when there is no error, every diagnostic points
//! inside the file, and an accepted list compiles and matches its examples
//! without panicking.
#![no_main]

use kefu::lists::parse;
use kefu::matcher::Matcher;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("fuzz.toml", rest),
        Some((_, rest)) => ("fuzz.txt", rest),
        None => return,
    };
    let parsed = parse(name, bytes);
    assert_eq!(parsed.has_errors(), parsed.list.is_none());
    let lines = bytes.split(|&b| b == b'\n').count();
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.line <= lines.max(1), "{d:?}");
        assert!(d.col >= 1);
        let _ = d.to_string();
    }
    if let Some(list) = parsed.list {
        let m = Matcher::new(std::slice::from_ref(&list));
        for rule in &list.rules {
            for ex in rule.examples_hit.iter().chain(&rule.examples_ok) {
                let _ = m.find(ex);
            }
        }
        let bytes = m.to_bytes();
        let loaded =
            Matcher::from_bytes_for(&bytes, std::slice::from_ref(&list)).expect("own bytes load");
        let _ = loaded.find("蠢驴 sb 第一");
    }
});
