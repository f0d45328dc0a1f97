// End to end: the built extension in real Chromium and real Firefox on the
// replica of the Weibo page, without a CSP and with a strict one (no
// 'wasm-unsafe-eval'). What an agent would check:
//   - every comment row on screen carries its marks and a badge with reasons,
//     and the marks are right for the comment the row shows now (the
//     recycling scroller reuses rows), judged against the native `kefu` CLI;
//   - a draft with an insult gets data-kefu-verdict="block", is not posted by
//     the send button nor by Ctrl+Enter, and stays in the box; a panel says why;
//   - a clean draft is posted; a send made before the check of that exact
//     text has finished waits for it, both ways.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, firefox, ROOT } from './drivers.mjs';

const KEFU = join(ROOT, 'target', 'release', 'kefu');
const OUT = join(ROOT, 'tests', 'out');
mkdirSync(OUT, { recursive: true });

const COMPOSER = 'textarea[class*="_input_"]';
// The send button of that same composer (the page has other primary buttons).
const PRIMARY = 'contains(concat(" ", normalize-space(@class), " "), " woo-button-primary ")';
const SEND = `xpath=(//textarea[contains(@class, "_input_")])[1]/ancestor::*[.//button[${PRIMARY}]][1]//button[${PRIMARY}]`;

/** Rows on screen with their own text as the content script reads it. */
function visibleRows() {
  const own = (item, sel) => [...item.querySelectorAll(sel)].find((e) => e.closest('.item1, .item2') === item);
  const plain = (node) => [...node.childNodes].map((n) => {
    if (n.nodeType === 3) return n.nodeValue;
    if (n.nodeType !== 1 || n.classList.contains('kefu-badge')) return '';
    return n.tagName === 'IMG' ? n.getAttribute('alt') ?? '' : plain(n);
  }).join('');
  const rows = [];
  for (const item of document.querySelectorAll('.item1, .item2')) {
    const r = item.getBoundingClientRect();
    if (r.bottom < 0 || r.top > innerHeight || r.height === 0) continue;
    const textEl = own(item, '.text');
    if (!textEl) continue;
    const author = textEl.querySelector('a[usercard]');
    const name = author ? plain(author).trim() : '';
    let text = plain(textEl).trim();
    if (name && text.startsWith(name)) text = text.slice(name.length).replace(/^\s*[:：]\s*/, '');
    rows.push({
      text,
      category: item.dataset.kefuCategory ?? null,
      urgency: item.dataset.kefuUrgency ?? null,
      badge: own(item, '.kefu-badge')?.title ?? null,
    });
  }
  return rows;
}

/** What the native engine says of these texts (the oracle). */
function triageNatively(texts) {
  const input = texts.map((text, id) => JSON.stringify({ id, text_raw: text })).join('\n');
  const out = execFileSync(KEFU, ['triage', '--now', '2026-11-28T12:00:00+08:00', '-'], { input });
  return out.toString().trim().split('\n').map((l) => JSON.parse(l));
}

/** Waits until every row on screen is marked; returns the rows. */
function marked(b) {
  const check = new Function(`const rows = (${visibleRows.toString()})();
    return rows.length > 0 && rows.every((r) => r.category && r.urgency && r.badge) ? rows : null;`);
  return b.waitFor(check, null, 15000);
}

const BROWSERS = [
  ['chromium', 'none', chromium],
  ['chromium', 'strict', chromium],
  ['firefox', 'none', firefox],
  ['firefox', 'strict', firefox],
];

