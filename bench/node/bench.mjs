// Phrase-list benchmark: Kefu's wasm build against mint-filter and fastscan
// (their own APIs, no folding), on the 64k-phrase list and the waimai
// reviews as one long text and as 140-character replies. Run by run.sh.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const kefu = require(process.argv[2]);
// The data files (fold tables, …) beside the engine, as in the extension:
// without them nothing would be folded.
kefu.installData(readFileSync(new URL('kefu-data.json', `file://${process.argv[2]}`), 'utf8'));
const MintModule = require('mint-filter');
const Mint = MintModule.default ?? MintModule.Mint ?? MintModule;
const FastScanner = require('fastscan');

const data = process.env.KEFU_SHARED_DATA;
const listText = readFileSync(`${data}/bench/phrases-64k.txt`, 'utf8');
const words = listText.split('\n').map((w) => w.trim()).filter((w) => w.length > 0);
const reviews = readFileSync(`${data}/real/waimai_10k.csv`, 'utf8')
  .split('\n').slice(1).filter((l) => l.includes(','))
  .map((l) => l.slice(l.indexOf(',') + 1).replace(/^"|"$/g, ''));
const longText = reviews.join('\n');
const longChars = Array.from(longText);
const replies = [];
for (let i = 0; i < longChars.length; i += 140) replies.push(longChars.slice(i, i + 140).join(''));

const gc = () => { if (global.gc) { global.gc(); global.gc(); } };
const time = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const heap = () => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.external + m.arrayBuffers; };

// Each round replaces the last one's result, as the extension does: a wasm
// object is freed explicitly (the JavaScript collector does not give its
// memory back to the instance), so that rounds do not pile up memory.
function build(name, n, make) {
  const times = [];
  let made;
  for (let i = 0; i < n; i++) {
    if (made && typeof made.free === 'function') made.free();
    made = undefined;
    gc();
    const [t, m] = time(make);
    times.push(t);
    made = m;
  }
  return [median(times), made];
}

function perReply(f, rounds) {
  for (const r of replies.slice(0, 200)) f(r); // warm up
  const us = [];
  for (let k = 0; k < rounds; k++) {
    for (const r of replies) { const t = performance.now(); f(r); us.push((performance.now() - t) * 1000); }
  }
  return { p50: pct(us, 0.5), p99: pct(us, 0.99) };
}

// Memory: a wasm instance's linear memory never shrinks, so its size at the
// end of a fresh process that did one thing is the peak for that thing.
const mode = process.argv[3];
if (mode === 'memory-build') {
  const m = kefu.BenchList.parse('phrases-64k.txt', listText).compile();
  m.count(longText);
  console.log(kefu.memoryBytes());
  process.exit(0);
}
if (mode === 'memory-load') {
  // Also the time of this first load in a fresh instance, as after an
  // extension restart (it includes building the fold tables on first use).
  const bytes = readFileSync(process.argv[4]);
  const [ms, m] = time(() => kefu.BenchMatcher.fromBytes(bytes));
  m.count(longText);
  console.log(kefu.memoryBytes(), ms);
  process.exit(0);
}
const { execFileSync } = await import('node:child_process');
const { writeFileSync } = await import('node:fs');
const freshRun = (...args) => execFileSync(process.execPath, [process.argv[1], process.argv[2], ...args], { env: process.env }).toString().trim().split(' ').map(Number);
const fresh = (...args) => freshRun(...args)[0] / 2 ** 20;

console.log(`64k list: ${words.length} phrases; long text ${longChars.length} chars; ${replies.length} replies of 140 chars`);
const results = {};
const scanners = {};

// Kefu (wasm): parse, compile, serialize, load, scan.
{
  const mem0 = kefu.memoryBytes();
  const [parseMs, list] = build('parse', 5, () => kefu.BenchList.parse('phrases-64k.txt', listText));
  const [compileMs, matcher] = build('compile', 5, () => list.compile());
  const bytes = matcher.toBytes();
  const [loadMs, loaded] = build('load', 10, () => kefu.BenchMatcher.fromBytes(bytes));
  const binPath = `${process.argv[2]}.64k.bin`;
  writeFileSync(binPath, bytes);
  const memBuild = fresh('memory-build');
  const [memLoadBytes, firstLoadMs] = freshRun('memory-load', binPath);
  const memLoad = memLoadBytes / 2 ** 20;
  const mem = kefu.memoryBytes();
  // A long text crosses as its UTF-16 code units (a JavaScript string's own
  // form; the copy into a Uint16Array is timed with the scan), as the
  // playground's scanText takes it; the same text as a string crosses as
  // UTF-8 (wasm-bindgen's encodeInto, decoded again inside), shown beside.
  let units = new Uint16Array(0);
  const utf16 = (s) => {
    if (units.length < s.length) units = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
    return units.subarray(0, s.length);
  };
  scanners.kefu = (t) => loaded.countUtf16(utf16(t));
  scanners['kefu, as a UTF-8 string'] = (t) => loaded.count(t);
  const r = perReply((t) => loaded.count(t), 5);
  const d = kefu.BenchMatcher.defaultLists();
  const rd = perReply((t) => d.count(t), 5);
  results.kefu = { build: parseMs + compileMs, parseMs, compileMs, loadMs, firstLoadMs, serializedMB: bytes.length / 2 ** 20, memMB: memLoad, memBuildMB: memBuild, ...r, defaultsP99: rd.p99 };
  results['kefu, as a UTF-8 string'] = {};
}

