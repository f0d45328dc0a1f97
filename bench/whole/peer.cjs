// One peer library as a whole process, the way `kefu check --jsonl` runs:
// read the phrase list, build the matcher, then read the drafts (JSON
// Lines), match each and write one JSON line per draft. Run by bench.mjs.
//
// Usage: node peer.cjs mint|fastscan LIST DRAFTS.jsonl > out.jsonl
'use strict';
const { readFileSync, createReadStream } = require('node:fs');
const readline = require('node:readline');
const path = require('node:path');

const modules = path.join(__dirname, '..', 'node', 'node_modules');
const [engine, listPath, draftsPath] = process.argv.slice(2);
const words = readFileSync(listPath, 'utf8').split('\n').map((w) => w.trim()).filter((w) => w.length > 0);

let match;
if (engine === 'mint') {
  const M = require(path.join(modules, 'mint-filter'));
  const Mint = M.default ?? M.Mint ?? M;
  const mint = new Mint(words);
  match = (t) => mint.filter(t, { replace: false }).words;
} else if (engine === 'fastscan') {
  const FastScanner = require(path.join(modules, 'fastscan'));
  const scanner = new FastScanner(words);
  match = (t) => scanner.search(t).map((h) => h[1]);
} else {
  throw new Error(`unknown engine ${engine}`);
}

// Output buffered as Kefu's is (64 KiB), written in order.
let buf = '';
const flush = () => { if (buf) { process.stdout.write(buf); buf = ''; } };
const rl = readline.createInterface({ input: createReadStream(draftsPath), crlfDelay: Infinity });
rl.on('line', (line) => {
  const d = JSON.parse(line);
  buf += JSON.stringify({ id: d.id, hits: match(d.draft) }) + '\n';
  if (buf.length > 65536) flush();
});
rl.on('close', flush);
