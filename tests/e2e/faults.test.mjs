// End to end, faults (issue 8), in real Chromium and Firefox with the
// extension on the replica. Kefu must degrade as RELIABILITY.md documents, the page and its
// send button keep working, and nothing the agent wrote is lost:
//   - the extension's service worker stopped (CDP ServiceWorker.stopAllWorkers
//     from an extension page), before a check and in the middle of one: the
//     draft stays in the box, the send button still works, and the next
//     check starts the worker again and blocks what must be blocked;
//   - a list URL that returns garbage, then one that never answers (the
//     download's 20 s timeout): the list in force stays in force and the
//     options page says why the update failed;
//   - Weibo's DOM changed (every class name Kefu looks for renamed in the
//     replica's HTML, CSS and JS): the page works exactly as without Kefu —
//     comments shown, replies sent — and Kefu marks nothing.
//   - Storage full: tests/e2e/storage.test.mjs.
// Firefox: the same faults. Its background page is stopped through the
// browser's own "Terminate background script" (drivers.mjs), and the
// renamed replica is served by a server of this test.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { chromium, firefox } from './drivers.mjs';
import { respond } from '../../www/replica-routes.mjs';
import { clickSend, setBox } from './page-helpers.mjs';

const COMPOSER = 'textarea[class*="_input_"]';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const LIST = `[list]
id = "qa-faults"
version = "1"
name = "故障测试词表"

[[rule]]
id = "r"
label = "overpromise"
severity = "block"
message = "不能保证"
phrases = ["包您今天到货"]
examples = { hit = ["包您今天到货哦"], ok = ["我们尽快发货"] }
`;
const LIST_DRAFT = '亲，这次包您今天到货';

/** A list server whose answer for the list can be changed: a text, or
 *  `null` to never answer. */
