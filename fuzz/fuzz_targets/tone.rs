//! Any draft, replying to any comment, through the whole reply guard (tone,
//! PII, length, lists): never panics, and the report holds together: the
//! verdict is the worst severity of the findings, every finding lies inside
//! the draft and quotes it, every label is in `tone.labels`, and the score
//! is 0–100.
#![no_main]

use kefu::guard::{Context, Guard, Verdict};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn guard() -> &'static Guard {
    static G: OnceLock<Guard> = OnceLock::new();
    G.get_or_init(Guard::with_default_lists)
}

fuzz_target!(|input: (&str, Option<&str>, Vec<String>)| {
    let (draft, reply_to, recent) = input;
    let report = guard().check(
        draft,
        &Context {
            reply_to,
            recent: &recent,
            ..Context::default()
        },
    );
    let chars: Vec<char> = draft.chars().collect();
    let worst = report
        .findings
        .iter()
        .map(|f| Verdict::of(f.severity))
        .max()
        .unwrap_or(Verdict::Ok);
    assert_eq!(report.verdict, worst);
    assert!(report.tone.score <= 100);
    for f in &report.findings {
        assert!(f.start <= f.end && f.end <= chars.len(), "{f:?}");
        let quoted: String = chars[f.start..f.end].iter().collect();
        assert_eq!(quoted, f.text);
        assert!(report.tone.labels.contains(&f.label), "{f:?}");
    }
    let _ = serde_json::to_string(&report).expect("reports serialize");
});
