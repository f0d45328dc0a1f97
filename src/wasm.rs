//! The wasm boundary: one thin layer over the core for the extension.
//!
//! Few, fat crossings: a batch of comments in, a batch of results out; one
//! draft in, one report out. Offsets in reports given to JavaScript are in
//! UTF-16 code units (what `String.prototype.slice` and `textarea`
//! selections use), converted here; the core and the CLI speak chars.
//!
//! Loading lists is atomic: [`Engine::load_lists`] either replaces the lists
//! in force or throws the diagnostics and changes nothing.

use crate::guard::{Context, Guard};
use crate::settings::Settings;
use crate::triage::{Comment, Triager};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// A list file handed over by the extension.
#[derive(Deserialize)]
struct ListFile {
    name: String,
    text: String,
}

#[derive(Serialize)]
struct JsDiagnostic {
    file: String,
    line: usize,
    col: usize,
    level: &'static str,
    message: String,
    display: String,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Installs the data files (fold tables, default lists, lexicons) from the
/// bundle that ships beside the wasm (`kefu-data.json`: `{path: text}`), once,
/// before the first [`Engine`]. See `crate::data`.
#[wasm_bindgen(js_name = installData)]
pub fn install_data(bundle: &str) -> Result<(), JsValue> {
    let files: std::collections::HashMap<String, String> = serde_json::from_str(bundle)
        .map_err(|e| JsValue::from_str(&format!("kefu-data.json is not a data bundle: {e}")))?;
    crate::data::install(files).map_err(|e| JsValue::from_str(&e))
}

/// The engine the extension holds: the guard and the triager.
#[wasm_bindgen]
pub struct Engine {
    guard: Guard,
    triager: Triager,
    settings: Settings,
}

#[wasm_bindgen]
impl Engine {
    /// An engine with the default lists and settings. The data files must
    /// have been installed first ([`install_data`]).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsValue> {
        if !crate::data::ready() {
            return Err(JsValue::from_str(
                "Kefu's data files are not installed: call installData(kefu-data.json) first",
            ));
        }
        Ok(Engine {
            guard: Guard::with_default_lists(),
            triager: Triager::new(),
            settings: Settings::default(),
        })
    }

