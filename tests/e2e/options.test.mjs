// End to end: the options page and the popup of the built extension, opened
// as pages in real Chromium and real Firefox, with the replica Weibo page
// beside them. What a team lead and the compliance team would check:
//   - the popup says the engine runs, shows the lists in force and today's
//     counts (fed by `kefu:counts`, as the content script sends them);
//   - a good list added from a file is in force in the page at once (a draft
//     with its phrase is blocked within a second); a broken one is refused
//     with line:column and the lists in force stay; a list whose examples
//     fail is refused; turning a list off takes it out of force;
//   - a list URL served on localhost: a wrong pinned SHA-256 is refused, the
//     right one is applied;
//   - the override log exports as CSV and JSON (real downloads);
//   - team settings round-trip through the TOML that `kefu --config` reads
//     (the native CLI reads the exported file);
//   - Chromium only: a managed policy in /etc/chromium/policies/managed/
//     locks settings, and the page shows them locked (tests run as root).
//
// The browsers' permission prompt cannot be answered by automation: Firefox
// grants optional permissions without a prompt by a preference; in Chromium
// the test answers "yes" by replacing permissions.request in the options
// page, and the list server allows the request by CORS (as a policy list
// server must).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox, ROOT } from './drivers.mjs';

const KEFU = join(ROOT, 'target', 'release', 'kefu');
const COMPOSER = 'textarea[class*="_input_"]';

// ---- the lists the tests add -------------------------------------------------------

const GOOD = `[list]
id = "qa-rival"
version = "2026.12.1"
name = "竞品词（测试）"
owner = "qa@example.com"

[[rule]]
id = "rival-brand"
label = "ad_tone"
severity = "block"
message = "回复里不要提竞品"
phrases = ["对家牌子"]
examples = { hit = ["去买对家牌子吧"], ok = ["我们的牌子"] }
`;
const GOOD_DRAFT = '亲，您好，要不试试对家牌子呢';

const BROKEN = `[list]
id = "qa-broken"
version = "1"

[[rule]]
id = "x"
label = "insult"
severity = "block"
message = "坏词"
phrases = ["坏词"]
colour = "red"
`;

const FAILING_EXAMPLES = `[list]
id = "qa-examples"
version = "1"

[[rule]]
id = "y"
label = "insult"
severity = "warn"
message = "m"
phrases = ["傻瓜"]
examples = { hit = ["你真是个笨蛋"] }
`;

const REMOTE = `[list]
id = "qa-remote"
version = "2026.12.2"
name = "远程词表（测试）"

[[rule]]
id = "promise"
label = "overpromise"
severity = "block"
message = "不能保证百分百"
phrases = ["包您百分百满意"]
examples = { hit = ["包您百分百满意哦"], ok = ["我们尽力让您满意"] }
`;
const REMOTE_DRAFT = '亲，这次包您百分百满意';

const POLICY_LIST = `[list]
id = "qa-policy"
version = "1"
name = "策略词表（测试）"

[[rule]]
id = "p"
label = "buck_passing"
severity = "warn"
message = "不要推诿"
phrases = ["不归我们管"]
examples = { hit = ["这事不归我们管"] }
`;

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Serves the lists above over HTTP on localhost, allowing any origin. */
async function listServer() {
  const files = { '/lists/remote.toml': REMOTE, '/lists/policy.toml': POLICY_LIST };
  const set = (path, body) => {
    files[path] = body;
  };
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
  return { origin: `http://127.0.0.1:${server.address().port}`, set, close: () => server.close() };
}

// ---- both browsers behind one interface: an extension page and the replica -------

/** In the page: the options page's state once it has loaded. */
const ready = () => document.body?.dataset.ready === 'true';

/** In the page: rows of the list table as {id, status, enabled, source}. */
function listRows() {
  return [...document.querySelectorAll('#list-table tbody tr')].map((tr) => ({
    id: tr.dataset.list,
    enabled: tr.querySelector('input[type=checkbox]').checked,
    status: tr.querySelector('.status').className,
    statusText: tr.querySelector('.status').textContent,
    source: tr.querySelector('.source').textContent,
  }));
}

/** In the page: puts text in the composer as typing would. */
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

/** In an extension page: a message to the background, its answer. */
function sendMessage(msg) {
  const api = globalThis.browser ?? globalThis.chrome;
  return api.runtime.sendMessage(msg);
}

