//! Prints the reply guard's precision and recall per label and for block,
//! on the labelled halves (`tests/guard/`) and on the real hotel replies
//! (`../shared/data/real/labelled-replies.jsonl`): the tables of QUALITY.md.
//!
//! `cargo run --release --example guard_eval [dev|dev-b|dev-c|dev-d|dev-e|dev-f|dev-pii|real|blind|blind2]... [--errors]`
//! (the dev sets and real by default; `dev-pii` is the personal-data set;
//! `--errors` lists every disagreement, refused for `blind`).

#[path = "../tests/guard/eval.rs"]
mod eval;

use kefu::guard::Guard;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    if errors && args.iter().any(|a| a.starts_with("blind")) {
        eprintln!("guard_eval: the blind set's texts are not shown (EVALUATION.md): run `guard_eval blind` for counts and kinds");
        std::process::exit(2);
    }
    let mut sets: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if sets.is_empty() {
        sets = vec![
            "dev", "dev-b", "dev-c", "dev-d", "dev-e", "dev-f", "dev-pii", "real",
        ];
    }
    let guard = Guard::with_default_lists();
    let settings = eval::settings();
    for set in sets {
        let path = match set {
            "dev" | "dev-b" | "dev-c" | "dev-d" | "dev-e" | "dev-f" | "dev-pii" => {
                eval::repo().join(format!("tests/guard/{set}.jsonl"))
            }
            "blind" => eval::repo().join("tests/blind/guard.jsonl"),
            "blind2" => eval::repo().join("tests/blind/guard2.jsonl"),
            "real" => eval::shared_data().join("real/labelled-replies.jsonl"),
            other => {
                eprintln!("guard_eval: unknown set `{other}` (dev, dev-b, dev-c, dev-d, dev-e, dev-f, dev-pii, real, blind or blind2)");
                std::process::exit(2);
            }
        };
        let cases = eval::read_cases(&path);
        let outcomes = eval::run(&guard, &settings, &cases);
        let m = eval::Metrics::new(&cases, &outcomes);
        println!("### {set} ({})\n\n{}", path.display(), m.table());
        if set.starts_with("blind") {
            // Never the texts (EVALUATION.md): the kinds of the mistakes.
            blind_kinds(&cases, &outcomes);
            continue;
        }
        if errors {
            for (c, o) in cases.iter().zip(&outcomes) {
                let missed: Vec<&String> =
                    c.expect.iter().filter(|l| !o.labels.contains(l)).collect();
                let extra: Vec<&String> =
                    o.labels.iter().filter(|l| !c.expect.contains(l)).collect();
                if !missed.is_empty() || !extra.is_empty() {
                    println!(
                        "{}: missed {:?} extra {:?}\n   reply_to: {}\n   draft: {}",
                        c.id,
                        missed,
                        extra,
                        c.reply_to.as_deref().unwrap_or(""),
                        c.draft
                    );
                }
            }
            println!();
        }
    }
}

/// The kinds of the blind set's mistakes, counted; never a text.
fn blind_kinds(cases: &[eval::Case], outcomes: &[eval::Outcome]) {
    use std::collections::BTreeMap;
    let mut missed_block: BTreeMap<&str, usize> = BTreeMap::new();
    let mut false_block: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missed_label: BTreeMap<String, usize> = BTreeMap::new();
    for (c, o) in cases.iter().zip(outcomes) {
        if c.expect_block && !o.blocked {
            *missed_block.entry(&c.kind).or_default() += 1;
        }
        if !c.expect_block && o.blocked {
            *false_block.entry(&c.kind).or_default() += 1;
        }
        for l in c.expect.iter().filter(|l| !o.labels.contains(l)) {
            *missed_label.entry(l.clone()).or_default() += 1;
        }
    }
    println!(
        "kinds of must-block drafts let through ({}):",
        missed_block.values().sum::<usize>()
    );
    for (k, n) in &missed_block {
        println!("- {k}: {n}");
    }
    println!(
        "\nkinds of good drafts blocked ({}):",
        false_block.values().sum::<usize>()
    );
    for (k, n) in &false_block {
        println!("- {k}: {n}");
    }
    println!();
}
