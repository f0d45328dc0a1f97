// End to end, in real Chromium on the replica: a reply box that already
// holds text when Kefu's content script starts (typed before the extension
// loaded, or filled by the page) is checked at once, without a key press or
// a focus (issue 8).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from './drivers.mjs';

const COMPOSER = 'textarea[class*="_input_"]';
const DRAFT = '你这个蠢驴，自己看说明书';

describe('a box holding text before Kefu starts', () => {
  let b;
  before(async () => {
    b = await chromium();
    // A first visit, so that the extension's start-up writes (which make
    // the content script check every box again) are over.
    await b.open('/');
    await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 5, null, 20000);
    await new Promise((r) => setTimeout(r, 1000));
    // In the page's world, before any script of the page: the composer gets
    // its text the moment it exists, with no event at all.
    await b.page.addInitScript(([sel, text]) => {
      // The page's own rendering empties the box once after creating it:
      // fill it again while it is empty, for the first seconds.
      const started = Date.now();
      const fill = () => {
        const box = document.querySelector(sel);
        if (box && !box.value) box.value = text;
        if (Date.now() - started < 3000) setTimeout(fill, 20);
      };
      fill();
    }, [COMPOSER, DRAFT]);
  });
  after(async () => {
    await b?.close();
  });

  test('is checked at start', async () => {
    await b.open('/');
    await b.waitFor((sel) => document.querySelector(sel)?.value, COMPOSER, 15000);
    const verdict = await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict, COMPOSER, 15000);
    assert.equal(verdict, 'block');
    const state = await b.run((sel) => ({ focused: document.activeElement === document.querySelector(sel), value: document.querySelector(sel).value }), COMPOSER);
    assert.equal(state.focused, false, 'checked without a focus');
    assert.equal(state.value, DRAFT, 'the text is untouched');
  });
});
