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
//   - the list downloads as the text in the editor;
//   - a file of past replies is scanned with the lists in force (one engine
//     call): counts per rule as built into the file, examples shown as text
//     (an HTML payload stays text), a scan again when the list is edited,
//     and a file that is not UTF-8 is refused with a message.

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

// A list with a block rule and a warn rule, for the past replies.
const REPLAY_LIST = `[list]
id = "qa-replay"
version = "1"

[[rule]]
id = "rival"
label = "ad_tone"
severity = "block"
message = "不要提竞品"
phrases = ["对家牌子"]

[[rule]]
id = "later"
label = "tone"
severity = "warn"
message = "不要拖延"
phrases = ["改天再说吧"]
`;

/** Past replies built from known parts, with what each rule should flag. */
function pastReplies(n) {
  let seed = 7;
  const rand = (k) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const innocent = ['您好，订单已经发出', '我们第一时间处理', '这是第一次出现这种情况', '感谢您的耐心等待😀', '<img src=x onerror="window.__pwned=1">'];
  const lines = [];
  const expected = { 'insults/abuse': 0, 'qa-replay/rival': 0, 'qa-replay/later': 0, 'ad-law/absolute-terms': 0 };
  let replies = 0;
  let block = 0;
  let warn = 0;
  for (let i = 0; i < n; i++) {
    if (i % 97 === 5) {
      lines.push(i % 2 ? '' : '   '); // not replies
      continue;
    }
    replies++;
    // The HTML payload once for sure among the first examples of a rule.
    const parts = [i === 1 ? innocent[4] : innocent[rand(innocent.length)]];
    const insult = i === 1 || rand(7) === 0;
    const rival = rand(9) === 0;
    const later = rand(11) === 0;
    const claim = rand(13) === 0;
    // Characters outside the BMP before a hit: offsets are UTF-16 code units.
    if (insult) parts.push('😀😀你这个蠢驴');
    if (rival) parts.push('您去买对家牌子吧');
    if (later) parts.push('改天再说吧');
    if (claim) parts.push('我们是行业第一');
    const turn = rand(parts.length); // the innocent part not always first
    lines.push([...parts.slice(turn), ...parts.slice(0, turn)].join('，'));
    expected['insults/abuse'] += insult;
    expected['qa-replay/rival'] += rival;
    expected['qa-replay/later'] += later;
    expected['ad-law/absolute-terms'] += claim;
    if (insult || rival || claim) block++;
    else if (later) warn++;
  }
  // Windows line ends on some lines: the \r belongs to no reply.
  const text = lines.map((l, i) => (i % 3 ? `${l}\n` : `${l}\r\n`)).join('');
  return { text, expected, replies, block, warn };
}

