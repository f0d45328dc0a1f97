//! The `kefu` command line (SPEC "The command line"): the same core as the
//! extension, for the compliance team and for batch work.
//!
//! This file only reads arguments and files and prints JSON; every decision
//! is made in the library.

use kefu::guard::{Context, Guard, Report, Verdict};
use kefu::lists::{self, Level};
use kefu::settings::Settings;
use kefu::triage::{self, Triager};
use std::io::{self, BufRead, Read, Seek, Write};
use std::process::ExitCode;

const USAGE: &str = "\
kefu — triage Weibo comments and guard customer-service replies

Usage:
  kefu check [--list FILE]... [--no-default-lists] [--config FILE] [--reply-to TEXT] [TEXT | -]
  kefu check --jsonl [--list FILE]... [--no-default-lists] [--config FILE] [FILE | -]
  kefu triage [--config FILE] [--now RFC3339] [FILE | -]
  kefu lists lint FILE...
  kefu lists test FILE...

Both read JSON Lines as a stream: memory does not grow with the input.
`triage` numbers clusters over the whole input, so it reads it twice
(standard input is copied to a temporary file first), keeps a compact
index for clustering (about 13 bytes a comment, and about 0.4 KB for each
distinct question or complaint) and spools results in a temporary file.

Exit status: 0 ok or warn, 1 block (check) or failed examples (lists test),
2 bad usage or a bad list.";