/** Polls `check` until it gives something truthy; returns that. */
async function poll(check, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${String(what).slice(0, 160)}`);
}

/** In the page: the row of list `id` once it is in force. */
function rowInForce(id) {
  const tr = document.querySelector(`tr[data-list="${id}"]`);
  return tr?.querySelector('.status').classList.contains('ok') ? { source: tr.querySelector('.source').textContent } : null;
}

async function launchChromium() {
  const b = await chromium();
  const ext = await b.context.newPage();
  const downloads = mkdtempSync(join(tmpdir(), 'kefu-dl-'));
  return {
    b,
    name: 'chromium',
    async openExt(path) {
      await ext.goto(`${b.extensionOrigin}${path}`);
      await ext.waitForFunction(ready, null, { timeout: 10000 });
    },
    runExt: (fn, arg) => ext.evaluate(fn, arg),
    waitExt: (fn, arg, ms = 10000) => poll(() => ext.evaluate(fn, arg), ms, fn),
    clickExt: (sel) => ext.click(sel),
    fillExt: (sel, text) => ext.fill(sel, text),
    selectExt: (sel, value) => ext.selectOption(sel, value),
    async setFile(sel, name, text) {
      await ext.setInputFiles(sel, { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
    },
    async grantPermissions() {
      await ext.evaluate(() => {
        chrome.permissions.request = async () => true;
      });
    },
    async download(sel) {
      const [dl] = await Promise.all([ext.waitForEvent('download'), ext.click(sel)]);
      const file = join(downloads, dl.suggestedFilename());
      await dl.saveAs(file);
      return { name: dl.suggestedFilename(), text: readFileSync(file, 'utf8') };
    },
    // The replica stays open in its own tab.
    async openReplica() {
      if (!(await b.page.url()).startsWith('https://weibo.com/')) {
        await b.open('/');
        await b.waitFor(contentScriptReady, COMPOSER, 15000);
      }
    },
    async close() {
      await b.close();
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

async function launchFirefox() {
  const downloads = mkdtempSync(join(tmpdir(), 'kefu-dl-'));
  const b = await firefox({
    prefs: {
      'extensions.webextOptionalPermissionPrompts': false,
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.alwaysOpenPanel': false,
    },
  });
  const { By } = await import('selenium-webdriver');
  const files = mkdtempSync(join(tmpdir(), 'kefu-files-'));
  const d = b.driver;
  return {
    b,
    name: 'firefox',
    async openExt(path) {
      // From a blank page: opened over another extension page (or itself),
      // the page before could answer `ready` while the new one loads.
      await d.get('about:blank');
      await b.openExtensionPage(path);
      await b.waitFor(ready, null, 10000);
    },
    runExt: (fn, arg) => b.run(fn, arg),
    waitExt: (fn, arg, ms = 10000) => b.waitFor(fn, arg, ms),
    clickExt: (sel) => b.click(sel),
    async fillExt(sel, text) {
      const e = await d.findElement(By.css(sel));
      await e.clear();
      await e.sendKeys(text);
    },
    async selectExt(sel, value) {
      await d.findElement(By.css(`${sel} option[value="${value}"]`)).click();
    },
    async setFile(sel, name, text) {
      const path = join(files, name);
      writeFileSync(path, text);
      await d.findElement(By.css(sel)).sendKeys(path);
    },
    async grantPermissions() {
      // The preference above grants optional permissions without a prompt.
    },
    async download(sel) {
      const before = new Set(readdirSync(downloads));
      await b.click(sel);
      const deadline = Date.now() + 10000;
      while (Date.now() < deadline) {
        // Firefox writes FILE.part and leaves an empty FILE until it is done.
        const names = readdirSync(downloads);
        const fresh = names.filter((f) => !before.has(f) && !f.endsWith('.part'));
        if (fresh.length && !names.some((f) => f.endsWith('.part'))) {
          const text = readFileSync(join(downloads, fresh[0]), 'utf8');
          if (text.length) return { name: fresh[0], text };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no download after clicking ${sel}`);
    },
    // One tab: the replica is opened again after each visit to the options.
    async openReplica() {
      await b.open('/');
      await b.waitFor(contentScriptReady, COMPOSER, 15000);
    },
    async close() {
      await b.close();
      rmSync(downloads, { recursive: true, force: true });
      rmSync(files, { recursive: true, force: true });
    },
  };
}

