//! No entry of Kefu's data was taken from a test text (EVALUATION.md, issues
//! 13 and 14).
//!
//! Every hand-written entry — a phrase or allow context of a list, a literal
//! run of a pattern, a rule example, an entry of a tone or triage lexicon —
//! that occurs in a text of the blind test sets (`tests/blind/`) must also
//! occur in some train or dev text: our dev sets, the table cases, or the
//! public training splits in `../shared/data` (COLD train and dev). An entry
//! found only in test texts was most likely copied from one, and the blind
//! figures would not be blind. Comparison is on folded text (width, case,
//! traditional forms, separators), as the matcher sees it.
//!
//! Trained models (`data/triage/model.tsv`, the offensive-language model)
//! are not hand-written entries: their features come from their named
//! training data, and are not checked here.
//!
//! Entries that were in Kefu's data before the blind sets were written
//! (commit 108f417) cannot have been copied from them: those that the check
//! finds are listed in `tests/blind/known-before-freeze.txt`, made by this
//! test on that tree, and not reported again. Everything added since is
//! checked. The public lexicon `../shared/data/bench/phrases-64k.txt` and the
//! public source texts in `data/sources/` (law articles, public guidance)
//! count as train/dev text: an entry found there has a public origin.
//!
//! On failure the test names each entry and the data file it is in, never a
//! test text: the test texts are read by this test only.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared_data() -> PathBuf {
    std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn fold(s: &str) -> String {
    kefu::fold::fold_str(s).to_lowercase()
}

/// Text fields of a JSON Lines file of labelled texts.
fn jsonl_texts(path: &Path, fields: &[&str]) -> Vec<String> {
    read(path)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: a line is not JSON: {e}", path.display()));
            fields
                .iter()
                .filter_map(|f| v.get(*f).and_then(|x| x.as_str()).map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == ext));
    out.sort();
    out
}

/// The blind test texts: comments, drafts and the comments they answer.
fn test_texts() -> Vec<String> {
    let dir = repo().join("tests/blind");
    let files = files_in(&dir, "jsonl");
    assert!(
        files.len() >= 2,
        "the blind test sets are missing from {}",
        dir.display()
    );
    files
        .iter()
        .flat_map(|f| jsonl_texts(f, &["text", "draft", "reply_to"]))
        .map(|t| fold(&t))
        .collect()
}

/// Train and dev texts: everything an entry may legitimately come from.
fn dev_texts() -> Vec<String> {
    let r = repo();
    let mut texts = Vec::new();
    for f in files_in(&r.join("tests/guard"), "jsonl") {
        texts.extend(jsonl_texts(&f, &["draft", "reply_to"]));
    }
    for f in files_in(&r.join("tests/triage"), "jsonl") {
        texts.extend(jsonl_texts(&f, &["text"]));
    }
    for f in files_in(&r.join("tests/triage"), "toml")
        .into_iter()
        .chain(files_in(&r.join("tests/lists/cases"), "toml"))
    {
        texts.push(read(&f));
    }
    for f in files_in(&r.join("data/sources"), "txt") {
        texts.push(read(&f));
    }
    // Real public text: if an entry is found in real reviews and comments
    // nobody wrote for Kefu, it is the language's, not a test text's.
    for f in [
        "real/waimai_10k.csv",
        "real/labelled-comments.jsonl",
        "real/labelled-replies.jsonl",
    ] {
        texts.push(read(&shared_data().join(f)));
    }
    for f in files_in(&r.join("tests/guard"), "toml") {
        texts.push(read(&f));
    }
    let lexicon = shared_data().join("bench/phrases-64k.txt");
    assert!(
        lexicon.exists(),
        "{} is missing (KEFU_SHARED_DATA)",
        lexicon.display()
    );
    texts.push(read(&lexicon));
    let cold = shared_data().join("cold");
    for split in ["train.csv", "dev.csv"] {
        let p = cold.join(split);
        assert!(p.exists(), "{} is missing (KEFU_SHARED_DATA)", p.display());
        texts.extend(read(&p).lines().map(str::to_string));
    }
    texts.iter().map(|t| fold(t)).collect()
}

