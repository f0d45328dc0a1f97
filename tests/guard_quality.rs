//! The reply guard's quality floors on the labelled development sets
//! (`tests/guard/dev*.jsonl`), and a run over the real hotel replies
//! (`../shared/data/real/labelled-replies.jsonl`, or `KEFU_SHARED_DATA`),
//! which must be present: this test fails, never skips, without it.
//!
//! Every set here is development data (tuned on, or read): the floors catch
//! regressions, they are not the figure of how Kefu does on text nobody
//! tuned it to (that is the blind set's, EVALUATION.md). Each floor is a
//! little under what was measured (QUALITY.md, "Reply guard").
//!
//! The numbers themselves are printed by
//! `cargo run --release --example guard_eval` and written in QUALITY.md.

#[path = "guard/eval.rs"]
mod eval;

use kefu::guard::Guard;

/// The labelled development sets.
const SETS: [&str; 7] = [
    "tests/guard/dev.jsonl",
    "tests/guard/dev-b.jsonl",
    "tests/guard/dev-c.jsonl",
    "tests/guard/dev-d.jsonl",
    "tests/guard/dev-e.jsonl",
    "tests/guard/dev-f.jsonl",
    "tests/guard/dev-pii.jsonl",
];

/// (set, least number of drafts, floor of macro-F1 over the tone labels,
/// floor of block recall; macro-F1 measured 0.98, 0.97, 0.97, 0.98 at
/// issue 13; dev-f 0.70, dragged by context labels and an overpromise read
/// in two refusals to promise, and block recall 0.94).
const FLOORS: [(&str, usize, f64, f64); 5] = [
    ("tests/guard/dev.jsonl", 150, 0.94, 0.98),
    ("tests/guard/dev-b.jsonl", 150, 0.93, 0.98),
    ("tests/guard/dev-c.jsonl", 230, 0.93, 0.98),
    ("tests/guard/dev-d.jsonl", 80, 0.93, 0.98),
    ("tests/guard/dev-f.jsonl", 160, 0.68, 0.92),
];

fn metrics(set: &str) -> (Vec<eval::Case>, eval::Metrics) {
    let cases = eval::read_cases(&eval::repo().join(set));
    let outcomes = eval::run(&Guard::with_default_lists(), &eval::settings(), &cases);
    let m = eval::Metrics::new(&cases, &outcomes);
    (cases, m)
}

#[test]
fn dev_sets_meet_the_floors() {
    for (set, least, macro_f1, block_recall) in FLOORS {
        let (cases, m) = metrics(set);
        let table = m.table();
        assert!(cases.len() >= least, "{set} has {} drafts", cases.len());
        assert!(
            m.tone_macro_f1() >= macro_f1,
            "{set}: macro-F1 over tone labels\n{table}"
        );
        assert!(m.false_block_rate() <= 0.01, "{set}: false blocks\n{table}");
        if m.block.support() > 0 {
            assert!(
                m.block.recall() >= block_recall,
                "{set}: block recall\n{table}"
            );
        }
    }
}

#[test]
fn personal_data_floors_hold_on_the_first_two_sets() {
    // Personal data is the guard's own blocking detector; insults and
    // Advertising-Law terms come from the default phrase lists.
    for set in ["tests/guard/dev.jsonl", "tests/guard/dev-b.jsonl"] {
        let (_, m) = metrics(set);
        let table = m.table();
        assert!(
            m.labels["pii"].recall() >= 0.98,
            "{set}: pii recall\n{table}"
        );
        assert!(
            m.labels["pii"].precision() >= 0.9,
            "{set}: pii precision\n{table}"
        );
    }
}

#[test]
fn the_weak_tone_labels_of_issue_13_hold_on_dev_c_and_dev_d() {
    // Measured at issue 13 (dev-c / dev-d): blame recall 0.79 / 0.92,
    // buck_passing 0.97 / 0.92, sarcasm 0.96 / 1.00, ad_tone 0.85 / 1.00;
    // precision of each 1.00.
    for (set, blame, buck, sarcasm, ad) in [
        ("tests/guard/dev-c.jsonl", 0.75, 0.92, 0.9, 0.8),
        ("tests/guard/dev-d.jsonl", 0.85, 0.85, 0.9, 0.9),
    ] {
        let (_, m) = metrics(set);
        let table = m.table();
        for (label, floor) in [
            ("blame", blame),
            ("buck_passing", buck),
            ("sarcasm", sarcasm),
            ("ad_tone", ad),
        ] {
            assert!(
                m.labels[label].recall() >= floor,
                "{set}: {label} recall\n{table}"
            );
            assert!(
                m.labels[label].precision() >= 0.95,
                "{set}: {label} precision\n{table}"
            );
        }
    }
}