    /// Adds lists (`[{name, text}]`) to the defaults, replacing any added
    /// before. On any error, throws the diagnostics (`[{file, line, col,
    /// level, message, display}]`) and keeps the lists in force.
    #[wasm_bindgen(js_name = loadLists)]
    pub fn load_lists(&mut self, files: JsValue) -> Result<JsValue, JsValue> {
        let files: Vec<ListFile> = serde_wasm_bindgen::from_value(files)
            .map_err(|e| JsValue::from_str(&format!("lists must be [{{name, text}}]: {e}")))?;
        let extra: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.name, f.text.into_bytes()))
            .collect();
        match Guard::with_default_lists().with_lists(&extra) {
            Ok(guard) => {
                self.guard = guard;
                self.list_summary()
            }
            Err(diags) => {
                let js: Vec<JsDiagnostic> = diags
                    .iter()
                    .map(|d| JsDiagnostic {
                        file: d.file.clone(),
                        line: d.line,
                        col: d.col,
                        level: match d.level {
                            crate::lists::Level::Error => "error",
                            crate::lists::Level::Warning => "warning",
                        },
                        message: d.message.clone(),
                        display: d.to_string(),
                    })
                    .collect();
                Err(to_js(&js)?)
            }
        }
    }

    /// The lists in force: `[{id, name, version, rules}]`.
    #[wasm_bindgen(js_name = listSummary)]
    pub fn list_summary(&self) -> Result<JsValue, JsValue> {
        let summary: Vec<serde_json::Value> = self
            .guard
            .lists()
            .iter()
            .map(|l| {
                serde_json::json!({
                    "id": l.id, "name": l.name, "version": l.version,
                    "owner": l.owner, "rules": l.rules.len(),
                })
            })
            .collect();
        to_js(&summary)
    }

    /// Replaces the team settings from their TOML; throws the error message
    /// and keeps the old settings on failure.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(&mut self, toml: &str) -> Result<(), JsValue> {
        self.settings = Settings::from_toml(toml).map_err(|e| JsValue::from_str(&e))?;
        Ok(())
    }

    /// Checks one draft; the report of `kefu check`, offsets in UTF-16.
    /// `reply_to` is the comment answered (or null); `recent` the agent's
    /// recent replies (an array of strings, or undefined), for `repeated`.
    /// The team settings' hotlines are not personal data.
    pub fn check(
        &self,
        draft: &str,
        reply_to: Option<String>,
        recent: JsValue,
    ) -> Result<JsValue, JsValue> {
        let recent: Vec<String> = if recent.is_undefined() || recent.is_null() {
            Vec::new()
        } else {
            serde_wasm_bindgen::from_value(recent)
                .map_err(|e| JsValue::from_str(&format!("recent must be [string]: {e}")))?
        };
        let mut report = self.guard.check(
            draft,
            &Context {
                reply_to: reply_to.as_deref(),
                recent: &recent,
                hotlines: &self.settings.hotlines,
                ..Context::default()
            },
        );
        let utf16 = utf16_offsets(draft);
        for f in &mut report.findings {
            f.start = utf16[f.start];
            f.end = utf16[f.end];
        }
        for item in report
            .tone
            .raised
            .iter_mut()
            .chain(&mut report.tone.lowered)
        {
            item.start = utf16[item.start];
            item.end = utf16[item.end];
        }
        to_js(&report)
    }

    /// The same as [`Engine::triage`], with JSON text in and out: one
    /// string crosses the boundary instead of thousands of small objects
    /// (twice as fast for a busy post). `JSON.parse` the result.
    #[wasm_bindgen(js_name = triageJson)]
    pub fn triage_json(&self, comments: &str, now_ms: f64) -> Result<String, JsValue> {
        let now = (now_ms / 1000.0) as i64;
        crate::triage::batch::triage_json(&self.triager, &self.settings, comments, Some(now))
            .map_err(|e| JsValue::from_str(&e))
    }

    /// Triages a batch of comments (Weibo comment JSON objects or
    /// `{id, text, …}`); `now_ms` is `Date.now()`. Returns one result per
    /// comment, in order; a comment that cannot be read gets `{id, error}`.
    pub fn triage(&self, comments: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
        let values: Vec<serde_json::Value> = serde_wasm_bindgen::from_value(comments)
            .map_err(|e| JsValue::from_str(&format!("comments must be an array: {e}")))?;
        let parsed: Vec<Result<Comment, String>> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Comment::from_json(v, serde_json::json!(i)))
            .collect();
        let good: Vec<Comment> = parsed
            .iter()
            .filter_map(|c| c.as_ref().ok().cloned())
            .collect();
        let now = (now_ms / 1000.0) as i64;
        let mut triaged = self
            .triager
            .triage(&good, &self.settings, Some(now))
            .into_iter();
        let out: Vec<serde_json::Value> = parsed
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Ok(_) => serde_json::to_value(triaged.next()).unwrap_or_default(),
                Err(e) => serde_json::json!({"id": i, "error": e}),
            })
            .collect();
        to_js(&out)
    }
}

/// For each char index of `s` (and its end), the UTF-16 offset.
fn utf16_offsets(s: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(s.len() + 1);
    let mut at = 0;
    for c in s.chars() {
        out.push(at);
        at += c.len_utf16();
    }
    out.push(at);
    out
}

