//! A batch of comments as JSON text in, the results as JSON text out: the
//! cheapest way across the wasm boundary for a busy post.
//!
//! Converting 5,000 JavaScript objects field by field into Rust values and
//! the results back costs more than triaging them; `JSON.stringify` and
//! `JSON.parse` on the JavaScript side and one string each way cost a
//! fraction of that (see BENCHMARKS.md, "Triage"). The wasm layer can call
//! [`triage_json`] with the string it is given.

use super::comment::Incoming;
use super::{Triage, Triager};
use crate::settings::Settings;
use serde_json::json;

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
    // Only the fields triage reads are built (`Incoming`), not whole values.
    let values: Vec<Incoming> = serde_json::from_str(comments)
        .map_err(|e| format!("comments must be a JSON array of objects: {e}"))?;
    let mut good = Vec::with_capacity(values.len());
    // The comments that cannot be read, by index.
    let mut errors = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v.comment(json!(i)) {
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
        match errors.next_if(|(at, _)| *at == i) {
            None => match triaged.next() {
                Some(t) => write_triage(&mut out, &t),
                None => out.extend_from_slice(b"null"),
            },
            Some((_, e)) => {
                serde_json::to_writer(&mut out, &json!({"id": i, "error": e}))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    out.push(b']');
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// Writes `t` as the JSON object that its `Serialize` writes, by hand:
/// serde's writer escapes every key and value byte by byte, and this runs
/// for every comment of a busy post.
fn write_triage(out: &mut Vec<u8>, t: &Triage) {
    out.extend_from_slice(b"{\"id\":");
    match &t.id {
        serde_json::Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        serde_json::Value::String(s) => string(out, s),
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
    for (key, value) in [
        ("category", t.category.as_str()),
        ("urgency", t.urgency.as_str()),
    ] {
        out.extend_from_slice(b",\"");
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":\"");
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b",\"score\":");
    out.extend_from_slice(t.score.to_string().as_bytes());
    out.extend_from_slice(b",\"reasons\":[");
    for (i, r) in t.reasons.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, r);
    }
    out.extend_from_slice(b"],\"cluster\":");
    match t.cluster {
        Some(c) => out.extend_from_slice(c.to_string().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"intent\":");
    match &t.intent {
        Some(i) => string(out, i),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// A JSON string, escaped as serde_json escapes it; text with nothing to
/// escape (nearly all) is copied as it is. Also the CLI's writer (`jsonl`).
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        serde_json::to_writer(out, s).expect("a string serializes");
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::Comment;
    use serde_json::Value;

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

    #[test]
    fn read_as_values_are_read() {
        // The batch reads comments without building values; the result is
        // the comment `Comment::from_json` reads.
        let batch = r#"[
            {"id": 1, "text": "好<img alt=\"[心]\">", "junk": {"deep": [1, {"x": null}]},
             "created_at": "Tue Jan 23 16:44:41 +0800 2018", "like_counts": "1.5万",
             "likes": 3, "user": {"id": 17, "followers_count": "1.2万", "verified": true,
             "screen_name": "小王", "user": 5}},
            {"text_raw": "退款\u4ec0么时候到", "text": "x", "uid": 9, "is_mblog_author": true},
            {"text": 5}, [1, 2], "str", null, {"user": [], "text": "好"}
        ]"#;
        let incoming: Vec<Incoming> = serde_json::from_str(batch).unwrap();
        let values: Vec<Value> = serde_json::from_str(batch).unwrap();
        assert_eq!(incoming.len(), values.len());
        for (i, (inc, v)) in incoming.iter().zip(&values).enumerate() {
            assert_eq!(
                inc.comment(json!(i)),
                Comment::from_json(v, json!(i)),
                "{v}"
            );
        }
        assert_eq!(incoming[0].comment(Value::Null).unwrap().likes, 15_000);
    }

    #[test]
    fn written_by_hand_as_serde_writes_it() {
        let t = Triager::new();
        let texts = [
            "等了三天还没发货[怒]",
            "引号\"和\\反斜杠\n换行，退款什么时候到账？",
            "退款多久能到账",
            "顶",
        ];
        let comments: Vec<Comment> = texts.iter().map(|x| Comment::from_text(x)).collect();
        let mut results = t.triage(&comments, &Settings::default(), None);
        results[1].id = json!("a\"b");
        results[2].id = json!(12.5);
        for r in &results {
            let mut ours = Vec::new();
            write_triage(&mut ours, r);
            let ours: Value = serde_json::from_slice(&ours).unwrap();
            assert_eq!(ours, serde_json::to_value(r).unwrap());
        }
        assert!(results
            .iter()
            .any(|r| r.cluster.is_some() && r.intent.is_some()));
    }
}
