//! Prints the triage quality tables of QUALITY.md ("Triage").
//!
//! ```text
//! KEFU_SHARED_DATA=/path/to/shared/data cargo run --release --example triage_eval
//! cargo run --release --example triage_eval -- --errors dev    # list mistakes
//! ```
//!
//! `--errors SET` (dev, test, real) lists each comment whose category or
//! urgency differs from its label, with the reasons. Tune on `dev` only.

use kefu::settings::Settings;
use kefu::triage::eval::{self, Labelled};
use kefu::triage::Triager;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("triage_eval: {e}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn run(args: &[String]) -> Result<(), String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = eval::shared_data()?;
    let sets: Vec<(&str, Vec<Labelled>)> = vec![
        (
            "dev",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev.jsonl"))?)?,
        ),
        (
            "dev-b",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev-b.jsonl"))?)?,
        ),
        (
            "real",
            eval::read_labelled(&read(&shared.join("real/labelled-comments.jsonl"))?)?,
        ),
    ];
    let t = Triager::new();
    let settings = Settings::default();
    if let [flag, set] = args {
        if flag == "--errors" {
            let (_, items) = sets
                .iter()
                .find(|(name, _)| name == set)
                .ok_or_else(|| format!("no set `{set}`: dev, test or real"))?;
            let (_, got) = eval::evaluate(&t, items, &settings);
            for (l, g) in items.iter().zip(&got) {
                if l.category != g.category || l.urgency != g.urgency {
                    println!(
                        "{}/{} → {}/{} {:>3}  {}\n      {}  {}",
                        l.category.as_str(),
                        l.urgency.as_str(),
                        g.category.as_str(),
                        g.urgency.as_str(),
                        g.score,
                        l.comment.text,
                        g.reasons.join(" | "),
                        l.note
                    );
                }
            }
            return Ok(());
        }
        return Err(format!("unknown arguments {args:?}"));
    }
    for (name, items) in &sets {
        let (report, _) = eval::evaluate(&t, items, &settings);
        println!("### {name}\n\n{}", report.markdown());
    }
    let reviews = eval::read_reviews(&read(&shared.join("real/waimai_10k.csv"))?)?;
    let (auc, n) = eval::review_auc(&t, &reviews);
    println!(
        "### waimai_10k\n\nROC AUC of the score, complaints above praise: {auc:.3} ({n} reviews)"
    );
    Ok(())
}
