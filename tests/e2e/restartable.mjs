// The harness of the registry tests (registry, migrate and updates
// .test.mjs): Chromium and Firefox on a profile kept across restarts, a list
// server on localhost, the lists and drafts the tests use, and what they run
// in the pages.
//
// "Restart": the browser is closed and started again on the same profile.
// Storage "as an older Kefu left it" is written from an extension page, then
// the browser restarted so that the extension starts on it.
// (runtime.reload() is no substitute: Chromium leaves an extension loaded by
// --load-extension blocked after it, and Firefox closes the extension's
// tab, WebDriver's only window.)

import { describe } from 'node:test';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox } from './drivers.mjs';

export const COMPOSER = 'textarea[class*="_input_"]';

export const rivalList = (version, phrases, extra = '') => `[list]
id = "qa-rival"
version = "${version}"
name = "竞品词（测试）"
owner = "qa@example.com"

[[rule]]
id = "rival-brand"
label = "ad_tone"
severity = "block"
message = "回复里不要提竞品"
phrases = [${phrases.map((p) => `"${p}"`).join(', ')}]
examples = { hit = ["去买${phrases[0]}吧"], ok = ["我们的牌子"] }
${extra}`;

export const GOOD = rivalList('2026.12.1', ['对家牌子']);
export const GOOD_DRAFT = '亲，您好，要不试试对家牌子呢';
export const NEW_DRAFT = '亲，您好，要不试试隔壁品牌呢';

export const pinnedList = (version, phrases) => `[list]
id = "qa-pinned"
version = "${version}"
name = "固定哈希词表（测试）"

[[rule]]
id = "promise"
label = "overpromise"
severity = "block"
message = "不能保证百分百"
phrases = [${phrases.map((p) => `"${p}"`).join(', ')}]
examples = { hit = ["${phrases[0]}哦"] }
`;
export const PINNED_DRAFT = '亲，这次包您百分百满意';

export const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Serves lists over HTTP on localhost, allowing any origin (as a list
 *  server must for lists the extension fetches). Bodies are strings or
 *  Buffers; `set` changes what a path serves. */
export async function listServer(files) {
  const server = createServer((req, res) => {
    const body = files[new URL(req.url, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, {
      'content-type': 'text/plain; charset=utf-8',
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
    });
    res.end(body ?? 'not found');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    set: (path, body) => {
      files[path] = body;
    },
    close: () => server.close(),
  };
}

// ---- in the pages ------------------------------------------------------------------

/** The options page has its state from the background. */
export const ready = () => document.body?.dataset.ready === 'true';

/** In an extension page: a message to the background, its answer. */
export function sendMessage(msg) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.runtime.sendMessage(msg);
}

/** In an extension page: storage.local (all of it, or some keys). */
export function readStorage(keys) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.storage.local.get(keys ?? null);
}

/** In an extension page: replaces storage.local with `seed` (as an older
 *  Kefu left it). */
export async function seedStorage(seed) {
  const api = globalThis.browser ?? globalThis.chrome;
  await api.storage.local.clear();
  await api.storage.local.set(seed);
  return true;
}


/** In an extension page: makes every URL list due and fires the update
 *  alarm (the handler the browser calls on schedule). Returns the time the
 *  lists were marked checked, so that the caller sees when they are again. */
export async function makeDueAndFireAlarm() {
  const api = globalThis.browser ?? globalThis.chrome;
  const { lists } = await api.storage.local.get('lists');
  const past = Date.now() - 48 * 3600e3;
  for (const l of lists) if (l.url) l.checkedAt = past;
  await api.storage.local.set({ lists });
  await api.alarms.create('kefu:update-lists', { when: Date.now() + 100 });
  return past;
}

/** In the options page: the row of list `id`, as shown. */
export function rowOf(id) {
  const tr = document.querySelector(`tr[data-list="${id}"]`);
  if (!tr) return null;
  const st = tr.querySelector('.status');
  return { status: [...st.classList].filter((c) => c !== 'status'), text: st.textContent, row: tr.textContent };
}

