//! Prints the triage quality tables of QUALITY.md ("Triage").
//!
//! ```text
//! KEFU_SHARED_DATA=/path/to/shared/data cargo run --release --example triage_eval
//! cargo run --release --example triage_eval -- --errors dev    # list mistakes
//! cargo run --release --example triage_eval -- --speed         # comments/s
//! ```
//!
//! `--errors SET` (dev, dev-b, dev-c, dev-d, dev-e, dev-f, real) lists each comment whose
//! category or urgency differs from its label, with the reasons. All of
//! these are dev sets: the blind test set is never read here.
//!
//! `--speed` is a quick in-process measure of triage throughput on one
//! thread: the labelled comments, made distinct, 5,000 a batch, the best of
//! a few rounds (`cargo bench --bench triage` is the careful one).
//!
//! //! The blind set (`tests/blind/triage.jsonl`) is scored with `blind`: counts
//! per class, the confusion of urgencies, and the kinds (never the texts) of
//! the comments it gets wrong. `--errors blind` is refused: nobody who
//! changes rules reads the blind texts (EVALUATION.md).

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
            "dev-c",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev-c.jsonl"))?)?,
        ),
        (
            "dev-d",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev-d.jsonl"))?)?,
        ),
        (
            "dev-e",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev-e.jsonl"))?)?,
        ),
        (
            "dev-f",
            eval::read_labelled(&read(&root.join("tests/triage/labelled-dev-f.jsonl"))?)?,
        ),
        (
            "real",
            eval::read_labelled(&read(&shared.join("real/labelled-comments.jsonl"))?)?,
        ),
    ];
    let t = Triager::new();
    let settings = Settings::default();
    // `blind`: the set of session 4; `blind2`: the set of session 5.
    let blind_file = match args.first().map(String::as_str) {
        Some("blind") => Some("tests/blind/triage.jsonl"),
        Some("blind2") => Some("tests/blind/triage2.jsonl"),
        _ => None,
    };
    if let Some(file) = blind_file {
        return blind(&t, &settings, &read(&root.join(file))?);
    }
    if let [flag] = args {
        if flag == "--speed" {
            speed(&t, &sets);
            return Ok(());
        }
    }
    if let [flag, set] = args {
        if set.starts_with("blind") {
            return Err(
                "the blind set's texts are not shown: `triage_eval blind` gives counts and kinds"
                    .into(),
            );
        }
        if flag == "--errors" {
            let (_, items) = sets.iter().find(|(name, _)| name == set).ok_or_else(|| {
                format!("no set `{set}`: dev, dev-b, dev-c, dev-d, dev-e, dev-f or real")
            })?;
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
    for (name, items) in &sets {
        let (_, got) = eval::evaluate(&t, items, &settings);
        println!(
            "### {name}: urgency confusion\n\n{}",
            confusion(items, &got)
        );
    }
    let reviews = eval::read_reviews(&read(&shared.join("real/waimai_10k.csv"))?)?;
    let (auc, n) = eval::review_auc(&t, &reviews);
    println!(
        "### waimai_10k\n\nROC AUC of the score, complaints above praise: {auc:.3} ({n} reviews)"
    );
    Ok(())
}

/// Rows: the labelled urgency; columns: Kefu's.
fn confusion(items: &[Labelled], got: &[kefu::triage::Triage]) -> String {
    use kefu::triage::Urgency;
    let mut s = String::from("| labelled \\ Kefu |");
    for u in Urgency::ALL {
        s += &format!(" {} |", u.as_str());
    }
    s += "\n|---|";
    s += &"---|".repeat(Urgency::ALL.len());
    s += "\n";
    for l in Urgency::ALL {
        s += &format!("| {} |", l.as_str());
        for g in Urgency::ALL {
            let n = items
                .iter()
                .zip(got)
                .filter(|(i, t)| i.urgency == l && t.urgency == g)
                .count();
            s += &format!(" {n} |");
        }
        s += "\n";
    }
    s
}

/// The blind set: measures, confusion, and the kinds of the mistakes.
fn blind(t: &Triager, settings: &Settings, jsonl: &str) -> Result<(), String> {
    use kefu::triage::Urgency;
    use std::collections::BTreeMap;
    let items = eval::read_labelled(jsonl)?;
    let (report, got) = eval::evaluate(t, &items, settings);
    let crit = report.urgency(Urgency::Critical);
    let noise = report.urgency(Urgency::Noise);
    let f = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.3}"));
    println!(
        "### blind ({} comments)\n\n{}",
        items.len(),
        report.markdown()
    );
    println!(
        "critical recall {}, high+critical precision {}, noise precision {}, urgency exact {:.3}, category {:.3}\n",
        f(crit.recall()),
        f(report.high_or_critical.precision()),
        f(noise.precision()),
        report.urgency_correct as f64 / report.n.max(1) as f64,
        report.category_correct as f64 / report.n.max(1) as f64,
    );
    println!(
        "### blind: urgency confusion\n\n{}",
        confusion(&items, &got)
    );
    let mut missed: BTreeMap<String, usize> = BTreeMap::new();
    let mut false_noise: BTreeMap<String, usize> = BTreeMap::new();
    for (l, g) in items.iter().zip(&got) {
        if l.urgency == Urgency::Critical && g.urgency != Urgency::Critical {
            *missed
                .entry(format!("{} (read as {})", l.note, g.urgency.as_str()))
                .or_default() += 1;
        }
        if g.urgency == Urgency::Noise && l.urgency != Urgency::Noise {
            *false_noise.entry(l.note.clone()).or_default() += 1;
        }
    }
    println!(
        "### blind: kinds of critical comments missed ({})\n",
        missed.values().sum::<usize>()
    );
    for (k, n) in &missed {
        println!("- {k}: {n}");
    }
    println!(
        "\n### blind: kinds read as noise that are not ({})\n",
        false_noise.values().sum::<usize>()
    );
    for (k, n) in &false_noise {
        println!("- {k}: {n}");
    }
    Ok(())
}

/// Comments per second through `Triager::triage`, one thread.
fn speed(t: &Triager, sets: &[(&str, Vec<Labelled>)]) {
    // The sets of the first measurement (issue 14), so that figures compare
    // across versions.
    let texts: Vec<&str> = sets
        .iter()
        .filter(|(name, _)| ["dev", "dev-b", "dev-c", "real"].contains(name))
        .flat_map(|(_, items)| items.iter().map(|l| l.comment.text.as_str()))
        .collect();
    // Distinct comments (a number appended), so that nothing is cached.
    let batch: Vec<kefu::triage::Comment> = (0..5_000)
        .map(|i| {
            let text = format!("{}{}", texts[i % texts.len()], i / texts.len());
            kefu::triage::Comment::from_text(&text)
        })
        .collect();
    let settings = Settings::default();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let start = std::time::Instant::now();
        std::hint::black_box(t.triage(&batch, &settings, Some(1_800_000_000)));
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} comments in {:.1} ms (best of 20): {:.0} comments/s",
        batch.len(),
        best * 1000.0,
        batch.len() as f64 / best
    );
}
