// End to end: the page as agents and team leads live in it (issue 19), in
// real Chromium (strict page CSP) and Firefox, on the replica. The guard's
// marks follow the box (cleared when it is emptied or sent, drawn again when
// refilled); panels and the queue cover neither the box they are about, its
// send control, nor Weibo's own windows; 修正… changes nothing on ↑/↓ and can
// be undone; reasons read as people write them; 常用回复 in view, whole, never
// doubling Weibo's 回复@; the common questions keep an answer being written
// through newly loaded comments, show no personal data, and count alike;
// Kefu speaks Chinese on weibo.com whatever the browser's language.
//
// The replica's window.__replica hooks only set scenes up (open the chat,
// the post composer); what is asserted is what an agent sees.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, firefox, ROOT } from './drivers.mjs';
import { setBox, clickSend } from './page-helpers.mjs';

const COMPOSER = 'textarea[class*="_input_"]';
const CHAT = 'textarea[class*="Chat_input_"]';
const ZH = JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', 'zh_CN', 'messages.json'), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The queue's shadow root, opened; its tab chosen. */
function openQueue(tab) {
  const root = document.querySelector('#kefu-queue-host').shadowRoot;
  if (root.querySelector('.panel').hidden) root.querySelector('.toggle').click();
  root.querySelector(`[data-tab="${tab ?? 'queue'}"]`).click();
  return true;
}
function closeQueue() {
  const root = document.querySelector('#kefu-queue-host').shadowRoot;
  if (!root.querySelector('.panel').hidden) root.querySelector('.close').click();
  return true;
}

/** What the guard draws for the box at `sel` now. */
function marksOf(sel) {
  const box = document.querySelector(sel);
  const id = box.dataset.kefuBox;
  const overlay = document.querySelector(`[data-kefu-overlay="${id}"]`);
  const bar = document.querySelector(`[data-kefu-bar="${id}"]`);
  const shown = (host) => !!host && !host.hidden && host.isConnected;
  return {
    verdict: box.dataset.kefuVerdict ?? null,
    border: getComputedStyle(box).boxShadow,
    marks: shown(overlay) ? overlay.shadowRoot.querySelectorAll('mark').length : 0,
    findings: shown(bar) ? bar.shadowRoot.querySelectorAll('.chip[data-severity]').length : 0,
    score: shown(bar) ? bar.shadowRoot.querySelectorAll('.score').length : 0,
    severities: shown(bar) ? [...bar.shadowRoot.querySelectorAll('.chip[data-severity]')].map((c) => c.dataset.severity) : [],
  };
}
/** A page function: the marks of the box at its argument, once `cond(marks)` holds. */
const marksWhen = (cond) => new Function('sel', `const m = (${marksOf})(sel); return (${cond})(m) ? m : null;`);
const cleared = (m) => m.verdict === null && m.marks === 0 && m.findings === 0 && m.score === 0 && !/210, 31, 31/.test(m.border);

const RANK = { block: 0, warn: 1, hint: 2 };
const ordered = (sevs) => sevs.every((s, i) => i === 0 || RANK[sevs[i - 1]] <= RANK[s]);

/** Rectangles of the block panel and of what it must not cover. */
function panelAgainst(sel) {
  const host = document.getElementById('kefu-panel-host');
  const p = host?.shadowRoot.querySelector('.panel');
  if (!p) return null;
  const box = document.querySelector(sel);
  let send = null;
  for (let n = box.parentElement; n && !send; n = n.parentElement) send = n.querySelector('button.woo-button-primary');
  const r = (e) => {
    const x = e.getBoundingClientRect();
    return { left: x.left, right: x.right, top: x.top, bottom: x.bottom };
  };
  return {
    panel: r(p), box: r(box), send: r(send), view: { width: innerWidth, height: innerHeight },
    severities: [...p.querySelectorAll('li[data-severity]')].map((li) => li.dataset.severity),
  };
}
const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
/** The distance between two rectangles (0 when they touch or overlap). */
const distance = (a, b) => Math.hypot(Math.max(0, b.left - a.right, a.left - b.right), Math.max(0, b.top - a.bottom, a.top - b.bottom));

