//! Reading a TOML list: structure, keys and types, with the place of every
//! problem (via the spans of `toml::de::DeTable`), and every problem at once
//! rather than the first. Checks on what the values mean are in `check`.

use super::{Diagnostic, Level, PhraseList, Places, Rule, RulePlaces, Severity, Source};
use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

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

type Key<'i> = Spanned<DeString<'i>>;
type Val<'i> = Spanned<DeValue<'i>>;

/// The entry of `key` in a table (tables here are small: a scan is fine).
fn entry<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<(&'a Key<'i>, &'a Val<'i>)> {
    t.iter().find(|(k, _)| k.get_ref().as_ref() == key)
}

fn get<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a Val<'i>> {
    entry(t, key).map(|(_, v)| v)
}

/// Reads the list, or `None` if the file is not TOML.
pub(super) fn read(src: &Source, diags: &mut Vec<Diagnostic>) -> Option<(PhraseList, Places)> {
    let doc = match DeTable::parse(src.text) {
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
    let root = doc.get_ref();
    r.unknown_keys(root, &["list", "rule"], "the file");
    let mut places = Places::default();

    // Read on after a problem, with stand-in values, so that one run
    // reports every problem; the list is rejected anyway.
    let empty = DeTable::default();
    let meta: Option<&DeTable> = match entry(root, "list") {
        Some((_, v)) => match v.get_ref() {
            DeValue::Table(t) => {
                places.list = v.span().start;
                Some(t)
            }
            _ => {
                r.error(
                    v.span().start,
                    "`list` must be a table: write `[list]`".into(),
                );
                None
            }
        },
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
    match get(root, "rule") {
        None => {}
        Some(v) => match v.get_ref() {
            DeValue::Array(a) if a.iter().all(|t| t.get_ref().is_table()) => {
                for t in a.iter() {
                    if let DeValue::Table(table) = t.get_ref() {
                        let (rule, rp) = r.rule(table, t.span().start);
                        rules.push(rule);
                        places.rules.push(rp);
                    }
                }
            }
            _ => r.error(
                v.span().start,
                "`rule` must be an array of tables: write each rule as `[[rule]]`".into(),
            ),
        },
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
    let doc = DeTable::parse(src.text).ok()?;
    let list = get(doc.get_ref(), "list")?;
    let DeValue::Table(t) = list.get_ref() else {
        return None;
    };
    let v = get(t, "id")?;
    Some((v.get_ref().as_str()?.to_string(), v.span().start))
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

    fn unknown_keys(&mut self, t: &DeTable, known: &[&str], what: &str) {
        for (k, _) in t.iter() {
            let name: &str = k.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            let hint = closest(name, known)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_else(|| format!("; {what} takes {}", quote_all(known)));
            self.error(
                k.span().start,
                format!("unknown key `{name}` in {what}{hint}"),
            );
        }
    }

    /// A string value: `None` (and an error if `required`) when missing or
    /// not a string. Returns the value and where it is.
    fn string(
        &mut self,
        t: &DeTable,
        key: &str,
        owner_at: usize,
        required: bool,
        what: &str,
    ) -> Option<(String, usize)> {
        match get(t, key) {
            None => {
                if required {
                    self.error(
                        owner_at,
                        format!("{what} is missing the required key `{key}`"),
                    );
                }
                None
            }
            Some(v) => match v.get_ref().as_str() {
                Some(s) => Some((s.to_string(), v.span().start)),
                None => {
                    self.error(
                        v.span().start,
                        format!("`{key}` must be a string, not {}", type_name(v.get_ref())),
                    );
                    None
                }
            },
        }
    }

    /// An array of strings (empty when missing), with each element's place.
    fn strings(&mut self, t: &DeTable, key: &str) -> (Vec<String>, Vec<usize>) {
        let mut values = Vec::new();
        let mut places = Vec::new();
        let Some(v) = get(t, key) else {
            return (values, places);
        };
        let DeValue::Array(array) = v.get_ref() else {
            self.error(
                v.span().start,
                format!(
                    "`{key}` must be an array of strings like [\"…\"], not {}",
                    type_name(v.get_ref())
                ),
            );
            return (values, places);
        };
        for item in array.iter() {
            let at = item.span().start;
            match item.get_ref().as_str() {
                Some(s) => {
                    values.push(s.to_string());
                    places.push(at);
                }
                None => self.error(
                    at,
                    format!(
                        "`{key}` must hold only strings; this is {}",
                        type_name(item.get_ref())
                    ),
                ),
            }
        }
        (values, places)
    }

    fn boolean(&mut self, t: &DeTable, key: &str) -> Option<bool> {
        let v = get(t, key)?;
        match v.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(
                    v.span().start,
                    format!(
                        "`{key}` must be true or false, not {}",
                        type_name(v.get_ref())
                    ),
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

    fn rule(&mut self, t: &DeTable, at: usize) -> (Rule, RulePlaces) {
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
        if get(t, "phrases").is_none() && get(t, "patterns").is_none() {
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

    fn examples(&mut self, t: &DeTable, rule_at: usize) -> (Vec<String>, Vec<String>, usize) {
        let Some(v) = get(t, "examples") else {
            return (Vec::new(), Vec::new(), rule_at);
        };
        let at = v.span().start;
        let DeValue::Table(table) = v.get_ref() else {
            self.error(
                at,
                format!(
                    "`examples` must be a table like {{ hit = [\"…\"], ok = [\"…\"] }}, not {}",
                    type_name(v.get_ref())
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

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
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