// Each draft is made unique: the page keeps the verdicts of texts it has
// checked, and these tests are about what a new check says.
let drafts = 0;
const unique = (draft) => `${draft}～${(drafts += 1)}`;

/** The verdict the page gives `draft`, waiting at most `ms` after typing. */
async function verdictFor(x, draft, ms = 1000) {
  await x.openReplica();
  await x.b.run(setDraft, [COMPOSER, unique(draft)]);
  const start = Date.now();
  let v = null;
  while (Date.now() - start < ms) {
    v = await x.b.run(verdictOf, COMPOSER);
    if (v && v !== 'pending') {
      // Settled once the verdict is stable for a moment.
      await new Promise((r) => setTimeout(r, 150));
      const again = await x.b.run(verdictOf, COMPOSER);
      if (again === v) return v;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return v;
}

/** Waits for the page to give `draft` the verdict `want` within a second. */
async function expectVerdict(x, draft, want) {
  let v;
  await x.openReplica();
  await x.b.run(setDraft, [COMPOSER, unique(draft)]);
  const deadline = Date.now() + 1000;
  while (Date.now() < deadline) {
    v = await x.b.run(verdictOf, COMPOSER);
    if (want(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`the page gave «${draft}» the verdict ${v} within a second`);
}

/** Parses CSV (RFC 4180: quoted fields, doubled quotes, CRLF). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  describe(`options page and popup in ${name}`, () => {
    let x;
    let lists;
    before(async () => {
      lists = await listServer();
      x = await launch();
    });
    after(async () => {
      await x?.close();
      lists?.close();
    });

    test('the popup says the engine runs, lists the lists in force and charts today\'s counts', async () => {
      await x.openExt('/popup/popup.html');
      // What the content script sends for each comment it judged.
      await x.runExt(sendMessage, { type: 'kefu:counts', category: 'complaint', urgency: 'high' });
      await x.runExt(sendMessage, { type: 'kefu:counts', category: 'complaint', urgency: 'critical' });
      await x.runExt(sendMessage, { type: 'kefu:counts', items: [{ category: 'praise', urgency: 'low' }] });
      await x.openExt('/popup/popup.html');
      const popup = await x.runExt(() => ({
        engine: document.getElementById('engine').className,
        lists: document.querySelectorAll('#lists li').length,
        counts: Object.fromEntries([...document.querySelectorAll('[data-count]')]
          .map((e) => [`${e.parentElement.id}:${e.dataset.count}`, Number(e.textContent)])),
        switches: [...document.querySelectorAll('[data-pref]')].map((e) => e.checked),
        optionsLink: !!document.getElementById('open-options'),
      }));
      assert.equal(popup.engine, 'ok', 'the engine is loaded');
      assert.ok(popup.lists >= 2, 'the default lists are listed as in force');
      assert.equal(popup.counts['by-category:complaint'], 2);
      assert.equal(popup.counts['by-category:praise'], 1);
      assert.equal(popup.counts['by-urgency:high'], 1);
      assert.equal(popup.counts['by-urgency:critical'], 1);
      assert.equal(popup.counts['by-category:spam'], 0);
      assert.deepEqual(popup.switches, [true, true], 'triage and the guard are on');
      assert.ok(popup.optionsLink);
    });

    test('the popup\'s chart draws each of today\'s counts as a bar in proportion to the largest', async () => {
      await x.openExt('/popup/popup.html');
      for (let i = 0; i < 4; i += 1) {
        await x.runExt(sendMessage, { type: 'kefu:counts', category: 'safety', urgency: 'critical' });
      }
      await x.runExt(sendMessage, { type: 'kefu:counts', category: 'question', urgency: 'normal' });
      const today = await x.runExt(sendMessage, { type: 'kefu:todayCounts' });
      await x.openExt('/popup/popup.html');
      const drawn = await x.runExt(() => Object.fromEntries([...document.querySelectorAll('.chart')].map((c) => [c.id,
        Object.fromEntries([...c.querySelectorAll('.fill')].map((f) => {
          const word = [...f.classList].find((k) => k !== 'fill');
          return [word, f.getBoundingClientRect().width / f.parentElement.getBoundingClientRect().width];
        }))])));
      for (const [chart, key] of [['by-category', 'category'], ['by-urgency', 'urgency']]) {
        const counts = today[key];
        const max = Math.max(...Object.values(counts));
        assert.ok(max >= 4, `${key}: the counts sent are there`);
        for (const [word, share] of Object.entries(drawn[chart])) {
          const want = (counts[word] ?? 0) / max;
          assert.ok(Math.abs(share - want) < 0.02, `${chart} ${word}: drawn ${share.toFixed(3)} of the bar, want ${want.toFixed(3)}`);
        }
      }
      assert.ok(drawn['by-category'].safety > 0.99 && drawn['by-category'].question > 0 && drawn['by-category'].question < 1);
      assert.equal(drawn['by-category'].spam, 0, 'a category with no comment has an empty bar');
      const total = Object.values(today.category).reduce((a, b) => a + b, 0);
      assert.match(await x.runExt(() => document.getElementById('today-total').textContent), new RegExp(`\\b${total}\\b`));
    });

    test('the popup says what needs the lead now: blocks and overrides today', async () => {
      await x.openExt('/popup/popup.html');
      const before = await x.runExt(sendMessage, { type: 'kefu:todayCounts' });
      await x.runExt(sendMessage, { type: 'kefu:counts', items: [{ guard: 'block' }, { guard: 'block' }] });
      await x.openExt('/popup/popup.html');
      const now = await x.waitExt(() => {
        const li = [...document.querySelectorAll('#now-list li[data-need]')];
        return li.length ? Object.fromEntries(li.map((x) => [x.dataset.need, { n: Number(x.dataset.n), words: x.textContent }])) : null;
      });
      assert.equal(now.blocks.n, (before.guard?.block ?? 0) + 2);
      assert.match(now.blocks.words, new RegExp(`今天拦截的回复：${now.blocks.n} 次`));
      assert.ok('overrides' in now);
      assert.equal(await x.runExt(() => document.documentElement.lang), 'zh-CN', 'one language: Kefu\'s');
    });

    test('every list\'s rules and phrases can be read, the built-in lists\' too', async () => {
      await x.openExt('/options/options.html');
      await x.waitExt(() => document.querySelector('tr[data-list="ad-law"] [data-action="rules"]'));
      await x.runExt(() => document.querySelector('tr[data-list="ad-law"] [data-action="rules"]').click());
      const rules = await x.waitExt(() => {
        const rows = [...document.querySelectorAll('tr.rules tr[data-rule]')];
        return rows.length ? rows.map((r) => [...r.children].map((c) => c.textContent)) : null;
      });
      const terms = rules.find((r) => r[0] === 'absolute-terms');
      assert.ok(terms, 'the rule is listed');
      assert.equal(terms[1], '广告法');
      assert.equal(terms[2], '禁止');
      assert.match(terms[4], /国家级/);
    });

    test('the options page shows the switches and the default lists', async () => {
      await x.openExt('/options/options.html');
      const rows = await x.runExt(listRows);
      assert.ok(rows.length >= 2, 'the default lists are in the table');
      for (const r of rows) {
        assert.ok(r.enabled, `${r.id} is on`);
        assert.match(r.status, /\bok\b/, `${r.id} is in force`);
      }
      await x.selectExt('select[data-pref=guardMode]', 'warn');
      const stored = await x.waitExt(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { settings } = await api.storage.local.get('settings');
        return settings?.guardMode === 'warn' ? settings : null;
      });
      assert.equal(stored.guardOn, true, 'the content script reads the switches from storage `settings`');
      await x.selectExt('select[data-pref=guardMode]', 'block');
      await x.waitExt(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.local.get('settings')).settings?.guardMode === 'block';
      });
    });

    test('a good list added from a file is in force in the page within a second', async () => {
      assert.notEqual(await verdictFor(x, GOOD_DRAFT), 'block', 'before the list, the draft is not blocked');
      await x.openExt('/options/options.html');
      await x.setFile('#list-file', 'qa-rival.toml', GOOD);
      await x.clickExt('#add-file');
      await x.waitExt(() => document.getElementById('list-result').className === 'ok');
      await x.waitExt(rowInForce, 'qa-rival');
      await expectVerdict(x, GOOD_DRAFT, (v) => v === 'block');
    });

    test('a broken list is refused with line and column, and the lists in force stay', async () => {
      await x.openExt('/options/options.html');
      await x.setFile('#list-file', 'qa-broken.toml', BROKEN);
      await x.clickExt('#add-file');
      const shown = await x.waitExt(() => {
        const r = document.getElementById('list-result');
        return r.className === 'bad' && r.querySelector('.diagnostics') ? r.textContent : null;
      });
      assert.match(shown, /11:1/, 'the error says line 11, column 1 (the unknown key)');
      assert.match(shown, /colour/, 'the error names the unknown key');
      const rows = await x.runExt(listRows);
      assert.ok(!rows.some((r) => r.id === 'qa-broken'), 'the broken list is not in the table');
      assert.ok(rows.some((r) => r.id === 'qa-rival'), 'the list added before is still there');

      await x.setFile('#list-file', 'qa-examples.toml', FAILING_EXAMPLES);
      await x.clickExt('#add-file');
      const failed = await x.waitExt(() => {
        const r = document.getElementById('list-result');
        return r.className === 'bad' && r.querySelector('.failures') ? r.textContent : null;
      });
      assert.match(failed, /你真是个笨蛋/, 'the failing example is named');
      await expectVerdict(x, GOOD_DRAFT, (v) => v === 'block');
    });

    test('a list turned off is out of force, and back on', async () => {
      await x.openExt('/options/options.html');
      await x.clickExt('tr[data-list="qa-rival"] input[type=checkbox]');
      await x.waitExt(() => document.querySelector('tr[data-list="qa-rival"] .status')?.classList.contains('muted'));
      await expectVerdict(x, GOOD_DRAFT, (v) => v && v !== 'block' && v !== 'pending');
      await x.openExt('/options/options.html');
      await x.clickExt('tr[data-list="qa-rival"] input[type=checkbox]');
      await x.waitExt(() => document.querySelector('tr[data-list="qa-rival"] .status')?.classList.contains('ok'));
      await expectVerdict(x, GOOD_DRAFT, (v) => v === 'block');
    });

    test('a list URL with a wrong SHA-256 is refused; with the right one it is applied', async () => {
      const url = `${lists.origin}/lists/remote.toml`;
      await x.openExt('/options/options.html');
      await x.grantPermissions();
      await x.fillExt('#list-url', url);
      await x.fillExt('#list-sha256', sha256('something else'));
      await x.clickExt('#add-url');
      const refused = await x.waitExt(() => {
        const r = document.getElementById('list-result');
        return r.className === 'bad' ? r.textContent : null;
      });
      assert.match(refused, /SHA-256/);
      assert.ok(!(await x.runExt(listRows)).some((r) => r.id === 'qa-remote'));
      assert.notEqual(await verdictFor(x, REMOTE_DRAFT), 'block', 'the refused list is not in force');

      await x.openExt('/options/options.html');
      await x.grantPermissions();
      await x.fillExt('#list-url', url);
      await x.fillExt('#list-sha256', sha256(REMOTE));
      await x.clickExt('#add-url');
      await x.waitExt(() => document.getElementById('list-result').className === 'ok');
      const row = await x.waitExt(rowInForce, 'qa-remote');
      assert.ok(row.source.includes(url), 'its source is the URL');
      await expectVerdict(x, REMOTE_DRAFT, (v) => v === 'block');
    });

    test('an update that does not match the pinned hash is refused and the previous version stays', async () => {
      lists.set('/lists/remote.toml', REMOTE.replace('包您百分百满意"]', '包您百分百满意", "绝对不会再出错"]'));
      try {
        await x.openExt('/options/options.html');
        await x.clickExt('tr[data-list="qa-remote"] td.actions button');
        const status = await x.waitExt(() => {
          const s = document.querySelector('tr[data-list="qa-remote"] .status');
          return s?.classList.contains('warn') ? s.textContent : null;
        });
        assert.match(status, /SHA-256/, 'the row says why the update failed');
        await expectVerdict(x, REMOTE_DRAFT, (v) => v === 'block');
      } finally {
        lists.set('/lists/remote.toml', REMOTE);
      }
    });

    test('the override log exports as CSV and JSON', async () => {
      await x.openExt('/options/options.html');
      const entry = {
        at: '2026-11-28T10:00:00.000Z', page: 'https://weibo.com/1/abc', draft: '你这个蠢驴, "真的"\n第二行',
        replyTo: '怎么还没发货', reason: '=客户要求原话',
        findings: [{ rule: 'insults/insult-words', label: 'insult', severity: 'block', text: '蠢驴' }],
      };
      await x.runExt(sendMessage, { type: 'kefu:override', entry });
      await x.openExt('/options/options.html');
      await x.waitExt(() => document.querySelector('[data-log=overrideLog] .count').textContent.includes('1'));
      const csv = await x.download('[data-log=overrideLog] [data-export=csv]');
      assert.match(csv.name, /\.csv$/);
      const rows = parseCsv(csv.text);
      // Headers in the UI language (Chinese by default), times in local time.
      assert.deepEqual(rows[0], ['时间', '理由', '发布的回复', '回复的评论', '被拦截的原因', '页面']);
      assert.equal(rows.length, 2, 'one entry, one header');
      const [at, reason, draft, replyTo, findings, page] = rows[1];
      assert.equal(at, new Date(entry.at).toLocaleString('zh-CN', { dateStyle: 'short', timeStyle: 'short' }));
      assert.doesNotMatch(at, /T|Z/, 'not UTC ISO');
      assert.equal(reason, "'=客户要求原话", 'a leading = is defused for spreadsheets');
      assert.equal(draft, entry.draft, 'commas, quotes and new lines survive');
      assert.equal(replyTo, entry.replyTo);
      assert.match(findings, /^辱骂「蠢驴」/, 'the rule in words, in Chinese');
      assert.equal(page, entry.page);
      const json = await x.download('[data-log=overrideLog] [data-export=json]');
      assert.match(json.name, /\.json$/);
      assert.deepEqual(JSON.parse(json.text), [entry]);
    });

    test('team settings round-trip through the TOML that `kefu --config` reads', async () => {
      await x.openExt('/options/options.html');
      await x.fillExt('textarea[name=watch_words]', '小米\n竞品A');
      await x.fillExt('textarea[name=vip_accounts]', '1234567890');
      await x.fillExt('textarea[name=hotlines]', '400-123-4567');
      await x.fillExt('input[name="targets.critical"]', '5');
      await x.fillExt('input[name="escalation.safety"]', 'safety@example.com');
      await x.fillExt('textarea[name="canned_replies.spam"]', '@{name} 请勿发广告, 谢谢 "配合"');
      await x.clickExt('#save-team');
      await x.waitExt(() => document.getElementById('team-result').className === 'ok');
      const stored = await x.runExt(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        return (await api.storage.local.get('settings')).settings;
      });
      assert.equal(stored.targets.critical, 5, 'the content script sees the new target');
      assert.equal(stored.escalation.safety, 'safety@example.com');

      const toml = await x.download('#export-toml');
      assert.match(toml.name, /\.toml$/);
      // The native CLI reads the exported file.
      assert.ok(existsSync(KEFU), 'target/release/kefu is built by scripts/test.sh before these tests');
      const dir = mkdtempSync(join(tmpdir(), 'kefu-toml-'));
      writeFileSync(join(dir, 'team.toml'), toml.text);
      const out = execFileSync(KEFU, ['triage', '--config', join(dir, 'team.toml'), '-'], {
        input: `${JSON.stringify({ id: 1, text: '小米的手机怎么样' })}\n`,
      }).toString();
      assert.equal(JSON.parse(out).id, 1, 'kefu triage --config accepts the exported settings');
      rmSync(dir, { recursive: true, force: true });

      // Change everything, then import the file: the form is as it was.
      await x.fillExt('textarea[name=watch_words]', '别的');
      await x.fillExt('input[name="targets.critical"]', '99');
      await x.clickExt('#save-team');
      await x.waitExt(() => document.getElementById('team-result').className === 'ok');
      await x.setFile('#import-toml', 'team.toml', toml.text);
      await x.waitExt(() => document.querySelector('textarea[name=watch_words]').value === '小米\n竞品A');
      const form = await x.runExt(() => {
        const f = document.getElementById('team-form').elements;
        return {
          vip: f.vip_accounts.value, hot: f.hotlines.value, critical: f['targets.critical'].value,
          esc: f['escalation.safety'].value, spam: f['canned_replies.spam'].value,
        };
      });
      assert.deepEqual(form, {
        vip: '1234567890', hot: '400-123-4567', critical: '5',
        esc: 'safety@example.com', spam: '@{name} 请勿发广告, 谢谢 "配合"',
      });
      const again = await x.download('#export-toml');
      assert.equal(again.text, toml.text, 'exported again, the same TOML');
    });

    test('a TOML file that is not settings is refused and nothing changes', async () => {
      await x.openExt('/options/options.html');
      await x.setFile('#import-toml', 'bad.toml', 'watch_words = "not a list"\n');
      const msg = await x.waitExt(() => {
        const p = document.getElementById('team-result');
        return p.className === 'bad' ? p.textContent : null;
      });
      assert.ok(msg.length > 0);
      assert.equal(await x.runExt(() => document.querySelector('textarea[name=watch_words]').value), '小米\n竞品A');
    });
  });
}

// ---- managed policy (Chromium reads /etc/chromium/policies/managed/) ------------------

/** The id Chromium gives an unpacked extension: from its absolute path. */
function unpackedId(path) {
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)]
    .map((c) => String.fromCharCode(97 + parseInt(c, 16)))
    .join('');
}

describe('a managed policy locks settings (chromium)', () => {
  const dir = '/etc/chromium/policies/managed';
  const file = join(dir, 'kefu-e2e-test.json');
  let x;
  let lists;
  before(async () => {
    lists = await listServer();
    mkdirSync(dir, { recursive: true });
    const policy = {
      settings: { guardMode: 'warn', allowOverride: false },
      locked: ['guardMode', 'allowOverride', 'lists', 'team'],
      team: { watch_words: ['策略品牌'], targets: { critical: 7 } },
      lists: [{ url: `${lists.origin}/lists/policy.toml`, sha256: sha256(POLICY_LIST), updateHours: 12 }],
    };
    const id = unpackedId(join(ROOT, 'dist', 'chrome'));
    writeFileSync(file, JSON.stringify({ '3rdparty': { extensions: { [id]: policy } } }, null, 2));
    x = await launchChromium();
    assert.equal(new URL(x.b.extensionOrigin).host, id, 'the policy names the extension loaded');
  });
  after(async () => {
    rmSync(file, { force: true });
    await x?.close();
    lists?.close();
  });

  test('locked settings are shown locked and take the policy\'s values', async () => {
    await x.openExt('/options/options.html');
    const page = await x.waitExt(() => {
      const mode = document.querySelector('select[data-pref=guardMode]');
      if (!mode.disabled) return null;
      const override = document.querySelector('input[data-pref=allowOverride]');
      return {
        mode: mode.value,
        modeLock: !!mode.closest('label').querySelector('.lock'),
        override: override.checked,
        overrideDisabled: override.disabled,
        confirmDisabled: document.querySelector('input[data-pref=confirmWarn]').disabled,
        note: !document.getElementById('policy-note').hidden,
        addDisabled: document.getElementById('add-file').disabled && document.getElementById('add-url').disabled,
        teamDisabled: document.querySelector('textarea[name=watch_words]').disabled,
        watch: document.querySelector('textarea[name=watch_words]').value,
      };
    });
    assert.deepEqual(page, {
      mode: 'warn', modeLock: true, override: false, overrideDisabled: true, confirmDisabled: false,
      note: true, addDisabled: true, teamDisabled: true, watch: '策略品牌',
    });
    const settings = await x.runExt(async () => (await chrome.storage.local.get('settings')).settings);
    assert.equal(settings.guardMode, 'warn', 'the content script obeys the policy');
    assert.equal(settings.allowOverride, false);
    assert.equal(settings.targets.critical, 7);
    const refused = await x.runExt(sendMessage, { type: 'kefu:setPrefs', prefs: { guardMode: 'block' } });
    assert.equal(refused.ok, false, 'a locked setting cannot be changed by message either');
  });

  test('the policy\'s list is downloaded, checked against its hash and in force', async () => {
    await x.openExt('/options/options.html');
    const row = await x.waitExt(() => {
      const tr = document.querySelector('tr[data-list="qa-policy"]');
      return tr?.querySelector('.status').classList.contains('ok') ? tr.querySelector('.source').textContent : null;
    }, null, 15000);
    assert.ok(row.includes('/lists/policy.toml'));
    const r = await x.runExt(sendMessage, { type: 'kefu:removeList', id: 'qa-policy' });
    assert.equal(r.ok, false, 'a policy list cannot be removed');
  });
});
