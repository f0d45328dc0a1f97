//! JSON Lines in and out, streamed: `kefu check --jsonl` and `kefu triage`
//! (SPEC "The command line"). A line is read, worked on and written before
//! the next is read, so memory does not grow with the input: a million
//! drafts are checked in the memory of one.
//!
//! Triage is the exception that clusters need: a comment's cluster is known
//! only when the whole batch has been read. So [`triage_jsonl`] reads the
//! input twice (the post's own comments first, whose author a tag may
//! address; then every comment), keeps the compact clustering index of
//! `crate::triage::cluster::Index` (bytes per comment, never its text), and
//! writes each result to a spool, which a last pass copies to the output
//! with the clusters filled in. The caller gives both files, so the core
//! opens none (the CLI in `src/main.rs` makes a temporary file).
//!
//! The output is what printing each result as a `serde_json::Value` gives
//! (keys in alphabetical order, compact), written by hand: tested equal.

use crate::guard::{Context, Finding, Guard, Report, ScoreItem};
use crate::settings::Settings;
use crate::triage::batch::string;
use crate::triage::comment::Incoming;
use crate::triage::Triager;
use serde_json::Value;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// Lines split on `\n` (a final empty one is no line), one buffer reused.
struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: Vec::new(),
        }
    }

    fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        self.buf.clear();
        if self.reader.read_until(b'\n', &mut self.buf)? == 0 {
            return Ok(None);
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        Ok(Some(&self.buf))
    }
}

/// A line as text, or why it is not.
fn utf8(line: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(line).map_err(|_| "line is not UTF-8 text".to_string())
}

/// `kefu check --jsonl`: each line `{"id", "draft", "reply_to"?,
/// "recent"?: [...]}` (`recent`, the agent's recent replies for `repeated`,
/// is an addition to the SPEC), one report a line out with the `id` echoed
/// (the 0-based line number where there is none); a bad line gives
/// `{"error": …, "id": LINE}` in its place. Returns whether any line was
/// bad.
pub fn check_jsonl(
    guard: &Guard,
    settings: &Settings,
    input: impl BufRead,
    output: impl Write,
) -> io::Result<bool> {
    let mut lines = Lines::new(input);
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut buf = Vec::with_capacity(4096);
    let mut bad = false;
    let mut n = 0usize;
    while let Some(line) = lines.next_line()? {
        buf.clear();
        match check_line(guard, settings, line) {
            Ok((report, id)) => write_report(&mut buf, &report, id.as_ref(), n),
            Err(e) => {
                bad = true;
                write_error(&mut buf, &e, n);
            }
        }
        buf.push(b'\n');
        out.write_all(&buf)?;
        n += 1;
    }
    out.flush()?;
    Ok(bad)
}

/// One line's report and its `id`, if it has one.
fn check_line(
    guard: &Guard,
    settings: &Settings,
    line: &[u8],
) -> Result<(Report, Option<Value>), String> {
    let v: Value = serde_json::from_str(utf8(line)?).map_err(|e| format!("invalid JSON: {e}"))?;
    let draft = v
        .get("draft")
        .and_then(Value::as_str)
        .ok_or("each line needs a string `draft`")?;
    let reply_to = v.get("reply_to").and_then(Value::as_str);
    let recent: Vec<String> = match v.get("recent") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|r| r.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or("`recent` must be an array of strings")?,
        Some(_) => return Err("`recent` must be an array of strings".into()),
    };
    let report = guard.check(
        draft,
        &Context {
            reply_to,
            recent: &recent,
            hotlines: &settings.hotlines,
            ..Context::default()
        },
    );
    Ok((report, v.get("id").cloned()))
}

