//! The wasm boundary: one thin layer over the core for the extension.
//!
//! Few, fat crossings, as JSON text: a batch of comments in, a batch of
//! results out; one draft in, one report out. One string each way costs a
//! fraction of converting thousands of small objects field by field, and
//! keeps the engine small (`JSON.parse` what comes out). Offsets in reports
//! given to JavaScript are in UTF-16 code units (what `String.prototype.slice`
//! and `textarea` selections use), converted here; the core and the CLI
//! speak chars.
//!
//! Two builds (see the Makefile):
//! - the **checker** (`kefu_bg.wasm`, no `authoring` feature), which runs for
//!   every page: checks drafts and triages comments with lists that were
//!   read already (the JSON of [`PhraseList`]), and loads its compiled
//!   matcher from bytes so that a browser restart does not recompile;
//! - the **list reader** (`kefu_lists_bg.wasm`, feature `authoring`), for the
//!   options page, the list registry and the playground: everything above,
//!   plus reading and linting list files and settings TOML ([`Engine::test_list`],
//!   [`Engine::read_settings`]), which is what a list must pass before it is
//!   accepted.
//!
//! Putting lists in force is atomic: [`Engine::configure_lists`] either
//! replaces the lists in force or throws and changes nothing.

use crate::guard::{Context, Guard};
use crate::lists::PhraseList;
use crate::settings::Settings;
use crate::triage::Triager;
use wasm_bindgen::prelude::*;

fn js_error(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&e.to_string())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(js_error)
}

