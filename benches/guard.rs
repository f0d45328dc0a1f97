//! Speed of the whole reply check (`Guard::check`) on 140-character drafts
//! with the default lists: what runs on every keystroke in the page.
//!
//! `cargo bench --bench guard` prints criterion's means and, first, the
//! p50/p99 of single checks (criterion reports means; the budget is a p99:
//! ≤ 50 µs native): the quietest of many short rounds by the wall clock, the
//! spread of the rounds, and the p99 of the thread's CPU time per check
//! (which a preemption does not inflate), with the load average. Pin it to
//! one core and skip criterion with
//! `taskset -c 1 cargo bench --bench guard -- --percentiles-only`. The wasm build is measured by `benches/guard_wasm.cjs`.
//! Results and how to rerun are in BENCHMARKS.md ("Reply guard").

use criterion::Criterion;
use kefu::guard::{Context, Guard};
use std::hint::black_box;
use std::time::Instant;

/// Realistic drafts, each cut to exactly 140 characters.
const DRAFTS: &[&str] = &[
    "亲爱的用户您好，非常抱歉让您久等了！关于您反映的快递一直没有送到的问题，我们已经第一时间联系了快递公司的站点负责人，查询到您的包裹因为暴雨天气在中转站滞留了两天，目前已经恢复运输，预计明天下午之前可以送到您手上。我们也为您申请了一张十元的无门槛代金券作为补偿，已经放进您的账户，下次购物可以直接使用。",
    "经核实，您反映的情况属实，根据相关规定，我司将按流程处理，请耐心等待处理结果。快递的问题请您直接联系快递公司，我们这边也查不到。活动规则页面上写得很清楚，这张券不能叠加使用，请您仔细阅读。呵呵，您开心就好[微笑] 另外双十一全场五折，欢迎选购哦，我们保证明天一定送到，绝对不会再出现这种问题。",
    "您好，抱歉久等了，已查到您的订单，收件人张伟，电话13812345678，地址北京市朝阳区建国路88号2单元301室，退款已原路退回卡号6222021234567890128，发票发到zhangwei1988@163.com了，客服热线400-820-8820全天有人接听，也可以私信我们哦。如有问题请随时联系我们，我们会第一时间为您处理，给您添麻烦了，真的很抱歉，祝您生活愉快！",
];

const REPLY_TO: &str = "快递一个星期了还没到，你们到底管不管？再不到我就投诉到12315[怒]";

fn draft140(s: &str) -> String {
    let d: String = s.chars().cycle().take(140).collect();
    assert_eq!(d.chars().count(), 140);
    d
}

/// Checks per round and rounds per measurement. A round of 300 checks
/// takes ~6 ms: short enough that on a shared machine many rounds run
/// without being preempted, so the quietest rounds show the engine and the
/// spread of the others shows the machine.
const ROUND: usize = 300;
const ROUNDS: usize = 300;

/// CPU time of this thread, in µs: the time a check ran, not the time it
/// waited for the core while another process had it.
fn thread_cpu_us() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec (two 64-bit fields on the
    // 64-bit Linux this bench runs on) into `ts` and reads nothing else.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.sec as f64 * 1e6 + ts.nsec as f64 / 1e3
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Another comment, so that alternating the two makes every check triage
/// its comment afresh (the guard remembers the last comment's category).
const OTHER_REPLY_TO: &str = "收到的杯子是碎的，太失望了，你们怎么包装的";

fn percentiles(
    guard: &Guard,
    drafts: &[String],
    recent: &[String],
    hotlines: &[String],
    replies: &[&str],
) {
    let cx = |i: usize| Context {
        reply_to: Some(replies[i % replies.len()]),
        recent,
        hotlines,
        ..Context::default()
    };
    for i in 0..1000 {
        black_box(guard.check(&drafts[i % drafts.len()], &cx(i)));
    }
    let load = loadavg();
    let mut rounds: Vec<(f64, f64)> = Vec::with_capacity(ROUNDS);
    let mut cpu: Vec<f64> = Vec::with_capacity(ROUNDS * ROUND);
    let mut wall: Vec<f64> = Vec::with_capacity(ROUND);
    for r in 0..ROUNDS {
        wall.clear();
        for i in 0..ROUND {
            let d = &drafts[(r + i) % drafts.len()];
            let cx = cx(i);
            let c = thread_cpu_us();
            let t = Instant::now();
            black_box(guard.check(black_box(d), &cx));
            wall.push(t.elapsed().as_nanos() as f64 / 1000.0);
            cpu.push(thread_cpu_us() - c);
        }
        wall.sort_by(|a, b| a.total_cmp(b));
        rounds.push((quantile(&wall, 0.5), quantile(&wall, 0.99)));
    }
    cpu.sort_by(|a, b| a.total_cmp(b));
    let mut p99s: Vec<f64> = rounds.iter().map(|r| r.1).collect();
    p99s.sort_by(|a, b| a.total_cmp(b));
    let quietest = rounds
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .expect("rounds");
    println!(
        "guard/check 140 chars, reply_to{} + {} recent ({ROUNDS} rounds of {ROUND}; load {load} → {}):\n  \
         wall, quietest round: p50 {:.1} µs, p99 {:.1} µs; p99 of rounds: 10th pct {:.1}, median {:.1}, 90th pct {:.1} µs\n  \
         thread CPU time, all {} checks: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        if replies.len() > 1 {
            " (a new comment each check)"
        } else {
            ""
        },
        recent.len(),
        loadavg(),
        quietest.0,
        quietest.1,
        quantile(&p99s, 0.1),
        quantile(&p99s, 0.5),
        quantile(&p99s, 0.9),
        cpu.len(),
        quantile(&cpu, 0.5),
        quantile(&cpu, 0.99),
        cpu[cpu.len() - 1],
    );
}

fn main() {
    let guard = Guard::with_default_lists();
    let drafts: Vec<String> = DRAFTS.iter().map(|d| draft140(d)).collect();
    let recent: Vec<String> = (0..10)
        .map(|i| format!("亲，非常抱歉给您带来不便！请私信我们订单号，我们马上为您处理哦{i}"))
        .collect();
    let hotlines = vec!["400-820-8820".to_string()];
    percentiles(&guard, &drafts, &[], &hotlines, &[REPLY_TO]);
    percentiles(&guard, &drafts, &recent, &hotlines, &[REPLY_TO]);
    percentiles(&guard, &drafts, &[], &hotlines, &[REPLY_TO, OTHER_REPLY_TO]);
    if std::env::args().any(|a| a == "--percentiles-only") {
        return;
    }

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("guard/check 140 chars, no context", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            guard.check(black_box(&drafts[i % drafts.len()]), &Context::default())
        })
    });
    c.bench_function("guard/check 140 chars, reply_to + 10 recent", |b| {
        let cx = Context {
            reply_to: Some(REPLY_TO),
            recent: &recent,
            hotlines: &hotlines,
            ..Context::default()
        };
        let mut i = 0;
        b.iter(|| {
            i += 1;
            guard.check(black_box(&drafts[i % drafts.len()]), &cx)
        })
    });
    c.bench_function("guard/new with default lists", |b| {
        b.iter(Guard::with_default_lists)
    });
    c.final_summary();
}