async function listServer() {
  let body = LIST;
  const hanging = [];
  const server = createServer((req, res) => {
    if (body === null) {
      hanging.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/lists/faults.toml`,
    set: (b) => {
      body = b;
    },
    close: () => {
      for (const r of hanging) r.destroy();
      server.close();
    },
  };
}

const verdict = (sel) => document.querySelector(sel)?.dataset.kefuVerdict ?? null;
const sentCount = () => window.__replica.sent.length;

describe('faults in chromium', () => {
  let b;
  let ext;
  let cdp;
  let lists;
  const warnings = [];
  let releasedBlocked = null; // whether the mid-check test saw a block released
  let stopped = false; // CDP reported the extension's worker stopped
  /** Stops every service worker of the extension's origin; resolves once
   *  CDP reports it stopped (the next message starts it again at once). */
  async function stopWorker() {
    stopped = false;
    await cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + 5000;
    while (!stopped && Date.now() < deadline) await sleep(20);
    assert.ok(stopped, 'the worker stopped');
  }
  before(async () => {
    lists = await listServer();
    b = await chromium();
    b.page.on('console', (m) => warnings.push(m.text()));
    ext = await b.context.newPage();
    await ext.goto(`${b.extensionOrigin}/options/options.html`);
    cdp = await b.context.newCDPSession(ext);
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.startsWith(b.extensionOrigin) && v.runningStatus === 'stopped') stopped = true;
    });
    await cdp.send('ServiceWorker.enable');
    await b.open('/');
    await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 5, null, 20000);
  });
  after(async () => {
    await b?.close();
    lists?.close();
  });

  test('the service worker stopped before a check: it starts again, blocks, and the draft stays', async () => {
    await stopWorker();
    const draft = '你这个蠢驴，自己看说明书';
    await b.run(setBox, [COMPOSER, '']);
    await b.type(COMPOSER, draft);
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 15000);
    const before = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    await b.waitFor(() => !!document.getElementById('kefu-panel-host'));
    assert.equal(await b.run(sentCount), before, 'a blocked reply is not sent');
    assert.equal(await b.run((sel) => document.querySelector(sel).value, COMPOSER), draft, 'the draft stays');
    await b.run(() => document.getElementById('kefu-panel-host')?.shadowRoot.querySelector('button.primary')?.click());
  });

  test('the service worker stopped in the middle of a check: the check is asked again, the draft stays, checks resume', async () => {
    // A long draft (with an insult at its end) keeps the engine busy for
    // about a second; the worker is stopped while the check of the send
    // runs. Documented degradation: Kefu cannot check, so it lets the send
    // through (never a dead send button) and says so in the console. The
    // replica, like Weibo, refuses a comment over 140 characters, so this
    // text stays in the box.
    const draft = `${'亲，您的订单我们已经在加急处理了，请您放心，'.repeat(4000)}你这个蠢驴`;
    await b.run(setBox, [COMPOSER, draft]);
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 30000);
    await b.run(setBox, [COMPOSER, `${draft}！`]); // a text not checked yet
    warnings.length = 0;
    const before = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    await stopWorker();
    const deadline = Date.now() + 15000;
    while (!warnings.some((w) => w.includes('letting the send through')) && Date.now() < deadline) await sleep(50);
    const released = warnings.some((w) => w.includes('letting the send through'));
    const panel = await b.run(() => !!document.getElementById('kefu-panel-host'));
    console.log(`worker stopped mid-check: send ${released ? 'let through (check failed)' : 'held'}, panel ${panel}`);
    releasedBlocked = released;
    assert.ok(released || panel, 'the send was decided, not left hanging');
    assert.equal(await b.run((sel) => document.querySelector(sel).value, COMPOSER), `${draft}！`, 'the draft stays');
    assert.equal(await b.run(sentCount), before, 'the page refused the over-long comment itself');
    // The worker starts again at the next check, which blocks as before.
    await b.run(() => document.getElementById('kefu-panel-host')?.shadowRoot.querySelector('button.primary')?.click());
    await b.run(setBox, [COMPOSER, '']);
    await b.type(COMPOSER, '你这个蠢驴');
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 15000);
    // And the page's send button sends a good reply.
    await b.run(setBox, [COMPOSER, '']);
    await b.type(COMPOSER, '亲，您好，我们今天内私信您处理进度哦');
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'ok', COMPOSER, 15000);
    const n = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    await b.waitFor((k) => window.__replica.sent.length > k, n);
  });

  // SPEC: a reply whose verdict is block is not sent. When the worker dies
  // mid-check, the content script asks again (the worker starts again on
  // the next message) and the send is held by the verdict.
  test('a reply that would be blocked is not let through when the worker dies mid-check', () => {
    assert.equal(releasedBlocked, false);
  });

  test('a list URL that returns garbage or never answers: the list in force stays, and the options page says so', async () => {
    await ext.goto(`${b.extensionOrigin}/options/options.html`);
    await ext.waitForFunction(() => document.body?.dataset.ready === 'true');
    await ext.evaluate(() => {
      chrome.permissions.request = async () => true;
    });
    await ext.fill('#list-url', lists.url);
    await ext.click('#add-url');
    await ext.waitForFunction(() => document.getElementById('list-result')?.className === 'ok', null, { timeout: 20000 });
    const blocked = async () => {
      await b.run(setBox, [COMPOSER, '']);
      await b.type(COMPOSER, `${LIST_DRAFT}${Math.random().toString(36).slice(2, 6)}`);
      return b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 10000);
    };
    assert.ok(await blocked(), 'the list is in force');

    // The row's status after "update now", once it differs from before.
    let last = '';
    const rowStatus = async (ms) => {
      await ext.goto(`${b.extensionOrigin}/options/options.html`);
      await ext.waitForFunction(() => document.body?.dataset.ready === 'true');
      await ext.click('tr[data-list="qa-faults"] td.actions button');
      const handle = await ext.waitForFunction((prev) => {
        const s = document.querySelector('tr[data-list="qa-faults"] .status');
        return s?.classList.contains('warn') && s.textContent !== prev ? s.textContent : null;
      }, last, { timeout: ms });
      last = await handle.jsonValue();
      return last;
    };
    // Garbage: bytes that are not UTF-8 text.
    lists.set(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]));
    const garbage = await rowStatus(15000);
    console.log('garbage:', garbage);
    assert.match(garbage, /UTF-8/);
    assert.ok(await blocked(), 'the old list stays in force after garbage');
    // A list that is TOML but broken.
    lists.set('[list\nid = "qa-faults"\n');
    const broken = await rowStatus(15000);
    console.log('broken:', broken);
    assert.match(broken, /错误|error/i);
    assert.ok(await blocked(), 'the old list stays in force after a broken one');
    // No answer at all: the download gives up after its timeout.
    lists.set(null);
    const started = Date.now();
    const timeout = await rowStatus(60000);
    console.log(`no answer (${Date.now() - started} ms):`, timeout);
    assert.match(timeout, /超时/);
    assert.ok(await blocked(), 'the old list stays in force after a timeout');
    lists.set(LIST);
  });
});

describe('faults in firefox', () => {
  let b;
  let lists;
  let ctx = null; // the first test's helpers, for the second
  before(async () => {
    lists = await listServer();
    b = await firefox({ prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
  });

  // No protocol command stops an extension's background in Firefox; the
  // browser's own "Terminate background script" (about:debugging) does,
  // called from its chrome context (drivers.mjs, terminateBackground).
  test('the background stopped before a check: it starts again, blocks, and the draft stays', async () => {
    await b.open('/');
    await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 5, null, 20000);
    assert.equal(await b.terminateBackground(), 'stopped');
    const draft = '你这个蠢驴，自己看说明书';
    await b.run(setBox, [COMPOSER, '']);
    await b.type(COMPOSER, draft);
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 15000);
    const before = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    await b.waitFor(() => !!document.getElementById('kefu-panel-host'));
    assert.equal(await b.run(sentCount), before, 'a blocked reply is not sent');
    assert.equal(await b.run((sel) => document.querySelector(sel).value, COMPOSER), draft, 'the draft stays');
    await b.run(() => document.getElementById('kefu-panel-host')?.shadowRoot.querySelector('button.primary')?.click());
  });

  test('the background stopped in the middle of the check of a send: asked again, held by its verdict, the draft stays', async () => {
    const draft = `${'亲，您的订单我们已经在加急处理了，请您放心，'.repeat(4000)}你这个蠢驴`;
    await b.run(setBox, [COMPOSER, draft]);
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 30000);
    await b.run(setBox, [COMPOSER, `${draft}！`]); // a text not checked yet
    const before = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    const state = await b.terminateBackground();
    const started = Date.now();
    const panel = await b.waitFor(() => document.getElementById('kefu-panel-host')?.dataset.kefuPanel, null, 30000);
    console.log(`firefox, background ${state} mid-check: panel ${panel} after ${Date.now() - started} ms`);
    assert.equal(panel, 'blocked', 'the send is held by the verdict of a check asked again');
    assert.equal(await b.run(sentCount), before);
    assert.equal(await b.run((sel) => document.querySelector(sel).value, COMPOSER), `${draft}！`, 'the draft stays');
    await b.run(() => document.getElementById('kefu-panel-host')?.shadowRoot.querySelector('button.primary')?.click());
    // And the page's send button sends a good reply.
    await b.run(setBox, [COMPOSER, '']);
    await b.type(COMPOSER, '亲，您好，我们今天内私信您处理进度哦');
    await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'ok', COMPOSER, 15000);
    const n = await b.run(sentCount);
    await b.run(clickSend, COMPOSER);
    await b.waitFor((k) => window.__replica.sent.length > k, n);
  });
  after(async () => {
    await b?.close();
    lists?.close();
  });

  test('a list URL that returns garbage: the list in force stays, and the options page says so', async () => {
    const { By } = await import('selenium-webdriver');
    const options = async () => {
      await b.openExtensionPage('/options/options.html');
      await b.waitFor(() => document.body?.dataset.ready === 'true');
    };
    await options();
    const url = await b.driver.findElement(By.css('#list-url'));
    await url.clear();
    await url.sendKeys(lists.url);
    await b.click('#add-url');
    await b.waitFor(() => document.getElementById('list-result')?.className === 'ok', null, 20000);
    const blocked = async () => {
      await b.open('/');
      await b.waitFor((sel) => !!document.querySelector(sel), COMPOSER, 15000);
      await b.run(setBox, [COMPOSER, '']);
      await b.type(COMPOSER, `${LIST_DRAFT}${Math.random().toString(36).slice(2, 6)}`);
      return b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER, 10000);
    };
    assert.ok(await blocked(), 'the list is in force');
    let last = '';
    const rowStatus = async (ms) => {
      await options();
      await b.click('tr[data-list="qa-faults"] td.actions button');
      last = await b.waitFor((prev) => {
        const s = document.querySelector('tr[data-list="qa-faults"] .status');
        return s?.classList.contains('warn') && s.textContent !== prev ? s.textContent : null;
      }, last, ms);
      return last;
    };
    lists.set(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]));
    assert.match(await rowStatus(15000), /UTF-8/);
    assert.ok(await blocked(), 'the old list stays in force after garbage');
    lists.set(LIST);
    ctx = { options, blocked, rowStatus };
  });

  // Firefox stops an idle event page after 30 s; the download gives up
  // before that (registry.js, FETCH_TIMEOUT_MS).
  test('a list URL that never answers: the options page says so after the timeout', async () => {
    assert.ok(ctx, 'the test above ran');
    lists.set(null);
    const started = Date.now();
    const timeout = await ctx.rowStatus(40000);
    console.log(`firefox, no answer (${Date.now() - started} ms):`, timeout);
    assert.match(timeout, /超时/);
    assert.ok(await ctx.blocked(), 'the old list stays in force after a timeout');
    lists.set(LIST);
  });
});

// Every class name and attribute of selectors.js renamed, consistently, in
// everything the replica serves: the page works the same; Kefu finds nothing.
const RENAMES = [
  [/\bitem1\b/g, 'cmt-top'],
  [/\bitem2\b/g, 'cmt-sub'],
  [/data-v-app/g, 'data-w-app'],
  [/woo-button-primary/g, 'woo-button-main'],
  [/woo-font--comment/g, 'woo-font--reply'],
  [/wbpro-scroller-item/g, 'wbpro-vlist-row'],
  [/Bottom_more_/g, 'Bottom_next_'],
];

// The replica's answer to a request, with RENAMES applied to its pages,
// scripts and styles.
async function renamedAnswer(req) {
  const res = await respond(req, { csp: 'none' });
  const type = String(res.headers['content-type'] ?? res.headers['Content-Type'] ?? '');
  if (!/html|javascript|css/.test(type)) return res;
  let text = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.body);
  for (const [from, to] of RENAMES) text = text.replace(from, to);
  return { ...res, body: Buffer.from(text) };
}

describe('faults in chromium: Weibo changed its DOM', () => {
  let b;
  before(async () => {
    b = await chromium();
    await b.page.route('https://weibo.com/**', async (route) => {
      const req = route.request();
      const res = await renamedAnswer({ method: req.method(), url: req.url(), body: req.postData() });
      await route.fulfill({ status: res.status, headers: res.headers, body: res.body });
    });
  });
  after(async () => {
    await b?.close();
  });

  test('the page shows its comments and sends replies as without Kefu; Kefu marks nothing', async () => {
    await b.open('/');
    await worksWithoutKefu(b);
    assert.deepEqual(b.consoleErrors, [], 'no error in the page');
  });
});

// On the renamed page (open in `b`): the comments show and a reply is sent
// as without Kefu, and Kefu marks nothing it cannot recognise.
async function worksWithoutKefu(b) {
  await b.waitFor(() => document.querySelectorAll('.cmt-top').length >= 5, null, 20000);
  await sleep(2000); // time for Kefu to have marked rows, had it found any
  const page = await b.run(() => ({
    oldRows: document.querySelectorAll('.item1, .item2').length,
    marked: document.querySelectorAll('[data-kefu-category], [data-kefu-urgency], .kefu-badge').length,
  }));
  assert.equal(page.oldRows, 0, 'no row has the old class names');
  assert.equal(page.marked, 0, 'Kefu marks nothing it cannot recognise');
  const box = 'textarea[class*="_input_"]';
  const reply = '您好，已经为您登记，我们今天内私信您';
  await b.run(setBox, [box, '']);
  await b.type(box, reply);
  const n = await b.run(sentCount);
  await b.run((sel) => {
    const t = document.querySelector(sel);
    for (let el = t.parentElement; el; el = el.parentElement) {
      const send = el.querySelector('button.woo-button-main');
      if (send) {
        send.click();
        return;
      }
    }
  }, box);
  await b.waitFor((k) => window.__replica.sent.length > k, n);
  await b.waitFor((d) => [...document.querySelectorAll('.cmt-top .text')].some((t) => t.textContent.includes(d.slice(0, 8))), reply);
}

// The same in Firefox: the replica served, renamed, from a server of this
// test on localhost (the test build's content script matches it).
describe('faults in firefox: Weibo changed its DOM', () => {
  let b;
  let server;
  before(async () => {
    server = createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const r = await renamedAnswer({ method: req.method, url: req.url, body: chunks.length ? Buffer.concat(chunks) : null });
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    b = await firefox();
  });
  after(async () => {
    await b?.close();
    server?.close();
  });

  test('the page shows its comments and sends replies as without Kefu; Kefu marks nothing', async () => {
    await b.driver.get(`http://127.0.0.1:${server.address().port}/`);
    await worksWithoutKefu(b);
  });
});
