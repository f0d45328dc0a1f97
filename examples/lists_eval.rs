//! What the phrase lists alone block on text that must not be blocked, and
//! what they catch on COLD (issue 13): the figures of QUALITY.md "Phrase
//! lists". Reads the lists from disk (`lists/*.toml` by default), so a list
//! edit needs no rebuild.
//!
//! ```text
//! cargo run --release --example lists_eval                      # the tables
//! cargo run --release --example lists_eval -- --show waimai     # each block
//! cargo run --release --example lists_eval -- --lists a.toml b.toml
//! echo 你这个蠢驴 | cargo run --release --example lists_eval -- --hits
//! ```
//!
//! Sets: `guard` (the drafts of `tests/guard/dev.jsonl` and `dev-b.jsonl`
//! labelled not to block), `real` (the real hotel replies labelled not to
//! block), `waimai` (the negative food-delivery reviews of waimai_10k read
//! as if they were replies), `cold` (COLD dev: how many offensive and how
//! many safe comments the lists block, by topic). COLD test is never read.

use kefu::lists::{parse, PhraseList, Severity};
use kefu::matcher::Matcher;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `KEFU_SHARED_DATA`, else `shared/data` beside the repository or beside
/// the folder that holds it (a git worktree).
fn shared_data() -> PathBuf {
    std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let near = repo().join("../shared/data");
            if near.is_dir() {
                near
            } else {
                repo().join("../../shared/data")
            }
        })
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The lines of a CSV file as fields (quotes as RFC 4180; no field spans
/// lines in these files).
fn csv(path: &Path) -> Vec<Vec<String>> {
    read(path)
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|line| {
            let mut fields = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        chars.next();
                        fields.last_mut().unwrap().push('"');
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(String::new()),
                    c => fields.last_mut().unwrap().push(c),
                }
            }
            fields
        })
        .collect()
}

struct Lists {
    lists: Vec<PhraseList>,
    matcher: Matcher,
}

impl Lists {
    fn load(files: &[PathBuf]) -> Lists {
        let lists: Vec<PhraseList> = files
            .iter()
            .map(|f| {
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                let p = parse(&name, read(f).as_bytes());
                p.list.unwrap_or_else(|| {
                    for d in &p.diagnostics {
                        eprintln!("{d}");
                    }
                    panic!("{} does not lint", f.display())
                })
            })
            .collect();
        let matcher = Matcher::new(&lists);
        Lists { lists, matcher }
    }

    /// The block-severity hits in `text`, as `list/rule「text」`.
    fn blocks(&self, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        self.matcher
            .find(text)
            .into_iter()
            .filter_map(|h| {
                let list = &self.lists[h.list];
                let rule = &list.rules[h.rule];
                (rule.severity == Severity::Block).then(|| {
                    let t: String = chars[h.start..h.end].iter().collect();
                    format!("{}/{}「{t}」", list.id, rule.id)
                })
            })
            .collect()
    }
}

/// Texts that must not be blocked, with an id: prints how many are.
fn must_not_block(name: &str, lists: &Lists, texts: &[(String, String)], show: bool) -> usize {
    let mut blocked = 0;
    for (id, text) in texts {
        let b = lists.blocks(text);
        if !b.is_empty() {
            blocked += 1;
            if show {
                println!("  {id}: {}\n      {text}", b.join(" "));
            }
        }
    }
    println!("{name}: {blocked} of {} blocked", texts.len());
    blocked
}

