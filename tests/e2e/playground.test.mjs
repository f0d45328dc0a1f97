// End to end: the compliance playground (www/playground/, served by its
// serve.mjs with the engine from extension/pkg) driven by Playwright in real
// Chromium, as the compliance team uses it:
//   - a list with an error shows it with line:column as it is typed, and
//     the error goes when it is fixed;
//   - its examples run, and a failing one is named;
//   - a draft is checked against the list being edited (and the built-in
//     lists, which can be left out);
//   - a JSONL of comments is triaged, with a progress bar and a table, and a
//     bad line is reported in its place; the marks match the native CLI;
//   - the list downloads as the text in the editor.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './drivers.mjs';
import { startPlayground } from '../../www/playground/serve.mjs';

const KEFU = join(ROOT, 'target', 'release', 'kefu');

const LIST = `[list]
id = "qa-play"
version = "1"

[[rule]]
id = "rival"
label = "ad_tone"
severity = "block"
message = "不要提竞品"
phrases = ["对家牌子"]
examples = { hit = ["去买对家牌子吧"], ok = ["我们的牌子"] }
`;

describe('the playground in chromium', () => {
  let server;
  let origin;
  let browser;
  let page;
  before(async () => {
    assert.ok(existsSync(join(ROOT, 'extension', 'pkg', 'kefu_bg.wasm')), 'the engine is built (make wasm) before these tests');
    ({ server, origin } = await startPlayground({ port: 0 }));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ acceptDownloads: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 15000 });
    assert.deepEqual(errors, [], 'the page runs under its strict CSP without errors');
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('errors are shown with line:column as the list is typed, and go when fixed', async () => {
    await page.fill('#list-text', LIST.replace('severity = "block"', 'severity = "block"\ncolour = "red"'));
    const err = await page.waitForSelector('#diagnostics li.error');
    assert.equal(await err.getAttribute('data-line'), '9', 'colour is on line 9');
    assert.equal(await err.getAttribute('data-col'), '1');
    assert.match(await err.innerText(), /colour/);
    assert.equal(await page.getAttribute('body', 'data-list-state'), 'error');
    await page.fill('#list-text', LIST);
    await page.waitForFunction(() => document.body.dataset.listState === 'ok' && !document.querySelector('#diagnostics li.error'));
  });

  test('the examples run; a failing one is named', async () => {
    await page.fill('#list-text', LIST);
    await page.click('#run-examples');
    assert.equal(await page.getAttribute('#examples', 'data-result'), 'pass');
    await page.fill('#list-text', LIST.replace('ok = ["我们的牌子"]', 'ok = ["我们的对家牌子"]'));
    await page.click('#run-examples');
    assert.equal(await page.getAttribute('#examples', 'data-result'), 'fail');
    assert.match(await page.innerText('#examples'), /我们的对家牌子/);
  });

  test('a draft is checked against the list being edited', async () => {
    await page.fill('#list-text', LIST);
    await page.fill('#draft', '亲，您去买对家牌子吧');
    await page.waitForSelector('#findings tr[data-rule="qa-play/rival"]');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'block');
    // The built-in lists are in force too, and can be left out.
    await page.fill('#draft', '你这个蠢驴');
    await page.waitForFunction(() => document.getElementById('verdict').dataset.verdict === 'block');
    await page.uncheck('#with-defaults');
    await page.waitForFunction(() => document.getElementById('verdict').dataset.verdict !== 'block');
    await page.check('#with-defaults');
    await page.waitForFunction(() => document.getElementById('verdict').dataset.verdict === 'block');
  });

  test('a JSONL of comments is triaged with a progress bar and a table, as the CLI would', async () => {
    await page.click('#sample-jsonl');
    await page.waitForFunction(() => document.getElementById('jsonl').value.split('\n').length > 20);
    const jsonl = await page.inputValue('#jsonl');
    const lines = jsonl.split('\n').filter((l) => l.trim());
    await page.fill('#jsonl', `${lines.slice(0, 10).join('\n')}\nthis is not json\n${lines.slice(10).join('\n')}\n`);
    await page.click('#run-triage');
    await page.waitForSelector('body[data-triage=done]', { timeout: 15000 });
    const progress = await page.evaluate(() => {
      const p = document.getElementById('progress');
      return p.value === p.max;
    });
    assert.ok(progress, 'the progress bar is full');
    const rows = await page.$$eval('#triage-table tbody tr', (trs) => trs.map((tr) => ({
      error: tr.classList.contains('error'), category: tr.dataset.category ?? null, urgency: tr.dataset.urgency ?? null,
      text: tr.textContent,
    })));
    assert.equal(rows.length, lines.length + 1, 'one row a line, the bad one included');
    assert.ok(rows[10].error && rows[10].text.includes('11'), 'the bad line is reported in its place, by number');
    assert.ok(existsSync(KEFU), 'target/release/kefu is built by scripts/test.sh before these tests');
    // Same comments, same clock rules: the native CLI is the oracle for
    // category (urgency depends on the age against "now", which differs).
    const native = execFileSync(KEFU, ['triage', '-'], { input: `${lines.join('\n')}\n` })
      .toString().trim().split('\n').map((l) => JSON.parse(l));
    const good = rows.filter((r) => !r.error);
    assert.equal(good.length, native.length);
    good.forEach((r, i) => assert.equal(r.category, native[i].category, `category of line ${i + 1}`));
  });

  test('the list downloads as the text in the editor', async () => {
    await page.fill('#list-name', 'qa-play.toml');
    await page.fill('#list-text', LIST);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-list')]);
    assert.equal(dl.suggestedFilename(), 'qa-play.toml');
    assert.equal(readFileSync(await dl.path(), 'utf8'), LIST);
  });
});
