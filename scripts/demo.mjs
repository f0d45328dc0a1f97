// `make demo`: the replica Weibo page with the built extension (dist/chrome)
// loaded in Chromium. With a display, the browser stays open for you; without
// one, it runs headless, saves tests/out/demo.png and prints what Kefu marked.
//
// Usage: node scripts/demo.mjs [--headless] [--csp none|strict] [--screenshot FILE]

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, ROOT } from '../tests/e2e/drivers.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const headless = args.includes('--headless') || !process.env.DISPLAY;
const csp = flag('--csp', 'none');
const shot = flag('--screenshot', join(ROOT, 'tests', 'out', 'demo.png'));

const browser = await chromium({ csp, headless });
try {
  await browser.open('/');
  await browser.waitFor(() => document.querySelectorAll('[data-kefu-urgency] .kefu-badge').length >= 5, null, 20000);
  // Bring the comments into view and let the marks of the new rows settle.
  await browser.run(() => {
    const list = document.querySelector('.wbpro-list');
    window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY - 160);
  });
  await new Promise((r) => setTimeout(r, 800));
  const marked = await browser.run(() => {
    const read = (item) => {
      const text = [...item.querySelectorAll('.text')].find((t) => t.closest('.item1, .item2') === item);
      return {
        urgency: item.dataset.kefuUrgency,
        category: item.dataset.kefuCategory,
        text: text ? text.textContent.trim().replace(/\s+/g, ' ') : '',
        reasons: item.querySelector('.kefu-badge')?.title.split('\n').slice(1).join('；') ?? '',
      };
    };
    return [...document.querySelectorAll('.item1[data-kefu-urgency], .item2[data-kefu-urgency]')].map(read);
  });
  const order = ['critical', 'high', 'normal', 'low', 'noise'];
  marked.sort((a, b) => order.indexOf(a.urgency) - order.indexOf(b.urgency));
  console.log(`Kefu marked ${marked.length} comments on the replica page (csp ${csp}):\n`);
  for (const m of marked) {
    console.log(`  ${m.urgency.padEnd(8)} ${m.category.padEnd(10)} ${m.text.slice(0, 48)}`);
    if (m.reasons && m.urgency !== 'noise') console.log(`  ${''.padEnd(19)} ↳ ${m.reasons.slice(0, 70)}`);
  }
  if (headless) {
    mkdirSync(dirname(shot), { recursive: true });
    await browser.screenshot(shot);
    console.log(`\nscreenshot: ${shot}`);
  } else {
    console.log('\nChromium is open on the replica page; close it to end the demo.');
    await new Promise((r) => browser.context.on('close', r));
  }
} finally {
  await browser.close().catch(() => {});
}
