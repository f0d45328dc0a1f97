//! Any batch of comment texts through triage: never panics, one result per
//! comment in order, scores 0–100, a cluster shared by at least two.
#![no_main]

use kefu::settings::Settings;
use kefu::triage::{Comment, Triager};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn triager() -> &'static Triager {
    static T: OnceLock<Triager> = OnceLock::new();
    T.get_or_init(Triager::new)
}

fuzz_target!(|input: (Vec<&str>, Vec<String>, Option<i64>)| {
    let (texts, watch_words, now) = input;
    let comments: Vec<Comment> = texts.iter().map(|t| Comment::from_text(t)).collect();
    let settings = Settings {
        watch_words,
        ..Settings::default()
    };
    let out = triager().triage(&comments, &settings, now);
    assert_eq!(out.len(), comments.len());
    for t in &out {
        assert!(t.score <= 100, "{t:?}");
        if let Some(c) = t.cluster {
            assert!(out.iter().filter(|o| o.cluster == Some(c)).count() >= 2);
        }
    }
    if let Some(first) = texts.first() {
        let one = triager().triage_text(first);
        assert!(one.score <= 100);
    }
});
