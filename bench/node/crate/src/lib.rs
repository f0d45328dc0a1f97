//! Exports for `bench/node/bench.mjs`: parse, compile, serialize, load and
//! scan with Kefu's phrase-list engine, each timed from JavaScript.

use kefu::lists::{parse, PhraseList};
use kefu::matcher::Matcher;
use wasm_bindgen::prelude::*;

/// A parsed list, not yet compiled.
#[wasm_bindgen]
pub struct BenchList {
    list: PhraseList,
}

#[wasm_bindgen]
impl BenchList {
    /// Parses (and lints) a list file: plain text unless `name` ends in `.toml`.
    pub fn parse(name: &str, text: &str) -> Result<BenchList, JsValue> {
        let p = parse(name, text.as_bytes());
        match p.list {
            Some(list) if !p.has_errors() => Ok(BenchList { list }),
            _ => Err(JsValue::from_str(&format!("{:?}", p.diagnostics.first()))),
        }
    }

    pub fn compile(&self) -> BenchMatcher {
        BenchMatcher {
            matcher: Matcher::new(std::slice::from_ref(&self.list)),
        }
    }
}

/// A compiled list.
#[wasm_bindgen]
pub struct BenchMatcher {
    matcher: Matcher,
}

#[wasm_bindgen]
impl BenchMatcher {
    /// The default lists, compiled.
    #[wasm_bindgen(js_name = defaultLists)]
    pub fn default_lists() -> BenchMatcher {
        BenchMatcher {
            matcher: Matcher::new(&kefu::guard::default_phrase_lists()),
        }
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<BenchMatcher, JsValue> {
        Matcher::from_bytes(bytes)
            .map(|matcher| BenchMatcher { matcher })
            .map_err(|e| JsValue::from_str(&e.to_string()))
    }

    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.matcher.to_bytes()
    }

    /// Folds `text` and finds every hit; returns how many.
    pub fn count(&self, text: &str) -> u32 {
        self.matcher.find(text).len() as u32
    }

    /// Folds a text given as UTF-16 code units (a JavaScript string's own
    /// form) and finds every hit; returns how many.
    #[wasm_bindgen(js_name = countUtf16)]
    pub fn count_utf16(&self, text: &[u16]) -> u32 {
        self.matcher.find_utf16(text).len() as u32
    }

    /// Hits as [start, end, …] char offsets (for checking the bench's work).
    pub fn spans(&self, text: &str) -> Vec<u32> {
        self.matcher
            .find(text)
            .iter()
            .flat_map(|h| [h.start as u32, h.end as u32])
            .collect()
    }
}

// `installData` (the data files beside the engine) is kefu's own export
// (src/wasm.rs), present in this build too.

/// Bytes of linear memory the wasm instance holds.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
