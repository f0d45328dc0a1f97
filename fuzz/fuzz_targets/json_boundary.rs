//! Any bytes as the JSON that crosses into the engine: the triage batch of
//! the wasm layer (`triage_json`), and JSON lines as `kefu triage` and
//! `kefu check --jsonl` read them (a comment object; a `draft` with a
//! `reply_to`). Never panics; a batch that parses gives a JSON array with one
//! element per comment.
#![no_main]

use kefu::guard::{Context, Guard};
use kefu::settings::Settings;
use kefu::triage::batch::triage_json;
use kefu::triage::{Comment, Triager};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;

fn engines() -> &'static (Triager, Guard) {
    static E: OnceLock<(Triager, Guard)> = OnceLock::new();
    E.get_or_init(|| (Triager::new(), Guard::with_default_lists()))
}

fuzz_target!(|data: &[u8]| {
    let (triager, guard) = engines();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(out) = triage_json(triager, &Settings::default(), text, Some(1_700_000_000)) {
        let results: Vec<Value> = serde_json::from_str(&out).expect("the output is JSON");
        let input: Vec<Value> = serde_json::from_str(text).expect("it parsed once");
        assert_eq!(results.len(), input.len());
    }
    for (n, line) in text.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Ok(c) = Comment::from_json(&v, json!(n)) {
            let _ = triager.triage(&[c], &Settings::default(), None);
        }
        if let Some(draft) = v.get("draft").and_then(Value::as_str) {
            let reply_to = v.get("reply_to").and_then(Value::as_str);
            let _ = guard.check(
                draft,
                &Context {
                    reply_to,
                    ..Context::default()
                },
            );
        }
    }
});
