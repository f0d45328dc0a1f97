//! The data files the engine reads: fold tables, the default phrase lists,
//! the tone lexicons and the triage lexicons.
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
    "data/triage/modifiers.toml",
    "data/triage/intents.toml",
    "data/triage/model.tsv",
    "data/triage/emoji.txt",
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

/// Every data file as JSON (`{path: text}`): the bundle that ships beside
/// the wasm.
pub fn bundle_json() -> String {
    let map: HashMap<&str, &str> = FILES.iter().map(|&p| (p, get(p))).collect();
    serde_json::to_string(&map).expect("strings serialize")
}