for (const [name, csp, launch] of BROWSERS) {
  describe(`${name}, page CSP ${csp}`, () => {
    let b;
    before(async () => {
      assert.ok(existsSync(KEFU), 'target/release/kefu is built by scripts/test.sh before these tests');
      b = await launch({ csp });
      await b.open('/');
      // The first page of comments is in (Weibo renders it after its JSON).
      await b.waitFor(() => document.querySelectorAll('.item1').length >= 5, null, 15000);
    });
    after(async () => {
      await b?.close();
    });

    test('every comment on screen is marked, with reasons, as the engine judges its text', async () => {
      await b.run(() => document.querySelector('.wbpro-list').scrollIntoView());
      const rows = await marked(b);
      assert.ok(rows.length >= 5, `expected several comments on screen, saw ${rows.length}`);
      const expected = triageNatively(rows.map((r) => r.text));
      rows.forEach((r, i) => {
        assert.equal(r.category, expected[i].category, `category of «${r.text}»`);
        assert.ok(r.badge.length > 0, `the badge of «${r.text}» has a title`);
      });
    });

    test('after scrolling the recycling list, no row carries a stale mark', async () => {
      for (let i = 0; i < 4; i += 1) {
        await b.run(() => window.scrollBy(0, Math.round(window.innerHeight * 0.9)));
        await new Promise((r) => setTimeout(r, 150));
      }
      const rows = await marked(b);
      const expected = triageNatively(rows.map((r) => r.text));
      rows.forEach((r, i) => assert.equal(r.category, expected[i].category, `category of «${r.text}» after scrolling`));
      await b.run(() => window.scrollTo(0, 0));
    });

    test('an insult is blocked by the button and by Ctrl+Enter, and stays in the box', async () => {
      const draft = '你这个蠢驴，自己不会看公告吗';
      const before = await b.run(() => document.querySelectorAll('.item1, .item2').length);
      await b.type(COMPOSER, draft);
      await b.waitFor((sel) => document.querySelector(sel)?.dataset.kefuVerdict === 'block', COMPOSER);
      await b.click(SEND);
      await b.waitFor(() => !!document.getElementById('kefu-panel-host'));
      await b.ctrlEnter(COMPOSER);
      await new Promise((r) => setTimeout(r, 700));
      const state = await b.run((sel) => ({
        value: document.querySelector(sel).value,
        posted: [...document.querySelectorAll('.item1 .text, .item2 .text')].some((t) => t.textContent.includes('蠢驴')),
        count: document.querySelectorAll('.item1, .item2').length,
      }), COMPOSER);
      assert.equal(state.value, draft, 'the draft stays in the box, untouched');
      assert.equal(state.posted, false, 'the insult was not posted');
      assert.ok(state.count <= before + 0, 'no reply was added');
      await b.screenshot(join(OUT, `blocked-${name}-${csp}.png`));
    });

    test('a clean draft is posted', async () => {
      await b.run((sel) => {
        const box = document.querySelector(sel);
        box.value = '';
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }, COMPOSER);
      const draft = '亲，给您添麻烦了，我们已为您加急处理，请留意短信哦';
      await b.type(COMPOSER, draft);
      await b.waitFor((sel) => ['ok', 'warn'].includes(document.querySelector(sel)?.dataset.kefuVerdict), COMPOSER)
        .catch(async (e) => {
          const state = await b.run((sel) => ({ value: document.querySelector(sel).value, verdict: document.querySelector(sel).dataset.kefuVerdict }), COMPOSER);
          throw new Error(`${e.message}: the box holds ${JSON.stringify(state)}`);
        });
      await b.click(SEND);
      await b.waitFor((d) => [...document.querySelectorAll('.text')].some((t) => t.textContent.includes(d)), draft);
    });

    test('a send made before the check finishes waits for the verdict of that exact text', async () => {
      // Typed and sent at once: the debounced check has not run yet.
      const bad = '你是不是智障';
      await b.run(([sel, text]) => {
        const box = document.querySelector(sel);
        box.focus();
        box.value = text;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }, [COMPOSER, bad]);
      await b.click(SEND);
      await new Promise((r) => setTimeout(r, 800));
      const afterBad = await b.run(([sel, text]) => ({
        value: document.querySelector(sel).value,
        posted: [...document.querySelectorAll('.text')].some((t) => t.textContent.includes(text)),
      }), [COMPOSER, bad]);
      assert.equal(afterBad.posted, false, 'the insult sent before its check was not posted');
      assert.equal(afterBad.value, bad);

      const good = '您好，您的退款已经到账了，请查收哦';
      await b.run(([sel, text]) => {
        const box = document.querySelector(sel);
        box.value = text;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }, [COMPOSER, good]);
      await b.ctrlEnter(COMPOSER);
      await b.waitFor((d) => [...document.querySelectorAll('.text')].some((t) => t.textContent.includes(d)), good);
    });
  });
}
