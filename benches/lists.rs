//! Phrase-list benchmarks (BENCHMARKS.md, "Phrase lists"): folding,
//! compiling the 64k-phrase list, loading it from bytes, scanning long text
//! and 140-character replies, and the two automata the matcher could use
//! (daachorse, aho-corasick) side by side on the same folded keys and text.
//!
//! Run: `KEFU_SHARED_DATA=/path/to/shared/data cargo bench --bench lists`
//! (the data defaults to `../shared/data`). Memory figures are printed to
//! stderr before the timings.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use kefu::fold::{fold, fold_str};
use kefu::lists::{parse, PhraseList};
use kefu::matcher::Matcher;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn shared_data() -> PathBuf {
    let dir = std::env::var_os("KEFU_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(
        dir.join("bench/phrases-64k.txt").is_file(),
        "shared data not found at {} (set KEFU_SHARED_DATA)",
        dir.display()
    );
    dir
}

struct Data {
    list_bytes: Vec<u8>,
    list: PhraseList,
    long_text: String,
    replies: Vec<String>,
}

fn data() -> Data {
    let dir = shared_data();
    let list_bytes = std::fs::read(dir.join("bench/phrases-64k.txt")).expect("phrases");
    let list = parse("phrases-64k.txt", &list_bytes)
        .list
        .expect("the 64k list parses");
    let csv = std::fs::read_to_string(dir.join("real/waimai_10k.csv")).expect("waimai");
    // `label,review`; a review may itself contain commas.
    let reviews: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(',').map(|(_, r)| r.trim_matches('"')))
        .collect();
    let long_text = reviews.join("\n");
    let chars: Vec<char> = long_text.chars().collect();
    let replies = chars.chunks(140).map(|c| c.iter().collect()).collect();
    Data {
        list_bytes,
        list,
        long_text,
        replies,
    }
}

fn benches(c: &mut Criterion) {
    let d = data();
    let lists = std::slice::from_ref(&d.list);
    let matcher = Matcher::new(lists);
    let bytes = matcher.to_bytes();
    let keys: Vec<String> = {
        let mut k: Vec<String> = d.list.rules[0]
            .phrases
            .iter()
            .map(|p| fold_str(p))
            .filter(|k| !k.is_empty())
            .collect();
        k.sort();
        k.dedup();
        k
    };
    let folded_long = fold_str(&d.long_text);
    let folded_chars: Vec<char> = folded_long.chars().collect();
    let key_chars: Vec<Vec<char>> = keys.iter().map(|k| k.chars().collect()).collect();
    let trie = kefu_scan::Trie::new(&key_chars);
    let dac = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::Standard)
        .use_prefilter(false)
        .build::<_, _, u32>(&keys)
        .expect("daachorse builds");
    let ac = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(&keys)
        .expect("aho-corasick builds");
    eprintln!(
        "64k list: {} phrases, {} distinct folded keys; long text {} chars ({} replies of 140)",
        d.list.rules[0].phrases.len(),
        keys.len(),
        d.long_text.chars().count(),
        d.replies.len()
    );
    eprintln!(
        "memory: Matcher {:.1} MiB, serialized {:.1} MiB; its trie alone {:.1} MiB; daachorse alone {:.1} MiB; aho-corasick alone {:.1} MiB",
        matcher.heap_bytes() as f64 / 1048576.0,
        bytes.len() as f64 / 1048576.0,
        trie.heap_bytes() as f64 / 1048576.0,
        dac.heap_bytes() as f64 / 1048576.0,
        ac.memory_usage() as f64 / 1048576.0
    );
    eprintln!(
        "hits in the long text: {}",
        matcher.find(&d.long_text).len()
    );

    let mut g = c.benchmark_group("lists");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("parse 64k plain-text list", |b| {
        b.iter(|| parse("phrases-64k.txt", black_box(&d.list_bytes)))
    });
    g.bench_function("compile 64k list (Matcher::new)", |b| {
        b.iter(|| Matcher::new(black_box(lists)))
    });
    g.bench_function("load 64k list (Matcher::from_bytes)", |b| {
        b.iter(|| Matcher::from_bytes(black_box(&bytes)).expect("loads"))
    });
    g.bench_function("keys only: Kefu's trie build 64k", |b| {
        b.iter(|| kefu_scan::Trie::new(black_box(&key_chars)))
    });
    g.bench_function("automaton only: daachorse build 64k", |b| {
        b.iter(|| {
            daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(daachorse::MatchKind::Standard)
                .use_prefilter(false)
                .build::<_, _, u32>(black_box(&keys))
                .expect("builds")
        })
    });
    g.bench_function("automaton only: aho-corasick build 64k", |b| {
        b.iter(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(black_box(&keys))
                .expect("builds")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("lists scan long text");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Bytes(d.long_text.len() as u64));
    g.bench_function("fold", |b| b.iter(|| fold(black_box(&d.long_text))));
    g.bench_function("Matcher::find (fold + match + allow + boundaries)", |b| {
        b.iter(|| matcher.find(black_box(&d.long_text)))
    });
    let units: Vec<u16> = d.long_text.encode_utf16().collect();
    g.bench_function("Matcher::find_utf16 (the same, from UTF-16)", |b| {
        b.iter(|| matcher.find_utf16(black_box(&units)))
    });
    g.bench_function("keys only: Kefu's trie on folded text", |b| {
        b.iter(|| {
            let mut n = 0usize;
            trie.find(black_box(&folded_chars), &mut |_, _, _| n += 1);
            n
        })
    });
    g.bench_function("automaton only: daachorse stepper on folded text", |b| {
        b.iter(|| {
            let mut s = dac.find_overlapping_stepper();
            let mut n = 0usize;
            for ch in black_box(&folded_long).chars() {
                s.consume(ch);
                n += s.matches().count();
            }
            n
        })
    });
    g.bench_function(
        "automaton only: daachorse overlapping iter on folded text",
        |b| b.iter(|| dac.find_overlapping_iter(black_box(&folded_long)).count()),
    );
    g.bench_function(
        "automaton only: aho-corasick overlapping iter on folded text",
        |b| b.iter(|| ac.find_overlapping_iter(black_box(&folded_long)).count()),
    );
    g.finish();

    let mut g = c.benchmark_group("lists one reply");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let defaults: Vec<PhraseList> = kefu::guard::default_lists()
        .iter()
        .map(|(n, t)| parse(n, t.as_bytes()).list.expect("default list"))
        .collect();
    let default_matcher = Matcher::new(&defaults);
    g.bench_function("140-char replies, 64k list (per reply)", |b| {
        let mut i = 0;
        b.iter_batched(
            || {
                i = (i + 1) % d.replies.len();
                &d.replies[i]
            },
            |r| matcher.find(r),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("140-char replies, default lists (per reply)", |b| {
        let mut i = 0;
        b.iter_batched(
            || {
                i = (i + 1) % d.replies.len();
                &d.replies[i]
            },
            |r| default_matcher.find(r),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("compile default lists", |b| {
        b.iter(|| Matcher::new(black_box(&defaults)))
    });
    g.finish();
}

criterion_group!(lists_benches, benches);
criterion_main!(lists_benches);
