//! The data files the engine reads: fold tables, the default phrase lists,
//! the tone lexicons, the triage lexicons and the guard's models.
//!
//! They are data, not code (STYLE: "Data is data"), and they are most of
//! what the engine weighs. Natively (the CLI, the tests) they are built into
//! the binary. In the wasm build they ship beside the `.wasm` as one JSON
//! file (`kefu-data.json`, written by `kefu data-bundle`) that JavaScript
//! hands over with `installData` before creating an engine, which keeps the
//! engine inside its size budget.
//!
//! Every file is named by its path in the repository; [`FILES`] is the one
//! list of them.
//!
//! The bundle carries the files already read: a phrase list or lexicon
//! ([`LIST_FILES`]) as the JSON of its [`PhraseList`], another TOML file as
//! the JSON of its table, a text file as it is. So the engine that runs in
//! the page needs no TOML reader and no lint (feature `authoring`, off in
//! that build): [`list`] and [`table`] take either form.

use crate::lists::PhraseList;
use std::collections::HashMap;
use std::sync::OnceLock;

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        /// Every data file the engine reads, by repository path.
        pub const FILES: &[&str] = &[$($path),*];

        #[cfg(not(target_arch = "wasm32"))]
        fn builtin() -> HashMap<&'static str, &'static str> {
            HashMap::from([$(($path, include_str!(concat!("../", $path)))),*])
        }
    };
}

files![
    "data/fold/unicode.txt",
    "data/fold/opencc/TSCharacters.txt",
    "data/fold/opencc/TWVariantsRev.txt",
    "data/fold/opencc/HKVariantsRev.txt",
    "data/fold/lookalikes.txt",
    "data/fold/separators.txt",
    "data/fold/digits.txt",
    "lists/insults.toml",
    "lists/ad-law.toml",
    "lists/service-taboo.toml",
    "lists/overpromise.toml",
    "lists/common-words.txt",
    "data/tone/tone.toml",
    "data/tone/tone-signals.toml",
    "data/tone/tone-words.txt",
    "data/triage/signals.toml",
    "data/triage/hazards.toml",
    "data/triage/english.toml",
    "data/triage/modifiers.toml",
    "data/triage/intents.toml",
    "data/triage/model.tsv",
    "data/triage/emoji.txt",
    "data/guard/offensive.tsv",
    "data/guard/groups.txt",
];

/// The data files that are phrase lists (the default lists and the tone
/// lexicons, in the list format).
pub const LIST_FILES: &[&str] = &[
    "lists/insults.toml",
    "lists/ad-law.toml",
    "lists/service-taboo.toml",
    "lists/overpromise.toml",
    "data/tone/tone.toml",
    "data/tone/tone-signals.toml",
    "data/tone/tone-words.txt",
];

static INSTALLED: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();

/// The contents of a data file. Natively always there; in wasm, once
/// [`install`] has run (an empty string before, which no caller can
/// mistake for a real file: the engine refuses to start without data).
pub fn get(path: &str) -> &'static str {
    files().get(path).copied().unwrap_or("")
}

/// Whether the data files are there (always, natively).
pub fn ready() -> bool {
    files().len() == FILES.len()
}

#[cfg(not(target_arch = "wasm32"))]
fn files() -> &'static HashMap<&'static str, &'static str> {
    INSTALLED.get_or_init(builtin)
}

#[cfg(target_arch = "wasm32")]
fn files() -> &'static HashMap<&'static str, &'static str> {
    static EMPTY: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    INSTALLED
        .get()
        .unwrap_or_else(|| EMPTY.get_or_init(HashMap::new))
}

/// Installs the data files (wasm: from `kefu-data.json`). Every file of
/// [`FILES`] must be there; the first install wins, later ones are ignored.
pub fn install(mut given: HashMap<String, String>) -> Result<(), String> {
    let mut map = HashMap::new();
    for &path in FILES {
        let text = given
            .remove(path)
            .ok_or_else(|| format!("the data bundle lacks {path}"))?;
        // Leaked once for the life of the engine, like a built-in file.
        map.insert(path, &*Box::leak(text.into_boxed_str()));
    }
    let _ = INSTALLED.set(map);
    Ok(())
}

/// A shipped phrase list or lexicon ([`LIST_FILES`]), read. They are tested
/// in CI (`cargo test`, and the wasm tests for the bundle): a broken one is a
/// build bug, so this panics.
pub fn list(path: &str) -> PhraseList {
    let text = get(path);
    if let Ok(list) = serde_json::from_str::<PhraseList>(text) {
        return list;
    }
    read_list(path, text)
}

#[cfg(feature = "authoring")]
fn read_list(path: &str, text: &str) -> PhraseList {
    let file = path.rsplit('/').next().unwrap_or(path);
    let parsed = crate::lists::parse(file, text.as_bytes());
    parsed
        .list
        .unwrap_or_else(|| panic!("{path} does not parse: {:?}", parsed.diagnostics))
}

#[cfg(not(feature = "authoring"))]
fn read_list(path: &str, _text: &str) -> PhraseList {
    panic!("{path} is not in the data bundle's JSON form (run `kefu data-bundle`)")
}

/// A TOML data file's top table, from its TOML or (in the bundle) its JSON;
/// errors name the file.
pub fn table(file: &str, text: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| format!("{file}: {e}"));
    }
    read_table(file, text)
}

#[cfg(feature = "authoring")]
fn read_table(
    file: &str,
    text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    toml::from_str(text).map_err(|e| format!("{file}: {e}"))
}

#[cfg(not(feature = "authoring"))]
fn read_table(
    file: &str,
    _text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    Err(format!(
        "{file}: TOML is read only by the authoring build; the bundle carries JSON"
    ))
}

/// Every data file, read (see the module documentation), as JSON (`{path:
/// text}`): the bundle that ships beside the wasm.
pub fn bundle_json() -> Result<String, String> {
    let mut map: HashMap<&str, String> = HashMap::new();
    for &path in FILES {
        let text = get(path);
        let form = if LIST_FILES.contains(&path) {
            serde_json::to_string(&list(path)).map_err(|e| e.to_string())?
        } else if path.ends_with(".toml") {
            serde_json::to_string(&table(path, text)?).map_err(|e| e.to_string())?
        } else {
            text.to_string()
        };
        map.insert(path, form);
    }
    serde_json::to_string(&map).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_carries_every_file_read_the_same() {
        let bundle: HashMap<String, String> =
            serde_json::from_str(&bundle_json().unwrap()).unwrap();
        assert_eq!(bundle.len(), FILES.len());
        for &path in LIST_FILES {
            let from_json: PhraseList = serde_json::from_str(&bundle[path]).unwrap();
            assert_eq!(from_json, list(path), "{path}");
        }
        for &path in FILES.iter().filter(|p| p.ends_with(".toml")) {
            if !LIST_FILES.contains(&path) {
                assert_eq!(table(path, &bundle[path]), table(path, get(path)), "{path}");
            }
        }
        for path in ["data/triage/model.tsv", "data/guard/offensive.tsv"] {
            assert_eq!(bundle[path], get(path), "{path}");
        }
    }
}
