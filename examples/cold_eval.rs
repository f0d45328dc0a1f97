//! Prints how the reply guard does on COLD (the Chinese Offensive Language
//! Dataset, `../shared/data/cold/` or `KEFU_SHARED_DATA`) with the
//! offensive-language model and with the default phrase lists alone (the
//! keyword baseline); what it does to Kefu's own good replies; and what the
//! model costs per check. The figures of QUALITY.md ("Offensive-language
//! model").
//!
//! `cargo run --release --example cold_eval [test|dev]` (test by default;
//! settings were chosen on dev, never on test).

#[path = "../tests/guard/cold.rs"]
mod cold;
#[path = "../tests/guard/eval.rs"]
mod eval;

use kefu::guard::offensive::Offensive;
use kefu::guard::{Context, Guard, Verdict};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let split = std::env::args().nth(1).unwrap_or_else(|| "test".into());
    if split != "test" && split != "dev" {
        eprintln!("cold_eval: unknown set `{split}` (test or dev)");
        std::process::exit(2);
    }
    let texts = cold::read(&split);
    let with_model = Guard::with_default_lists();
    let lists_alone = Guard::with_default_lists().without_offensive_model();

    println!("### COLD {split} ({} texts)\n", texts.len());
    let baseline = cold::score(&lists_alone, &texts);
    let model = cold::score(&with_model, &texts);
    println!(
        "keyword baseline (default lists alone): {}",
        baseline.line()
    );
    println!("lists + offensive-language model:       {}", model.line());
    let blocked = texts
        .iter()
        .filter(|t| with_model.check(&t.text, &Context::default()).verdict == Verdict::Block)
        .count();
    println!(
        "blocked: {blocked} of {} ({:.1} %); the rest of the flagged warn",
        texts.len(),
        100.0 * blocked as f64 / texts.len() as f64
    );

    println!("\n### Kefu's good replies (expect_block false)\n");
    let settings = eval::settings();
    for set in ["dev", "dev-b", "real"] {
        let path = match set {
            "real" => eval::shared_data().join("real/labelled-replies.jsonl"),
            _ => eval::repo().join(format!("tests/guard/{set}.jsonl")),
        };
        let cases: Vec<eval::Case> = eval::read_cases(&path)
            .into_iter()
            .filter(|c| !c.expect_block)
            .collect();
        for (name, guard) in [("lists alone", &lists_alone), ("with model", &with_model)] {
            let outcomes = eval::run(guard, &settings, &cases);
            let blocks = outcomes.iter().filter(|o| o.blocked).count();
            let insults = outcomes
                .iter()
                .filter(|o| o.labels.iter().any(|l| l == "insult"))
                .count();
            println!(
                "{set:5} {name:11}: false blocks {blocks} of {}, drafts with an insult finding {insults}",
                cases.len()
            );
        }
    }

    println!("\n### Cost per 140-character draft (native, this machine)\n");
    let drafts: Vec<String> = eval::read_cases(&eval::repo().join("tests/guard/dev.jsonl"))
        .iter()
        .map(|c| c.draft.chars().cycle().take(140).collect())
        .collect();
    let model_alone = Offensive::shipped();
    // The quietest of many short rounds: on a shared machine most rounds
    // wait for the core; the quietest shows the engine.
    let time = |f: &dyn Fn(&str)| {
        let mut best = f64::MAX;
        for round in drafts.chunks(8).cycle().take(3000) {
            let start = Instant::now();
            for d in round {
                f(d);
            }
            best = best.min(start.elapsed().as_secs_f64() * 1e6 / round.len() as f64);
        }
        best
    };
    let read = time(&|d| {
        black_box(model_alone.read(black_box(d)));
    });
    let check = time(&|d| {
        black_box(with_model.check(black_box(d), &Context::default()));
    });
    let check_without = time(&|d| {
        black_box(lists_alone.check(black_box(d), &Context::default()));
    });
    println!("the model's reading: {read:.2} µs (mean of the quietest round of 8 drafts)");
    println!("whole check: {check:.2} µs with the model, {check_without:.2} µs without (same)");
}
