// End to end: the list registry over time, in real Chromium and real
// Firefox with the built extension — what happens between one day and the
// next on an agent's machine:
//   - the compiled lists are kept in storage.local and loaded back when the
//     browser starts again (no compiling: the background says how it put the
//     lists in force, `listsStart` of kefu:getOptions); damaged bytes are
//     compiled again, and the lists stay in force either way;
//   - storage left by an older Kefu (schema 0: only `settings`, switches and
//     team fields mixed, with logs; schema 1: lists without their read form
//     and an old-shaped compiled cache) is migrated when the extension
//     starts: no setting, log entry or list is lost, schema version 2;
//   - a list from a URL is updated when its interval has passed (the update
//     alarm fires); an update that is garbage, breaks a rule or does not
//     match the pinned SHA-256 is refused, the version in force stays and
//     the options page says the update failed.
//
// "Restart": the browser is closed and started again on the same profile.
// Storage "as an older Kefu left it" is written from an extension page, then
// the browser restarted so that the extension starts on it.
// (runtime.reload() is no substitute: Chromium leaves an extension loaded by
// --load-extension blocked after it, and Firefox closes the extension's
// tab, WebDriver's only window.)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox } from './drivers.mjs';

const COMPOSER = 'textarea[class*="_input_"]';

const rivalList = (version, phrases, extra = '') => `[list]
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

const GOOD = rivalList('2026.12.1', ['对家牌子']);
const GOOD_DRAFT = '亲，您好，要不试试对家牌子呢';
const NEW_DRAFT = '亲，您好，要不试试隔壁品牌呢';

const pinnedList = (version, phrases) => `[list]
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
const PINNED_DRAFT = '亲，这次包您百分百满意';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Serves lists over HTTP on localhost, allowing any origin (as a list
 *  server must for lists the extension fetches). Bodies are strings or
 *  Buffers; `set` changes what a path serves. */
async function listServer(files) {
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
const ready = () => document.body?.dataset.ready === 'true';

/** In an extension page: a message to the background, its answer. */
function sendMessage(msg) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.runtime.sendMessage(msg);
}

/** In an extension page: storage.local (all of it, or some keys). */
function readStorage(keys) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.storage.local.get(keys ?? null);
}

/** In an extension page: replaces storage.local with `seed` (as an older
 *  Kefu left it). */
async function seedStorage(seed) {
  const api = globalThis.browser ?? globalThis.chrome;
  await api.storage.local.clear();
  await api.storage.local.set(seed);
  return true;
}


/** In an extension page: makes every URL list due and fires the update
 *  alarm (the handler the browser calls on schedule). Returns the time the
 *  lists were marked checked, so that the caller sees when they are again. */
async function makeDueAndFireAlarm() {
  const api = globalThis.browser ?? globalThis.chrome;
  const { lists } = await api.storage.local.get('lists');
  const past = Date.now() - 48 * 3600e3;
  for (const l of lists) if (l.url) l.checkedAt = past;
  await api.storage.local.set({ lists });
  await api.alarms.create('kefu:update-lists', { when: Date.now() + 100 });
  return past;
}

/** In the options page: the row of list `id`, as shown. */
function rowOf(id) {
  const tr = document.querySelector(`tr[data-list="${id}"]`);
  if (!tr) return null;
  const st = tr.querySelector('.status');
  return { status: [...st.classList].filter((c) => c !== 'status'), text: st.textContent, row: tr.textContent };
}

function setDraft([sel, text]) {
  const box = document.querySelector(sel);
  box.focus();
  box.value = text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}

const verdictOf = (sel) => document.querySelector(sel)?.dataset.kefuVerdict ?? null;

/** In the replica: the composer is there and the content script runs (it
 *  has marked comments: triage is on in these tests). A draft typed before
 *  the script listens would never be checked. */
const contentScriptReady = (sel) => !!document.querySelector(sel) && !!document.querySelector('[data-kefu-urgency]');

