//! A batch of comments as JSON text in, the results as JSON text out: the
//! cheapest way across the wasm boundary for a busy post.
//!
//! Converting 5,000 JavaScript objects field by field into Rust values and
//! the results back costs more than triaging them; `JSON.stringify` and
//! `JSON.parse` on the JavaScript side and one string each way cost a
//! fraction of that (see BENCHMARKS.md, "Triage"). The wasm layer can call
//! [`triage_json`] with the string it is given.

use super::{Comment, Triager};
use crate::settings::Settings;
use serde_json::{json, Value};

/// Triages `comments`, a JSON array of comment objects (Weibo's comment
/// JSON or `{id, text, …}`), and returns a JSON array with one result per
/// comment in order; a comment that cannot be read gets `{"id": INDEX,
/// "error": "…"}` in its place. The error is for input that is not a JSON
/// array at all.
pub fn triage_json(
    t: &Triager,
    settings: &Settings,
    comments: &str,
    now: Option<i64>,
) -> Result<String, String> {
    let values: Vec<Value> = serde_json::from_str(comments)
        .map_err(|e| format!("comments must be a JSON array of objects: {e}"))?;
    let mut good = Vec::with_capacity(values.len());
    // The comments that cannot be read, by index.
    let mut errors = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match Comment::from_json(v, json!(i)) {
            Ok(c) => good.push(c),
            Err(e) => errors.push((i, e)),
        }
    }
    drop(values);
    let mut triaged = t.triage(&good, settings, now).into_iter();
    let mut errors = errors.into_iter().peekable();
    // Written straight into one string (no intermediate JSON values).
    let n = good.len() + errors.len();
    let mut out = Vec::with_capacity(n * 160);
    out.push(b'[');
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        let written = match errors.next_if(|(at, _)| *at == i) {
            None => serde_json::to_writer(&mut out, &triaged.next()),
            Some((_, e)) => serde_json::to_writer(&mut out, &json!({"id": i, "error": e})),
        };
        written.map_err(|e| e.to_string())?;
    }
    out.push(b']');
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_in_order_with_errors_in_place() {
        let t = Triager::new();
        let out = triage_json(
            &t,
            &Settings::default(),
            r#"[{"id": "a", "text": "顶"}, 7, {"text": "退款什么时候到账？"}]"#,
            None,
        )
        .unwrap();
        let v: Vec<Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["id"], "a");
        assert_eq!(v[0]["urgency"], "noise");
        assert_eq!(v[1]["id"], 1);
        assert!(v[1]["error"].is_string());
        assert_eq!(v[2]["category"], "question");
        assert!(triage_json(&t, &Settings::default(), "{}", None).is_err());
    }
}