// mint-filter (Aho-Corasick in TypeScript).
if (!process.env.ONLY_KEFU) {
  const h0 = heap();
  const [ms, mint] = build('mint', 3, () => new Mint(words));
  const memMB = (heap() - h0) / 2 ** 20;
  scanners['mint-filter'] = (t) => mint.filter(t, { replace: false }).words.length;
  const r = perReply((t) => mint.filter(t, { replace: false }), 3);
  results['mint-filter'] = { build: ms, memMB, ...r };
}

// fastscan (Aho-Corasick in JavaScript).
if (!process.env.ONLY_KEFU) {
  const h0 = heap();
  const [ms, scanner] = build('fastscan', 3, () => new FastScanner(words));
  const memMB = (heap() - h0) / 2 ** 20;
  scanners.fastscan = (t) => scanner.search(t).length;
  const r = perReply((t) => scanner.search(t), 3);
  results.fastscan = { build: ms, memMB, ...r };
}

// Throughput on the long text: the engines take turns, round after round,
// so that a burst of load on this shared machine falls on all of them; each
// engine's quickest round (the least disturbed) is its figure, the median
// is shown beside it.
{
  const rounds = Number(process.env.ROUNDS ?? 15);
  const times = Object.fromEntries(Object.keys(scanners).map((k) => [k, []]));
  // CPU time too: on a loaded machine it counts only the time the engine
  // ran (µs steps, and GC threads included), so it is the steadier figure.
  const cpu = Object.fromEntries(Object.keys(scanners).map((k) => [k, []]));
  const found = {};
  for (const f of Object.values(scanners)) f(longText); // warm up
  for (let i = 0; i < rounds; i++) {
    for (const [name, f] of Object.entries(scanners)) {
      const c0 = process.cpuUsage();
      const [t, n] = time(() => f(longText));
      const c = process.cpuUsage(c0);
      times[name].push(t);
      cpu[name].push((c.user + c.system) / 1e3);
      found[name] = n;
    }
  }
  for (const name of Object.keys(scanners)) {
    const best = Math.min(...times[name]);
    Object.assign(results[name], {
      ms: best,
      charsPerSec: longChars.length / (best / 1000),
      medianCharsPerSec: longChars.length / (median(times[name]) / 1000),
      cpuCharsPerSec: longChars.length / (median(cpu[name]) / 1000),
      found: found[name],
    });
  }
}

const f = (x, d = 1) => (x === undefined ? '' : x.toFixed(d));
console.log('\n| engine | build 64k (ms) | load from bytes (ms) | memory (MB)¹ | long text (M chars/s: quickest round; median; by CPU time, median) | found | 140-char reply p50 / p99 (µs) |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${f(r.build)}${r.parseMs !== undefined ? ` (parse ${f(r.parseMs)} + compile ${f(r.compileMs)})` : ''} | ${f(r.loadMs)} | ${f(r.memMB)} | ${f(r.charsPerSec / 1e6, 2)} (median ${f(r.medianCharsPerSec / 1e6, 2)}; CPU time ${f(r.cpuCharsPerSec / 1e6, 2)}) | ${r.found} | ${f(r.p50, 2)} / ${f(r.p99, 2)} |`);
}
const k = results.kefu;
if (!process.env.ONLY_KEFU) {
  console.log(`\nKefu throughput: ${f(k.charsPerSec / results['mint-filter'].charsPerSec)}× mint-filter, ${f(k.charsPerSec / results.fastscan.charsPerSec)}× fastscan (quickest rounds; with folding, allow contexts and Latin boundaries on)`);
  console.log(`By CPU time: ${f(k.cpuCharsPerSec / results['mint-filter'].cpuCharsPerSec)}× mint-filter, ${f(k.cpuCharsPerSec / results.fastscan.cpuCharsPerSec)}× fastscan`);
  const k8 = results['kefu, as a UTF-8 string'];
  console.log(`The text as a UTF-8 string instead: ${f(k8.charsPerSec / results['mint-filter'].charsPerSec)}× mint-filter, ${f(k8.charsPerSec / results.fastscan.charsPerSec)}× fastscan (by CPU time ${f(k8.cpuCharsPerSec / results['mint-filter'].cpuCharsPerSec)}× and ${f(k8.cpuCharsPerSec / results.fastscan.cpuCharsPerSec)}×)`);
}
console.log(`Kefu serialized 64k list: ${f(k.serializedMB)} MB; wasm linear memory (peak, fresh instance): ${f(k.memBuildMB)} MB to parse + compile + scan, ${f(k.memMB)} MB to load from bytes + scan`);
console.log(`Kefu load from bytes in a fresh instance (first use, fold tables built too): ${f(k.firstLoadMs)} ms`);
console.log(`Kefu default lists, 140-char reply p99: ${f(k.defaultsP99, 2)} µs`);
