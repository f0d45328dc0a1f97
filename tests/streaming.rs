//! The command line streams (issue 15): `kefu check --jsonl` and
//! `kefu triage` run as real processes on large inputs made from the real
//! reviews of the shared data, and their peak memory (the child's maximum
//! resident set, from `wait4`) stays within the bounds:
//!
//! - `check --jsonl`: constant, at most 30 MB, whatever the number of
//!   drafts (measured at 10,000 and 100,000 140-character drafts);
//! - `triage`: at most 100 MB for a million comments (real review sentences,
//!   many repeated, as Weibo's comments are).
//!
//! Memory, not speed: nothing here is timed. The figures are printed
//! (`cargo test --release --test streaming -- --nocapture`).
#![cfg(target_os = "linux")]

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn shared_data() -> PathBuf {
    let dir = std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("real").is_dir(),
        "shared data not found at {} (set KEFU_SHARED_DATA to the folder that holds real/ and bench/)",
        dir.display()
    );
    dir
}

/// The 11,987 reviews of waimai_10k.csv.
fn reviews() -> Vec<String> {
    let text = std::fs::read_to_string(shared_data().join("real/waimai_10k.csv"))
        .expect("waimai_10k.csv is readable");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(_, r)| r.trim_matches('"').to_string())
        .filter(|r| !r.is_empty())
        .collect()
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("kefu-streaming-{}-{name}", std::process::id()))
}

/// `n` drafts of 140 characters: the reviews joined and cut, from a
/// shifting offset each time round.
fn drafts_file(n: usize) -> PathBuf {
    let chars: Vec<char> = reviews().join("\n").chars().collect();
    let path = temp(&format!("drafts-{n}.jsonl"));
    let mut out = BufWriter::new(File::create(&path).unwrap());
    let (mut at, mut round) = (0, 0);
    for id in 0..n {
        if at + 140 > chars.len() {
            round += 1;
            at = (round * 37) % 140;
        }
        let draft: String = chars[at..at + 140].iter().collect();
        at += 140;
        writeln!(out, "{}", serde_json::json!({"id": id, "draft": draft})).unwrap();
    }
    out.flush().unwrap();
    path
}

/// `n` comments: the reviews in turn, each round with its own suffix.
fn comments_file(n: usize) -> PathBuf {
    let reviews = reviews();
    let path = temp(&format!("comments-{n}.jsonl"));
    let mut out = BufWriter::new(File::create(&path).unwrap());
    for id in 0..n {
        let round = id / reviews.len();
        let mut text = reviews[id % reviews.len()].clone();
        if round > 0 {
            text.push_str(&format!(" {round}"));
        }
        writeln!(out, "{}", serde_json::json!({"id": id, "text": text})).unwrap();
    }
    out.flush().unwrap();
    path
}

/// Runs `kefu ARGS` with `input` as standard input and the output in a
/// temporary file: (exit status, lines out, peak resident set in MB).
// The child is reaped by wait4, which std does not see.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str], input: &Path) -> (i32, usize, f64) {
    let out_path = temp(&format!("{}.out", args[0]));
    let child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(args)
        .stdin(File::open(input).unwrap())
        .stdout(File::create(&out_path).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("kefu runs");
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it and reaps the
    // child, which std's `Child` (dropped unwaited) then leaves alone.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let lines = BufReader::new(File::open(&out_path).unwrap())
        .lines()
        .count();
    let _ = std::fs::remove_file(&out_path);
    // ru_maxrss is in kilobytes on Linux.
    (code, lines, usage.ru_maxrss as f64 / 1024.0)
}

#[test]
fn check_jsonl_runs_in_constant_memory() {
    let mut peaks = Vec::new();
    for n in [10_000, 100_000] {
        let input = drafts_file(n);
        let (code, lines, mb) = run(&["check", "--jsonl", "-"], &input);
        let _ = std::fs::remove_file(&input);
        println!("kefu check --jsonl: {n} drafts, peak {mb:.1} MB");
        assert_eq!((code, lines), (0, n));
        assert!(mb <= 30.0, "{n} drafts: peak {mb:.1} MB (bound 30 MB)");
        peaks.push(mb);
    }
    // Ten times the drafts, the same memory (a few MB of allocator noise).
    assert!(
        peaks[1] <= peaks[0] + 5.0,
        "memory grows with the input: {peaks:?} MB"
    );
}

#[test]
fn triage_of_a_million_comments_stays_under_100_mb() {
    let n = 1_000_000;
    let input = comments_file(n);
    let now = "2026-11-28T12:00:00+08:00";
    let (code, lines, mb) = run(
        &["triage", "--now", now, input.to_str().unwrap()],
        Path::new("/dev/null"),
    );
    println!("kefu triage: {n} comments from a file, peak {mb:.1} MB");
    assert_eq!((code, lines), (0, n));
    assert!(mb <= 100.0, "peak {mb:.1} MB (bound 100 MB)");
    // From standard input (copied to a temporary file first): the same.
    let (code, lines, mb) = run(&["triage", "--now", now, "-"], &input);
    let _ = std::fs::remove_file(&input);
    println!("kefu triage: {n} comments from standard input, peak {mb:.1} MB");
    assert_eq!((code, lines), (0, n));
    assert!(mb <= 100.0, "peak {mb:.1} MB (bound 100 MB)");
}