const BROWSERS = [
  ['chromium', 'strict', chromium],
  ['firefox', 'none', firefox],
];

for (const [name, csp, launch] of BROWSERS) {
  describe(`a working day in ${name}, page CSP ${csp}`, () => {
    let b;
    before(async () => {
      b = await launch({ csp });
      await b.open('/');
      await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 5, null, 20000);
    });
    after(async () => {
      await b?.close();
    });

    test('Kefu speaks Chinese on weibo.com by default, whatever the browser\'s language', async () => {
      const seen = await b.run(() => {
        const host = document.querySelector('#kefu-queue-host');
        return { lang: host.lang, toggle: host.shadowRoot.querySelector('.toggle').firstChild.textContent, badge: document.querySelector('.kefu-badge').lang };
      });
      assert.deepEqual(seen, { lang: 'zh-CN', toggle: ZH.pageQueueTitle.message, badge: 'zh-CN' });
    });

    test('the guard\'s marks follow the box: cleared when it is emptied or sent, drawn again when refilled', async () => {
      await b.run(() => window.scrollTo(0, 0));
      await b.run(setBox, [COMPOSER, '']);
      await b.type(COMPOSER, '你这个蠢驴，我们保证明天一定到账');
      const drawn = await b.waitFor(marksWhen((m) => m.verdict === 'block' && m.marks > 0 && m.findings > 0), COMPOSER);
      assert.ok(ordered(drawn.severities), `findings block → warn → hint: ${drawn.severities}`);
      // Emptied by the agent.
      await b.run(setBox, [COMPOSER, '']);
      const empty = await b.waitFor(marksWhen((m) => m.verdict === null && m.marks === 0 && m.findings === 0), COMPOSER);
      assert.ok(cleared(empty), JSON.stringify(empty));
      // Refilled: drawn again.
      await b.run(setBox, [COMPOSER, '你这个蠢驴']);
      await b.waitFor(marksWhen((m) => m.marks > 0), COMPOSER);
      // Emptied by the page itself (no input event, as after a send).
      await b.run((sel) => {
        document.querySelector(sel).value = '';
      }, COMPOSER);
      const gone = await b.waitFor(marksWhen((m) => m.verdict === null && m.marks === 0 && m.findings === 0 && m.score === 0), COMPOSER, 3000);
      assert.ok(cleared(gone), JSON.stringify(gone));
    });

    test('a blocked reply\'s panel covers neither the box nor its send button; overridden and sent, the marks go', async () => {
      await b.run(() => window.scrollTo(0, 0));
      await b.run(setBox, [COMPOSER, '']);
      await b.type(COMPOSER, '你这个蠢驴，我们保证明天一定到账');
      await b.waitFor((sel) => document.querySelector(sel).dataset.kefuVerdict === 'block', COMPOSER);
      const sentBefore = await b.run(() => window.__replica.sent.length);
      await b.run(clickSend, COMPOSER);
      const at = await b.waitFor(new Function('sel', `return (${panelAgainst})(sel);`), COMPOSER);
      assert.ok(!overlap(at.panel, at.box), `the panel covers the box: ${JSON.stringify(at)}`);
      assert.ok(distance(at.panel, at.send) >= 12, `the panel sits against the send button: ${JSON.stringify(at)}`);
      assert.ok(at.panel.top >= 0 && at.panel.bottom <= at.view.height, 'the panel is in view');
      assert.ok(ordered(at.severities) && at.severities[0] === 'block', `block first: ${at.severities}`);
      // Override with a reason: sent, and the box's marks go with its text.
      await b.run(() => {
        const root = document.getElementById('kefu-panel-host').shadowRoot;
        const reason = root.querySelector('textarea');
        reason.value = '客户要求原话回复';
        reason.dispatchEvent(new Event('input', { bubbles: true }));
        root.querySelector('[data-action="override"]').click();
      });
      await b.waitFor((n) => window.__replica.sent.length > n, sentBefore);
      await b.waitFor((sel) => document.querySelector(sel).value === '', COMPOSER, 5000);
      const after = await b.waitFor(marksWhen((m) => m.marks === 0 && m.findings === 0), COMPOSER, 3000);
      assert.ok(cleared(after), JSON.stringify(after));
      assert.equal(await b.run(() => !!document.getElementById('kefu-panel-host')), false, 'the panel is gone');
    });

    test('in 私信 the panel leaves the chat input free; the open queue keeps off the chat window, whose input stays clickable', async () => {
      await b.run(() => window.__replica.openChat());
      await b.type(CHAT, '滚蛋');
      await b.waitFor((sel) => document.querySelector(sel)?.dataset.kefuVerdict === 'block', CHAT);
      await b.press(CHAT, 'Enter');
      const at = await b.waitFor(new Function('sel', `return (${panelAgainst})(sel);`), CHAT);
      assert.ok(!overlap(at.panel, at.box), `the panel covers the chat input: ${JSON.stringify(at)}`);
      assert.ok(!overlap(at.panel, at.send), 'the panel covers the chat\'s send button');
      await b.run(() => document.getElementById('kefu-panel-host').shadowRoot.querySelector('[data-action="edit"]').click());
      await b.run(setBox, [CHAT, '']);
      // The queue opened over the chat.
      await b.run(openQueue);
      const seen = await b.waitFor(() => {
        const chat = document.querySelector('[class*="Chat_main_"]').getBoundingClientRect();
        const panel = document.querySelector('#kefu-queue-host').shadowRoot.querySelector('.panel').getBoundingClientRect();
        const box = document.querySelector('textarea[class*="Chat_input_"]');
        const r = box.getBoundingClientRect();
        const atPoint = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return panel.height > 0 ? {
          covers: chat.left < panel.right && panel.left < chat.right && chat.top < panel.bottom && panel.top < chat.bottom,
          inputOnTop: atPoint === box, panelHeight: panel.height,
        } : null;
      });
      assert.equal(seen.covers, false, 'the queue covers the 私信 window');
      assert.equal(seen.inputOnTop, true, 'the chat input is what a click there reaches');
      assert.ok(seen.panelHeight >= 200, 'the queue is still usable');
      await b.click(CHAT);
      await b.run(() => document.querySelector('textarea[class*="Chat_input_"]') === document.activeElement || null);
      await b.run(() => document.querySelector('[class*="Chat_main_"] i[title="关闭"]').click());
      // And over a composer's layer (发微博).
      await b.run(() => window.__replica.openPostComposer());
      const layer = await b.waitFor(() => {
        const w = document.querySelector('.woo-modal-main')?.getBoundingClientRect();
        const panel = document.querySelector('#kefu-queue-host').shadowRoot.querySelector('.panel').getBoundingClientRect();
        const covers = w && w.left < panel.right && panel.left < w.right && w.top < panel.bottom && panel.top < w.bottom;
        return w && !covers ? { covers, width: panel.width } : null;
      }, null, 3000).catch(() => ({ covers: true }));
      assert.equal(layer.covers, false, 'the queue covers the 发微博 layer');
      assert.ok(layer.width >= 280, 'the queue is still usable');
      await b.run(() => document.querySelector('.woo-modal-wrap')?.click());
      await b.run(closeQueue);
    });

    test('修正…: ↑/↓ change nothing, Enter chooses; 撤销 takes the correction back', async () => {
      await b.run(openQueue);
      const before = await b.waitFor(() => {
        const li = document.querySelector('#kefu-queue-host').shadowRoot.querySelector('li.item');
        return li ? { text: li.querySelector('.text').textContent, category: li.dataset.category } : null;
      });
      const itemOf = (text) => {
        const li = [...document.querySelector('#kefu-queue-host').shadowRoot.querySelectorAll('li.item')]
          .find((x) => x.querySelector('.text').textContent === text);
        const root = document.querySelector('#kefu-queue-host').shadowRoot;
        return li ? {
          category: li.dataset.category, corrected: li.querySelector('.line1').textContent,
          focus: root.activeElement?.getAttribute('role') ?? root.activeElement?.dataset.action ?? null,
          menu: !!li.querySelector('[role="menu"]'),
        } : null;
      };
      const feedback = async () => (b.worker ? (await b.worker.evaluate(() => chrome.storage.local.get('feedback'))).feedback?.length ?? 0 : null);
      const logged = await feedback();
      await b.run((text) => {
        const li = [...document.querySelector('#kefu-queue-host').shadowRoot.querySelectorAll('li.item')]
          .find((x) => x.querySelector('.text').textContent === text);
        li.querySelector('[data-action="correct"]').focus();
      }, before.text);
      await b.keys('Enter');
      const open = await b.waitFor(new Function('t', `const x = (${itemOf})(t); return x?.menu ? x : null;`), before.text);
      assert.equal(open.focus, 'menuitem', 'the focus is in the menu');
      await b.keys('ArrowDown', 'ArrowDown', 'ArrowUp', 'ArrowDown');
      await sleep(400);
      const moved = await b.run(new Function('t', `return (${itemOf})(t);`), before.text);
      assert.equal(moved.category, before.category, '↑/↓ changed the category');
      assert.ok(!moved.corrected.includes(ZH.pageCorrected.message), '↑/↓ recorded a correction');
      assert.equal(await feedback(), logged, '↑/↓ logged feedback');
      // Enter on the third choice (the categories come first): 提问, or if
      // it was one already, still a correction recorded.
      await b.keys('Enter');
      const chosen = await b.waitFor(new Function('t', `const x = (${itemOf})(t); return x && !x.menu && /${ZH.pageCorrected.message}/.test(x.corrected) ? x : null;`), before.text);
      assert.equal(chosen.category, 'question');
      if (b.worker) {
        const deadline = Date.now() + 5000;
        while ((await feedback()) !== logged + 1 && Date.now() < deadline) await sleep(100);
        assert.equal(await feedback(), logged + 1, 'the correction is logged');
      }
      // 撤销.
      await b.run(() => document.querySelector('#kefu-queue-host').shadowRoot.querySelector('.status button.undo').click());
      const undone = await b.waitFor(new Function('t', `const x = (${itemOf})(t); return x && !/${ZH.pageCorrected.message}/.test(x.corrected) ? x : null;`), before.text);
      assert.equal(undone.category, before.category);
      if (b.worker) {
        const deadline = Date.now() + 5000;
        while ((await feedback()) !== logged && Date.now() < deadline) await sleep(100);
        assert.equal(await feedback(), logged, 'the feedback entry is taken out');
      }
      await b.run(closeQueue);
    });

    test('reasons read as people write them; the company\'s replies are answers; every count says what it counts', async () => {
      await b.run(openQueue);
      const seen = await b.waitFor(() => {
        const badges = [...document.querySelectorAll('.kefu-badge')];
        const own = [...document.querySelectorAll('.item2')].filter((i) => i.querySelector('.text a[usercard="5012345678"]'));
        if (!own.length) {
          window.scrollBy(0, 400);
          return null;
        }
        if (own.some((i) => !i.querySelector('.kefu-badge'))) return null;
        const root = document.querySelector('#kefu-queue-host').shadowRoot;
        const more = root.querySelector('.more');
        return {
          titles: badges.map((x) => x.title),
          safety: badges.filter((x) => x.closest('[data-kefu-category="safety"]')?.querySelector('.kefu-badge') === x).map((x) => x.title),
          own: own.map((i) => ({ badge: i.querySelector('.kefu-badge')?.textContent, dim: i.hasAttribute('data-kefu-dim') })),
          reasons: [...root.querySelectorAll('li.item .reasons')].map((x) => x.textContent),
          count: root.querySelector('.toggle .n').textContent,
          more: { nowrap: getComputedStyle(more).whiteSpace, fits: more.scrollWidth <= more.clientWidth + 1, rects: more.getClientRects().length, h: more.getBoundingClientRect().height },
        };
      }, null, 20000);
      for (const text of [...seen.titles, ...seen.reasons]) assert.doesNotMatch(text, /\d{4,} ?分钟/, `minutes by the thousand: ${text}`);
      for (const text of seen.safety) assert.doesNotMatch(text, /称赞：/, `praise on a safety comment: ${text}`);
      for (const text of [...seen.titles, ...seen.reasons]) assert.doesNotMatch(text, /：(\p{Script=Han}{1,2}、)+\p{Script=Han}{1,2}(\n|$|；)/u, `fragments: ${text}`);
      for (const o of seen.own) assert.deepEqual(o, { badge: ZH.pageOfficialReply.message, dim: false });
      assert.match(seen.count, new RegExp(ZH.pageToggleCount.message.replace('$1', '\\d+')));
      assert.equal(seen.more.nowrap, 'nowrap');
      assert.ok(seen.more.fits && seen.more.h < 30, `加载更多评论 on one line: ${JSON.stringify(seen.more)}`);
      await b.run(closeQueue);
    });

    test('常用回复: in view near the bottom, whole, closed by scrolling; no 回复@ doubled, no 「@ 您好」, no 「亲」 to a complaint', async () => {
      await b.reload();
      await b.waitFor(() => document.querySelectorAll('.item1[data-kefu-urgency]').length >= 5, null, 20000);
      // A complaint's reply box, opened through the page's own reply icon, near the bottom of the window.
      const opened = await b.waitFor(() => {
        const item = [...document.querySelectorAll('.item1')].find((i) => i.dataset.kefuCategory === 'complaint'
          && i.getBoundingClientRect().top > 80 && i.getBoundingClientRect().bottom < innerHeight);
        if (!item) {
          window.scrollBy(0, 300);
          return null;
        }
        let box = item.querySelector('textarea');
        if (!box && window.__openedFor !== item) {
          window.__openedFor = item;
          item.querySelector('i.woo-font--comment[title="评论"]').click();
          box = item.querySelector('textarea');
        }
        if (!box) return null;
        box.scrollIntoView({ block: 'end' });
        window.scrollBy(0, -10);
        box.focus();
        return box.dataset.kefuBox ? { id: box.dataset.kefuBox, author: item.querySelector('.text a[usercard]').textContent.trim() } : null;
      }, null, 15000);
      const { id, author } = opened;
      await b.waitFor((i) => !!document.querySelector(`[data-kefu-bar="${i}"]`)?.shadowRoot.querySelector('.chip.canned'), id);
      const menu = await b.waitFor((i) => {
        const chip = document.querySelector(`[data-kefu-bar="${i}"]`).shadowRoot.querySelector('.chip.canned');
        chip.scrollIntoView({ block: 'end' });
        chip.click();
        const tip = document.querySelector(`[data-kefu-overlay="${i}"]`).shadowRoot.querySelector('.tip');
        if (tip.hidden) return null;
        const r = tip.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, view: innerHeight, texts: [...tip.querySelectorAll('button')].map((x) => x.textContent) };
      }, id);
      assert.ok(menu.top >= 0 && menu.bottom <= menu.view, `the menu is in view: ${JSON.stringify(menu)}`);
      assert.ok(menu.texts.length && menu.texts.every((x) => !x.endsWith('…')), 'every reply whole');
      assert.ok(menu.texts.every((x) => !x.startsWith('@') && !x.includes(`@${author}`)), `no @name in a reply box: ${menu.texts}`);
      assert.ok(menu.texts.every((x) => !/亲，您好|^亲/.test(x)), 'no 亲 to a complaint');
      // Scrolling the page closes it.
      await b.run(() => window.scrollBy(0, 60));
      await b.waitFor((i) => document.querySelector(`[data-kefu-overlay="${i}"]`).shadowRoot.querySelector('.tip').hidden, id);
      // 发微博: no name, so no 「@ 您好」.
      await b.run(() => window.__replica.openPostComposer());
      const post = 'textarea[class*="Form_input_"]';
      await b.click(post);
      const texts = await b.waitFor((sel) => {
        const box = document.querySelector(sel);
        const chip = document.querySelector(`[data-kefu-bar="${box.dataset.kefuBox}"]`)?.shadowRoot.querySelector('.chip.canned');
        if (!chip) return null;
        chip.click();
        return [...document.querySelector(`[data-kefu-overlay="${box.dataset.kefuBox}"]`).shadowRoot.querySelectorAll('.tip button')].map((x) => x.textContent);
      }, post);
      assert.ok(texts.length && texts.every((x) => !/@\s|^@|@您好/.test(x)), `no empty @ in 发微博: ${texts}`);
      await b.run(() => document.querySelector('.woo-modal-wrap')?.click());
    });

    test('常见问题: no personal data in a group; an answer being written survives newly loaded comments; one count everywhere', async () => {
      await b.run(() => window.scrollTo(0, 0));
      await b.run(openQueue, 'clusters');
      await b.waitFor(() => document.querySelector('#kefu-queue-host').shadowRoot.querySelector('li.cluster textarea'));
      await b.run(() => {
        const ta = document.querySelector('#kefu-queue-host').shadowRoot.querySelector('li.cluster textarea');
        ta.kefuTestMark = true;
        ta.focus();
      });
      await b.keys('a', 'b', 'c');
      // New comments come (as Weibo's JSON does): the same question, with
      // a phone number and an e-mail in them.
      const size = await b.run(() => Number(document.querySelector('#kefu-queue-host').shadowRoot.querySelector('li.cluster').dataset.size));
      await b.run(() => {
        const now = new Date().toString().replace(/ GMT([+-]\d{4}).*$/, ' $1').replace(/^(\w{3}) (\w{3}) (\d{2}) (\d{4}) (.*)$/, '$1 $2 $3 $5 $4');
        const comments = [
          { id: '9000000000000001', uid: '7000000001', screen_name: '测试用户甲', text_raw: '退款什么时候到账？我的手机13812345678，急', created_at: now },
          { id: '9000000000000002', uid: '7000000002', screen_name: '测试用户乙', text_raw: '请问退款什么时候到账啊，邮箱li.ming@example.com', created_at: now },
        ];
        document.dispatchEvent(new CustomEvent('kefu:comments', { detail: JSON.stringify({ comments }) }));
      });
      await b.waitFor((n) => [...document.querySelector('#kefu-queue-host').shadowRoot.querySelectorAll('li.cluster')]
        .some((li) => li.textContent.includes('测试用户甲')) || null, size, 10000);
      await b.keys('d');
      const state = await b.run(() => {
        const root = document.querySelector('#kefu-queue-host').shadowRoot;
        const ta = root.activeElement;
        const li = ta?.closest('li.cluster');
        return {
          same: !!ta?.kefuTestMark, value: ta?.value, caret: ta?.selectionStart,
          text: root.querySelector('ol').textContent, size: li?.dataset.size, head: li?.querySelector('h3').textContent, go: li?.querySelector('button.primary').textContent,
        };
      });
      assert.equal(state.same, true, 'the answer box is the same element, focused');
      assert.equal(state.value, 'abcd');
      assert.equal(state.caret, 4);
      assert.doesNotMatch(state.text, /13812345678|li\.ming@example\.com/, 'no phone number or e-mail in the group');
      assert.ok(state.head.startsWith(ZH.pageClusterHead.message.replace(/\$1.*/, '') + state.size), state.head);
      assert.equal(state.go, ZH.pageClusterGo.message.replace('$1', state.size));
      // The flow counts the same comments.
      await b.run(() => {
        const root = document.querySelector('#kefu-queue-host').shadowRoot;
        root.activeElement.closest('li.cluster').querySelector('button.primary').click();
      });
      const step = await b.waitFor(() => document.querySelector('#kefu-queue-host').shadowRoot.querySelector('.flow:not([hidden])')?.textContent || null);
      assert.match(step, new RegExp(ZH.pageFlowStep.message.replace('$1', '1').replace('$2', state.size).replace('$3', '')));
      await b.waitFor(() => {
        const stop = [...document.querySelector('#kefu-queue-host').shadowRoot.querySelectorAll('.flow button')].pop();
        stop?.click();
        return !!stop;
      }, null, 15000);
      await sleep(6000); // the jump under way ends
    });
  });
}
