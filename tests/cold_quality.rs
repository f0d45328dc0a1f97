//! The offensive-language model's floors, through the whole reply guard:
//! on COLD's test split (`../shared/data/cold/test.csv`, or
//! `KEFU_SHARED_DATA`), which must be present — this test fails, never
//! skips, without it — and on Kefu's own good replies, which the model must
//! not block.
//!
//! The figures are printed by `cargo run --release --example cold_eval` and
//! written in QUALITY.md ("Offensive-language model"); the floors sit a
//! little under them. COLD's test split chose nothing: the model's settings
//! and thresholds were chosen on COLD's dev split and Kefu's good replies
//! (`data/guard/MODEL.md`).

#[path = "guard/cold.rs"]
mod cold;
#[path = "guard/eval.rs"]
mod eval;

use kefu::guard::Guard;

#[test]
fn cold_test_meets_the_floors() {
    let texts = cold::read("test");
    assert_eq!(texts.len(), 5323, "COLD's test split has 5,323 texts");
    let s = cold::score(&Guard::with_default_lists(), &texts);
    let line = s.line();
    // Measured: accuracy 0.7856, macro-F1 0.7827, offensive precision
    // 0.6858, recall 0.8462.
    assert!(s.accuracy() >= 0.78, "accuracy: {line}");
    assert!(s.macro_f1() >= 0.775, "macro-F1: {line}");
    assert!(s.recall() >= 0.83, "offensive recall: {line}");
    assert!(s.precision() >= 0.67, "offensive precision: {line}");
    // The lists alone catch little of it (measured accuracy 0.61, recall
    // 0.08): the model is what flags it.
    let baseline = cold::score(
        &Guard::with_default_lists().without_offensive_model(),
        &texts,
    );
    assert!(
        s.accuracy() > baseline.accuracy() + 0.1,
        "{line} vs {}",
        baseline.line()
    );
}

/// Labels of a reply that is not polite, though it must not be blocked: an
/// `insult` warning on it is no error.
const HOSTILE: &[&str] = &["insult", "blame", "buck_passing", "sarcasm"];

#[test]
fn good_replies_are_not_blocked_and_polite_ones_not_flagged() {
    let guard = Guard::with_default_lists();
    let settings = eval::settings();
    for (path, most) in [
        (eval::repo().join("tests/guard/dev.jsonl"), 0.01),
        (eval::repo().join("tests/guard/dev-b.jsonl"), 0.01),
        (eval::shared_data().join("real/labelled-replies.jsonl"), 0.0),
    ] {
        let good: Vec<eval::Case> = eval::read_cases(&path)
            .into_iter()
            .filter(|c| !c.expect_block)
            .collect();
        let outcomes = eval::run(&guard, &settings, &good);
        let blocked: Vec<&str> = good
            .iter()
            .zip(&outcomes)
            .filter(|(_, o)| o.blocked)
            .map(|(c, _)| c.id.as_str())
            .collect();
        assert!(
            blocked.len() as f64 <= most * good.len() as f64,
            "{}: {} of {} good replies blocked: {blocked:?}",
            path.display(),
            blocked.len(),
            good.len()
        );
        let flagged: Vec<&str> = good
            .iter()
            .zip(&outcomes)
            .filter(|(c, o)| {
                !c.expect.iter().any(|l| HOSTILE.contains(&l.as_str()))
                    && o.labels.iter().any(|l| l == "insult")
            })
            .map(|(c, _)| c.id.as_str())
            .collect();
        assert!(
            flagged.is_empty(),
            "{}: polite replies read as insults: {flagged:?}",
            path.display()
        );
    }
}
