//! Phrase lists: the one runner for the table-driven cases in `tests/lists/`
//! (see its README), checks on the default lists, a check on real replies,
//! and property tests of folding, offsets and serialization.

use kefu::fold::{fold, fold_str, is_separator};
use kefu::guard::default_lists as default_list_files;
use kefu::lists::{parse, Level, PhraseList};
use kefu::matcher::{Hit, Matcher};
use proptest::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lists")
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn default_lists() -> Vec<PhraseList> {
    default_list_files()
        .iter()
        .map(|(name, text)| {
            let p = parse(name, text.as_bytes());
            p.list
                .unwrap_or_else(|| panic!("{name} does not parse: {:?}", p.diagnostics))
        })
        .collect()
}

fn fixture_lists(names: &[String]) -> Vec<PhraseList> {
    names
        .iter()
        .map(|n| {
            let path = dir().join("fixtures").join(n);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{n}: {e}"));
            let p = parse(n, &bytes);
            p.list
                .unwrap_or_else(|| panic!("fixture {n} does not parse: {:?}", p.diagnostics))
        })
        .collect()
}

// ---------------------------------------------------------------- folding

#[derive(Deserialize)]
struct FoldCases {
    case: Vec<FoldCase>,
}

#[derive(Deserialize)]
struct FoldCase {
    input: String,
    folded: String,
}

