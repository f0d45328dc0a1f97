//! Properties of triage on arbitrary input: no panic, one result per
//! comment, scores inside their urgency's band, reasons never empty,
//! clusters never of one.

use kefu::settings::Settings;
use kefu::triage::{Comment, Triager, Urgency};
use proptest::prelude::*;

fn band(u: Urgency) -> (u32, u32) {
    match u {
        Urgency::Critical => (85, 100),
        Urgency::High => (65, 84),
        Urgency::Normal => (45, 64),
        Urgency::Low => (20, 44),
        Urgency::Noise => (0, 19),
    }
}

/// Text made of the pieces comments are made of: CJK cue words, negators,
/// punctuation of both widths, emoticons, tags, links, emoji, odd bytes.
fn comment_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "不",
        "没",
        "不是",
        "满意",
        "差评",
        "退款",
        "什么时候",
        "？",
        "?",
        "！！！",
        "[怒]",
        "[微笑]",
        "呵呵",
        "@小王 ",
        "//@某某日报:",
        "回复@a:",
        "http://t.cn/x",
        "加vx",
        "护照",
        "丢了",
        "着火",
        "如果",
        "但是",
        "找回",
        "12315",
        "顶",
        "哈哈",
        "，",
        "。",
        " ",
        "😡",
        "\u{200b}",
        "ｖｘ",
        "際",
        "a",
        "1",
        "【",
        "】",
        "～",
        "\n",
        "é",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn triage_holds_its_invariants(texts in prop::collection::vec(comment_text(), 1..12)) {
        let t = Triager::new();
        let comments: Vec<Comment> = texts.iter().map(|s| Comment::from_text(s)).collect();
        let out = t.triage(&comments, &Settings::default(), Some(1_800_000_000));
        prop_assert_eq!(out.len(), comments.len());
        for r in &out {
            let (lo, hi) = band(r.urgency);
            prop_assert!(r.score >= lo && r.score <= hi, "{:?}", r);
            prop_assert!(!r.reasons.is_empty());
        }
        for r in out.iter().filter(|r| r.cluster.is_some()) {
            prop_assert!(out.iter().filter(|o| o.cluster == r.cluster).count() >= 2);
        }
    }

    #[test]
    fn any_unicode_is_read_without_panic(s in "\\PC{0,80}") {
        let t = Triager::new();
        let r = t.triage_text(&s);
        prop_assert!(!r.reasons.is_empty());
    }
}

#[test]
fn a_huge_comment_is_read_up_to_its_cap() {
    // 420 KB: read up to form::MAX_BYTES, so steps that grow faster than
    // the text stay bounded.
    let t = Triager::new();
    let text = "不满意，退款！".repeat(20_000);
    assert_eq!(t.triage_text(&text).category.as_str(), "complaint");
}
