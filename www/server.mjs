#!/usr/bin/env node
// Serves the Weibo page replica over HTTP. No dependencies.
//
//   node www/server.mjs [--port 8080] [--host 127.0.0.1] [--csp none|strict]
//
// Every answer comes from replica-routes.mjs; this file only speaks HTTP.

import { createServer } from 'node:http';
import { respond } from './replica-routes.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.PORT || 8080));
const host = arg('host', '127.0.0.1');
const csp = arg('csp', 'none');
if (!['none', 'strict'].includes(csp)) {
  console.error(`--csp must be none or strict, not ${csp}`);
  process.exit(2);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let r;
    try {
      r = respond({ method: req.method, url: req.url, body: chunks.length ? Buffer.concat(chunks) : null }, { csp });
    } catch (e) {
      console.error(e);
      r = { status: 500, headers: { 'content-type': 'text/plain' }, body: Buffer.from(String(e)) };
    }
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  });
});

server.listen(port, host, () => {
  const { port: p } = server.address();
  console.log(`Weibo replica on http://${host === '0.0.0.0' ? 'localhost' : host}:${p}/ (csp ${csp})`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
