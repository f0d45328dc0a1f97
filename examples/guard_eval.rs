//! Prints the reply guard's precision and recall per label and for block,
//! on the labelled halves (`tests/guard/`) and on the real hotel replies
//! (`../shared/data/real/labelled-replies.jsonl`): the tables of QUALITY.md.
//!
//! `cargo run --release --example guard_eval [dev|dev-b|dev-c|dev-d|dev-e|real]... [--errors]`
//! (all six sets by default; `--errors` lists every disagreement).

#[path = "../tests/guard/eval.rs"]
mod eval;

use kefu::guard::Guard;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    let mut sets: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if sets.is_empty() {
        sets = vec!["dev", "dev-b", "dev-c", "dev-d", "dev-e", "real"];
    }
    let guard = Guard::with_default_lists();
    let settings = eval::settings();
    for set in sets {
        let path = match set {
            "dev" | "dev-b" | "dev-c" | "dev-d" | "dev-e" => {
                eval::repo().join(format!("tests/guard/{set}.jsonl"))
            }
            "real" => eval::shared_data().join("real/labelled-replies.jsonl"),
            other => {
                eprintln!(
                    "guard_eval: unknown set `{other}` (dev, dev-b, dev-c, dev-d, dev-e or real)"
                );
                std::process::exit(2);
            }
        };
        let cases = eval::read_cases(&path);
        let outcomes = eval::run(&guard, &settings, &cases);
        let m = eval::Metrics::new(&cases, &outcomes);
        println!("### {set} ({})\n\n{}", path.display(), m.table());
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
