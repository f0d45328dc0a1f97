// Performance in the page, measured in real Chromium (BENCHMARKS.md, "In
// the page"): the longest main-thread task while 1,000 comments load and
// scroll, with Kefu and without it in the same run; and the time from the
// last keystroke to the verdict. Figures are printed for the record. The
// test fails only on a gross overrun (a task over 200 ms that the page
// without Kefu does not have), so a slow machine does not fail it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, ROOT } from './drivers.mjs';
import { respond } from '../../www/replica-routes.mjs';

const POST = '/detail/Nbig1000';

/** Scrolls to the bottom until every page is loaded; returns long tasks (ms). */
async function loadAndScroll(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  for (let i = 0; i < 400; i += 1) {
    const done = await page.evaluate(() => {
      window.scrollBy(0, 1200);
      return window.__replica?.isDone?.() && innerHeight + scrollY >= document.body.scrollHeight - 10;
    });
    if (done) break;
    await page.waitForTimeout(40);
  }
  // Scroll back up through the list, as an agent reading it would.
  for (let i = 0; i < 60; i += 1) {
    await page.evaluate(() => window.scrollBy(0, -1500));
    await page.waitForTimeout(20);
  }
  await page.waitForTimeout(500);
  return page.evaluate(() => ({ tasks: window.__longTasks, comments: window.__replica?.comments?.().length ?? null }));
}

async function plainChromium() {
  const { chromium: pw } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kefu-plain-'));
  const context = await pw.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  await context.route('https://weibo.com/**', async (route) => {
    const req = route.request();
    const res = await respond({ method: req.method(), url: req.url(), body: req.postData() }, { csp: 'none' });
    await route.fulfill({ status: res.status, headers: res.headers, body: res.body });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { page, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

test('1,000 comments load and scroll without a long task from Kefu; a verdict follows the last keystroke', async () => {
  const plain = await plainChromium();
  await plain.page.goto(`https://weibo.com${POST}`);
  await plain.page.waitForSelector('.item1');
  const without = await loadAndScroll(plain.page);
  await plain.close();

  const b = await chromium({ csp: 'none' });
  try {
    await b.open(POST);
    await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 3, null, 20000);
    const withKefu = await loadAndScroll(b.page);
    const marked = await b.run(() => document.querySelectorAll('.item1[data-kefu-urgency]').length);

    // Keystroke → verdict: the verdict flips to block on the last key.
    await b.run(() => window.scrollTo(0, 0));
    const box = b.page.locator('textarea[class*="_input_"]').first();
    await box.click();
    await b.page.keyboard.type('您好，你这个');
    await b.waitFor(() => document.querySelector('textarea[class*="_input_"]').dataset.kefuVerdict === 'ok');
    const latency = [];
    for (let i = 0; i < 5; i += 1) {
      await b.run(() => {
        const t = document.querySelector('textarea[class*="_input_"]');
        window.__verdictAt = null;
        new MutationObserver((_, o) => {
          if (t.dataset.kefuVerdict === 'block') {
            window.__verdictAt = performance.now();
            o.disconnect();
          }
        }).observe(t, { attributes: true, attributeFilter: ['data-kefu-verdict'] });
        t.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, { once: true });
      });
      await b.page.keyboard.type(`蠢${'！'.repeat(i)}`);
      await b.waitFor(() => window.__verdictAt != null);
      latency.push(await b.run(() => window.__verdictAt - window.__keyAt));
      await b.page.keyboard.press('Backspace');
      for (let j = 0; j < i; j += 1) await b.page.keyboard.press('Backspace');
      await b.waitFor(() => document.querySelector('textarea[class*="_input_"]').dataset.kefuVerdict === 'ok');
    }
    const maxWith = Math.max(0, ...withKefu.tasks);
    const maxWithout = Math.max(0, ...without.tasks);
    latency.sort((x, y) => x - y);
    console.log(`# in the page: ${withKefu.comments ?? '?'} comments loaded, ${marked} rows marked on screen`);
    console.log(`# longest task while loading and scrolling: with Kefu ${maxWith.toFixed(0)} ms (${withKefu.tasks.length} tasks over 50 ms), without ${maxWithout.toFixed(0)} ms (${without.tasks.length})`);
    console.log(`# last keystroke → verdict: median ${latency[2].toFixed(0)} ms, max ${latency[4].toFixed(0)} ms (includes the 120 ms debounce)`);
    // Something was measured: the page said how many comments it loaded,
    // Kefu marked rows, and five keystroke latencies were taken.
    assert.ok(withKefu.comments != null && withKefu.comments >= 1000, `all 1,000 comments loaded (${withKefu.comments})`);
    assert.ok(without.comments != null && without.comments >= 1000, `without Kefu too (${without.comments})`);
    assert.ok(marked >= 3, `rows marked on screen (${marked})`);
    assert.equal(latency.length, 5, 'five latencies measured');
    assert.ok(maxWith <= Math.max(200, maxWithout * 1.5), `a Kefu task over 200 ms: ${maxWith.toFixed(0)} ms (without Kefu: ${maxWithout.toFixed(0)} ms)`);
    assert.ok(latency[4] < 2000, `a verdict came ${latency[4].toFixed(0)} ms after the keystroke`);
  } finally {
    await b.close();
  }
});
