//! `kefu triage` end to end (SPEC "The command line"): JSON Lines in, one
//! line out per line in, settings from `--config`, age from `--now`.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn kefu(args: &[&str], stdin: &str) -> (i32, Vec<Value>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    // kefu may exit before reading (a bad --config): a broken pipe is fine.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    let out = child.wait_with_output().expect("kefu finishes");
    let lines = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn one_line_out_per_line_in_with_clusters_and_errors_in_place() {
    let input = concat!(
        r#"{"id": 11, "text": "退款什么时候到账？"}"#,
        "\n",
        "not json\n",
        r#"{"id": 13, "text_raw": "申请退款五天了还没收到钱", "user": {"screen_name": "小王"}}"#,
        "\n",
        r#"{"text": "顶", "is_mblog_author": true}"#,
        "\n",
    );
    let (code, out, _) = kefu(
        &["triage", "--now", "2026-11-28T12:00:00+08:00", "-"],
        input,
    );
    assert_eq!(code, 2, "a bad line gives exit status 2");
    assert_eq!(out.len(), 4);
    assert_eq!(out[0]["id"], 11);
    assert_eq!(out[1]["id"], 1);
    assert!(out[1]["error"].is_string());
    assert_eq!(out[0]["cluster"], out[2]["cluster"]);
    assert!(out[0]["cluster"].is_u64());
    assert_eq!(out[3]["urgency"], "noise");
    assert_eq!(out[3]["cluster"], Value::Null);
    assert_eq!(out[3]["id"], 3);
    for o in [&out[0], &out[2], &out[3]] {
        for key in ["category", "urgency", "score", "reasons", "cluster"] {
            assert!(o.get(key).is_some(), "{key} missing in {o}");
        }
    }
}

#[test]
fn config_and_now_change_urgency() {
    let dir = std::env::temp_dir().join(format!("kefu-triage-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("team.toml");
    std::fs::write(
        &config,
        "watch_words = [\"隔壁家\"]\n[targets]\nnormal = 30\n",
    )
    .unwrap();
    let input = concat!(
        r#"{"text": "请问周日营业吗", "created_at": "2026-11-28T11:00:00+08:00"}"#,
        "\n",
        r#"{"text": "隔壁家的套餐是不是更便宜"}"#,
        "\n"
    );
    let now = "2026-11-28T12:00:00+08:00";
    let config = config.to_str().unwrap();
    let (code, out, _) = kefu(&["triage", "--config", config, "--now", now], input);
    assert_eq!(code, 0);
    assert_eq!(
        out[0]["urgency"], "high",
        "60 minutes > the 30-minute target"
    );
    assert_eq!(
        out[1]["urgency"], "high",
        "a watch word raises normal to high"
    );
    let (_, out, _) = kefu(&["triage", "--now", now], input);
    assert_eq!(out[0]["urgency"], "normal");

    std::fs::write(dir.join("bad.toml"), "watch_word = []\n").unwrap();
    let bad = dir.join("bad.toml");
    let (code, _, err) = kefu(&["triage", "--config", bad.to_str().unwrap()], input);
    assert_eq!(code, 2);
    assert!(err.contains("watch_word"), "{err}");
    let (code, _, err) = kefu(&["triage", "--now", "yesterday"], input);
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
