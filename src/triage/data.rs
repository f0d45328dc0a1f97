//! Reading triage's TOML data files (`data/triage/*.toml`) into plain
//! values, with errors that name the file, the entry and the key.
//!
//! Why not `#[derive(Deserialize)]`: every derived struct instantiates the
//! deserializer again, and a dozen of them cost about 100 KB of wasm. One
//! parse into a table and these small getters cost almost nothing. The
//! table is a JSON one: the files are TOML in the repository and JSON in the
//! data bundle the wasm engine reads (`crate::data::table`). Unknown keys are
//! errors here too (they are usually typos).

use super::Category;
use serde_json::{Map, Value};

type Table = Map<String, Value>;

/// A table of a data file, with where it is for error messages.
pub struct Entry<'a> {
    at: String,
    table: &'a Table,
}

/// Parses a data file into its top table.
pub fn parse(file: &str, text: &str) -> Result<Table, String> {
    crate::data::table(file, text)
}

impl<'a> Entry<'a> {
    /// The top table of `file`.
    pub fn top(file: &str, table: &'a Table) -> Entry<'a> {
        Entry {
            at: file.to_string(),
            table,
        }
    }

    /// An error at this entry.
    pub fn error(&self, msg: impl std::fmt::Display) -> String {
        format!("{}: {msg}", self.at)
    }

    /// Errors on a key not in `allowed`.
    pub fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(self.error(format!(
                "unknown key `{k}` (expected one of: {})",
                allowed.join(", ")
            ))),
            None => Ok(()),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.table.get(key)
    }

    fn need(&self, key: &str) -> Result<&'a Value, String> {
        self.get(key)
            .ok_or_else(|| self.error(format!("`{key}` is missing")))
    }

    fn wrong(&self, key: &str, what: &str) -> String {
        self.error(format!("`{key}` must be {what}"))
    }

    /// A sub-table.
    pub fn table(&self, key: &str) -> Result<Entry<'a>, String> {
        match self.need(key)? {
            Value::Object(t) => Ok(Entry {
                at: format!("{} [{key}]", self.at),
                table: t,
            }),
            _ => Err(self.wrong(key, "a table")),
        }
    }

    /// An array of tables (`[[key]]`), each named by its `id` when it has
    /// one. Missing: empty.
    pub fn tables(&self, key: &str) -> Result<Vec<Entry<'a>>, String> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = v else {
            return Err(self.wrong(key, "an array of tables ([[…]])"));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(t) => {
                    let name = match t.get("id") {
                        Some(Value::String(id)) => format!("`{id}`"),
                        _ => format!("#{}", i + 1),
                    };
                    Ok(Entry {
                        at: format!("{} {key} {name}", self.at),
                        table: t,
                    })
                }
                _ => Err(self.wrong(key, "an array of tables ([[…]])")),
            })
            .collect()
    }

    pub fn str(&self, key: &str) -> Result<&'a str, String> {
        match self.need(key)? {
            Value::String(s) => Ok(s),
            _ => Err(self.wrong(key, "a string")),
        }
    }

    pub fn f32(&self, key: &str) -> Result<f32, String> {
        match self.need(key)? {
            Value::Number(n) => n
                .as_f64()
                .map(|f| f as f32)
                .ok_or_else(|| self.wrong(key, "a number")),
            _ => Err(self.wrong(key, "a number")),
        }
    }

    pub fn usize(&self, key: &str) -> Result<usize, String> {
        match self.need(key)? {
            Value::Number(n) => n
                .as_u64()
                .map(|i| i as usize)
                .ok_or_else(|| self.wrong(key, "a whole number ≥ 0")),
            _ => Err(self.wrong(key, "a whole number ≥ 0")),
        }
    }

    pub fn opt_usize(&self, key: &str) -> Result<Option<usize>, String> {
        self.get(key).map(|_| self.usize(key)).transpose()
    }

    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    /// A list of strings; missing: empty.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(self.wrong(key, "a list of strings")),
                })
                .collect(),
            Some(_) => Err(self.wrong(key, "a list of strings")),
        }
    }

    /// A list of lists of strings.
    pub fn string_lists(&self, key: &str) -> Result<Vec<Vec<String>>, String> {
        let what = "a list of lists of strings";
        match self.need(key)? {
            Value::Array(groups) => groups
                .iter()
                .map(|g| match g {
                    Value::Array(items) => items
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => Ok(s.clone()),
                            _ => Err(self.wrong(key, what)),
                        })
                        .collect(),
                    _ => Err(self.wrong(key, what)),
                })
                .collect(),
            _ => Err(self.wrong(key, what)),
        }
    }

    /// A category word (safety, complaint, …).
    pub fn category(&self, key: &str) -> Result<Category, String> {
        let word = self.str(key)?;
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == word)
            .ok_or_else(|| {
                self.error(format!(
                    "`{key}`: unknown category `{word}` (safety, complaint, question, \
                     suggestion, praise, chatter, spam)"
                ))
            })
    }

    pub fn opt_category(&self, key: &str) -> Result<Option<Category>, String> {
        self.get(key).map(|_| self.category(key)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_entry_and_key() {
        let t = parse("x.toml", "[[signal]]\nid = \"a\"\nweight = \"heavy\"\n").unwrap();
        let top = Entry::top("x.toml", &t);
        let s = &top.tables("signal").unwrap()[0];
        let e = s.f32("weight").unwrap_err();
        assert_eq!(e, "x.toml signal `a`: `weight` must be a number");
        assert!(s
            .only(&["id"])
            .unwrap_err()
            .contains("unknown key `weight`"));
        assert!(s.str("reason").unwrap_err().contains("missing"));
        assert!(parse("x.toml", "= broken")
            .unwrap_err()
            .starts_with("x.toml"));
    }
}
