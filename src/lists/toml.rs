//! Reading a TOML list: structure, keys and types, with the place of every
//! problem (via `toml_edit`'s spans), and every problem at once rather than
//! the first. Checks on what the values mean are in `check`.

use super::{Diagnostic, Level, PhraseList, Places, Rule, RulePlaces, Severity, Source};
use toml_edit::{ImDocument, Item, Table, TableLike, Value};

const LIST_KEYS: &[&str] = &[
    "id",
    "version",
    "name",
    "owner",
    "description",
    "allow",
    "common_words",
];
const RULE_KEYS: &[&str] = &[
    "id",
    "label",
    "severity",
    "message",
    "phrases",
    "patterns",
    "allow",
    "suggest",
    "fold_digits",
    "examples",
];
const EXAMPLE_KEYS: &[&str] = &["hit", "ok"];

/// Reads the list, or `None` if the file is not TOML or lacks `[list]`.
pub(super) fn read(src: &Source, diags: &mut Vec<Diagnostic>) -> Option<(PhraseList, Places)> {
    let doc = match ImDocument::parse(src.text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            diags.push(src.diagnostic(
                at,
                Level::Error,
                format!(
                    "TOML syntax: {}",
                    e.message()
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
            return None;
        }
    };
    let mut r = Reader { src, diags };
    let root = doc.as_table();
    r.unknown_keys(root, &["list", "rule"], "the file");
    let mut places = Places::default();

    // Read on after a problem, with stand-in values, so that one run
    // reports every problem; the list is rejected anyway.
    let empty = toml_edit::Table::new();
    let meta: Option<&dyn TableLike> = match root.get_key_value("list") {
        Some((_, item)) if item.is_table_like() => {
            places.list = span(item.span());
            item.as_table_like()
        }
        Some((k, _)) => {
            r.error(
                span(k.span()),
                "`list` must be a table: write `[list]`".into(),
            );
            None
        }
        None => {
            r.error(
                0,
                "missing `[list]` table with the list's `id` and `version`".into(),
            );
            None
        }
    };
    let has_meta = meta.is_some();
    let meta = meta.unwrap_or(&empty);
    if has_meta {
        r.unknown_keys(meta, LIST_KEYS, "[list]");
    }
    let id = r.string(meta, "id", places.list, has_meta, "[list]");
    let version = r.string(meta, "version", places.list, has_meta, "[list]");
    let name = r.string(meta, "name", places.list, false, "[list]");
    let owner = r.string(meta, "owner", places.list, false, "[list]");
    let description = r.string(meta, "description", places.list, false, "[list]");
    let (allow, allow_at) = r.strings(meta, "allow");
    places.list_allow = allow_at;
    let common_words = r.boolean(meta, "common_words").unwrap_or(true);
    for (value, what) in [(&id, "id"), (&version, "version")] {
        if let Some((v, at)) = value {
            if v.trim().is_empty() {
                r.error(*at, format!("`{what}` is empty"));
            }
        }
    }
    if let Some((v, at)) = &id {
        r.check_id(v, *at, "list");
    }

    let mut rules = Vec::new();
    match root.get_key_value("rule") {
        None => {}
        Some((_, Item::ArrayOfTables(a))) => {
            for t in a.iter() {
                let (rule, rp) = r.rule(t);
                rules.push(rule);
                places.rules.push(rp);
            }
        }
        Some((k, _)) => r.error(
            span(k.span()),
            "`rule` must be an array of tables: write each rule as `[[rule]]`".into(),
        ),
    }
    let id = id.map_or_else(String::new, |(v, _)| v);
    Some((
        PhraseList {
            name: name.map_or_else(|| id.clone(), |(n, _)| n),
            id,
            version: version.map_or_else(String::new, |(v, _)| v),
            owner: owner.map(|(o, _)| o),
            description: description.map(|(d, _)| d),
            allow,
            common_words,
            rules,
        },
        places,
    ))
}

/// The list's id and where it is, for checks across files.
pub(super) fn list_id(src: &Source) -> Option<(String, usize)> {
    let doc = ImDocument::parse(src.text).ok()?;
    let (k, item) = doc
        .as_table()
        .get("list")?
        .as_table_like()?
        .get_key_value("id")?;
    let at = item.span().or(k.span()).map_or(0, |s| s.start);
    Some((item.as_str()?.to_string(), at))
}

fn span(s: Option<std::ops::Range<usize>>) -> usize {
    s.map_or(0, |s| s.start)
}

struct Reader<'a, 'b> {
    src: &'a Source<'b>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Reader<'_, '_> {
    fn error(&mut self, at: usize, message: String) {
        self.diags
            .push(self.src.diagnostic(at, Level::Error, message));
    }

    fn warning(&mut self, at: usize, message: String) {
        self.diags
            .push(self.src.diagnostic(at, Level::Warning, message));
    }

    fn unknown_keys(&mut self, t: &dyn TableLike, known: &[&str], what: &str) {
        for (name, _) in t.iter() {
            if known.contains(&name) {
                continue;
            }
            let at = t.key(name).map_or(0, |k| span(k.span()));
            let hint = closest(name, known)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_else(|| format!("; {what} takes {}", quote_all(known)));
            self.error(at, format!("unknown key `{name}` in {what}{hint}"));
        }
    }

    /// A string value: `None` (and an error if `required`) when missing or
    /// not a string. Returns the value and where it is.
    fn string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        owner_at: usize,
        required: bool,
        what: &str,
    ) -> Option<(String, usize)> {
        match t.get(key) {
            None => {
                if required {
                    self.error(
                        owner_at,
                        format!("{what} is missing the required key `{key}`"),
                    );
                }
                None
            }
            Some(item) => {
                let at = span(item.span());
                match item.as_str() {
                    Some(s) => Some((s.to_string(), at)),
                    None => {
                        self.error(
                            at,
                            format!("`{key}` must be a string, not {}", type_name(item)),
                        );
                        None
                    }
                }
            }
        }
    }

    /// An array of strings (empty when missing), with each element's place.
    fn strings(&mut self, t: &dyn TableLike, key: &str) -> (Vec<String>, Vec<usize>) {
        let mut values = Vec::new();
        let mut places = Vec::new();
        let Some(item) = t.get(key) else {
            return (values, places);
        };
        let Some(array) = item.as_array() else {
            self.error(
                span(item.span()),
                format!(
                    "`{key}` must be an array of strings like [\"…\"], not {}",
                    type_name(item)
                ),
            );
            return (values, places);
        };
        for v in array.iter() {
            let at = span(v.span());
            match v.as_str() {
                Some(s) => {
                    values.push(s.to_string());
                    places.push(at);
                }
                None => self.error(
                    at,
                    format!(
                        "`{key}` must hold only strings; this is {}",
                        value_type_name(v)
                    ),
                ),
            }
        }
        (values, places)
    }

    fn boolean(&mut self, t: &dyn TableLike, key: &str) -> Option<bool> {
        let item = t.get(key)?;
        match item.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(
                    span(item.span()),
                    format!("`{key}` must be true or false, not {}", type_name(item)),
                );
                None
            }
        }
    }

    /// Ids appear in findings as `LIST_ID/RULE_ID`: no `/`, no spaces.
    fn check_id(&mut self, id: &str, at: usize, what: &str) {
        if id.contains('/') || id.chars().any(char::is_whitespace) {
            self.error(
                at,
                format!("{what} id `{id}` must not contain `/` or spaces (findings name rules as LIST_ID/RULE_ID)"),
            );
        }
    }

    fn rule(&mut self, t: &Table) -> (Rule, RulePlaces) {
        let at = span(t.span());
        self.unknown_keys(t, RULE_KEYS, "[[rule]]");
        let id = self.string(t, "id", at, true, "[[rule]]");
        let label = self.string(t, "label", at, true, "[[rule]]");
        let severity = self.string(t, "severity", at, true, "[[rule]]");
        let message = self.string(t, "message", at, true, "[[rule]]");
        let (phrases, phrases_at) = self.strings(t, "phrases");
        let (patterns, patterns_at) = self.strings(t, "patterns");
        let (allow, allow_at) = self.strings(t, "allow");
        let suggest = self.string(t, "suggest", at, false, "[[rule]]");
        let fold_digits = self.boolean(t, "fold_digits").unwrap_or(false);
        let (hit, ok, examples_at) = self.examples(t, at);

        let id_at = id.as_ref().map_or(at, |(_, a)| *a);
        if let Some((v, a)) = &id {
            if v.trim().is_empty() {
                self.error(*a, "rule `id` is empty".into());
            }
            self.check_id(v, *a, "rule");
        }
        if t.get("phrases").is_none() && t.get("patterns").is_none() {
            self.error(
                id_at,
                format!(
                    "rule `{}` has neither `phrases` nor `patterns`",
                    id.as_ref().map_or("?", |(v, _)| v)
                ),
            );
        }
        let severity = match severity {
            Some((s, a)) => Severity::parse(&s).unwrap_or_else(|| {
                self.error(
                    a,
                    format!("severity `{s}` is not one of `block`, `warn`, `hint`"),
                );
                Severity::Block
            }),
            None => Severity::Block,
        };
        if let Some((l, a)) = &label {
            if l.trim().is_empty() {
                self.error(*a, "`label` is empty".into());
            } else if !SPEC_LABELS.contains(&l.as_str()) {
                if let Some(k) = closest(l, SPEC_LABELS) {
                    self.warning(
                        *a,
                        format!("label `{l}` is not one of the SPEC's labels; did you mean `{k}`?"),
                    );
                }
            }
        }
        let text = |v: Option<(String, usize)>| v.map_or_else(String::new, |(v, _)| v);
        (
            Rule {
                id: text(id),
                label: text(label),
                severity,
                message: text(message),
                phrases,
                patterns,
                allow,
                suggest: suggest.map(|(s, _)| s),
                fold_digits,
                examples_hit: hit,
                examples_ok: ok,
            },
            RulePlaces {
                id: id_at,
                phrases: phrases_at,
                patterns: patterns_at,
                allow: allow_at,
                examples: examples_at,
            },
        )
    }

    fn examples(&mut self, t: &Table, rule_at: usize) -> (Vec<String>, Vec<String>, usize) {
        let Some(item) = t.get("examples") else {
            return (Vec::new(), Vec::new(), rule_at);
        };
        let at = span(item.span());
        let Some(table) = item.as_table_like() else {
            self.error(
                at,
                format!(
                    "`examples` must be a table like {{ hit = [\"…\"], ok = [\"…\"] }}, not {}",
                    type_name(item)
                ),
            );
            return (Vec::new(), Vec::new(), at);
        };
        self.unknown_keys(table, EXAMPLE_KEYS, "examples");
        let (hit, _) = self.strings(table, "hit");
        let (ok, _) = self.strings(table, "ok");
        (hit, ok, at)
    }
}

/// The SPEC's reply labels; a list may add others, but a near miss of one of
/// these is most likely a typo.
const SPEC_LABELS: &[&str] = &[
    "insult",
    "pii",
    "ad_law",
    "overpromise",
    "blame",
    "buck_passing",
    "bureaucratic",
    "sarcasm",
    "ad_tone",
    "no_empathy",
    "cold",
    "no_next_step",
    "too_long",
    "repeated",
];

fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(v) => value_type_name(v),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn value_type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

fn quote_all(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The known word within edit distance 2 of `word`, if any.
fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|&(d, k)| d <= 2 && d < k.len())
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
