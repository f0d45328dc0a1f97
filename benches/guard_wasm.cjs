// Speed of the whole reply check in the wasm build, under Node: the p99 of
// `JSON.parse(engine.check(draft, replyTo))` (the report crosses as JSON
// text, as in the extension) on 140-character drafts with the default
// lists (budget: ≤ 200 µs). See BENCHMARKS.md ("Reply guard") to rerun:
//
//   cargo build --lib --target wasm32-unknown-unknown --release --no-default-features
//   ~/.cargo/bin/wasm-bindgen --target nodejs --out-dir target/wasm-bench \
//       target/wasm32-unknown-unknown/release/kefu.wasm
//   cargo run --release --bin kefu -- data-bundle > target/wasm-bench/kefu-data.json
//   taskset -c 1 node benches/guard_wasm.cjs [target/wasm-bench/kefu.js]
//
// On a shared machine a check is now and then preempted, and a p99 over
// one long run measures the machine. So the checks run in many short
// rounds: the quietest rounds show the engine, the spread of the rounds
// shows the machine, and the load average is printed with them.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const modPath = path.resolve(process.argv[2] || path.join(__dirname, '../target/wasm-bench/kefu.js'));
const { Engine, installData } = require(modPath);

const DRAFTS = [
  '亲爱的用户您好，非常抱歉让您久等了！关于您反映的快递一直没有送到的问题，我们已经第一时间联系了快递公司的站点负责人，查询到您的包裹因为暴雨天气在中转站滞留了两天，目前已经恢复运输，预计明天下午之前可以送到您手上。我们也为您申请了一张十元的无门槛代金券作为补偿，已经放进您的账户，下次购物可以直接使用。',
  '经核实，您反映的情况属实，根据相关规定，我司将按流程处理，请耐心等待处理结果。快递的问题请您直接联系快递公司，我们这边也查不到。活动规则页面上写得很清楚，这张券不能叠加使用，请您仔细阅读。呵呵，您开心就好[微笑] 另外双十一全场五折，欢迎选购哦，我们保证明天一定送到，绝对不会再出现这种问题。',
  '您好，抱歉久等了，已查到您的订单，收件人张伟，电话13812345678，地址北京市朝阳区建国路88号2单元301室，退款已原路退回卡号6222021234567890128，发票发到zhangwei1988@163.com了，客服热线400-820-8820全天有人接听，也可以私信我们哦。如有问题请随时联系我们，我们会第一时间为您处理，给您添麻烦了，真的很抱歉，祝您生活愉快！',
].map((d) => Array.from(d).slice(0, 140).join(''));
const REPLY_TO = '快递一个星期了还没到，你们到底管不管？再不到我就投诉到12315[怒]';
const RECENT = Array.from({ length: 10 }, (_, i) => `亲，非常抱歉给您带来不便！请私信我们订单号，我们马上为您处理哦${i}`);
const ROUND = 300;
const ROUNDS = 300;

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const q = (sorted, p) => sorted[Math.round((sorted.length - 1) * p)];

function run(engine, label, recent) {
  for (let i = 0; i < 2000; i++) JSON.parse(engine.check(DRAFTS[i % DRAFTS.length], REPLY_TO, recent));
  const before = load();
  const rounds = [];
  const times = new Float64Array(ROUND);
  const cpu = new Float64Array(ROUND * ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < ROUND; i++) {
      const d = DRAFTS[(r + i) % DRAFTS.length];
      const c = process.cpuUsage();
      const t = process.hrtime.bigint();
      JSON.parse(engine.check(d, REPLY_TO, recent));
      times[i] = Number(process.hrtime.bigint() - t) / 1000;
      const u = process.cpuUsage(c);
      cpu[r * ROUND + i] = u.user + u.system;
    }
    times.sort();
    rounds.push([q(times, 0.5), q(times, 0.99)]);
  }
  cpu.sort();
  const p99s = rounds.map((r) => r[1]).sort((a, b) => a - b);
  const best = rounds.reduce((a, b) => (b[1] < a[1] ? b : a));
  console.log(
    `wasm guard/check 140 chars, ${label} (${ROUNDS} rounds of ${ROUND}; load ${before} → ${load()}):\n` +
      `  wall, quietest round: p50 ${best[0].toFixed(1)} µs, p99 ${best[1].toFixed(1)} µs; ` +
      `p99 of rounds: 10th pct ${q(p99s, 0.1).toFixed(1)}, median ${q(p99s, 0.5).toFixed(1)}, 90th pct ${q(p99s, 0.9).toFixed(1)} µs\n` +
      `  process CPU time (getrusage, µs steps), all ${cpu.length} checks: p50 ${q(cpu, 0.5).toFixed(0)} µs, p99 ${q(cpu, 0.99).toFixed(0)} µs`,
  );
}

const bundle = path.join(path.dirname(modPath), 'kefu-data.json');
if (installData) {
  if (!fs.existsSync(bundle)) {
    throw new Error(`${bundle} is missing: cargo run --release --bin kefu -- data-bundle > ${bundle}`);
  }
  installData(fs.readFileSync(bundle, 'utf8'));
}
const t = process.hrtime.bigint();
const engine = new Engine();
console.log(`new Engine(): ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms`);
const r = JSON.parse(engine.check(DRAFTS[2], REPLY_TO));
if (r.verdict !== 'block') throw new Error(`expected block, got ${JSON.stringify(r)}`);
run(engine, 'reply_to', undefined);
run(engine, 'reply_to + 10 recent', RECENT);
