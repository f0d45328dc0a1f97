#!/usr/bin/env node
// Turns the replica's authoring source (www/data/) into the static JSON the
// page fetches (www/weibo/ajax/…) and a reference file of intended labels
// (www/data/expected-<bid>.jsonl).
//
//   node www/tools/build-data.mjs           write the files
//   node www/tools/build-data.mjs --check   exit 1 if any file is out of date
//
// Posts with `generate` in posts.json are not written: the routes build them
// in memory (see lib/replica-data.mjs).

import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../lib/replica-data.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const ajax = join(www, 'weibo', 'ajax');
const check = process.argv.includes('--check');

const files = new Map();
const { posts } = buildAll(join(www, 'data'));
for (const { post, status, pages, replyPages, expected } of Object.values(posts)) {
  if (post.generate) continue;
  files.set(join(ajax, 'statuses', 'show', `${post.bid}.json`), status);
  for (const { cursor, body } of pages) files.set(join(ajax, 'statuses', 'buildComments', post.mid, `${cursor}.json`), body);
  for (const [rootid, list] of Object.entries(replyPages)) {
    for (const { cursor, body } of list) files.set(join(ajax, 'statuses', 'buildComments', 'replies', rootid, `${cursor}.json`), body);
  }
  files.set(join(www, 'data', `expected-${post.bid}.jsonl`), expected.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 1) + '\n');

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

if (check) {
  const stale = [];
  for (const [f, v] of files) if (!existsSync(f) || readFileSync(f, 'utf8') !== text(v)) stale.push(relative(www, f));
  for (const f of walk(ajax)) if (!files.has(f)) stale.push(`${relative(www, f)} (not made by the source)`);
  if (stale.length) {
    console.error(`replica data out of date; run node www/tools/build-data.mjs\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`replica data up to date (${files.size} files)`);
} else {
  rmSync(ajax, { recursive: true, force: true });
  for (const [f, v] of files) {
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text(v));
  }
  console.log(`wrote ${files.size} files`);
}
