// The list URLs Kefu accepts and the host permissions it declares agree:
// every URL `checkUrl` (background/registry.js) lets through has its origin
// covered by an optional host permission of the built manifests, and every
// other one is refused with a clear message. No browser: the module and
// the manifests of dist/ as files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './drivers.mjs';
import { checkUrl, originPattern } from '../../extension/background/registry.js';

const manifests = ['chrome', 'firefox'].map((b) => JSON.parse(readFileSync(join(ROOT, 'dist', b, 'manifest.json'), 'utf8')));

/** Whether a match pattern of the manifest covers the origin pattern. */
function covered(pattern, optional) {
  const [scheme, host] = /^(\w+):\/\/([^/]+)\//.exec(pattern).slice(1);
  return optional.some((p) => {
    const [s, h] = /^(\w+):\/\/([^/]+)\//.exec(p).slice(1);
    return s === scheme && (h === host || h === '*' || (h.startsWith('*.') && host.endsWith(h.slice(1))));
  });
}

const ACCEPTED = [
  'https://lists.example.com/kefu/main.toml',
  'https://lists.example.com:8443/main.txt',
  'http://localhost:8080/main.toml',
  'http://127.0.0.1/main.toml',
];
const REFUSED = [
  'http://[::1]:8080/main.toml',
  'http://lists.example.com/main.toml',
  'http://localhost.example.com/main.toml',
  'http://127.0.0.2/main.toml',
  'http://0.0.0.0/main.toml',
  'ftp://lists.example.com/main.toml',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/plain,x',
  'not a url',
];

test('every list URL accepted is covered by an optional host permission', () => {
  for (const m of manifests) {
    for (const url of ACCEPTED) {
      checkUrl(url);
      assert.ok(covered(originPattern(url), m.optional_host_permissions), `${url} → ${originPattern(url)} is covered`);
    }
  }
});

test('list URLs no permission covers are refused with a message', () => {
  for (const url of REFUSED) {
    assert.throws(() => checkUrl(url), (e) => /HTTPS|不是有效的网址/.test(e.message), url);
  }
  for (const m of manifests) {
    assert.ok(!covered('http://[::1]/*', m.optional_host_permissions), 'no permission for [::1]');
  }
});