// ---- Settings, list registry and playground (issue 7) ----------------------
//
// Thin wrappers for the options page, the list registry in the background
// and the playground: examining a list before it is accepted, choosing which
// lists are in force (default ones can be turned off), and reading settings
// back as JSON. Written against `lists::parse`, `Guard::new`/`with_lists` and
// `Guard::check`, so that a new matcher changes nothing here. Results go out
// as `serde_json::Value`, whose serializer the engine already carries: the
// wasm size budget is tight.

fn js_diagnostics(diags: &[crate::lists::Diagnostic]) -> Vec<JsDiagnostic> {
    diags
        .iter()
        .map(|d| JsDiagnostic {
            file: d.file.clone(),
            line: d.line,
            col: d.col,
            level: match d.level {
                crate::lists::Level::Error => "error",
                crate::lists::Level::Warning => "warning",
            },
            message: d.message.clone(),
            display: d.to_string(),
        })
        .collect()
}

#[wasm_bindgen]
impl Engine {
    /// Lints a list and runs its own examples, as `kefu lists lint` and
    /// `kefu lists test` do: `{list: {id, name, version, owner, description,
    /// rules} | null, diagnostics: [...] (warnings too), examples: N,
    /// failures: [{rule, kind: "hit"|"ok", example}]}`. A list is acceptable
    /// when `list` is set and `failures` is empty. Changes nothing in force.
    #[wasm_bindgen(js_name = testList)]
    pub fn test_list(&self, name: &str, text: &str) -> Result<JsValue, JsValue> {
        let parsed = crate::lists::parse(name, text.as_bytes());
        let list = parsed.list.as_ref().filter(|_| !parsed.has_errors());
        let mut examples = 0;
        let mut failures = Vec::new();
        if let Some(list) = list {
            let guard = Guard::new(vec![list.clone()]);
            for rule in &list.rules {
                let id = format!("{}/{}", list.id, rule.id);
                let hit = rule.examples_hit.iter().map(|e| ("hit", e, true));
                let ok = rule.examples_ok.iter().map(|e| ("ok", e, false));
                for (kind, example, want) in hit.chain(ok) {
                    examples += 1;
                    let report = guard.check(example, &Context::default());
                    if report.findings.iter().any(|f| f.rule == id) != want {
                        failures.push(
                            serde_json::json!({"rule": id, "kind": kind, "example": example}),
                        );
                    }
                }
            }
        }
        let meta = list.map(|l| {
            serde_json::json!({
                "id": l.id, "name": l.name, "version": l.version, "owner": l.owner,
                "description": l.description, "rules": l.rules.len(),
            })
        });
        to_js(&serde_json::json!({
            "list": meta,
            "diagnostics": serde_json::to_value(js_diagnostics(&parsed.diagnostics)).unwrap_or_default(),
            "examples": examples,
            "failures": failures,
        }))
    }

    /// Like `loadLists`, but the default lists whose ids are in `disabled`
    /// are left out. Atomic: on any error, throws the diagnostics and keeps
    /// the lists in force. Returns the new `listSummary()`.
    #[wasm_bindgen(js_name = configureLists)]
    pub fn configure_lists(
        &mut self,
        files: JsValue,
        disabled: Vec<String>,
    ) -> Result<JsValue, JsValue> {
        let files: Vec<ListFile> = serde_wasm_bindgen::from_value(files)
            .map_err(|e| JsValue::from_str(&format!("lists must be [{{name, text}}]: {e}")))?;
        let extra: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.name, f.text.into_bytes()))
            .collect();
        let mut defaults = Guard::with_default_lists().lists().to_vec();
        defaults.retain(|l| !disabled.contains(&l.id));
        match Guard::new(defaults).with_lists(&extra) {
            Ok(guard) => {
                self.guard = guard;
                self.list_summary()
            }
            Err(d) => Err(to_js(&js_diagnostics(&d))?),
        }
    }

    /// The team settings in force, as JSON (the fields of the settings TOML).
    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> Result<JsValue, JsValue> {
        to_js(&serde_json::to_value(&self.settings).unwrap_or_default())
    }
}
