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

/// The engine the extension holds: the guard and the triager.
#[wasm_bindgen]
pub struct Engine {
    guard: Guard,
    triager: Triager,
    settings: Settings,
}

#[wasm_bindgen]
impl Engine {
    /// An engine with the default lists and settings.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine {
            guard: Guard::with_default_lists(),
            triager: Triager::new(),
            settings: Settings::default(),
        }
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

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
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