/// Fields that are words shown to people, not entries that match text.
const NOT_ENTRIES: &[&str] = &[
    "id",
    "version",
    "name",
    "owner",
    "description",
    "message",
    "label",
    "severity",
    "reason",
    "reasons",
    "suggest",
    "suggestion",
    "note",
    "category",
    "urgency",
    "intent",
    "kind",
    "title",
    "hazard",
];

/// Literal runs of a regular expression (outside character classes and
/// escapes), two characters or more.
fn pattern_literals(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut chars = p.chars().peekable();
    let mut depth_class = 0;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                out.push(std::mem::take(&mut run));
            }
            '[' => {
                depth_class += 1;
                out.push(std::mem::take(&mut run));
            }
            ']' if depth_class > 0 => depth_class -= 1,
            _ if depth_class > 0 => {}
            '(' | ')' | '|' | '.' | '^' | '$' | '{' | '}' => out.push(std::mem::take(&mut run)),
            '?' | '*' | '+' => {
                // The character before a quantifier is optional or repeated.
                run.pop();
                out.push(std::mem::take(&mut run));
            }
            _ => run.push(c),
        }
    }
    out.push(run);
    out.retain(|s| s.chars().count() >= 2);
    out
}

/// Every string of a TOML value that is a matching entry, with its kind.
fn toml_entries(v: &toml::Value, key: &str, out: &mut Vec<String>) {
    match v {
        toml::Value::String(s) => {
            if NOT_ENTRIES.contains(&key) {
                return;
            }
            if key.contains("pattern") {
                out.extend(pattern_literals(s));
            } else {
                out.push(s.clone());
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| toml_entries(x, key, out)),
        toml::Value::Table(t) => t.iter().for_each(|(k, x)| toml_entries(x, k, out)),
        _ => {}
    }
}

/// (data file, entry) for every hand-written entry of the engine's data.
fn entries() -> Vec<(String, String)> {
    let r = repo();
    let mut out = Vec::new();
    for dir in ["lists", "data/tone", "data/triage", "data/guard"] {
        for f in files_in(&r.join(dir), "toml") {
            let value: toml::Value =
                toml::from_str(&read(&f)).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let mut found = Vec::new();
            toml_entries(&value, "", &mut found);
            let name = f.strip_prefix(&r).unwrap().display().to_string();
            out.extend(found.into_iter().map(|e| (name.clone(), e)));
        }
        for f in files_in(&r.join(dir), "txt") {
            let name = f.strip_prefix(&r).unwrap().display().to_string();
            for line in read(&f).lines() {
                let line = line.trim().trim_start_matches('!');
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                for field in line.split(['\t', ' ']).filter(|x| !x.is_empty()) {
                    out.push((name.clone(), field.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn no_entry_comes_only_from_a_test_text() {
    let tests = test_texts();
    let devs = dev_texts();
    let known: BTreeSet<String> = read(&repo().join("tests/blind/known-before-freeze.txt"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| fold(l.trim()))
        .collect();
    let mut leaks = BTreeSet::new();
    let mut checked = 0usize;
    for (file, entry) in entries() {
        let e = fold(&entry);
        if e.chars().filter(|c| !c.is_whitespace()).count() < 2 {
            continue;
        }
        checked += 1;
        if known.contains(&e) {
            continue;
        }
        if tests.iter().any(|t| t.contains(&e)) && !devs.iter().any(|t| t.contains(&e)) {
            leaks.insert(format!("{file}: {entry}"));
        }
    }
    assert!(checked > 1000, "only {checked} entries were read");
    assert!(
        leaks.is_empty(),
        "{} entries occur in blind test texts and in no train or dev text \
         (taken from a test text? remove them, or add the train/dev text they \
         really came from):\n{}",
        leaks.len(),
        leaks.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn pattern_literals_are_read() {
    assert_eq!(pattern_literals("全网销量第[一1]"), vec!["全网销量第"]);
    assert_eq!(
        pattern_literals("(保证|包)(考上|通过)"),
        vec!["保证", "考上", "通过"]
    );
    assert_eq!(pattern_literals("你是不是?傻瓜"), vec!["你是不", "傻瓜"]);
}
