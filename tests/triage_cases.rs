//! Runs the table cases of `tests/triage/cases.toml`: one case per triage
//! mechanism. Add a case by adding a `[[case]]` there.

use kefu::settings::Settings;
use kefu::triage::{time, Comment, Triager};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
    batch: Vec<Batch>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    mechanism: String,
    text: String,
    json: Option<String>,
    settings: Option<String>,
    now: Option<String>,
    category: Option<String>,
    urgency: Option<String>,
    reason: Option<String>,
    no_reason: Option<String>,
    /// Anything but this category (a case about what a comment is not).
    not_category: Option<String>,
    /// Anything but this urgency.
    not_urgency: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    mechanism: String,
    texts: Vec<String>,
    /// Expected cluster per text; -1 for none. Ids are compared up to
    /// renaming: same number, same cluster.
    clusters: Vec<i64>,
}

fn cases() -> Cases {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/triage/cases.toml");
    let text = std::fs::read_to_string(path).expect("tests/triage/cases.toml is readable");
    toml::from_str(&text).expect("tests/triage/cases.toml parses")
}

#[test]
fn every_case_triages_as_expected() {
    let t = Triager::new();
    let mut failures = Vec::new();
    let all = cases();
    for c in &all.case {
        let mut v: Value = match &c.json {
            Some(j) => serde_json::from_str(j).expect("case json parses"),
            None => serde_json::json!({}),
        };
        v["text"] = Value::from(c.text.clone());
        let comment = Comment::from_json(&v, Value::Null).expect("case comment reads");
        let settings = c
            .settings
            .as_deref()
            .map(|s| Settings::from_toml(s).expect("case settings parse"))
            .unwrap_or_default();
        let now = c
            .now
            .as_deref()
            .map(|n| time::parse_rfc3339(n).expect("case now parses"));
        let got = t.triage(&[comment], &settings, now).remove(0);
        let mut bad = Vec::new();
        if let Some(cat) = &c.category {
            if got.category.as_str() != cat {
                bad.push(format!(
                    "category {} (expected {cat})",
                    got.category.as_str()
                ));
            }
        }
        if let Some(u) = &c.urgency {
            if got.urgency.as_str() != u {
                bad.push(format!("urgency {} (expected {u})", got.urgency.as_str()));
            }
        }
        if let Some(cat) = &c.not_category {
            if got.category.as_str() == cat {
                bad.push(format!("category {cat} (expected another)"));
            }
        }
        if let Some(u) = &c.not_urgency {
            if got.urgency.as_str() == u {
                bad.push(format!("urgency {u} (expected another)"));
            }
        }
        if let Some(r) = &c.reason {
            if !got.reasons.iter().any(|x| x.contains(r.as_str())) {
                bad.push(format!("no reason contains {r:?}"));
            }
        }
        if let Some(r) = &c.no_reason {
            if got.reasons.iter().any(|x| x.contains(r.as_str())) {
                bad.push(format!("a reason contains {r:?}"));
            }
        }
        if !bad.is_empty() {
            failures.push(format!(
                "{} — {:?}: {}\n    reasons: {:?}",
                c.mechanism,
                c.text,
                bad.join(", "),
                got.reasons
            ));
        }
    }
    for b in &all.batch {
        let comments: Vec<Comment> = b.texts.iter().map(|t| Comment::from_text(t)).collect();
        let got = t.triage(&comments, &Settings::default(), None);
        let ids: Vec<Option<u32>> = got.iter().map(|g| g.cluster).collect();
        let same = |i: usize, j: usize| ids[i].is_some() && ids[i] == ids[j];
        let mut ok = true;
        for (i, (want, got)) in b.clusters.iter().zip(&ids).enumerate() {
            ok &= (*want < 0) == got.is_none();
            for (j, other) in b.clusters.iter().enumerate() {
                ok &= (*want >= 0 && want == other) == same(i, j);
            }
        }
        if !ok {
            failures.push(format!(
                "{} — clusters {ids:?}, expected {:?}",
                b.mechanism, b.clusters
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