export function setDraft([sel, text]) {
  const box = document.querySelector(sel);
  box.focus();
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

export const verdictOf = (sel) => document.querySelector(sel)?.dataset.kefuVerdict ?? null;

/** In the replica: the composer is there and the content script runs (it
 *  has marked comments: triage is on in these tests). A draft typed before
 *  the script listens would never be checked. */
export const contentScriptReady = (sel) => !!document.querySelector(sel) && !!document.querySelector('[data-kefu-urgency]');

export async function poll(check, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // The page is between two documents (the extension reloading).
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${String(what).slice(0, 160)}`);
}

// ---- the two browsers ----------------------------------------------------------------

/** Chromium on a profile kept across `restart()`. */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'kefu-restart-'));
  let b;
  let ext = null;
  const page = async () => {
    if (!ext || ext.isClosed()) ext = await b.context.newPage();
    return ext;
  };
  const start = async () => {
    b = await chromium({ profile });
    ext = null;
  };
  await start();
  const x = {
    name: 'chromium',
    get b() {
      return b;
    },
    async openExt(path) {
      const p = await page();
      await p.goto(`${b.extensionOrigin}${path}`);
      await p.waitForFunction(ready, null, { timeout: 20000 });
    },
    runExt: async (fn, arg) => (await page()).evaluate(fn, arg),
    waitExt: (fn, arg, ms = 10000) => poll(async () => (await page()).evaluate(fn, arg), ms, fn),
    /** Writes `seed` as storage.local, then restarts the browser on it. */
    async restartOn(seed) {
      await x.openExt('/options/options.html');
      await x.runExt(seedStorage, seed);
      await x.restart();
      await x.openExt('/options/options.html');
    },
    /** Closes the browser and starts it again on the same profile. */
    async restart() {
      await b.close();
      await start();
    },
    async openReplica() {
      if (!b.page.url().startsWith('https://weibo.com/')) {
        await b.open('/');
        await b.waitFor(contentScriptReady, COMPOSER, 15000);
      }
    },
    async close() {
      await b?.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return x;
}

/** Firefox on a profile kept across `restart()`. The test build is a
 *  temporary add-on, uninstalled when Firefox quits and installed again at
 *  the next start, under the same id and UUID: these preferences keep its
 *  storage meanwhile, as an installed add-on's is kept. */
export async function launchFirefox() {
  const profile = mkdtempSync(join(tmpdir(), 'kefu-restart-ff-'));
  const prefs = {
    'extensions.webextensions.keepStorageOnUninstall': true,
    'extensions.webextensions.keepUuidOnUninstall': true,
  };
  let b;
  const x = {
    name: 'firefox',
    get b() {
      return b;
    },
    async openExt(path) {
      // From a blank page: opened again over itself, the page before could
      // answer `ready` while the new one loads.
      await b.driver.get('about:blank');
      await b.openExtensionPage(path);
      await b.waitFor(ready, null, 20000);
    },
    runExt: (fn, arg) => b.run(fn, arg),
    waitExt: (fn, arg, ms = 10000) => poll(() => b.run(fn, arg), ms, fn),
    /** Writes `seed` as storage.local, then restarts the browser on it. */
    async restartOn(seed) {
      await x.openExt('/options/options.html');
      await x.runExt(seedStorage, seed);
      await x.restart();
      await x.openExt('/options/options.html');
    },
    /** Quits Firefox and starts it again on the same profile. */
    async restart() {
      await b?.close();
      b = await firefox({ profile, prefs });
    },
    async openReplica() {
      await b.open('/');
      await b.waitFor(contentScriptReady, COMPOSER, 15000);
    },
    async close() {
      await b?.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  await x.restart();
  return x;
}

// Each draft is made unique: the page keeps the verdicts of texts it has
// checked, and these tests are about what a new check says.
export let drafts = 0;
export const unique = (draft) => `${draft}～${(drafts += 1)}`;

/** The settled verdict the replica page gives `draft`. */
export async function verdictFor(x, draft, ms = 5000) {
  await x.openReplica();
  await x.b.run(setDraft, [COMPOSER, unique(draft)]);
  return poll(async () => {
    const v = await x.b.run(verdictOf, COMPOSER);
    if (!v || v === 'pending') return null;
    await new Promise((r) => setTimeout(r, 150));
    return (await x.b.run(verdictOf, COMPOSER)) === v ? v : null;
  }, ms, `a verdict for «${draft}»`);
}

export const getOptions = (x) => x.runExt(sendMessage, { type: 'kefu:getOptions' });

// KEFU_E2E_ONLY=text runs only the suites whose name contains it (while
// working on one; the suites launch their browsers in `before`). Each suite
// it leaves out is named on stderr and reported by node's runner as skipped;
// CI refuses the variable (scripts/test.sh), so no CI run is ever partial.
const only = process.env.KEFU_E2E_ONLY;
export const suite = (title, fn) => {
  const skip = !!only && !title.includes(only);
  if (skip) process.stderr.write(`KEFU_E2E_ONLY=${only}: suite skipped: ${title}\n`);
  return describe(title, { skip: skip ? `KEFU_E2E_ONLY=${only}` : false }, fn);
};
