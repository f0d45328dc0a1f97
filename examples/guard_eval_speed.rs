//! Where the time of one reply check goes (native): each stage of
//! `Guard::check` timed alone on the drafts of `benches/guard.rs`, by the
//! median of many runs. A profile to read before and after making the
//! check faster; BENCHMARKS.md ("Reply guard") has the figures.
//!
//! `cargo run --release --example guard_eval_speed`

use kefu::guard::lexicon::Lexicons;
use kefu::guard::pii::PiiDetector;
use kefu::guard::{default_lists, Context, Guard};
use kefu::lists;
use kefu::matcher::Matcher;
use std::hint::black_box;
use std::time::Instant;

const DRAFTS: &[&str] = &[
    "亲爱的用户您好，非常抱歉让您久等了！关于您反映的快递一直没有送到的问题，我们已经第一时间联系了快递公司的站点负责人，查询到您的包裹因为暴雨天气在中转站滞留了两天，目前已经恢复运输，预计明天下午之前可以送到您手上。我们也为您申请了一张十元的无门槛代金券作为补偿，已经放进您的账户，下次购物可以直接使用。",
    "经核实，您反映的情况属实，根据相关规定，我司将按流程处理，请耐心等待处理结果。快递的问题请您直接联系快递公司，我们这边也查不到。活动规则页面上写得很清楚，这张券不能叠加使用，请您仔细阅读。呵呵，您开心就好[微笑] 另外双十一全场五折，欢迎选购哦，我们保证明天一定送到，绝对不会再出现这种问题。",
    "您好，抱歉久等了，已查到您的订单，收件人张伟，电话13812345678，地址北京市朝阳区建国路88号2单元301室，退款已原路退回卡号6222021234567890128，发票发到zhangwei1988@163.com了，客服热线400-820-8820全天有人接听，也可以私信我们哦。如有问题请随时联系我们，我们会第一时间为您处理，给您添麻烦了，真的很抱歉，祝您生活愉快！",
];
const REPLY_TO: &str = "快递一个星期了还没到，你们到底管不管？再不到我就投诉到12315[怒]";

/// Median µs of `f` over 2,000 runs.
fn median(mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..2000)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_nanos() as f64 / 1000.0
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    t[t.len() / 2]
}

fn main() {
    let drafts: Vec<String> = DRAFTS
        .iter()
        .map(|d| d.chars().cycle().take(140).collect())
        .collect();
    let guard = Guard::with_default_lists();
    let mut all: Vec<lists::PhraseList> = default_lists()
        .into_iter()
        .filter_map(|(n, t)| lists::parse(n, t.as_bytes()).list)
        .collect();
    let lex = Lexicons::builtin();
    all.push(lex.tone.clone());
    all.push(lex.signals.clone());
    let matcher = Matcher::new(&all);
    let one = |l: &lists::PhraseList| Matcher::new(std::slice::from_ref(l));
    let pii = PiiDetector::new();
    let hotlines = vec!["400-820-8820".to_string()];
    let cx = Context {
        reply_to: Some(REPLY_TO),
        hotlines: &hotlines,
        ..Context::default()
    };
    println!("median µs per stage, per draft (warm, tone-heavy, personal data):");
    let row = |name: &str, f: &dyn Fn(&str) -> f64| {
        let v: Vec<String> = drafts.iter().map(|d| format!("{:7.1}", f(d))).collect();
        println!("{name:<32}{}", v.join(""));
    };
    row("Guard::check (reply_to)", &|d| {
        median(|| {
            black_box(guard.check(black_box(d), &cx));
        })
    });
    row("Guard::check (no context)", &|d| {
        median(|| {
            black_box(guard.check(black_box(d), &Context::default()));
        })
    });
    row("matcher, all lists", &|d| {
        median(|| {
            black_box(matcher.find(black_box(d)));
        })
    });
    for l in &all {
        let m = one(l);
        row(&format!("  matcher, {} alone", l.id), &|d| {
            median(|| {
                black_box(m.find(black_box(d)));
            })
        });
    }
    for l in &all[all.len() - 2..] {
        let mut bare = l.clone();
        for r in &mut bare.rules {
            r.patterns.clear();
        }
        let m = one(&bare);
        row(&format!("  matcher, {} w/o patterns", l.id), &|d| {
            median(|| {
                black_box(m.find(black_box(d)));
            })
        });
    }
    row("personal data", &|d| {
        let chars: Vec<char> = d.chars().collect();
        median(|| {
            black_box(pii.findings(black_box(d), &chars, &hotlines));
        })
    });
}