#[test]
fn the_kinds_that_passed_the_blind_set_hold_on_dev_f() {
    // dev-f: contempt without a listed word, metaphors, discrimination,
    // English and efficacy claims, lectures (issue 13). First contact of
    // f-001..f-122 (before the rules for them): block recall 0.15, insult
    // 0.10, ad_law 0.37, blame 0.31; of f-123..f-163 (after the first
    // rules): block 0.26, insult 3/18, ad_law 4/9, blame 1/13. Tuned on
    // since, all 163: insult 0.91 (precision 0.97), ad_law 1.00, blame 0.73
    // (precision 0.90), block 0.94, no false block.
    let (_, m) = metrics("tests/guard/dev-f.jsonl");
    let table = m.table();
    for (label, recall, precision) in [
        ("insult", 0.89, 0.95),
        ("ad_law", 0.97, 0.95),
        ("blame", 0.7, 0.87),
    ] {
        assert!(
            m.labels[label].recall() >= recall,
            "dev-f: {label} recall\n{table}"
        );
        assert!(
            m.labels[label].precision() >= precision,
            "dev-f: {label} precision\n{table}"
        );
    }
    assert_eq!(m.false_blocks, 0, "dev-f: false blocks\n{table}");
}

#[test]
fn good_replies_draw_no_tone_label_and_context_labels_fire_when_owed() {
    // dev-e: 64 good replies with innocent traps. Measured at issue 13: no
    // tone label on any; context labels (cold, no_empathy, no_next_step)
    // wrong on 2 (triage reads one request as a complaint, one complaint
    // as a suggestion).
    let (cases, m) = metrics("tests/guard/dev-e.jsonl");
    let table = m.table();
    let false_tone: usize = eval::TONE_LABELS.iter().map(|l| m.labels[l].fp).sum();
    assert!(
        false_tone <= 1,
        "dev-e: tone labels on good replies\n{table}"
    );
    let false_context: usize = ["cold", "no_empathy", "no_next_step"]
        .iter()
        .map(|l| m.labels[l].fp)
        .sum();
    assert!(
        false_context * 100 <= cases.len() * 5,
        "dev-e: context labels on good replies\n{table}"
    );
    // And on the other dev sets, a context label is wrong at most once in
    // ten. Not on dev-f, whose drafts were written for the hostile labels:
    // there `no_next_step` is 0.77 precise (a claim or a scornful pointer
    // that answers a question is read as no step; QUALITY.md), a known gap.
    for (set, _, _, _) in FLOORS.iter().filter(|f| !f.0.ends_with("dev-f.jsonl")) {
        let (_, m) = metrics(set);
        for label in ["cold", "no_empathy", "no_next_step"] {
            let c = m.labels[label];
            if c.tp + c.fp > 0 {
                assert!(
                    c.precision() >= 0.9,
                    "{set}: {label} precision\n{}",
                    m.table()
                );
            }
        }
    }
}

#[test]
fn every_labelled_draft_checks_and_reports_its_labels_as_findings() {
    let guard = Guard::with_default_lists();
    let settings = eval::settings();
    for set in SETS {
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
    let table = m.table();
    println!("{table}");
    assert_eq!(m.cases, cases.len());
    // Floors a little under what is measured (QUALITY.md): no good hotel
    // reply blocked, the Advertising-Law replies caught, the tone labels
    // mostly right on replies nobody wrote for Kefu.
    assert_eq!(
        m.false_block_rate(),
        0.0,
        "false blocks on real replies\n{table}"
    );
    assert!(
        m.block.recall() >= 0.66,
        "block recall on real replies\n{table}"
    );
    assert!(
        m.tone_macro_f1() >= 0.70,
        "macro-F1 on real replies\n{table}"
    );
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