fn guard_drafts() -> Vec<(String, String)> {
    ["dev", "dev-b"]
        .iter()
        .flat_map(|set| {
            read(&repo().join(format!("tests/guard/{set}.jsonl")))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
                .collect::<Vec<_>>()
        })
        .filter(|v| v["expect_block"].as_bool() != Some(true))
        .map(|v| {
            (
                v["id"].as_str().unwrap_or("").to_string(),
                v["draft"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn real_replies() -> Vec<(String, String)> {
    read(&shared_data().join("real/labelled-replies.jsonl"))
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter(|v| v["expect_block"].as_bool() != Some(true))
        .map(|v| {
            (
                v["id"].to_string(),
                v["draft"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn waimai_negatives() -> Vec<(String, String)> {
    read(&shared_data().join("real/waimai_10k.csv"))
        .lines()
        .enumerate()
        .skip(1)
        .filter_map(|(n, l)| {
            let (label, review) = l.split_once(',')?;
            (label == "0").then(|| (format!("waimai:{}", n + 1), review.to_string()))
        })
        .collect()
}

fn cold(lists: &Lists, show: bool) {
    let rows = csv(&shared_data().join("cold/dev.csv"));
    // topic → [offensive, blocked, blocked as insult, safe, blocked, as insult]
    let mut by_topic: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    let mut all = [0usize; 6];
    for r in &rows {
        let (topic, label, text) = (&r[2], &r[3], &r[4..].join(","));
        let blocks = lists.blocks(text);
        let insult = blocks.iter().any(|b| b.starts_with("insults/"));
        let i = if label == "1" { 0 } else { 3 };
        for counts in [by_topic.entry(topic.clone()).or_default(), &mut all] {
            counts[i] += 1;
            counts[i + 1] += usize::from(!blocks.is_empty());
            counts[i + 2] += usize::from(insult);
        }
        if show && !blocks.is_empty() {
            println!("  [{label} {topic}] {}\n      {text}", blocks.join(" "));
        }
    }
    println!(
        "COLD dev ({} comments): blocked by the lists alone (any rule; insults rules only)",
        rows.len()
    );
    println!("| topic | offensive | blocked | by insults | safe | blocked | by insults |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    for (t, c) in by_topic.iter().chain([(&"all".to_string(), &all)]) {
        println!(
            "| {t} | {} | {} ({:.1} %) | {} ({:.1} %) | {} | {} ({:.1} %) | {} ({:.1} %) |",
            c[0],
            c[1],
            pct(c[1], c[0]),
            c[2],
            pct(c[2], c[0]),
            c[3],
            c[4],
            pct(c[4], c[3]),
            c[5],
            pct(c[5], c[3])
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--show")
        .map(|w| w[1].as_str())
        .collect();
    let mut files: Vec<PathBuf> = match args.iter().position(|a| a == "--lists") {
        Some(i) => args[i + 1..]
            .iter()
            .take_while(|a| !a.starts_with("--"))
            .map(PathBuf::from)
            .collect(),
        None => std::fs::read_dir(repo().join("lists"))
            .expect("lists/")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
    };
    files.sort();
    let lists = Lists::load(&files);
    if args.iter().any(|a| a == "--hits") {
        // Each line of stdin with every hit (any severity), in the form of
        // a case of tests/lists/cases/, to check a case by eye.
        for line in std::io::stdin().lines() {
            let text = line.expect("stdin");
            let chars: Vec<char> = text.chars().collect();
            let hits: Vec<String> = lists
                .matcher
                .find(&text)
                .iter()
                .map(|h| {
                    let l = &lists.lists[h.list];
                    let t: String = chars[h.start..h.end].iter().collect();
                    format!(
                        "{{ rule = \"{}/{}\", text = {t:?} }}",
                        l.id, l.rules[h.rule].id
                    )
                })
                .collect();
            println!("text = {text:?}\nhits = [{}]", hits.join(", "));
        }
        return;
    }
    let shows = |s: &str| show.contains(&s) || show.contains(&"all");
    let mut false_blocks = 0;
    false_blocks += must_not_block(
        "guard dev + dev-b drafts labelled not to block",
        &lists,
        &guard_drafts(),
        shows("guard"),
    );
    false_blocks += must_not_block(
        "real hotel replies labelled not to block",
        &lists,
        &real_replies(),
        shows("real"),
    );
    must_not_block(
        "waimai_10k negative reviews read as replies",
        &lists,
        &waimai_negatives(),
        shows("waimai"),
    );
    cold(&lists, shows("cold"));
    if false_blocks > 0 {
        std::process::exit(1);
    }
}