/// A usage error: printed with the usage, exit 2.
struct Usage(String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("triage") => triage_cmd(&args[1..]),
        Some("lists") => match args.get(1).map(String::as_str) {
            Some("lint") => lists_lint(&args[2..]),
            Some("test") => lists_test(&args[2..]),
            _ => Err(Usage("`kefu lists` takes `lint` or `test`".into())),
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        // Not for people: the data files as the JSON bundle that ships beside
        // the wasm (`make wasm` writes extension/pkg/kefu-data.json with it).
        Some("data-bundle") => match kefu::data::bundle_json() {
            Ok(json) => {
                println!("{json}");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("kefu data-bundle: {e}");
                Ok(ExitCode::from(2))
            }
        },
        Some("-V" | "--version") => {
            println!("kefu {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(Usage(format!("unknown command `{other}`"))),
        None => Err(Usage("no command given".into())),
    };
    match result {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("kefu: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Options shared by `check` and `triage`.
#[derive(Default)]
struct Options {
    lists: Vec<String>,
    no_default_lists: bool,
    config: Option<String>,
    reply_to: Option<String>,
    now: Option<String>,
    jsonl: bool,
    positional: Vec<String>,
}

fn parse_options(args: &[String], allowed: &[&str]) -> Result<Options, Usage> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Usage(format!("{name} needs a value")))
        };
        let name = a.as_str();
        if name.starts_with("--") && !allowed.contains(&name) {
            return Err(Usage(format!("unknown option `{name}`")));
        }
        match name {
            "--list" => o.lists.push(value(name)?),
            "--no-default-lists" => o.no_default_lists = true,
            "--config" => o.config = Some(value(name)?),
            "--reply-to" => o.reply_to = Some(value(name)?),
            "--now" => o.now = Some(value(name)?),
            "--jsonl" => o.jsonl = true,
            _ => o.positional.push(a.clone()),
        }
    }
    if o.positional.len() > 1 {
        return Err(Usage(format!(
            "one input expected, got {}",
            o.positional.len()
        )));
    }
    Ok(o)
}

/// Reads a file or standard input (`-`) as bytes.
fn read_input(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

fn load_settings(path: Option<&str>) -> Result<Settings, String> {
    let Some(path) = path else {
        return Ok(Settings::default());
    };
    let bytes = read_input(path)?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8 text"))?;
    Settings::from_toml(&text).map_err(|e| format!("{path}: {e}"))
}

/// The guard with default lists (unless turned off) and `--list` files, or
/// the diagnostics of the lists that failed, printed; exit 2.
fn load_guard(o: &Options) -> Result<Guard, ExitCode> {
    let base = if o.no_default_lists {
        Guard::new(Vec::new())
    } else {
        Guard::with_default_lists()
    };
    let mut extra = Vec::new();
    for path in &o.lists {
        match std::fs::read(path) {
            Ok(bytes) => extra.push((path.clone(), bytes)),
            Err(e) => {
                eprintln!("kefu: cannot read {path}: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    base.with_lists(&extra).map_err(|diags| {
        for d in diags {
            eprintln!("{d}");
        }
        ExitCode::from(2)
    })
}

fn print_json(v: &impl serde::Serialize) {
    let mut out = io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, v);
    let _ = writeln!(out);
}

fn check(args: &[String]) -> Result<ExitCode, Usage> {
    let o = parse_options(
        args,
        &[
            "--list",
            "--no-default-lists",
            "--config",
            "--reply-to",
            "--jsonl",
        ],
    )?;
    let settings = match load_settings(o.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kefu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let guard = match load_guard(&o) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    if o.jsonl {
        return Ok(check_jsonl(
            &guard,
            &settings,
            o.positional.first().map_or("-", String::as_str),
        ));
    }
    let draft = match o.positional.first().map(String::as_str) {
        None | Some("-") => match read_input("-").map(String::from_utf8) {
            Ok(Ok(s)) => s.trim_end_matches('\n').to_string(),
            _ => {
                eprintln!("kefu: standard input is not UTF-8 text");
                return Ok(ExitCode::from(2));
            }
        },
        Some(text) => text.to_string(),
    };
    let report = guard.check(
        &draft,
        &Context {
            reply_to: o.reply_to.as_deref(),
            hotlines: &settings.hotlines,
            ..Context::default()
        },
    );
    print_json(&report);
    Ok(verdict_exit(&report))
}

fn verdict_exit(report: &Report) -> ExitCode {
    if report.verdict == Verdict::Block {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Opens the input of a JSON Lines command: a file, or standard input
/// (`-`).
fn open_input(path: &str) -> Result<Box<dyn BufRead>, String> {
    if path == "-" {
        Ok(Box::new(io::BufReader::with_capacity(1 << 16, io::stdin())))
    } else {
        let cannot = |e: io::Error| format!("cannot read {path}: {e}");
        let file = std::fs::File::open(path).map_err(cannot)?;
        if file.metadata().map_err(cannot)?.is_dir() {
            return Err(cannot(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        Ok(Box::new(io::BufReader::with_capacity(1 << 16, file)))
    }
}

/// Exit 2 if any line was bad (or the output failed), else 0.
fn lines_exit(result: io::Result<bool>) -> ExitCode {
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(2),
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefu: {e}");
            ExitCode::from(2)
        }
    }
}

/// Streamed: a line is checked and written before the next is read.
fn check_jsonl(guard: &Guard, settings: &Settings, path: &str) -> ExitCode {
    let input = match open_input(path) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("kefu: {e}");
            return ExitCode::from(2);
        }
    };
    lines_exit(kefu::jsonl::check_jsonl(
        guard,
        settings,
        input,
        io::stdout().lock(),
    ))
}

/// An unnamed temporary file (removed as soon as it is open where the
/// system allows, else when dropped).
struct TempFile {
    file: std::fs::File,
    path: std::path::PathBuf,
}

impl TempFile {
    fn new(what: &str) -> io::Result<TempFile> {
        let dir = std::env::temp_dir();
        let mut n = 0u32;
        loop {
            let path = dir.join(format!("kefu-{what}-{}-{n}", std::process::id()));
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    let _ = std::fs::remove_file(&path);
                    return Ok(TempFile { file, path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The input as a file that can be read twice: a regular file as it is;
/// standard input, a pipe or a device (`<(…)`) copied to a temporary file
/// first (kept alive by the returned `TempFile`).
fn seekable_input(path: &str) -> io::Result<(std::fs::File, Option<TempFile>)> {
    let mut source: Box<dyn Read> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::ErrorKind::IsADirectory.into());
        }
        if meta.is_file() {
            return Ok((file, None));
        }
        Box::new(file)
    };
    let mut temp = TempFile::new("input")?;
    io::copy(&mut source, &mut temp.file)?;
    temp.file.rewind()?;
    Ok((temp.file.try_clone()?, Some(temp)))
}

fn triage_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let o = parse_options(args, &["--config", "--now"])?;
    let settings = match load_settings(o.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kefu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let now = match &o.now {
        Some(s) => match triage::time::parse_rfc3339(s) {
            Some(t) => Some(t),
            None => return Err(Usage(format!("--now: `{s}` is not an RFC 3339 time"))),
        },
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs() as i64),
    };
    let path = o.positional.first().map_or("-", String::as_str);
    // The batch is triaged together (clusters span comments): the input is
    // read twice and the results spooled (src/jsonl.rs), so standard input
    // is copied to a temporary file first. Memory stays small either way.
    let input = seekable_input(path).map_err(|e| match path {
        "-" => format!("cannot read standard input: {e}"),
        _ => format!("cannot read {path}: {e}"),
    });
    let (file, _kept) = match input {
        Ok(i) => i,
        Err(e) => {
            eprintln!("kefu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut spool = match TempFile::new("triage") {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kefu: cannot make a temporary file: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    Ok(lines_exit(kefu::jsonl::triage_jsonl(
        &Triager::new(),
        &settings,
        now,
        &mut io::BufReader::with_capacity(1 << 16, file),
        &mut spool.file,
        io::stdout().lock(),
    )))
}

fn lists_lint(files: &[String]) -> Result<ExitCode, Usage> {
    if files.is_empty() {
        return Err(Usage("`kefu lists lint` needs at least one FILE".into()));
    }
    let mut failed = false;
    let mut read = Vec::new();
    for path in files {
        match std::fs::read(path) {
            Ok(bytes) => {
                let parsed = lists::parse(path, &bytes);
                for d in &parsed.diagnostics {
                    eprintln!("{d}");
                    failed |= d.level == Level::Error;
                }
                read.push((path.as_str(), bytes));
            }
            Err(e) => {
                eprintln!("{path}:1:1: error: cannot read the file: {e}");
                failed = true;
            }
        }
    }
    // Lists that are loaded together must not share an id.
    let named: Vec<(&str, &[u8])> = read.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    for d in lists::check_ids(&named) {
        eprintln!("{d}");
        failed = true;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn lists_test(files: &[String]) -> Result<ExitCode, Usage> {
    if files.is_empty() {
        return Err(Usage("`kefu lists test` needs at least one FILE".into()));
    }
    let mut failures = 0;
    for path in files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}:1:1: error: cannot read the file: {e}");
                return Ok(ExitCode::from(2));
            }
        };
        let parsed = lists::parse(path, &bytes);
        for d in &parsed.diagnostics {
            eprintln!("{d}");
        }
        let failed = parsed.has_errors();
        let Some(list) = parsed.list.filter(|_| !failed) else {
            return Ok(ExitCode::from(2));
        };
        let guard = Guard::new(vec![list.clone()]);
        for rule in &list.rules {
            let rule_id = format!("{}/{}", list.id, rule.id);
            let hits = |text: &str| {
                guard
                    .check(text, &Context::default())
                    .findings
                    .iter()
                    .any(|f| f.rule == rule_id)
            };
            for ex in &rule.examples_hit {
                if !hits(ex) {
                    failures += 1;
                    eprintln!("{path}: FAIL {rule_id}: hit example {ex:?} gives no finding");
                }
            }
            for ex in &rule.examples_ok {
                if hits(ex) {
                    failures += 1;
                    eprintln!("{path}: FAIL {rule_id}: ok example {ex:?} gives a finding");
                }
            }
        }
    }
    if failures > 0 {
        eprintln!("{failures} example(s) failed");
        Ok(ExitCode::from(1))
    } else {
        println!("all examples pass");
        Ok(ExitCode::SUCCESS)
    }
}
