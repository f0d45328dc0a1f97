//! The triage quality floors of the issue, measured on the frozen test half
//! of the labelled set and on the shared real data. Fails — never skips —
//! when the shared data is missing (set `KEFU_SHARED_DATA`).
//!
//! The full tables: `cargo run --release --example triage_eval`.

use kefu::settings::Settings;
use kefu::triage::eval::{self, Report};
use kefu::triage::{Category, Triager, Urgency};

fn labelled(path: &std::path::Path) -> Vec<eval::Labelled> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    eval::read_labelled(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shared() -> std::path::PathBuf {
    eval::shared_data().unwrap_or_else(|e| panic!("{e}"))
}

fn report(items: &[eval::Labelled]) -> Report {
    eval::evaluate(&Triager::new(), items, &Settings::default()).0
}

fn floors(name: &str, r: &Report) {
    let critical = r.urgency(Urgency::Critical).recall().unwrap_or(0.0);
    let high = r.high_or_critical.precision().unwrap_or(0.0);
    let noise = r.urgency(Urgency::Noise).precision().unwrap_or(0.0);
    let table = r.markdown();
    assert!(
        critical >= 0.95,
        "{name}: recall of critical {critical:.2} < 0.95\n{table}"
    );
    assert!(
        high >= 0.85,
        "{name}: precision of high+critical {high:.2} < 0.85\n{table}"
    );
    assert!(
        noise >= 0.95,
        "{name}: precision of noise {noise:.2} < 0.95\n{table}"
    );
}

#[test]
fn test_half_meets_the_floors() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/triage/labelled-dev-b.jsonl");
    let items = labelled(&path);
    assert!(
        items.len() >= 200,
        "the test half has {} comments",
        items.len()
    );
    let r = report(&items);
    floors("labelled-dev-b", &r);
    // Every category is found, a little under what is measured (lowest:
    // question 0.86 at the end of session 5).
    for c in Category::ALL {
        let k = r.category(c);
        assert!(
            k.recall().unwrap_or(0.0) >= 0.8,
            "{}: recall below 0.8\n{}",
            c.as_str(),
            r.markdown()
        );
    }
}

#[test]
fn real_labelled_comments_meet_the_floors() {
    // The issue's floors hold on the real comments too.
    let r = report(&labelled(&shared().join("real/labelled-comments.jsonl")));
    floors("real", &r);
}

#[test]
fn score_ranks_real_complaints_above_praise() {
    let path = shared().join("real/waimai_10k.csv");
    let csv = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let reviews = eval::read_reviews(&csv).expect("waimai_10k.csv reads");
    assert!(reviews.len() > 10_000);
    let (auc, _) = eval::review_auc(&Triager::new(), &reviews);
    // Measured 0.900 (session 5); the issue's floor is 0.90 on the blind
    // side, this holds a regression.
    assert!(auc >= 0.895, "ROC AUC on waimai_10k {auc:.3} < 0.895");
}

/// The dev sets written for issue 14 (C, D, E and F): tuned on, so these
/// are regression floors just under what they measure (QUALITY.md gives
/// each set's first contact, the honest figure), not claims about new text.
#[test]
fn issue_14_dev_sets_hold_their_figures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["c", "d", "e", "f"] {
        let path = root.join(format!("tests/triage/labelled-dev-{name}.jsonl"));
        let r = report(&labelled(&path));
        let critical = r.urgency(Urgency::Critical).recall().unwrap_or(0.0);
        let high = r.high_or_critical.precision().unwrap_or(0.0);
        let noise = r.urgency(Urgency::Noise).precision().unwrap_or(0.0);
        let exact = r.urgency_correct as f64 / r.n.max(1) as f64;
        let table = r.markdown();
        assert!(
            critical >= 0.96,
            "dev-{name}: critical recall {critical:.2} < 0.96\n{table}"
        );
        assert!(
            high >= 0.94,
            "dev-{name}: high+critical precision {high:.2} < 0.94\n{table}"
        );
        assert!(
            noise >= 0.95,
            "dev-{name}: noise precision {noise:.2} < 0.95\n{table}"
        );
        assert!(
            exact >= 0.90,
            "dev-{name}: urgency exact {exact:.2} < 0.90\n{table}"
        );
    }
}