async function poll(check, ms, what) {
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
async function launchChromium() {
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
async function launchFirefox() {
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
let drafts = 0;
const unique = (draft) => `${draft}～${(drafts += 1)}`;

/** The settled verdict the replica page gives `draft`. */
async function verdictFor(x, draft, ms = 5000) {
  await x.openReplica();
  await x.b.run(setDraft, [COMPOSER, unique(draft)]);
  return poll(async () => {
    const v = await x.b.run(verdictOf, COMPOSER);
    if (!v || v === 'pending') return null;
    await new Promise((r) => setTimeout(r, 150));
    return (await x.b.run(verdictOf, COMPOSER)) === v ? v : null;
  }, ms, `a verdict for «${draft}»`);
}

const getOptions = (x) => x.runExt(sendMessage, { type: 'kefu:getOptions' });

// ---- the tests -------------------------------------------------------------------------

// KEFU_E2E_ONLY=text runs only the suites whose name contains it (while
// working on one; the suites launch their browsers in `before`).
const only = process.env.KEFU_E2E_ONLY;
const suite = (title, fn) => describe(title, { skip: !!only && !title.includes(only) }, fn);

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  suite(`the compiled lists across a restart in ${name}`, () => {
    let x;
    before(async () => {
      x = await launch();
    });
    after(async () => {
      await x?.close();
    });

    test('a list added is loaded compiled after a restart, without compiling', async () => {
      await x.openExt('/options/options.html');
      const first = await getOptions(x);
      assert.equal(first.listsStart?.fromCompiled, false, 'a new profile has nothing compiled: the lists were compiled');
      const added = await x.runExt(sendMessage, { type: 'kefu:addList', file: 'qa-rival.toml', text: GOOD });
      assert.equal(added.ok, true, added.message);
      const { listCache } = await x.runExt(readStorage, 'listCache');
      assert.ok(listCache?.bytes?.length > 100, 'the compiled lists are kept in storage.local');

      await x.restart();
      await x.openExt('/options/options.html');
      const after = await getOptions(x);
      assert.equal(after.listsStart?.fromCompiled, true, 'the engine loaded the compiled bytes');
      assert.ok(after.listsStart.at > first.listsStart.at, 'the engine started again');
      assert.equal(after.lists.find((l) => l.id === 'qa-rival')?.status, 'ok');
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is in force in the page');
      await x.openExt('/options/options.html');
      const again = (await x.runExt(readStorage, 'listCache')).listCache;
      assert.equal(again.bytes, listCache.bytes, 'the cache was kept as it was');
    });

    test('damaged compiled bytes are compiled again, and the lists stay in force', async () => {
      await x.openExt('/options/options.html');
      const damaged = await x.runExt(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { listCache } = await api.storage.local.get('listCache');
        const bytes = Uint8Array.from(atob(listCache.bytes), (c) => c.charCodeAt(0));
        // Flip one byte in the middle of the matcher.
        bytes[bytes.length >> 1] ^= 0x5a;
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        await api.storage.local.set({ listCache: { ...listCache, bytes: btoa(s) } });
        return btoa(s);
      });
      const damagedAt = Date.now();
      await x.restart();
      await x.openExt('/options/options.html');
      const after = await getOptions(x);
      assert.ok(after.listsStart?.at > damagedAt, 'the engine started again');
      assert.equal(after.listsStart?.fromCompiled, false, 'damaged bytes are not loaded: the lists were compiled');
      assert.equal(after.lists.find((l) => l.id === 'qa-rival')?.status, 'ok');
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is still in force in the page');
      await x.openExt('/options/options.html');
      const { listCache } = await x.runExt(readStorage, 'listCache');
      assert.notEqual(listCache.bytes, damaged, 'the damaged cache was replaced');

      await x.restart();
      await x.openExt('/options/options.html');
      assert.equal((await getOptions(x)).listsStart?.fromCompiled, true, 'and the new cache is used at the next start');
    });
  });

  suite(`storage left by an older Kefu is migrated in ${name}`, () => {
    let x;
    before(async () => {
      x = await launch();
    });
    after(async () => {
      await x?.close();
    });

    const overrideLog = [
      {
        at: '2026-10-01T08:00:00.000Z', page: 'https://weibo.com/1/a', draft: '你这个蠢驴', replyTo: '怎么还没发货',
        reason: '客户要求原话', findings: [{ rule: 'insults/insult-words', label: 'insult', severity: 'block', text: '蠢驴' }],
      },
      { at: '2026-10-02T09:30:00.000Z', page: 'https://weibo.com/2/b', draft: '包您满意', replyTo: '', reason: '主管同意', findings: [] },
    ];
    const feedback = [
      {
        at: '2026-10-03T10:00:00.000Z', page: 'https://weibo.com/3/c', comment: '你们家的东西吃坏肚子了', author: '某用户',
        engine: { category: 'complaint', urgency: 'high' }, corrected: { category: 'safety', urgency: 'critical' },
      },
    ];
    const counts = { '2026-10-03': { category: { complaint: 3, praise: 1 }, urgency: { high: 2, low: 2 } } };

    test('schema 0 (only `settings`, switches and team fields mixed, and logs): nothing is lost', async () => {
      await x.openExt('/options/options.html');
      await x.restartOn({
        settings: {
          triageOn: false, guardOn: true, guardMode: 'warn', allowOverride: false, confirmWarn: true, dimNoise: false,
          targets: { critical: 5, high: 30, normal: 120, low: 600 },
          cannedReplies: { spam: ['@{name} 请勿发广告，谢谢配合'], complaint: ['@{name} 抱歉，马上处理'] },
          escalation: { safety: 'safety@example.com' },
        },
        overrideLog, feedback, counts,
      });
      const o = await getOptions(x);
      assert.equal(o.schemaVersion, 2);
      assert.deepEqual(o.settings, {
        triageOn: false, guardOn: true, guardMode: 'warn', allowOverride: false, confirmWarn: true, dimNoise: false,
      });
      assert.deepEqual(o.team.targets, { critical: 5, high: 30, normal: 120, low: 600 });
      assert.deepEqual(o.team.canned_replies, { spam: ['@{name} 请勿发广告，谢谢配合'], complaint: ['@{name} 抱歉，马上处理'] });
      assert.deepEqual(o.team.escalation, { safety: 'safety@example.com' });
      assert.deepEqual(o.logs, { overrideLog: 2, feedback: 1 });
      assert.deepEqual((await x.runExt(sendMessage, { type: 'kefu:getLog', log: 'overrideLog' })).entries, overrideLog);
      assert.deepEqual((await x.runExt(sendMessage, { type: 'kefu:getLog', log: 'feedback' })).entries, feedback);
      const stored = await x.runExt(readStorage, ['settings', 'counts']);
      assert.deepEqual(stored.counts, counts, 'the daily counts are kept');
      assert.equal(stored.settings.guardMode, 'warn', 'the content scripts still obey the old switches');
      assert.equal(stored.settings.targets.critical, 5);
      assert.deepEqual(stored.settings.escalation, { safety: 'safety@example.com' });
      // And the page shows them.
      const page = await x.runExt(() => ({
        mode: document.querySelector('select[data-pref=guardMode]').value,
        override: document.querySelector('input[data-pref=allowOverride]').checked,
        critical: document.querySelector('input[name="targets.critical"]').value,
        logs: document.querySelector('[data-log=overrideLog] .count').textContent,
      }));
      assert.equal(page.mode, 'warn');
      assert.equal(page.override, false);
      assert.equal(page.critical, '5');
      assert.match(page.logs, /2/);
    });

    test('schema 1 (lists without their read form, an old compiled cache): the list is still in force', async () => {
      await x.openExt('/options/options.html');
      const text = GOOD;
      const now = Date.now();
      await x.restartOn({
        schemaVersion: 1,
        prefs: { guardMode: 'block', confirmWarn: true },
        team: { watch_words: ['小米'], vip_accounts: ['1234567890'], hotlines: ['400-123-4567'], targets: { critical: 7 } },
        lists: [{
          id: 'qa-rival', name: '竞品词（测试）', version: '2026.12.1', owner: 'qa@example.com', rules: 1, source: 'file',
          file: 'qa-rival.toml', url: null, sha256: sha256(text), intervalHours: null, enabled: true, status: 'ok',
          error: null, updatedAt: now, checkedAt: now, addedAt: now,
        }],
        listTexts: { 'qa-rival': { file: 'qa-rival.toml', text, sha256: sha256(text) } },
        listCache: { fingerprint: 'f00d', bytes: btoa('not a matcher') },
        listsInForceAt: now,
        overrideLog, feedback, counts,
      });
      const o = await getOptions(x);
      assert.equal(o.schemaVersion, 2);
      assert.equal(o.settings.guardMode, 'block');
      assert.equal(o.settings.confirmWarn, true);
      assert.deepEqual(o.team.watch_words, ['小米']);
      assert.deepEqual(o.team.vip_accounts, ['1234567890']);
      assert.deepEqual(o.team.hotlines, ['400-123-4567']);
      assert.equal(o.team.targets.critical, 7);
      assert.deepEqual(o.logs, { overrideLog: 2, feedback: 1 });
      const entry = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(entry?.status, 'ok', 'the added list is in force');
      assert.ok(o.lists.some((l) => l.source === 'default'), 'the default lists are back in the registry');
      assert.equal(o.listsStart?.fromCompiled, false, 'the old cache was not loaded');
      const stored = await x.runExt(readStorage, ['listTexts', 'listCache', 'overrideLog', 'feedback']);
      assert.equal(stored.listTexts['qa-rival'].text, text, 'the list text is kept');
      assert.equal(stored.listTexts['qa-rival'].read?.id, 'qa-rival', 'and now has its read form');
      assert.ok(stored.listCache?.bytes && !('fingerprint' in stored.listCache), 'the cache has the new shape');
      assert.deepEqual(stored.overrideLog, overrideLog);
      assert.deepEqual(stored.feedback, feedback);
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is in force in the page');

      // The next start needs neither the list reader nor compiling.
      await x.restart();
      await x.openExt('/options/options.html');
      assert.equal((await getOptions(x)).listsStart?.fromCompiled, true);
    });
  });

  suite(`scheduled list updates in ${name}`, () => {
    let x;
    let server;
    const PINNED = pinnedList('1', ['包您百分百满意']);
    before(async () => {
      server = await listServer({ '/lists/rival.toml': GOOD, '/lists/pinned.toml': PINNED });
      x = await launch();
    });
    after(async () => {
      await x?.close();
      server?.close();
    });

    /** Makes the URL lists due, fires the alarm, waits until every URL list
     *  was checked again; returns the options as the page then shows them. */
    async function updateOnSchedule() {
      await x.openExt('/options/options.html');
      const past = await x.runExt(makeDueAndFireAlarm);
      await x.waitExt(async ([p]) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { lists } = await api.storage.local.get('lists');
        return lists.filter((l) => l.url).every((l) => l.checkedAt > p);
      }, [past], 20000);
      return getOptions(x);
    }

    test('a new version served is in force once the update is due and the alarm fires', async () => {
      await x.openExt('/options/options.html');
      for (const [path, pin] of [['/lists/rival.toml', ''], ['/lists/pinned.toml', sha256(PINNED)]]) {
        const r = await x.runExt(sendMessage, { type: 'kefu:addList', url: `${server.origin}${path}`, sha256: pin, intervalHours: 6 });
        assert.equal(r.ok, true, r.message);
      }
      assert.notEqual(await verdictFor(x, NEW_DRAFT), 'block', 'before the update, the new phrase is not blocked');

      server.set('/lists/rival.toml', rivalList('2026.12.2', ['对家牌子', '隔壁品牌']));
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.2', 'the new version is in the registry');
      assert.equal(rival.updateError, null);
      assert.equal(await verdictFor(x, NEW_DRAFT), 'block', 'the new version is in force in the page');
      assert.equal(await verdictFor(x, PINNED_DRAFT), 'block', 'the pinned list, unchanged, stays in force');
    });

    const failures = [
      ['garbage (not UTF-8 text)', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x20, 0xc3]), /UTF-8/],
      ['a version with a broken rule', rivalList('2026.12.3', ['对家牌子', '隔壁品牌'], 'colour = "red"\n'), /colour|错误/],
      ['a version whose examples fail', rivalList('2026.12.3', ['隔壁品牌']).replace('去买隔壁品牌吧', '去买别的吧'), /示例/],
    ];
    for (const [what, body, why] of failures) {
      test(`an update that is ${what} is refused; the version in force stays and the page says so`, async () => {
        server.set('/lists/rival.toml', body);
        const o = await updateOnSchedule();
        const rival = o.lists.find((l) => l.id === 'qa-rival');
        assert.equal(rival.version, '2026.12.2', 'the registry keeps the version in force');
        assert.match(rival.updateError ?? '', why);
        const row = await x.waitExt(rowOf, 'qa-rival');
        assert.deepEqual(row.status, ['warn'], 'the row is marked');
        assert.match(row.text, /更新失败|update failed/, 'the page says the update failed (in the browser language)');
        assert.match(row.text, why, 'and why');
        assert.equal(await verdictFor(x, NEW_DRAFT), 'block', 'the version in force still blocks');
      });
    }

    test('an update that does not match the pinned SHA-256 is refused on schedule too', async () => {
      server.set('/lists/pinned.toml', pinnedList('2', ['包您百分百满意', '蓝色小鸭子']));
      const o = await updateOnSchedule();
      const pinned = o.lists.find((l) => l.id === 'qa-pinned');
      assert.equal(pinned.version, '1');
      assert.match(pinned.updateError ?? '', /SHA-256/);
      const row = await x.waitExt(rowOf, 'qa-pinned');
      assert.deepEqual(row.status, ['warn']);
      assert.match(row.text, /更新失败|update failed/);
      assert.equal(await verdictFor(x, PINNED_DRAFT), 'block', 'the pinned version stays in force');
      assert.notEqual(await verdictFor(x, '亲，蓝色小鸭子来啦'), 'block', 'the refused version is not in force');
    });

    test('a good version after a failed update clears the failure', async () => {
      server.set('/lists/rival.toml', rivalList('2026.12.4', ['对家牌子', '隔壁品牌']));
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.4');
      assert.equal(rival.updateError, null);
      const row = await x.waitExt(rowOf, 'qa-rival');
      assert.deepEqual(row.status, ['ok']);
    });

    test('an update that finds the same list records the check and changes nothing in force', async () => {
      await x.openExt('/options/options.html');
      const before = await x.runExt(readStorage, ['listsInForceAt', 'listCache', 'lists']);
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.4');
      assert.equal(rival.updateError, null);
      assert.equal(rival.updatedAt, before.lists.find((l) => l.id === 'qa-rival').updatedAt, 'not updated: the same text');
      const now = await x.runExt(readStorage, ['listsInForceAt', 'listCache']);
      assert.equal(now.listsInForceAt, before.listsInForceAt, 'the lists in force were not put in force again');
      assert.equal(now.listCache.at, before.listCache.at, 'nor compiled again');
      assert.equal(await verdictFor(x, NEW_DRAFT), 'block');
    });
  });
}

// Chromium stops an idle service worker after 30 s and starts it again for
// the next message, which runs the background's start again. The update
// alarm must survive that: created anew at every start (due a minute
// later), an agent whose page wakes the worker more often than once a
// minute would never get a scheduled update.
suite('the update alarm across service worker restarts (chromium)', () => {
  let x;
  before(async () => {
    x = await launchChromium();
  });
  after(async () => {
    await x?.close();
  });

  test('a restarted service worker keeps the update alarm as it was scheduled', async () => {
    await x.openExt('/options/options.html');
    const alarm = () => chrome.alarms.get('kefu:update-lists');
    const before = await x.waitExt(alarm);
    assert.equal(before.periodInMinutes, 30);
    const started = (await getOptions(x)).listsStart.at;
    // Stop the worker as Chromium does when it is idle.
    const cdp = await x.b.context.newCDPSession(x.b.page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await x.openExt('/options/options.html');
    const after = await getOptions(x);
    assert.ok(after.listsStart.at > started, 'the background started again');
    assert.deepEqual(await x.runExt(alarm), before, 'the alarm is not pushed back');
  });
});
