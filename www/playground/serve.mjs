#!/usr/bin/env node
// Serves the compliance playground (www/playground/) with the same wasm
// engine the extension ships (extension/pkg/, built by `make wasm`). Static
// files only; nothing is uploaded: lists, drafts and comments stay in the
// page.
//
//   node www/playground/serve.mjs [--port 8090] [--host 127.0.0.1]
//
// Routes:
//   /                       index.html, playground.js, playground.css
//   /pkg/kefu_lists.js, /pkg/kefu_lists_bg.wasm   the engine (the list reader build)
//   /lists/NAME.toml        the default lists (lists/), as starting points
//   /samples/comments.jsonl the replica page's comments as Weibo-like JSONL
// Importable: startPlayground({port, host}) → {server, origin}.

import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.toml': 'text/plain; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
};

// The page runs under the extension's own rules: no inline script, wasm
// compiled with 'wasm-unsafe-eval' only.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";

/** A file under `dir`, never outside it. */
function fileUnder(dir, rel) {
  const path = normalize(join(dir, rel));
  if (!path.startsWith(dir + '/') || !existsSync(path) || !statSync(path).isFile()) return null;
  return path;
}

/** The replica's comments as Weibo comment JSON lines (id, text_raw, user). */
function sampleComments() {
  const dir = join(ROOT, 'www', 'data');
  const out = [];
  for (const f of readdirSync(dir).filter((n) => /^comments-.*\.jsonl$/.test(n)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const c = JSON.parse(line);
      out.push(JSON.stringify({
        id: out.length + 1,
        text_raw: c.t,
        like_counts: c.likes ?? 0,
        created_at: new Date(Date.now() - (c.ago ?? 0) * 60000).toUTCString(),
        user: { screen_name: c.u },
      }));
    }
  }
  return `${out.join('\n')}\n`;
}

export function respond(url) {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  let file = null;
  if (path === '/' || path === '/index.html') file = join(HERE, 'index.html');
  else if (path === '/playground.js' || path === '/playground.css') file = join(HERE, path.slice(1));
  else if (path.startsWith('/pkg/')) file = fileUnder(join(ROOT, 'extension', 'pkg'), path.slice(5));
  else if (path.startsWith('/lists/')) file = fileUnder(join(ROOT, 'lists'), path.slice(7));
  else if (path === '/favicon.ico') return { status: 204, type: 'image/x-icon', body: Buffer.alloc(0) };
  else if (path === '/samples/comments.jsonl') {
    return { status: 200, type: TYPES['.jsonl'], body: Buffer.from(sampleComments()) };
  }
  if (!file || !existsSync(file)) {
    const hint = path.startsWith('/pkg/') ? ' (build the engine first: make wasm)' : '';
    return { status: 404, type: 'text/plain; charset=utf-8', body: Buffer.from(`not found: ${path}${hint}\n`) };
  }
  return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) };
}

export function startPlayground({ port = 8090, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    let r;
    try {
      r = req.method === 'GET' || req.method === 'HEAD'
        ? respond(req.url)
        : { status: 405, type: 'text/plain', body: Buffer.from('GET only\n') };
    } catch (e) {
      r = { status: 500, type: 'text/plain', body: Buffer.from(String(e)) };
    }
    res.writeHead(r.status, {
      'content-type': r.type,
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : r.body);
  });
  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      ok({ server, origin: `http://${host}:${p}` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  if (!existsSync(join(ROOT, 'extension', 'pkg', 'kefu_lists_bg.wasm'))) {
    console.error('warning: extension/pkg/kefu_lists_bg.wasm is missing; run `make wasm` first');
  }
  const { server, origin } = await startPlayground({
    port: Number(arg('port', process.env.PORT || 8090)),
    host: arg('host', '127.0.0.1'),
  });
  console.log(`Kefu playground on ${origin}/`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}
