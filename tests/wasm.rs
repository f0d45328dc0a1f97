//! The wasm boundary, tested in real browsers (headless Chromium and
//! Firefox, via wasm-bindgen-test-runner; see scripts/test.sh). Native
//! builds skip this file: the core is tested natively elsewhere.
#![cfg(target_arch = "wasm32")]

use kefu::wasm::Engine;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);
use serde_json::Value;

/// The data bundle that ships beside the wasm (written by `make wasm`).
const DATA: &str = include_str!("../extension/pkg/kefu-data.json");

fn engine() -> Engine {
    kefu::wasm::install_data(DATA).expect("the data bundle installs");
    Engine::new().expect("an engine")
}

fn parse(json: Result<String, wasm_bindgen::JsValue>) -> Value {
    serde_json::from_str(&json.expect("no error")).expect("JSON out")
}

fn check(engine: &Engine, draft: &str) -> Value {
    parse(engine.check(draft, None, None))
}

/// Whether checking `draft` gives a finding of `rule`.
fn flags(engine: &Engine, draft: &str, rule: &str) -> bool {
    check(engine, draft)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == rule)
}

/// A list read by the list reader (`testList`), as `configureLists` takes it.
fn read(engine: &Engine, name: &str, text: &str) -> Value {
    let r = parse(engine.test_list(name, text));
    assert!(r["failures"].as_array().unwrap().is_empty(), "{r}");
    r["read"].clone()
}

#[wasm_bindgen_test]
fn an_insult_blocks_with_utf16_offsets() {
    let engine = engine();
    // The emoji is one char but two UTF-16 code units: JavaScript's offsets.
    let report = check(&engine, "😀你这个蠢驴");
    assert_eq!(report["verdict"], "block");
    let insult = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "insult")
        .expect("an insult finding")
        .clone();
    assert_eq!(insult["start"], 5);
    assert_eq!(insult["end"], 7);
    assert_eq!(insult["text"], "蠢驴");
}

#[wasm_bindgen_test]
fn a_clean_reply_is_not_blocked() {
    let engine = engine();
    assert_ne!(
        check(&engine, "亲，您好，我们马上为您处理哦")["verdict"],
        "block"
    );
}

#[wasm_bindgen_test]
fn recent_replies_cross_as_an_array_of_strings() {
    let engine = engine();
    let draft = "亲，您好，非常抱歉给您添麻烦了，我们马上私信您处理哦";
    let report = parse(engine.check(draft, None, Some(vec![draft.to_string(); 3])));
    let labels: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["label"].as_str())
        .collect();
    assert!(labels.contains(&"repeated"), "{report}");
}

#[wasm_bindgen_test]
fn a_batch_as_json_text_in_one_batch_out() {
    let engine = engine();
    let input =
        r#"[{"id":"a","text":"顶"},{"id":"b","text":"我的护照丢在飞机上了，怎么办？"},{"id":"c"}]"#;
    let out = parse(engine.triage_json(input, 1.8e12));
    assert_eq!(out.as_array().unwrap().len(), 3);
    assert_eq!(out[0]["id"], "a");
    assert_eq!(out[0]["urgency"], "noise");
    assert_eq!(out[1]["urgency"], "critical");
    assert!(out[2]["error"].is_string());
}

#[wasm_bindgen_test]
fn a_broken_list_is_reported_with_its_place_and_not_read() {
    let engine = engine();
    let r = parse(engine.test_list("broken.toml", "[list]\nid = \"x\"\nversion = 1\n"));
    assert!(r["read"].is_null());
    let diags = r["diagnostics"].as_array().unwrap();
    assert!(diags.iter().all(|d| d["file"] == "broken.toml"));
    // Among the diagnostics, the wrong type of `version`, on line 3.
    assert!(
        diags
            .iter()
            .any(|d| d["line"] == 3 && d["level"] == "error"),
        "{r}"
    );
}