/** Types a list and waits until the page has examined it (the lint is debounced). */
async function editList(page, text) {
  const n = Number(await page.getAttribute('body', 'data-examined'));
  await page.fill('#list-text', text);
  await page.waitForFunction((n) => Number(document.body.dataset.examined) > n, n);
}

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

  test('past replies are scanned with the lists in force, and again when the list changes', async () => {
    await editList(page, REPLAY_LIST);
    await page.check('#with-defaults');
    const { text, expected, replies, block, warn } = pastReplies(2000);
    assert.ok(Object.values(expected).every((n) => n > 20), 'every rule has replies to flag');
    const scans = async () => Number(await page.getAttribute('#replay-section', 'data-scans') ?? 0);
    const before = await scans();
    await page.setInputFiles('#open-replies', { name: 'replies.txt', mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
    await page.waitForFunction((n) => Number(document.getElementById('replay-section').dataset.scans ?? 0) > n, before);

    const counts = () => page.$$eval('#replay-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.rule, Number(tr.dataset.count)])));
    assert.deepEqual(await counts(), expected, 'replies flagged per rule, and no other rule');
    const summary = await page.$eval('#replay-summary', (e) => ({ ...e.dataset, text: e.textContent }));
    assert.equal(Number(summary.replies), replies, 'empty lines are not replies');
    assert.equal(Number(summary.block), block);
    assert.equal(Number(summary.warn), warn);
    assert.equal(Number(summary.flagged), block + warn);
    assert.match(summary.text, new RegExp(`${replies} replies scanned`));
    assert.match(summary.text, /took \d+(\.\d)? ms/);

    // Examples: at most five a rule, the hit marked exactly, all as text.
    const examples = await page.$$eval('#replay-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.rule,
      [...tr.querySelectorAll('li')].map((li) => ({ line: Number(li.dataset.line), text: li.textContent, marks: [...li.querySelectorAll('mark')].map((m) => m.textContent) }))])));
    const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    const phrase = { 'insults/abuse': '蠢驴', 'qa-replay/rival': '对家牌子', 'qa-replay/later': '改天再说吧', 'ad-law/absolute-terms': '行业第一' };
    for (const [rule, list] of Object.entries(examples)) {
      assert.equal(list.length, 5, `${rule}: five examples`);
      for (const ex of list) {
        // A rank (行业第一) is told from an ordinal (行业第一次) by the character
        // after it, which the pattern's match, and so the mark, includes.
        assert.equal(ex.marks.length, 1, `${rule}: one hit marked in line ${ex.line}`);
        assert.ok(ex.marks[0] === phrase[rule] || (rule === 'ad-law/absolute-terms' && ex.marks[0].startsWith(phrase[rule]) && ex.marks[0].length <= phrase[rule].length + 2),
          `${rule}: the hit is marked in line ${ex.line}: ${ex.marks}`);
        assert.ok(ex.text.endsWith(lines[ex.line - 1]), `${rule}: example is line ${ex.line} as it is in the file`);
      }
    }
    const all = Object.values(examples).flat();
    assert.ok(all.some((ex) => ex.text.includes('<img src=x onerror="window.__pwned=1">')), 'the HTML payload is shown as text');
    assert.equal(await page.$$eval('#replay-section img', (imgs) => imgs.length), 0, 'no element is injected');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    // Editing the list scans again: the rule that lost its phrase flags nothing.
    const n = await scans();
    await editList(page, REPLAY_LIST.replace('phrases = ["对家牌子"]', 'phrases = ["从来没人说过的词"]'));
    await page.waitForFunction((n) => Number(document.getElementById('replay-section').dataset.scans) > n, n);
    assert.deepEqual(await counts(), { ...expected, 'qa-replay/rival': 0 });
    // Leaving the built-in lists out scans again too.
    await page.uncheck('#with-defaults');
    await page.waitForFunction(() => !document.querySelector('#replay-table tr[data-rule="insults/abuse"]'));
    assert.deepEqual(await counts(), { 'qa-replay/rival': 0, 'qa-replay/later': expected['qa-replay/later'] });
    await page.check('#with-defaults');
  });

  test('pasted replies are scanned from the keyboard', async () => {
    await editList(page, REPLAY_LIST);
    await page.fill('#replies', '你这个蠢驴\n\n改天再说吧\n谢谢您');
    const n = Number(await page.getAttribute('#replay-section', 'data-scans') ?? 0);
    await page.focus('#scan-pasted');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => Number(document.getElementById('replay-section').dataset.scans) > n, n);
    const summary = await page.$eval('#replay-summary', (e) => ({ ...e.dataset }));
    assert.deepEqual([summary.replies, summary.block, summary.warn], ['3', '1', '1']);
  });

  test('a file that is not UTF-8 is refused with a message; what was shown stays', async () => {
    await page.fill('#replies', '你这个蠢驴');
    await page.click('#scan-pasted');
    await page.waitForFunction(() => document.getElementById('replay-summary').dataset.replies === '1');
    const shown = await page.innerText('#replay-section .table-wrap');
    const scans = await page.getAttribute('#replay-section', 'data-scans');
    // 你好，蠢驴 in GBK: not UTF-8.
    const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xa3, 0xac, 0xb4, 0xc0, 0xc2, 0xbf, 0x0a]);
    await page.setInputFiles('#open-replies', { name: 'gbk.txt', mimeType: 'text/plain', buffer: gbk });
    await page.waitForFunction(() => document.getElementById('replay-error').textContent.includes('UTF-8'));
    assert.match(await page.innerText('#replay-error'), /gbk\.txt.*not UTF-8/s);
    assert.equal(await page.getAttribute('#replay-section', 'data-scans'), scans, 'nothing was scanned');
    assert.equal(await page.innerText('#replay-section .table-wrap'), shown, 'what was shown before stays');
    assert.equal(await page.$eval('#replay-summary', (e) => e.dataset.replies), '1');
    // The replies shown are scanned again when the list changes; the message stays.
    await editList(page, REPLAY_LIST);
    assert.ok(Number(await page.getAttribute('#replay-section', 'data-scans')) > Number(scans));
    assert.match(await page.innerText('#replay-error'), /not UTF-8/);
    // Replies read anew clear it.
    await page.click('#scan-pasted');
    assert.equal(await page.innerText('#replay-error'), '');
  });

  test('the list downloads as the text in the editor', async () => {
    await page.fill('#list-name', 'qa-play.toml');
    await page.fill('#list-text', LIST);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-list')]);
    assert.equal(dl.suggestedFilename(), 'qa-play.toml');
    assert.equal(readFileSync(await dl.path(), 'utf8'), LIST);
  });
});
