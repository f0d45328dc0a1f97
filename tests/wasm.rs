//! The wasm boundary, tested in real browsers (headless Chromium and
//! Firefox, via wasm-bindgen-test-runner; see scripts/test.sh). Native
//! builds skip this file: the core is tested natively elsewhere.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use kefu::wasm::Engine;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The data bundle that ships beside the wasm (written by `make wasm`).
const DATA: &str = include_str!("../extension/pkg/kefu-data.json");

fn engine() -> Engine {
    kefu::wasm::install_data(DATA).expect("the data bundle installs");
    Engine::new().expect("an engine")
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("object")
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn an_insult_blocks_with_utf16_offsets() {
    let engine = engine();
    // The emoji is one char but two UTF-16 code units: JavaScript's offsets.
    let report = engine
        .check("😀你这个蠢驴", None, JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(get(&report, "verdict"), "block");
    let findings = Array::from(&get(&report, "findings"));
    let insult = findings
        .iter()
        .find(|f| get(f, "label") == "insult")
        .expect("an insult finding");
    assert_eq!(get(&insult, "start").as_f64(), Some(5.0));
    assert_eq!(get(&insult, "end").as_f64(), Some(7.0));
    assert_eq!(get(&insult, "text"), "蠢驴");
}

#[wasm_bindgen_test]
fn a_clean_reply_is_not_blocked() {
    let engine = engine();
    let report = engine
        .check("亲，您好，我们马上为您处理哦", None, JsValue::UNDEFINED)
        .unwrap();
    assert_ne!(get(&report, "verdict"), "block");
}

#[wasm_bindgen_test]
fn a_batch_of_comments_in_one_batch_out() {
    let engine = engine();
    let comments = Array::new();
    comments.push(&obj(&[("id", "a".into()), ("text", "顶".into())]));
    comments.push(&obj(&[
        ("id", "b".into()),
        ("text", "我的护照丢在飞机上了，怎么办？".into()),
    ]));
    comments.push(&obj(&[("id", "c".into())])); // no text: an error in its place
    let out = Array::from(&engine.triage(comments.into(), 1.8e12).unwrap());
    assert_eq!(out.length(), 3);
    assert_eq!(get(&out.get(0), "id"), "a");
    assert_eq!(get(&out.get(0), "urgency"), "noise");
    assert_eq!(get(&out.get(1), "urgency"), "critical");
    assert!(get(&out.get(2), "error").is_string());
}

#[wasm_bindgen_test]
fn a_broken_list_is_rejected_and_the_lists_in_force_stay() {
    let mut engine = engine();
    let before = Array::from(&engine.list_summary().unwrap()).length();
    let files = Array::new();
    files.push(&obj(&[
        ("name", "broken.toml".into()),
        ("text", "[list]\nid = \"x\"\nversion = 1\n".into()),
    ]));
    let err = engine.load_lists(files.into()).unwrap_err();
    // Among the diagnostics, the wrong type of `version`, on line 3.
    let diags = Array::from(&err);
    assert!(diags.iter().all(|d| get(&d, "file") == "broken.toml"));
    assert!(
        diags.iter().any(|d| get(&d, "line").as_f64() == Some(3.0)),
        "a diagnostic on line 3"
    );
    assert_eq!(
        Array::from(&engine.list_summary().unwrap()).length(),
        before
    );
    // The defaults still block.
    let report = engine.check("蠢驴", None, JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&report, "verdict"), "block");
}

#[wasm_bindgen_test]
fn a_good_list_is_applied() {
    let mut engine = engine();
    let files = Array::new();
    files.push(&obj(&[
        ("name", "brand.txt".into()),
        ("text", "# brand words\n竞品甲\n".into()),
    ]));
    engine.load_lists(files.into()).unwrap();
    let report = engine
        .check("您可以试试竞品甲", None, JsValue::UNDEFINED)
        .unwrap();
    let findings = Array::from(&get(&report, "findings"));
    assert!(findings.iter().any(|f| get(&f, "rule") == "brand/phrases"));
}

#[wasm_bindgen_test]
fn a_batch_as_json_text_gives_the_same_results() {
    let engine = engine();
    let input =
        r#"[{"id":"a","text":"顶"},{"id":"b","text":"我的护照丢在飞机上了，怎么办？"},{"id":"c"}]"#;
    let out: serde_json::Value =
        serde_json::from_str(&engine.triage_json(input, 1.8e12).unwrap()).unwrap();
    assert_eq!(out[0]["urgency"], "noise");
    assert_eq!(out[1]["urgency"], "critical");
    assert!(out[2]["error"].is_string());
}