/// `kefu triage`: each line a comment (SPEC), one result a line out in the
/// same order; a bad line gives `{"error": …, "id": LINE}`. `input` is read
/// twice, `spool` is written and read back once (its old contents are
/// overwritten). Returns whether any line was bad.
pub fn triage_jsonl<R, S>(
    triager: &Triager,
    settings: &Settings,
    now: Option<i64>,
    input: &mut R,
    spool: &mut S,
    output: impl Write,
) -> io::Result<bool>
where
    R: BufRead + Seek,
    S: Read + Write + Seek,
{
    // First the post's author: its own comments may come after a comment
    // that tags it. Only lines that name the field are read.
    let mut authors: Vec<String> = Vec::new();
    {
        let mut lines = Lines::new(&mut *input);
        let mut n = 0usize;
        while let Some(line) = lines.next_line()? {
            if contains(line, b"is_mblog_author") {
                if let Ok(c) = read_comment(line, n) {
                    for a in crate::triage::post_authors([&c]) {
                        if !authors.contains(&a) {
                            authors.push(a);
                        }
                    }
                }
            }
            n += 1;
        }
    }
    input.seek(SeekFrom::Start(0))?;

    // Then every comment, its result spooled without its cluster.
    let mut session = triager.session(settings, now, authors);
    let mut bad = false;
    spool.seek(SeekFrom::Start(0))?;
    {
        let mut lines = Lines::new(&mut *input);
        let mut spooled = BufWriter::with_capacity(1 << 16, &mut *spool);
        let mut buf = Vec::with_capacity(1024);
        let mut n = 0usize;
        while let Some(line) = lines.next_line()? {
            buf.clear();
            match read_comment(line, n) {
                Ok(c) => {
                    let t = session.triage(&c);
                    // G category \t id \t the rest
                    buf.push(b'G');
                    buf.extend_from_slice(t.category.as_str().as_bytes());
                    buf.push(b'\t');
                    json(&mut buf, &t.id);
                    buf.extend_from_slice(b"\t,\"reasons\":[");
                    for (i, r) in t.reasons.iter().enumerate() {
                        if i > 0 {
                            buf.push(b',');
                        }
                        string(&mut buf, r);
                    }
                    buf.extend_from_slice(b"],\"score\":");
                    number(&mut buf, t.score as usize);
                    buf.extend_from_slice(b",\"urgency\":\"");
                    buf.extend_from_slice(t.urgency.as_str().as_bytes());
                    buf.extend_from_slice(b"\"}");
                }
                Err(e) => {
                    bad = true;
                    buf.push(b'E');
                    write_error(&mut buf, &e, n);
                }
            }
            buf.push(b'\n');
            spooled.write_all(&buf)?;
            n += 1;
        }
        spooled.flush()?;
    }
    let clusters = session.finish();

    // Last, the spool to the output with the clusters filled in.
    let end = spool.stream_position()?;
    spool.seek(SeekFrom::Start(0))?;
    let mut lines = Lines::new(BufReader::with_capacity(1 << 16, (&mut *spool).take(end)));
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut buf = Vec::with_capacity(1024);
    let mut good = 0usize;
    while let Some(record) = lines.next_line()? {
        buf.clear();
        match record.split_first() {
            Some((b'G', rest)) => {
                let mut parts = rest.splitn(3, |&b| b == b'\t');
                let (category, id, tail) = (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                );
                buf.extend_from_slice(b"{\"category\":\"");
                buf.extend_from_slice(category);
                buf.extend_from_slice(b"\",\"cluster\":");
                match clusters.cluster(good) {
                    Some(c) => number(&mut buf, c as usize),
                    None => buf.extend_from_slice(b"null"),
                }
                buf.extend_from_slice(b",\"id\":");
                buf.extend_from_slice(id);
                buf.extend_from_slice(b",\"intent\":");
                match clusters.intent(good) {
                    Some(i) => string(&mut buf, triager.intent_label(i)),
                    None => buf.extend_from_slice(b"null"),
                }
                buf.extend_from_slice(tail);
                good += 1;
            }
            Some((_, error)) => buf.extend_from_slice(error),
            None => {}
        }
        buf.push(b'\n');
        out.write_all(&buf)?;
    }
    out.flush()?;
    Ok(bad)
}

/// Line `n` as a comment (its id the line number when it has none).
fn read_comment(line: &[u8], n: usize) -> Result<crate::triage::Comment, String> {
    // Only the fields triage reads are built, as for a batch from the page.
    let incoming: Incoming =
        serde_json::from_str(utf8(line)?).map_err(|e| format!("invalid JSON: {e}"))?;
    incoming.comment(Value::from(n))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `{"error":…,"id":N}`, as the value `{"id": N, "error": …}` prints.
fn write_error(out: &mut Vec<u8>, error: &str, n: usize) {
    out.extend_from_slice(b"{\"error\":");
    string(out, error);
    out.extend_from_slice(b",\"id\":");
    number(out, n);
    out.push(b'}');
}

/// A report with its `id` (or line number `n`), keys in alphabetical order
/// at every level, as `serde_json::to_value(report)` with `id` added prints.
pub fn write_report(out: &mut Vec<u8>, report: &Report, id: Option<&Value>, n: usize) {
    out.extend_from_slice(b"{\"findings\":[");
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_finding(out, f);
    }
    out.extend_from_slice(b"],\"id\":");
    match id {
        Some(id) => json(out, id),
        None => number(out, n),
    }
    let tone = &report.tone;
    out.extend_from_slice(b",\"tone\":{\"band\":");
    string(out, &tone.band);
    out.extend_from_slice(b",\"labels\":[");
    for (i, l) in tone.labels.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, l);
    }
    out.extend_from_slice(b"],\"lowered\":");
    write_items(out, &tone.lowered);
    out.extend_from_slice(b",\"raised\":");
    write_items(out, &tone.raised);
    out.extend_from_slice(b",\"score\":");
    number(out, tone.score as usize);
    out.extend_from_slice(b"},\"verdict\":\"");
    out.extend_from_slice(report.verdict.as_str().as_bytes());
    out.extend_from_slice(b"\"}");
}

fn write_finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"end\":");
    number(out, f.end);
    out.extend_from_slice(b",\"label\":");
    string(out, &f.label);
    out.extend_from_slice(b",\"message\":");
    string(out, &f.message);
    out.extend_from_slice(b",\"rule\":");
    string(out, &f.rule);
    out.extend_from_slice(b",\"severity\":\"");
    out.extend_from_slice(f.severity.as_str().as_bytes());
    out.extend_from_slice(b"\",\"start\":");
    number(out, f.start);
    out.extend_from_slice(b",\"suggestion\":");
    match &f.suggestion {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"text\":");
    string(out, &f.text);
    out.push(b'}');
}