/// Installs the data files (fold tables, default lists, lexicons) from the
/// bundle that ships beside the wasm (`kefu-data.json`: `{path: text}`), once,
/// before the first [`Engine`]. See `crate::data`.
#[wasm_bindgen(js_name = installData)]
pub fn install_data(bundle: &str) -> Result<(), JsValue> {
    let files: std::collections::HashMap<String, String> = serde_json::from_str(bundle)
        .map_err(|e| js_error(format!("kefu-data.json is not a data bundle: {e}")))?;
    crate::data::install(files).map_err(js_error)
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
            return Err(js_error(
                "Kefu's data files are not installed: call installData(kefu-data.json) first",
            ));
        }
        Ok(Engine {
            guard: Guard::with_default_lists(),
            triager: Triager::new(),
            settings: Settings::default(),
        })
    }

    /// Puts lists in force: the default lists except those whose ids are in
    /// `disabled`, and `lists`, the JSON array of lists read already (each
    /// the `read` of [`Engine::test_list`]). With `compiled` (the bytes of
    /// [`Engine::serialize_lists`] for the same lists), the matcher is loaded
    /// from them rather than compiled; bytes that do not fit (another engine
    /// version, other lists, damage) are ignored and the lists compiled.
    /// Atomic: on any error, throws its message and keeps the lists in
    /// force. Returns the new [`Engine::list_summary`] and whether the
    /// compiled bytes were used: `{lists, fromCompiled}`.
    #[wasm_bindgen(js_name = configureLists)]
    pub fn configure_lists(
        &mut self,
        lists: &str,
        disabled: Vec<String>,
        compiled: Option<Vec<u8>>,
    ) -> Result<String, JsValue> {
        let added: Vec<PhraseList> = serde_json::from_str(lists)
            .map_err(|e| js_error(format!("lists must be a JSON array of read lists: {e}")))?;
        let mut all = crate::guard::default_phrase_lists();
        all.retain(|l| !disabled.contains(&l.id));
        all.extend(added);
        let loaded = compiled
            .filter(|bytes| !bytes.is_empty())
            .and_then(|bytes| Guard::from_matcher_bytes(all.clone(), &bytes).ok());
        let from_compiled = loaded.is_some();
        self.guard = match loaded {
            Some(guard) => guard,
            None => Guard::with_read_lists(all).map_err(js_error)?,
        };
        Ok(format!(
            "{{\"lists\":{},\"fromCompiled\":{from_compiled}}}",
            self.list_summary()?
        ))
    }

    /// The compiled matcher of the lists in force, as bytes for
    /// [`Engine::configure_lists`] (versioned and checked on load).
    #[wasm_bindgen(js_name = serializeLists)]
    pub fn serialize_lists(&self) -> Vec<u8> {
        self.guard.matcher_bytes()
    }

    /// The lists in force, as JSON: `[{id, name, version, owner, rules}]`.
    #[wasm_bindgen(js_name = listSummary)]
    pub fn list_summary(&self) -> Result<String, JsValue> {
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
        json(&summary)
    }

    /// Replaces the team settings from their JSON (the fields of the
    /// settings TOML); throws the error message and keeps the old settings
    /// on failure.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(&mut self, settings: &str) -> Result<(), JsValue> {
        self.settings = Settings::from_json(settings).map_err(js_error)?;
        Ok(())
    }

    /// The team settings in force, as JSON (the fields of the settings TOML).
    #[wasm_bindgen(js_name = settingsJson)]
    pub fn settings_json(&self) -> Result<String, JsValue> {
        json(&self.settings)
    }

    /// Checks one draft; the report of `kefu check` as JSON, offsets in
    /// UTF-16. `reply_to` is the comment answered; `recent` the agent's
    /// recent replies, for `repeated`. The team settings' hotlines are not
    /// personal data.
    pub fn check(
        &self,
        draft: &str,
        reply_to: Option<String>,
        recent: Option<Vec<String>>,
    ) -> Result<String, JsValue> {
        let recent = recent.unwrap_or_default();
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
        json(&report)
    }

    /// Triages a batch of comments: a JSON array of Weibo comment objects
    /// (or `{id, text, …}`) in, a JSON array of results out, one per comment
    /// in order (a comment that cannot be read gets `{id, error}`). `now_ms`
    /// is `Date.now()`.
    #[wasm_bindgen(js_name = triageJson)]
    pub fn triage_json(&self, comments: &str, now_ms: f64) -> Result<String, JsValue> {
        let now = (now_ms / 1000.0) as i64;
        crate::triage::batch::triage_json(&self.triager, &self.settings, comments, Some(now))
            .map_err(js_error)
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

// ---- Reading lists and settings (the `authoring` build) ---------------------
//
// For the options page, the list registry in the background and the
// playground: examining a list before it is accepted, and reading the
// settings TOML that `kefu --config` reads.

#[cfg(feature = "authoring")]
#[derive(serde::Serialize)]
struct JsDiagnostic {
    file: String,
    line: usize,
    col: usize,
    level: &'static str,
    message: String,
    display: String,
}

#[cfg(feature = "authoring")]
#[wasm_bindgen]
impl Engine {
    /// Lints a list and runs its own examples, as `kefu lists lint` and
    /// `kefu lists test` do; JSON: `{list: {id, name, version, owner,
    /// description, rules} | null, read: the list read (for
    /// `configureLists`) | null, diagnostics: [{file, line, col, level,
    /// message, display}] (warnings too), examples: N, failures: [{rule,
    /// kind: "hit"|"ok", example}]}`. A list is acceptable when `list` is set
    /// and `failures` is empty. Changes nothing in force.
    #[wasm_bindgen(js_name = testList)]
    pub fn test_list(&self, name: &str, text: &str) -> Result<String, JsValue> {
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
        let diagnostics: Vec<JsDiagnostic> = parsed
            .diagnostics
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
        json(&serde_json::json!({
            "list": meta,
            "read": list,
            "diagnostics": diagnostics,
            "examples": examples,
            "failures": failures,
        }))
    }

    /// Every hit of the phrase lists in force in a long text (past replies,
    /// one a line, say), given as its UTF-16 code units (`Uint16Array`: a
    /// JavaScript string's own form, so nothing is transcoded); JSON
    /// `[{rule: "list/rule", label, severity, start, end}]`, offsets in code
    /// units, in order of start.
    #[wasm_bindgen(js_name = scanText)]
    pub fn scan_text(&self, text: &[u16]) -> Result<String, JsValue> {
        let lists = self.guard.lists();
        let hits: Vec<serde_json::Value> = self
            .guard
            .scan_utf16(text)
            .into_iter()
            .map(|(l, r, start, end)| {
                let (list, rule) = (&lists[l], &lists[l].rules[r]);
                serde_json::json!({
                    "rule": format!("{}/{}", list.id, rule.id),
                    "label": rule.label,
                    "severity": rule.severity,
                    "start": start,
                    "end": end,
                })
            })
            .collect();
        json(&hits)
    }

    /// Reads settings TOML (what `kefu --config` reads) into their JSON, for
    /// [`Engine::set_settings`]; throws the error (with line and column)
    /// and changes nothing on failure.
    #[wasm_bindgen(js_name = readSettings)]
    pub fn read_settings(&self, toml: &str) -> Result<String, JsValue> {
        json(&Settings::from_toml(toml).map_err(js_error)?)
    }
}
