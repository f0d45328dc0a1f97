// The whole path, side by side (issue 15): Kefu's command line against the
// npm phrase matchers mint-filter and fastscan, each a whole process (start,
// read and build the 64k list, read 140-character drafts as JSON Lines,
// match, write one JSON line a draft), on the same list and the same
// drafts made from the real reviews of ../shared/data. Run by run.sh.
//
// node bench.mjs OUTDIR KEFU_RELEASE KEFU_CLI   (env: KEFU_SHARED_DATA,
//   DRAFTS=20000, ROUNDS=3, WRITE=1 to put the table in BENCHMARKS.md,
//   KEFU_EXTRA for other builds, below)
//
// Engines take turns, round after round, so that a burst of load on the
// shared machine falls on all of them; each one's best round is shown
// (CPU time is user + system of the process, from /usr/bin/time).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const [outDir, kefuRelease, kefuCli] = process.argv.slice(2);
const data = process.env.KEFU_SHARED_DATA ?? path.join(root, '../shared/data');
const N = Number(process.env.DRAFTS ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const list = path.join(data, 'bench/phrases-64k.txt');

// The drafts: the 11,987 reviews joined and cut into 140 characters, from
// a shifting offset each time round (as tests/streaming.rs makes them).
const reviews = readFileSync(path.join(data, 'real/waimai_10k.csv'), 'utf8')
  .split('\n').slice(1).filter((l) => l.includes(','))
  .map((l) => l.slice(l.indexOf(',') + 1).replace(/^"|"$/g, '')).filter((r) => r.length > 0);
const chars = Array.from(reviews.join('\n'));
const draftsPath = path.join(outDir, `drafts-${N}.jsonl`);
{
  const lines = [];
  let at = 0;
  let round = 0;
  for (let id = 0; id < N; id++) {
    if (at + 140 > chars.length) { round += 1; at = (round * 37) % 140; }
    lines.push(JSON.stringify({ id, draft: chars.slice(at, at + 140).join('') }));
    at += 140;
  }
  writeFileSync(draftsPath, lines.join('\n') + '\n');
}

const builtin = /^(tone|pii|weibo)\//;
const kefuFlagged = (line) => JSON.parse(line).findings.some((f) => !builtin.test(f.rule));
const peerFlagged = (line) => JSON.parse(line).hits.length > 0;
const engines = [
  { name: 'Kefu, 64k list only (`--profile cli`)', cmd: [kefuCli, 'check', '--jsonl', '--no-default-lists', '--list', list, draftsPath], flagged: kefuFlagged, kefu: true },
  { name: 'Kefu, 64k list only (`--release`, as shipped for size)', cmd: [kefuRelease, 'check', '--jsonl', '--no-default-lists', '--list', list, draftsPath], flagged: kefuFlagged, kefu: true },
  { name: 'mint-filter 4.0.3', cmd: [process.execPath, path.join(here, 'peer.cjs'), 'mint', list, draftsPath], flagged: peerFlagged },
  { name: 'fastscan 1.0.6', cmd: [process.execPath, path.join(here, 'peer.cjs'), 'fastscan', list, draftsPath], flagged: peerFlagged },
  { name: 'Kefu, the whole check: default lists (`--profile cli`)', cmd: [kefuCli, 'check', '--jsonl', draftsPath], flagged: (l) => JSON.parse(l).verdict !== 'ok', whole: true },
  { name: 'Kefu, the whole check: default lists + 64k list (`--profile cli`)', cmd: [kefuCli, 'check', '--jsonl', '--list', list, draftsPath], flagged: (l) => JSON.parse(l).verdict !== 'ok', whole: true },
  { name: 'Kefu, the whole check: default lists (`--release`)', cmd: [kefuRelease, 'check', '--jsonl', draftsPath], flagged: (l) => JSON.parse(l).verdict !== 'ok', whole: true },
];
// Other builds to compare in the same run (a commit before a change):
// KEFU_EXTRA="before, release=/path/kefu;before, cli=/path/kefu".
for (const spec of (process.env.KEFU_EXTRA ?? '').split(';').filter(Boolean)) {
  const [label, bin] = spec.split('=');
  engines.push(
    { name: `${label}: 64k list only`, cmd: [bin, 'check', '--jsonl', '--no-default-lists', '--list', list, draftsPath], flagged: kefuFlagged, kefu: true },
    { name: `${label}: the whole check, default lists`, cmd: [bin, 'check', '--jsonl', draftsPath], flagged: (l) => JSON.parse(l).verdict !== 'ok', whole: true },
  );
}
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function run(e) {
  const out = path.join(outDir, 'out.jsonl');
  const args = timeBin ? ['-f', '%e %U %S %M', '-o', path.join(outDir, 'time.txt'), ...e.cmd] : e.cmd;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(timeBin ?? e.cmd[0], timeBin ? args : args.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(e.kefu || e.whole)) throw new Error(`${e.name} failed: ${r.status}`);
  // Kefu exits 0 (ok/warn); `check --jsonl` never exits 1 per draft.
  const lines = r.stdout.toString().split('\n').filter((l) => l.length > 0);
  if (lines.length !== N) throw new Error(`${e.name}: ${lines.length} lines out for ${N} drafts`);
  let cpu = NaN;
  let rss = NaN;
  if (timeBin) {
    const [, user, sys, kb] = readFileSync(path.join(outDir, 'time.txt'), 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = user + sys;
    rss = kb / 1024;
  }
  void out;
  return { wall, cpu, rss, flagged: lines.filter(e.flagged).length };
}

const results = engines.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  engines.forEach((e, i) => {
    const r = run(e);
    results[i].push(r);
    console.error(`round ${round + 1}: ${e.name}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${r.rss.toFixed(1)} MB, ${r.flagged} flagged`);
  });
}
const best = results.map((rs) => ({
  wall: Math.min(...rs.map((r) => r.wall)),
  cpu: Math.min(...rs.map((r) => r.cpu)),
  rss: Math.max(...rs.map((r) => r.rss)),
  flagged: rs[0].flagged,
}));
const f = (x, d = 2) => x.toFixed(d);
const kefuCpu = best[0].cpu;
const kefuWall = best[0].wall;
const rows = engines.map((e, i) => {
  const b = best[i];
  const ratio = e.whole ? '' : (i === 0 ? '1' : `${f(b.cpu / kefuCpu, 1)} / ${f(b.wall / kefuWall, 1)}`);
  return `| ${e.name} | ${f(b.wall)} | ${f(b.cpu)} | ${f((b.cpu * 1e6) / N, 0)} | ${f(b.rss, 1)} | ${b.flagged} | ${ratio} |`;
});
const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
const table = [
  `${N.toLocaleString('en')} drafts of 140 characters cut from the reviews of \`real/waimai_10k.csv\`,`,
  `the 64,419 phrases of \`bench/phrases-64k.txt\`; best of ${ROUNDS} rounds, engines in turn;`,
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load} on ${os.cpus().length} cores.`,
  '',
  '| process | wall (s) | CPU (s) | CPU µs a draft, start-up included | peak memory (MB) | drafts flagged | its time ÷ Kefu cli\'s (CPU / wall) |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
if (process.env.WRITE === '1') {
  const file = path.join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- bench/whole: begin -->';
  const end = '<!-- bench/whole: end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`BENCHMARKS.md has no ${begin} … ${end} section`);
  writeFileSync(file, `${text.slice(0, a + begin.length)}\n${table}\n${text.slice(b)}`);
  console.error('BENCHMARKS.md updated');
}
