//! Runs the table cases of `tests/guard/pii-cases.toml`: one case per
//! personal-data mechanism, positive and negative. Add a case by adding a
//! `[[case]]` there.

use kefu::guard::pii::PiiDetector;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    kind: String,
    text: String,
    rules: Vec<String>,
    hit: Option<String>,
    hotlines: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Settings {
    hotlines: Vec<String>,
}

fn read<T: for<'de> Deserialize<'de>>(path: &str) -> T {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_case_finds_what_it_says() {
    let cases: Cases = read("tests/guard/pii-cases.toml");
    let settings: Settings = read("tests/guard/settings.toml");
    let detector = PiiDetector::new();
    let mut failures = Vec::new();
    for c in &cases.case {
        let chars: Vec<char> = c.text.chars().collect();
        let hotlines = c.hotlines.as_ref().unwrap_or(&settings.hotlines);
        let found = detector.findings(&c.text, &chars, hotlines);
        let rules: Vec<&str> = found.iter().map(|f| f.rule.as_str()).collect();
        let hit_ok = c
            .hit
            .as_ref()
            .is_none_or(|h| found.first().is_some_and(|f| &f.text == h));
        let offsets_ok = found.iter().all(|f| {
            f.start < f.end
                && f.text == chars[f.start..f.end].iter().collect::<String>()
                && f.label == "pii"
                && f.suggestion.as_deref().is_some_and(|s| s.contains("私信"))
        });
        if rules != c.rules || !hit_ok || !offsets_ok {
            let got: Vec<(String, String)> = found
                .iter()
                .map(|f| (f.rule.clone(), f.text.clone()))
                .collect();
            failures.push(format!(
                "{}: {:?}\n    want {:?}, got {got:?}",
                c.kind, c.text, c.rules
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}
