// Triage of one busy post (5,000 comments) in the wasm build, measured
// from JavaScript: the time of `engine.triageJson(JSON text)` (and of
// `engine.triage(objects)` in builds that still have it), including the
// boundary crossing both ways.
//
// Build first (from the repository root), the checker as it ships:
//   cargo build --lib --target wasm32-unknown-unknown --release --no-default-features
//   ~/.cargo/bin/wasm-bindgen --target nodejs --out-dir target/node-triage \
//       target/wasm32-unknown-unknown/release/kefu.wasm
//   cargo run --release --bin kefu -- data-bundle > target/node-triage/kefu-data.json
// Then:
//   node bench/node-triage/bench.cjs [path/to/kefu.js] [comments] [runs]
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "../..");
const lib = path.resolve(process.argv[2] || path.join(root, "target/node-triage/kefu.js"));
const count = Number(process.argv[3] || 5000);
const runs = Number(process.argv[4] || 30);
if (!fs.existsSync(lib)) {
  console.error(`no wasm build at ${lib}: build it first (see the header of this file)`);
  process.exit(2);
}
// wasm-bindgen's nodejs output is CommonJS; the repository's package.json
// says "type": "module", so mark the output folder as CommonJS.
const pkg = path.join(path.dirname(lib), "package.json");
if (!fs.existsSync(pkg)) fs.writeFileSync(pkg, '{"type": "commonjs"}\n');
const { Engine, installData } = require(lib);
// The data files ship beside the wasm (src/data.rs): hand them over first.
const bundle = path.join(path.dirname(lib), "kefu-data.json");
if (!fs.existsSync(bundle)) {
  console.error(`no ${bundle}: write it with \`kefu data-bundle\` (see the header of this file)`);
  process.exit(2);
}
installData(fs.readFileSync(bundle, "utf8"));

// The project's labelled comments, shaped like Weibo's comment JSON.
const lines = ["dev", "test"].flatMap((half) =>
  fs.readFileSync(path.join(root, `tests/triage/labelled-${half}.jsonl`), "utf8")
    .split("\n").filter(Boolean).map((l) => JSON.parse(l)));
const now = Date.now();
// Weibo's own date form, "Tue Jan 23 16:44:41 +0800 2018" (in UTC here).
const weiboDate = (ms) => {
  const [wd, day, mon, year, hms] = new Date(ms).toUTCString().replace(",", "").split(" ");
  return `${wd} ${mon} ${day} ${hms} +0000 ${year}`;
};
const comments = Array.from({ length: count }, (_, i) => {
  const l = lines[i % lines.length];
  return {
    id: 5000000000 + i,
    text: i < lines.length ? l.text : `${l.text} 第${Math.floor(i / lines.length)}楼`,
    created_at: weiboDate(now - (i % 300) * 60000),
    like_counts: i % 17,
    user: { id: 1000 + (i % 977), screen_name: `user${i % 977}`, followers_count: l.followers || (i * 37) % 5000, verified: !!l.verified },
  };
});

const engine = new Engine();

// Each way across the boundary that the build has: `triage` (objects in,
// objects out) and, where present, `triageJson` (one JSON string each way,
// with JSON.stringify / JSON.parse counted).
const ways = {};
if (typeof engine.triage === "function") {
  ways["triage(objects)"] = () => engine.triage(comments, Date.now());
}
if (typeof engine.triageJson === "function") {
  ways["triageJson(JSON text)"] = () => JSON.parse(engine.triageJson(JSON.stringify(comments), Date.now()));
}
for (const [name, call] of Object.entries(ways)) {
  let out = call(); // warm up
  if (out.length !== comments.length) throw new Error("one result per comment expected");
  const times = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    out = call();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  cpu.sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const clusters = new Set(out.filter((t) => t.cluster !== null).map((t) => t.cluster)).size;
  console.log(`${name}: ${count} comments, ${runs} runs: median ${q(0.5).toFixed(1)} ms, ` +
    `p90 ${q(0.9).toFixed(1)} ms, min ${times[0].toFixed(1)} ms; CPU time median ${cpu[cpu.length >> 1].toFixed(1)} ms ` +
    `(on a loaded machine the CPU time is the steadier figure) (${clusters} clusters)`);
}
