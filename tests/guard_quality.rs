//! The reply guard's quality floors on the frozen test half
//! (`tests/guard/dev-b.jsonl`), and a run over the real hotel replies
//! (`../shared/data/real/labelled-replies.jsonl`, or `KEFU_SHARED_DATA`),
//! which must be present: this test fails, never skips, without it.
//!
//! The numbers themselves are printed by
//! `cargo run --release --example guard_eval` and written in QUALITY.md.

#[path = "guard/eval.rs"]
mod eval;

use kefu::guard::Guard;

#[test]
fn test_half_meets_the_floors() {
    let guard = Guard::with_default_lists();
    let cases = eval::read_cases(&eval::repo().join("tests/guard/dev-b.jsonl"));
    assert!(
        cases.len() >= 150,
        "the test half has {} drafts",
        cases.len()
    );
    let outcomes = eval::run(&guard, &eval::settings(), &cases);
    let m = eval::Metrics::new(&cases, &outcomes);
    let table = m.table();
    assert!(
        m.tone_macro_f1() >= 0.85,
        "macro-F1 over tone labels\n{table}"
    );
    assert!(m.false_block_rate() <= 0.01, "false blocks\n{table}");
    assert!(m.block.recall() >= 0.98, "block recall\n{table}");
    // Personal data is the guard's own blocking detector; insults and
    // Advertising-Law terms come from the default phrase lists.
    assert!(m.labels["pii"].recall() >= 0.98, "pii recall\n{table}");
    assert!(m.labels["pii"].precision() >= 0.9, "pii precision\n{table}");
}

/// The personal-data set (`tests/guard/dev-pii.jsonl`): every kind of
/// personal data the guard knows, and the traps beside each. It is a dev
/// set (the rules were tuned on it): the floors catch a regression.
#[test]
fn personal_data_set_meets_the_floors() {
    let guard = Guard::with_default_lists();
    let cases = eval::read_cases(&eval::repo().join("tests/guard/dev-pii.jsonl"));
    let outcomes = eval::run(&guard, &eval::settings(), &cases);
    let m = eval::Metrics::new(&cases, &outcomes);
    let table = m.table();
    assert!(m.labels["pii"].recall() >= 0.97, "pii recall\n{table}");
    assert!(
        m.labels["pii"].precision() >= 0.97,
        "pii precision\n{table}"
    );
    assert_eq!(m.false_blocks, 0, "false blocks\n{table}");
}

#[test]
fn every_labelled_draft_checks_and_reports_its_labels_as_findings() {
    let guard = Guard::with_default_lists();
    let settings = eval::settings();
    for set in [
        "tests/guard/dev.jsonl",
        "tests/guard/dev-b.jsonl",
        "tests/guard/dev-pii.jsonl",
    ] {
        let cases = eval::read_cases(&eval::repo().join(set));
        for c in &cases {
            let r = guard.check(
                &c.draft,
                &kefu::guard::Context {
                    reply_to: c.reply_to.as_deref(),
                    recent: &c.recent,
                    hotlines: &settings.hotlines,
                    ..Default::default()
                },
            );
            let n = c.draft.chars().count();
            for f in &r.findings {
                assert!(r.tone.labels.contains(&f.label), "{}: {f:?}", c.id);
                assert!(f.start < f.end && f.end <= n, "{}: {f:?}", c.id);
                assert_eq!(
                    f.text,
                    c.draft
                        .chars()
                        .skip(f.start)
                        .take(f.end - f.start)
                        .collect::<String>()
                );
            }
            for l in &r.tone.labels {
                assert!(r.findings.iter().any(|f| &f.label == l), "{}: {l}", c.id);
            }
            assert!(r.tone.score <= 100);
        }
    }
}

#[test]
fn real_replies_are_read_and_checked() {
    let path = eval::shared_data().join("real/labelled-replies.jsonl");
    let cases = eval::read_cases(&path);
    assert!(!cases.is_empty(), "{} is empty", path.display());
    let outcomes = eval::run(&Guard::with_default_lists(), &eval::settings(), &cases);
    let m = eval::Metrics::new(&cases, &outcomes);
    println!("{}", m.table());
    assert_eq!(m.cases, cases.len());
}