#[wasm_bindgen_test]
fn a_good_list_is_applied_and_a_refused_set_keeps_the_lists_in_force() {
    let mut engine = engine();
    let brand = read(&engine, "brand.txt", "# brand words\n竞品甲\n");
    engine
        .configure_lists(&Value::Array(vec![brand.clone()]).to_string(), vec![], None)
        .unwrap();
    assert!(flags(&engine, "您可以试试竞品甲", "brand/phrases"));
    // The same list twice: refused whole, and the lists in force stay.
    let twice = Value::Array(vec![brand.clone(), brand]).to_string();
    assert!(engine.configure_lists(&twice, vec![], None).is_err());
    assert!(flags(&engine, "您可以试试竞品甲", "brand/phrases"));
    assert_eq!(check(&engine, "蠢驴")["verdict"], "block");
}

#[wasm_bindgen_test]
fn compiled_lists_load_back_only_for_the_same_lists() {
    let mut first_engine = engine();
    let brand = read(&first_engine, "brand.txt", "竞品甲\n");
    let lists = Value::Array(vec![brand]).to_string();
    let first = parse(first_engine.configure_lists(&lists, vec![], None));
    assert_eq!(first["fromCompiled"], false);
    let bytes = first_engine.serialize_lists();
    assert!(bytes.len() > 1000);

    // A fresh engine (a browser restart) loads the bytes instead of compiling.
    let mut fresh = engine();
    let again = parse(fresh.configure_lists(&lists, vec![], Some(bytes.clone())));
    assert_eq!(again["fromCompiled"], true);
    assert_eq!(again["lists"], first["lists"]);
    assert!(flags(&fresh, "您可以试试竞品甲", "brand/phrases"));

    // Bytes of other lists, or damaged ones, are not used: compiled again.
    let other = parse(fresh.configure_lists("[]", vec!["insults".into()], Some(bytes.clone())));
    assert_eq!(other["fromCompiled"], false);
    assert_ne!(check(&fresh, "蠢驴")["verdict"], "block");
    let mut damaged = bytes;
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0xff;
    let r = parse(fresh.configure_lists(&lists, vec![], Some(damaged)));
    assert_eq!(r["fromCompiled"], false);
    assert_eq!(check(&fresh, "蠢驴")["verdict"], "block");
}

#[wasm_bindgen_test]
fn settings_are_read_from_toml_and_put_in_force_as_json() {
    let mut engine = engine();
    let json = engine.read_settings("hotlines = [\"95555\"]\n").unwrap();
    engine.set_settings(&json).unwrap();
    assert_eq!(parse(engine.settings_json())["hotlines"][0], "95555");
    assert!(engine.read_settings("hotlines = 95555\n").is_err());
    assert!(engine.set_settings(r#"{"hotline": []}"#).is_err());
    // Refused settings change nothing.
    assert_eq!(parse(engine.settings_json())["hotlines"][0], "95555");
}

#[wasm_bindgen_test]
fn a_long_text_is_scanned_from_its_utf16_units() {
    let engine = engine();
    // Past replies, one a line; an emoji (two code units) before the insult.
    let text = "您好，已为您处理\n😀你这蠢 驴\n我们第一时间为您处理";
    let units: Vec<u16> = text.encode_utf16().collect();
    let hits = parse(engine.scan_text(&units));
    let hits = hits.as_array().unwrap();
    let insult = hits
        .iter()
        .find(|h| h["label"] == "insult")
        .expect("the insult is found");
    let at = |k: &str| insult[k].as_u64().unwrap() as usize;
    assert_eq!(
        String::from_utf16(&units[at("start")..at("end")]).unwrap(),
        "蠢 驴"
    );
    assert_eq!(insult["severity"], "block");
    // 第一时间 is an allowed context of the absolute-terms rule.
    let third_line = text.encode_utf16().count() - "我们第一时间为您处理".encode_utf16().count();
    assert!(
        hits.iter()
            .all(|h| h["start"].as_u64().unwrap() < third_line as u64),
        "{hits:?}"
    );
}