fn write_items(out: &mut Vec<u8>, items: &[ScoreItem]) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"end\":");
        number(out, item.end);
        out.extend_from_slice(b",\"reason\":");
        string(out, &item.reason);
        out.extend_from_slice(b",\"start\":");
        number(out, item.start);
        out.extend_from_slice(b",\"text\":");
        string(out, &item.text);
        out.push(b'}');
    }
    out.push(b']');
}

fn number(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Any value, compact, as serde_json writes it.
fn json(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::String(s) => string(out, s),
        other => serde_json::to_writer(out, other).expect("a Value serializes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::io::Cursor;

    /// What the CLI printed before it streamed: every value through
    /// `serde_json::Value` (keys sorted).
    fn as_values(lines: &[Value]) -> String {
        lines.iter().map(|v| format!("{v}\n")).collect()
    }

    #[test]
    fn reports_are_written_as_values_print_them() {
        let guard = Guard::with_default_lists();
        let settings = Settings {
            hotlines: vec!["400-123-4567".into()],
            ..Settings::default()
        };
        let mut input = String::new();
        let mut want = Vec::new();
        let drafts = [
            json!({"id": "a\"b", "draft": "你这个蠢驴，打400-123-4567或13812345678", "reply_to": "快递丢了，太差了"}),
            json!({"draft": "亲，您好呀！我们马上帮您查一下订单哦[心]\n\t引号\"", "recent": ["亲，您好呀！我们马上帮您查一下订单哦[心]\n\t引号\""]}),
            json!({"id": 12.5, "draft": "全网销量第一，国家级产品，保证百分百有效"}),
            json!({"id": {"b": 1, "a": [null]}, "draft": ""}),
            json!({"draft": 5}),
            json!({"draft": "x", "recent": [1]}),
        ];
        for (n, d) in drafts.iter().enumerate() {
            input.push_str(&format!("{d}\n"));
            let ok = check_line(&guard, &settings, d.to_string().as_bytes());
            want.push(match ok {
                Ok((report, id)) => {
                    let mut v = serde_json::to_value(report).unwrap();
                    v["id"] = id.unwrap_or(json!(n));
                    v
                }
                Err(e) => json!({"id": n, "error": e}),
            });
        }
        input.push_str("not json\n\u{0}\n");
        let mut out = Vec::new();
        let bad = check_jsonl(&guard, &settings, Cursor::new(input.as_bytes()), &mut out).unwrap();
        assert!(bad);
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), drafts.len() + 2);
        let got = lines[..drafts.len()].join("\n") + "\n";
        assert_eq!(got, as_values(&want));
        assert!(lines[drafts.len()].starts_with("{\"error\":\"invalid JSON: "));
        assert!(lines[drafts.len() + 1].ends_with(&format!(",\"id\":{}}}", drafts.len() + 1)));
    }

    #[test]
    fn streamed_triage_is_the_batch_triage() {
        let t = Triager::new();
        let settings = Settings::default();
        let lines = [
            json!({"id": 1, "text": "@某某旗舰 这款什么时候补货"}),
            json!({"text": "退款什么时候到账？"}),
            json!({"text": "我的退款多久能到"}),
            json!({"text": "这个杯子能放进洗碗机吗"}),
            json!({"text": "这个杯子可以放进洗碗机吗?"}),
            json!(7),
            json!({"text": "引号\"和\\反斜杠\n换行，太差了，投诉"}),
            json!({"id": "x", "text": "感谢大家支持", "is_mblog_author": true,
                   "user": {"screen_name": "某某旗舰"}}),
        ];
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let mut comments = Vec::new();
        for (n, l) in lines.iter().enumerate() {
            if let Ok(c) = crate::triage::Comment::from_json(l, json!(n)) {
                comments.push(c);
            }
        }
        let mut batch = t
            .triage(&comments, &settings, Some(1_800_000_000))
            .into_iter();
        let want: Vec<Value> = lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                if l.is_object() {
                    serde_json::to_value(batch.next().unwrap()).unwrap()
                } else {
                    json!({"id": n, "error": "a comment must be a JSON object"})
                }
            })
            .collect();
        let mut spool = Cursor::new(b"old contents, longer than what is spooled ".repeat(100));
        let mut out = Vec::new();
        let bad = triage_jsonl(
            &t,
            &settings,
            Some(1_800_000_000),
            &mut Cursor::new(input.as_bytes()),
            &mut spool,
            &mut out,
        )
        .unwrap();
        assert!(bad);
        assert_eq!(String::from_utf8(out).unwrap(), as_values(&want));
        // The tag of the post's author (whose comment comes last) is to us.
        assert_eq!(want[0]["category"], "question", "{}", want[0]);
        assert!(want.iter().any(|v| v["intent"].is_string()));
    }
}
