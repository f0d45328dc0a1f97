//! Triage speed: comments per second on one core, a busy post (5,000
//! comments) at a time, with and without clustering.
//!
//! ```text
//! cargo bench --bench triage
//! ```
//!
//! The comments are the project's labelled set (tests/triage/), each made
//! distinct with a varying suffix so that clustering sees 5,000 different
//! texts, and, when the shared data is there, the 11,987 real reviews of
//! waimai_10k.csv.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kefu::settings::Settings;
use kefu::triage::cluster::Clusterer;
use kefu::triage::normalize::Normalizer;
use kefu::triage::{eval, Comment, Triager};
use std::hint::black_box;

fn labelled_comments(n: usize) -> Vec<Comment> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut base = Vec::new();
    for half in ["dev", "test"] {
        let path = root.join(format!("tests/triage/labelled-{half}.jsonl"));
        let text = std::fs::read_to_string(&path).expect("the labelled set is readable");
        base.extend(eval::read_labelled(&text).expect("the labelled set parses"));
    }
    (0..n)
        .map(|i| {
            let mut c = base[i % base.len()].comment.clone();
            if i >= base.len() {
                c.text.push_str(&format!(" 第{}楼", i / base.len()));
            }
            c
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let t = Triager::new();
    let settings = Settings {
        watch_words: vec!["小米".into(), "华为".into(), "顺丰".into()],
        ..Settings::default()
    };
    let mut group = c.benchmark_group("triage");
    let batch = labelled_comments(5_000);
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("labelled", batch.len()),
        &batch,
        |b, batch| b.iter(|| black_box(t.triage(batch, &settings, Some(1_800_000_000)))),
    );
    // Clustering alone (every comment eligible: the worst case).
    let clusterer = Clusterer::new();
    let normalizer = Normalizer::new();
    let texts: Vec<String> = batch
        .iter()
        .map(|c| normalizer.normalize(&c.text))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let all = vec![true; refs.len()];
    group.bench_with_input(
        BenchmarkId::new("cluster-only", refs.len()),
        &refs,
        |b, refs| b.iter(|| black_box(clusterer.clusters(refs, &all))),
    );
    if let Ok(dir) = eval::shared_data() {
        let csv = std::fs::read_to_string(dir.join("real/waimai_10k.csv")).expect("readable");
        let reviews: Vec<Comment> = eval::read_reviews(&csv)
            .expect("parses")
            .into_iter()
            .map(|(_, r)| Comment::from_text(&r))
            .collect();
        group.throughput(Throughput::Elements(reviews.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("waimai", reviews.len()),
            &reviews,
            |b, r| b.iter(|| black_box(t.triage(r, &settings, None))),
        );
    } else {
        eprintln!("shared data missing: the waimai benchmark is not run");
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(8));
    targets = bench
}
criterion_main!(benches);