#[test]
fn fold_cases() {
    let cases: FoldCases = read_toml(&dir().join("fold.toml"));
    let failures: Vec<String> = cases
        .case
        .iter()
        .filter_map(|c| {
            let got = fold_str(&c.input);
            (got != c.folded).then(|| format!("{:?}: want {:?}, got {got:?}", c.input, c.folded))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------- matching

#[derive(Deserialize)]
struct MatchCases {
    case: Vec<MatchCase>,
}

#[derive(Deserialize)]
struct MatchCase {
    text: String,
    #[serde(default)]
    lists: Vec<String>,
    hits: Vec<ExpectedHit>,
}

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct ExpectedHit {
    rule: String,
    text: String,
    start: Option<usize>,
}

fn describe(lists: &[PhraseList], text: &str, hits: &[Hit]) -> Vec<(String, String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    hits.iter()
        .map(|h| {
            let l = &lists[h.list];
            (
                format!("{}/{}", l.id, l.rules[h.rule].id),
                chars[h.start..h.end].iter().collect(),
                h.start,
            )
        })
        .collect()
}

#[test]
fn match_cases() {
    let defaults = default_lists();
    let default_matcher = Matcher::new(&defaults);
    let mut failures = Vec::new();
    let mut n = 0;
    let mut files: Vec<_> = std::fs::read_dir(dir().join("cases"))
        .expect("tests/lists/cases")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for path in files {
        let cases: MatchCases = read_toml(&path);
        for c in cases.case {
            n += 1;
            let (lists, own);
            let matcher = if c.lists.is_empty() {
                lists = &defaults;
                &default_matcher
            } else {
                own = fixture_lists(&c.lists);
                lists = &own;
                &Matcher::new(lists)
            };
            let got = describe(lists, &c.text, &matcher.find(&c.text));
            let chars: Vec<char> = c.text.chars().collect();
            let mut want: Vec<(String, String, usize)> = Vec::new();
            for h in &c.hits {
                let start = h.start.or_else(|| {
                    let needle: Vec<char> = h.text.chars().collect();
                    chars
                        .windows(needle.len().max(1))
                        .position(|w| w == needle.as_slice())
                });
                match start {
                    Some(s) => want.push((h.rule.clone(), h.text.clone(), s)),
                    None => failures.push(format!(
                        "{}: {:?}: expected hit text {:?} is not in the text",
                        path.display(),
                        c.text,
                        h.text
                    )),
                }
            }
            let mut got_sorted = got.clone();
            got_sorted.sort();
            want.sort();
            if got_sorted != want {
                failures.push(format!(
                    "{}: {:?}\n    want {want:?}\n    got  {got_sorted:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    c.text
                ));
            }
        }
    }
    assert!(n > 50, "too few match cases read: {n}");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- lint

#[derive(Deserialize)]
struct LintCases {
    case: Vec<LintCase>,
}

#[derive(Deserialize)]
struct LintCase {
    file: String,
    expect: Vec<String>,
    count: Option<usize>,
}

#[test]
fn lint_cases() {
    let cases: LintCases = read_toml(&dir().join("lint.toml"));
    let mut failures = Vec::new();
    for c in cases.case {
        let bytes = std::fs::read(dir().join("lint").join(&c.file)).expect("lint file");
        let parsed = parse(&c.file, &bytes);
        let got: Vec<String> = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let level = if d.level == Level::Error {
                    "error"
                } else {
                    "warning"
                };
                format!("{}:{}: {level}: {}", d.line, d.col, d.message)
            })
            .collect();
        for e in &c.expect {
            if !got.iter().any(|g| g.starts_with(e.as_str())) {
                failures.push(format!("{}: missing {e:?}\n    got {got:#?}", c.file));
            }
        }
        if let Some(n) = c.count {
            if got.len() != n {
                failures.push(format!("{}: want {n} diagnostics, got {got:#?}", c.file));
            }
        }
        if parsed.has_errors() != parsed.list.is_none() {
            failures.push(format!(
                "{}: a list with errors must not be returned",
                c.file
            ));
        }
        // Display is the SPEC's lint format: FILE:LINE:COL, the line, a caret.
        for d in &parsed.diagnostics {
            let shown = d.to_string();
            let lines: Vec<&str> = shown.lines().collect();
            if lines.len() != 3
                || !lines[0].starts_with(&format!("{}:{}:{}: ", c.file, d.line, d.col))
                || !lines[2].ends_with('^')
            {
                failures.push(format!("{}: bad display {shown:?}", c.file));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------- default lists

#[test]
fn default_lists_lint_clean_and_pass_their_examples() {
    let mut failures = Vec::new();
    for (name, text) in default_list_files() {
        let parsed = parse(name, text.as_bytes());
        for d in &parsed.diagnostics {
            failures.push(d.to_string());
        }
        let Some(list) = parsed.list else { continue };
        let m = Matcher::new(std::slice::from_ref(&list));
        for (ri, rule) in list.rules.iter().enumerate() {
            if rule.examples_hit.is_empty() {
                failures.push(format!("{name}: rule {} has no hit example", rule.id));
            }
            for ex in &rule.examples_hit {
                if !m.find(ex).iter().any(|h| h.rule == ri) {
                    failures.push(format!(
                        "{name}/{}: hit example {ex:?} gives no hit",
                        rule.id
                    ));
                }
            }
            for ex in &rule.examples_ok {
                if m.find(ex).iter().any(|h| h.rule == ri) {
                    failures.push(format!("{name}/{}: ok example {ex:?} gives a hit", rule.id));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_lists_on_disk_are_the_default_lists() {
    let names: Vec<&str> = default_list_files().iter().map(|(n, _)| *n).collect();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("lists")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            assert!(
                names.contains(&name.as_str()),
                "lists/{name} is not in default_lists()"
            );
        }
    }
}

#[test]
fn every_common_word_contains_a_default_phrase() {
    // A common word that contains no phrase is dead weight: it can never
    // cover a hit of the default lists.
    let lists = default_lists();
    let phrases: Vec<String> = lists
        .iter()
        .flat_map(|l| {
            l.rules
                .iter()
                .flat_map(|r| r.phrases.iter().map(|p| fold_str(p)))
        })
        .collect();
    let words = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lists/common-words.txt"),
    )
    .unwrap();
    let dead: Vec<&str> = words
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|w| {
            let f = fold_str(w);
            !phrases.iter().any(|p| f.contains(p.as_str()))
        })
        .collect();
    assert!(
        dead.is_empty(),
        "common words that contain no phrase: {dead:?}"
    );
}

// ---------------------------------------------------------------- real data

fn shared_data() -> PathBuf {
    let dir = std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("real").is_dir(),
        "shared data not found at {} (set KEFU_SHARED_DATA to the folder that holds real/ and bench/)",
        dir.display()
    );
    dir
}

#[test]
fn real_replies_not_labelled_block_are_not_blocked_by_the_lists() {
    let path = shared_data().join("real/labelled-replies.jsonl");
    let text = std::fs::read_to_string(&path).expect("labelled-replies.jsonl");
    let lists = default_lists();
    let m = Matcher::new(&lists);
    let mut false_blocks = Vec::new();
    let (mut blocks, mut caught) = (0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let draft = v["draft"].as_str().expect("draft");
        let blocked: Vec<_> = describe(&lists, draft, &m.find(draft))
            .into_iter()
            .filter(|(rule, _, _)| {
                let (l, r) = rule.split_once('/').unwrap();
                let list = lists.iter().find(|x| x.id == l).unwrap();
                list.rules.iter().find(|x| x.id == r).unwrap().severity
                    == kefu::lists::Severity::Block
            })
            .collect();
        if v["expect_block"].as_bool() == Some(true) {
            blocks += 1;
            caught += usize::from(!blocked.is_empty());
        } else if !blocked.is_empty() {
            false_blocks.push(format!("{}: {blocked:?}", v["id"]));
        }
    }
    eprintln!("lists block {caught} of {blocks} replies labelled block");
    assert!(
        blocks >= 3 && caught >= 2,
        "the lists block {caught} of {blocks} replies labelled block (QUALITY.md: 2 of 3)"
    );
    assert!(
        false_blocks.is_empty(),
        "blocked although labelled not to block:\n{}",
        false_blocks.join("\n")
    );
}

#[test]
fn guard_drafts_not_labelled_block_are_not_blocked_by_the_lists() {
    // The good drafts of the labelled dev sets (tests/guard/), read as the
    // lists alone see them: issue 13's guard against false blocks from
    // rules written from public sources. `examples/lists_eval` shows the
    // same on the real replies, waimai_10k and COLD dev.
    let lists = default_lists();
    let m = Matcher::new(&lists);
    let mut false_blocks = Vec::new();
    for set in ["dev.jsonl", "dev-b.jsonl"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/guard")
            .join(set);
        let text = std::fs::read_to_string(&path).expect("labelled drafts");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            if v["expect_block"].as_bool() == Some(true) {
                continue;
            }
            let draft = v["draft"].as_str().expect("draft");
            let blocked: Vec<_> = m
                .find(draft)
                .into_iter()
                .filter(|h| lists[h.list].rules[h.rule].severity == kefu::lists::Severity::Block)
                .collect();
            if !blocked.is_empty() {
                false_blocks.push(format!(
                    "{}: {:?}",
                    v["id"],
                    describe(&lists, draft, &blocked)
                ));
            }
        }
    }
    assert!(
        false_blocks.is_empty(),
        "blocked although labelled not to block:\n{}",
        false_blocks.join("\n")
    );
}

// ---------------------------------------------------------------- properties

fn test_matcher() -> &'static (Vec<PhraseList>, Matcher) {
    static M: std::sync::OnceLock<(Vec<PhraseList>, Matcher)> = std::sync::OnceLock::new();
    M.get_or_init(build_test_matcher)
}

fn build_test_matcher() -> (Vec<PhraseList>, Matcher) {
    let src = r#"
[list]
id = "p"
version = "1"
[[rule]]
id = "cjk"
label = "insult"
severity = "block"
message = "m"
phrases = ["蠢驴", "口交"]
examples = { hit = ["蠢驴"] }
[[rule]]
id = "latin"
label = "insult"
severity = "block"
message = "m"
phrases = ["sb", "fuck"]
examples = { hit = ["sb"] }
"#;
    let list = parse("p.toml", src.as_bytes()).list.expect("parses");
    let m = Matcher::new(std::slice::from_ref(&list));
    (vec![list], m)
}

/// Filler that can neither complete a phrase nor touch a Latin one.
const FILLER: &str = "的了是我你们好在有这个服务";
const SEPARATORS: &[&str] = &[
    " ", "*", ".", "-", "\u{200b}", "😀", "，", "、", "\u{3000}", "丶", "\u{fe0f}",
];

fn filler() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(FILLER.chars().collect::<Vec<_>>()),
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn inserted_separators_still_hit_at_the_original_chars(
        before in filler(),
        after in filler(),
        phrase in proptest::sample::select(vec!["蠢驴", "口交", "sb", "fuck"]),
        seps in proptest::collection::vec(proptest::collection::vec(proptest::sample::select(SEPARATORS.to_vec()), 0..3), 4),
        wide in any::<bool>(),
    ) {
        let (_, m) = test_matcher();
        let mut evaded = String::new();
        for (i, c) in phrase.chars().enumerate() {
            if i > 0 {
                evaded.extend(seps[i - 1].iter().copied());
            }
            // Full-width and upper-case forms of Latin letters.
            evaded.push(if wide && c.is_ascii_alphabetic() {
                char::from_u32(c.to_ascii_uppercase() as u32 + 0xFEE0).unwrap()
            } else {
                c
            });
        }
        let text = format!("{before}{evaded}{after}");
        let start = before.chars().count();
        let end = start + evaded.chars().count();
        let hits = m.find(&text);
        prop_assert!(
            hits.iter().any(|h| h.start == start && h.end == end),
            "{text:?}: want {start}..{end}, got {hits:?}"
        );
    }

    #[test]
    fn hits_are_well_formed_for_any_text(text in "\\PC{0,40}|[a-z 蠢驴口交路通sb.*]{0,40}") {
        let (_, m) = test_matcher();
        let chars: Vec<char> = text.chars().collect();
        let hits = m.find(&text);
        for w in hits.windows(2) {
            prop_assert!((w[0].start, w[0].end) <= (w[1].start, w[1].end));
        }
        for h in &hits {
            prop_assert!(h.start < h.end && h.end <= chars.len());
            // A hit starts and ends on a character that is part of it.
            prop_assert!(!is_separator(chars[h.start]) && !is_separator(chars[h.end - 1]));
        }
    }

    #[test]
    fn folding_is_idempotent_and_maps_back(text in "\\PC{0,60}") {
        let f = fold(&text);
        prop_assert_eq!(f.original_len, text.chars().count());
        prop_assert_eq!(f.chars.len(), f.origin.len());
        prop_assert!(f.origin.windows(2).all(|w| w[0] < w[1]));
        let s = f.as_string();
        prop_assert_eq!(fold_str(&s), s);
    }

    #[test]
    fn a_serialized_matcher_finds_the_same(text in "[蠢驴口交路通sb 的*]{0,30}") {
        let (_, m) = test_matcher();
        let loaded = Matcher::from_bytes(&m.to_bytes()).expect("loads");
        prop_assert_eq!(m.find(&text), loaded.find(&text));
    }

    #[test]
    fn damaged_bytes_never_panic(flip in 0usize..4096, bit in 0u8..8, cut in 0usize..4096) {
        let (lists, m) = test_matcher();
        let mut bytes = m.to_bytes();
        let i = flip % bytes.len();
        bytes[i] ^= 1 << bit;
        if let Ok(loaded) = Matcher::from_bytes(&bytes) {
            // Only a flip the checksum cannot see (in the fingerprint) loads;
            // then it is refused for these lists.
            let _ = loaded.find("蠢驴 sb");
            prop_assert!(Matcher::from_bytes_for(&bytes, lists).is_err() || bytes == m.to_bytes());
        }
        let short = &m.to_bytes()[..cut % bytes.len()];
        prop_assert!(Matcher::from_bytes(short).is_err());
    }
}

#[test]
fn serialization_round_trips_the_default_lists() {
    let lists = default_lists();
    let m = Matcher::new(&lists);
    let bytes = m.to_bytes();
    let loaded = Matcher::from_bytes_for(&bytes, &lists).expect("loads");
    for text in [
        "你这个蠢 驴",
        "我们第一时间处理",
        "全网销量第一",
        "１００％正品",
        "不归我管",
    ] {
        assert_eq!(m.find(text), loaded.find(text), "{text}");
    }
    let other = fixture_lists(&["digits.toml".to_string()]);
    let err = Matcher::from_bytes_for(&bytes, &other)
        .err()
        .expect("other lists refused");
    assert!(err.is_stale(), "{err}");
    assert!(Matcher::from_bytes(b"not a matcher").is_err());
}
