// The queue: a side panel (in a shadow root) listing the unanswered
// comments urgent-first, then oldest, with counts per category, a filter,
// jump-to, handled / corrected, escalation; and the common questions
// (clusters) with an answer-to-each flow that posts one answer to every
// comment of a cluster through the page's own reply box, the agent
// confirming each send, every one checked by the guard.
// Reads the store of comments.js; sends nothing to Weibo itself.

(() => {
  'use strict';

  const { settings, settingsListeners, WORDS, URGENCIES, CATEGORIES, el, ageWords, shadowHost } = globalThis.Kefu;
  const C = globalThis.Kefu.comments;
  const S = globalThis.KefuSelectors;

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .toggle { position: fixed; right: 0; top: 40%; z-index: 2147483600; writing-mode: vertical-rl;
      background: #ff8200; color: #fff; border: 0; border-radius: 6px 0 0 6px; padding: 10px 5px; cursor: pointer;
      font: 13px/1.2 system-ui, "Noto Sans CJK SC", sans-serif; box-shadow: 0 2px 8px rgba(0,0,0,.2); }
    .toggle .n { writing-mode: horizontal-tb; display: inline-block; background: #fff; color: #d21f1f; border-radius: 8px; padding: 0 4px; margin-top: 4px; font-size: 11px; }
    .panel { position: fixed; right: 0; top: 60px; bottom: 0; width: 380px; max-width: 100vw; z-index: 2147483601;
      background: #fff; color: #222; border-left: 1px solid #e3e3e3; box-shadow: -4px 0 16px rgba(0,0,0,.08);
      display: flex; flex-direction: column; font: 13px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; }
    header { padding: 10px 12px 6px; border-bottom: 1px solid #eee; }
    h2 { margin: 0; font-size: 15px; color: #ff8200; display: flex; justify-content: space-between; align-items: center; }
    .close { border: 0; background: none; font-size: 18px; cursor: pointer; color: #888; }
    .tabs { display: flex; gap: 12px; margin-top: 6px; }
    .tabs button { border: 0; background: none; padding: 2px 0; cursor: pointer; font: inherit; color: #666; border-bottom: 2px solid transparent; }
    .tabs button[aria-selected="true"] { color: #222; border-bottom-color: #ff8200; font-weight: 600; }
    .meta { color: #888; font-size: 12px; margin-top: 4px; display: flex; justify-content: space-between; gap: 6px; align-items: center; }
    .counts { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
    .counts button { font: 12px/1.6 inherit; border: 1px solid #ddd; border-radius: 10px; background: #fafafa; padding: 0 8px; cursor: pointer; }
    .counts button[aria-pressed="true"] { border-color: #ff8200; background: #fff3e6; }
    .filters { display: flex; gap: 6px; margin-top: 6px; align-items: center; font-size: 12px; }
    .filters input[type=search] { flex: 1; font: inherit; padding: 2px 6px; border: 1px solid #ddd; border-radius: 4px; }
    ol { list-style: none; margin: 0; padding: 0; overflow: auto; flex: 1; }
    li.item { padding: 8px 12px; border-bottom: 1px solid #f0f0f0; }
    li.item:focus-within { background: #fffaf3; }
    .line1 { display: flex; gap: 6px; align-items: center; font-size: 12px; }
    .u { color: #fff; border-radius: 8px; padding: 0 6px; background: #8a8a8a; }
    .u.critical { background: #d21f1f; } .u.high { background: #ec6a00; } .u.normal { background: #2f6fd6; } .u.low { background: #4c9a5a; }
    .age { margin-left: auto; color: #888; }
    .age.amber { color: #b26b00; font-weight: 600; } .age.red { color: #d21f1f; font-weight: 600; }
    .who { color: #eb7350; }
    .text { margin: 2px 0; word-break: break-all; }
    .reasons { color: #777; font-size: 12px; }
    .actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
    .actions button, .actions select, .flow button, .cluster button { font: 12px/1.6 inherit; border: 1px solid #ccc; border-radius: 4px; background: #fff; padding: 0 8px; cursor: pointer; }
    .actions button.primary, .flow button.primary, .cluster button.primary { background: #ff8200; border-color: #ff8200; color: #fff; }
    button:focus-visible, select:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid #1d6fe0; outline-offset: 1px; }
    .empty { padding: 20px 12px; color: #888; }
    .cluster { padding: 8px 12px; border-bottom: 1px solid #f0f0f0; }
    .cluster h3 { margin: 0; font-size: 13px; }
    .cluster ul { margin: 4px 0; padding-left: 16px; color: #555; font-size: 12px; max-height: 120px; overflow: auto; }
    .cluster textarea, .flow textarea { width: 100%; min-height: 4em; font: inherit; margin-top: 4px; }
    .flow { padding: 10px 12px; border-top: 2px solid #ff8200; background: #fffaf3; }
    .flow .warn { color: #b26b00; }
    .status { font-size: 12px; color: #2d7d3a; min-height: 1.5em; padding: 0 12px; }
    [hidden] { display: none !important; }`;

  const GREETINGS = ['您好', '亲，您好', '你好呀', '感谢关注', '抱歉让您久等了'];

  const { host, root } = shadowHost('kefu-queue-host', CSS);
  const state = { open: false, tab: 'queue', category: null, showNoise: false, search: '', flow: null };

  const toggle = el('button', '客服队列', 'toggle', { type: 'button', 'aria-controls': 'kefu-queue', 'aria-expanded': 'false' });
  const badgeN = el('span', '0', 'n');
  toggle.append(badgeN);
  const panel = el('section', null, 'panel', { id: 'kefu-queue', 'aria-label': '客服队列' });
  panel.hidden = true;
  root.append(toggle, panel);

  const header = el('header');
  const title = el('h2', '客服队列');
  const close = el('button', '×', 'close', { type: 'button', 'aria-label': '关闭' });
  title.append(close);
  const tabs = el('div', null, 'tabs', { role: 'tablist' });
  const tabQueue = el('button', '待回复', null, { role: 'tab', type: 'button', 'data-tab': 'queue' });
  const tabClusters = el('button', '常见问题', null, { role: 'tab', type: 'button', 'data-tab': 'clusters' });
  tabs.append(tabQueue, tabClusters);
  const meta = el('div', null, 'meta');
  const covered = el('span');
  const more = el('button', '加载更多评论', null, { type: 'button' });
  meta.append(covered, more);
  const counts = el('div', null, 'counts', { 'aria-label': '按类别筛选' });
  const filters = el('div', null, 'filters');
  const search = el('input', null, null, { type: 'search', placeholder: '搜索评论', 'aria-label': '搜索评论' });
  const noiseLabel = el('label');
  const noiseBox = el('input', null, null, { type: 'checkbox' });
  noiseLabel.append(noiseBox, document.createTextNode('显示忽略'));
  filters.append(search, noiseLabel);
  header.append(title, tabs, meta, counts, filters);
  const status = el('div', null, 'status', { role: 'status', 'aria-live': 'polite' });
  const list = el('ol', null, null, { 'aria-label': '待回复的评论，紧急的在前' });
  const flowBox = el('div', null, 'flow');
  flowBox.hidden = true;
  panel.append(header, status, list, flowBox);

  function setOpen(open) {
    state.open = open;
    panel.hidden = !open;
    toggle.hidden = open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) render();
  }
  toggle.addEventListener('click', () => setOpen(true));
  close.addEventListener('click', () => setOpen(false));
  for (const t of [tabQueue, tabClusters]) {
    t.addEventListener('click', () => {
      state.tab = t.dataset.tab;
      render();
    });
  }
  search.addEventListener('input', () => {
    state.search = search.value.trim();
    render();
  });
  noiseBox.addEventListener('change', () => {
    state.showNoise = noiseBox.checked;
    render();
  });
  more.addEventListener('click', () => {
    // Kefu sends nothing to Weibo: it asks the page to use its own "load more".
    const link = [...document.querySelectorAll(S.loadMore)].find((n) => n.offsetParent !== null)
      ?? [...document.querySelectorAll('a, button')].find((n) => /加载更多|查看更多评论/.test(n.textContent ?? ''));
    if (link) {
      link.click();
      say('已请求页面加载更多评论');
    } else {
      say('页面上没有「加载更多」，评论可能已全部加载');
    }
  });

  function say(text) {
    status.textContent = text;
  }

  // ---- what the queue shows -------------------------------------------------

  function ageMinutes(e) {
    return e.created ? (Date.now() - e.created) / 60000 : null;
  }

  function ageClass(e, r) {
    const m = ageMinutes(e);
    const target = settings.targets[r.urgency];
    if (m == null || !target) return '';
    if (m >= target) return 'red';
    if (m >= target / 2) return 'amber';
    return '';
  }

  /** Unanswered, triaged entries, urgent first then oldest. */
  function queueEntries() {
    const isAnswered = C.answeredTest();
    const out = [];
    for (const e of C.store.values()) {
      const r = C.judged(e);
      if (!r || isAnswered(e)) continue;
      out.push({ e, r });
    }
    out.sort((a, b) => URGENCIES.indexOf(a.r.urgency) - URGENCIES.indexOf(b.r.urgency)
      || (a.e.created ?? Infinity) - (b.e.created ?? Infinity)
      || a.e.order - b.e.order);
    return out;
  }

  function render() {
    const all = queueEntries();
    const visible = all.filter(({ r }) => state.showNoise || r.urgency !== 'noise');
    badgeN.textContent = String(visible.filter(({ r }) => r.urgency === 'critical' || r.urgency === 'high').length);
    if (!state.open) return;
    tabQueue.setAttribute('aria-selected', String(state.tab === 'queue'));
    tabClusters.setAttribute('aria-selected', String(state.tab === 'clusters'));
    covered.textContent = `已读取页面上已加载的 ${C.store.size} 条评论，待回复 ${visible.length} 条`;
    counts.hidden = filters.hidden = state.tab !== 'queue';
    if (state.tab === 'clusters') {
      renderClusters(all);
      return;
    }
    const byCat = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    for (const { r } of visible) byCat[r.category] += 1;
    counts.replaceChildren(...CATEGORIES.filter((c) => byCat[c] > 0).map((c) => {
      const b = el('button', `${WORDS.category[c]} ${byCat[c]}`, null, { type: 'button', 'aria-pressed': String(state.category === c), 'data-category': c });
      b.addEventListener('click', () => {
        state.category = state.category === c ? null : c;
        render();
      });
      return b;
    }));
    const shown = visible.filter(({ e, r }) => (!state.category || r.category === state.category)
      && (!state.search || e.text.includes(state.search) || (e.name ?? '').includes(state.search)));
    if (!shown.length) {
      list.replaceChildren(el('li', '没有待回复的评论', 'empty'));
      return;
    }
    list.replaceChildren(...shown.slice(0, 300).map(itemView));
  }

  function itemView({ e, r }) {
    const li = el('li', null, 'item', { 'data-urgency': r.urgency, 'data-category': r.category });
    const line1 = el('div', null, 'line1');
    line1.append(el('span', WORDS.urgency[r.urgency], `u ${r.urgency}`), el('span', WORDS.category[r.category]));
    if (r.corrected) line1.append(el('span', '已修正', 'reasons'));
    const m = ageMinutes(e);
    line1.append(el('span', m == null ? '' : `${ageWords(m)}前`, `age ${ageClass(e, r)}`, { title: `回复目标：${settings.targets[r.urgency] ?? '—'} 分钟` }));
    li.append(line1);
    const text = el('div', null, 'text');
    text.append(el('span', `${e.name ?? ''}：`, 'who'), el('span', e.text.length > 120 ? `${e.text.slice(0, 120)}…` : e.text));
    li.append(text);
    li.append(el('div', r.reasons.join('；'), 'reasons'));
    const actions = el('div', null, 'actions');
    const jump = el('button', '跳转并回复', 'primary', { type: 'button' });
    jump.addEventListener('click', () => jumpTo(e.key, { reply: true, category: r.category }));
    const done = el('button', '已处理', null, { type: 'button' });
    done.addEventListener('click', () => {
      C.handle(e.key);
      say('已标记为已处理');
    });
    const fix = el('select', null, null, { 'aria-label': '修正类别或紧急程度' });
    fix.append(el('option', '修正…', null, { value: '' }));
    for (const c of CATEGORIES) fix.append(el('option', `类别：${WORDS.category[c]}`, null, { value: `category:${c}` }));
    for (const u of URGENCIES) fix.append(el('option', `紧急程度：${WORDS.urgency[u]}`, null, { value: `urgency:${u}` }));
    fix.addEventListener('change', () => {
      const [field, value] = fix.value.split(':');
      if (field) {
        C.correct(e.key, { [field]: value });
        say('已修正，并记录为分诊反馈');
      }
    });
    const escalate = el('button', '转交', null, { type: 'button', title: '复制说明并打开该类别的联系人' });
    escalate.addEventListener('click', () => escalateEntry(e, r));
    actions.append(jump, done, fix, escalate);
    li.append(actions);
    return li;
  }

  // ---- escalation -------------------------------------------------------------

  async function escalateEntry(e, r) {
    const note = [
      `【客服转交】${WORDS.category[r.category]} · ${WORDS.urgency[r.urgency]}`,
      `链接：${location.href}`,
      `用户：${e.name ?? ''}（${e.uid ?? ''}）`,
      `内容：${e.text}`,
      `原因：${r.reasons.join('；')}`,
    ].join('\n');
    try {
      await navigator.clipboard.writeText(note);
    } catch {
      // Clipboard refused (no user activation): the note is shown instead.
    }
    const contact = settings.escalation?.[r.category];
    if (contact) {
      const url = /^[^@\s]+@[^@\s]+$/.test(contact)
        ? `mailto:${contact}?subject=${encodeURIComponent(`客服转交：${WORDS.category[r.category]}`)}&body=${encodeURIComponent(note)}`
        : contact;
      if (/^(mailto:|https:)/.test(url)) window.open(url, '_blank', 'noopener');
      say(`已复制转交说明，并打开联系人：${contact}`);
    } else {
      say('已复制转交说明（此类别未设置联系人，可在设置中添加）');
    }
  }

  // ---- jump to a comment ---------------------------------------------------------

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Rows of the recycling scroller that are on screen, with their list index. */
  function activeRows() {
    return [...document.querySelectorAll(S.scrollerRow)]
      .filter((n) => n.dataset.active !== 'false' && n.getBoundingClientRect().height > 0)
      .map((n) => ({ n, index: Number(n.dataset.index), rect: n.getBoundingClientRect() }))
      .filter((x) => Number.isFinite(x.index));
  }

  /** Index of a top-level comment in the page's list (order of its JSON). */
  function listIndex(key) {
    const top = [...C.store.values()].filter((x) => x.json && !x.rootid).sort((a, b) => a.order - b.order);
    return top.findIndex((x) => x.key === key);
  }

  /**
   * Scrolls the page to a comment and (optionally) opens its reply box. The
   * scroller renders only rows near the screen, so it steers by the rows'
   * data-index until the comment's row exists.
   */
  async function jumpTo(key, { reply = false } = {}) {
    let e = C.store.get(key);
    if (!e) return false;
    // A nested reply lives under its root comment's row.
    let rootKey = key;
    if (e.rootid) {
      const root = [...C.store.values()].find((x) => x.id === e.rootid);
      if (root) rootKey = root.key;
    }
    const target = listIndex(rootKey);
    for (let tries = 0; tries < 40; tries += 1) {
      const row = C.rowOf(key) ?? (rootKey !== key ? C.rowOf(rootKey) : null);
      if (row && row.getBoundingClientRect().top > -5000) {
        row.scrollIntoView({ block: 'center' });
        await sleep(120);
        const again = C.rowOf(key) ?? row;
        again.scrollIntoView({ block: 'center' });
        if (reply) await openReply(again);
        return true;
      }
      const rows = activeRows();
      if (!rows.length || target < 0) break;
      const first = rows.reduce((a, b) => (a.index < b.index ? a : b));
      const last = rows.reduce((a, b) => (a.index > b.index ? a : b));
      const span = Math.max(1, last.index - first.index);
      const avg = Math.max(40, (last.rect.bottom - first.rect.top) / (span + 1));
      const anchor = target < first.index ? first : last;
      window.scrollBy(0, (target - anchor.index) * avg + (anchor.rect.top - 120));
      await sleep(120);
    }
    say('没有在页面上找到这条评论（可能已被删除，或需要先加载更多）');
    return false;
  }

  async function openReply(row) {
    const icon = [...row.querySelectorAll(S.replyIcon)].find((i) => i.closest(S.commentItem) === row);
    const existing = () => [...row.querySelectorAll(S.textBox)].find((t) => t.closest(S.commentItem) === row);
    if (!existing() && icon) {
      (icon.closest('button, a, [role="button"]') ?? icon).click();
    }
    for (let i = 0; i < 20 && !existing(); i += 1) await sleep(50);
    const box = existing();
    box?.focus();
    return box ?? null;
  }

  // ---- common questions -------------------------------------------------------------

  function clusters(entries) {
    const by = new Map();
    for (const x of entries) {
      if (x.r.cluster == null) continue;
      if (!by.has(x.r.cluster)) by.set(x.r.cluster, []);
      by.get(x.r.cluster).push(x);
    }
    return [...by.values()].filter((m) => m.length >= 2).sort((a, b) => b.length - a.length);
  }

  function renderClusters(entries) {
    const groups = clusters(entries);
    if (!groups.length) {
      list.replaceChildren(el('li', '还没有多人问的同一个问题', 'empty'));
      return;
    }
    list.replaceChildren(...groups.map((members) => {
      const li = el('li', null, 'cluster', { 'data-size': String(members.length) });
      li.append(el('h3', `${members.length} 人在问：${members[0].e.text.slice(0, 40)}`));
      const ul = el('ul');
      for (const { e } of members) ul.append(el('li', `${e.name ?? ''}：${e.text}`));
      li.append(ul);
      const answer = el('textarea', null, null, { 'aria-label': '写一次回答，逐条回复给他们', placeholder: '写一次回答，逐条回复给他们' });
      const vary = el('label');
      const varyBox = el('input', null, null, { type: 'checkbox' });
      varyBox.checked = true;
      vary.append(varyBox, document.createTextNode('每条换一个问候语（避免同质化）'));
      const go = el('button', `逐条回复（${members.length}）`, 'primary', { type: 'button' });
      go.addEventListener('click', () => {
        if (!answer.value.trim()) {
          say('请先写好回答');
          return;
        }
        startFlow(members.map((m) => m.e.key), answer.value.trim(), varyBox.checked);
      });
      li.append(answer, vary, el('div'), go);
      return li;
    }));
  }

  // ---- answer to each -----------------------------------------------------------------

  function replyFor(flow, i, e) {
    const greeting = flow.vary ? GREETINGS[i % GREETINGS.length] : '您好';
    return `${greeting}，${flow.answer}`.replace(/\{name\}/g, e.name ?? '');
  }

  function startFlow(keys, answer, vary) {
    state.flow = { keys, answer, vary, i: 0, sent: [] };
    stepFlow();
  }

  async function stepFlow() {
    const flow = state.flow;
    if (!flow) return;
    if (flow.i >= flow.keys.length) {
      flowBox.replaceChildren(el('div', `完成：已回复 ${flow.sent.length} / ${flow.keys.length} 条`));
      state.flow = null;
      setTimeout(() => {
        flowBox.hidden = true;
      }, 4000);
      return;
    }
    const key = flow.keys[flow.i];
    const e = C.store.get(key);
    flowBox.hidden = false;
    flowBox.replaceChildren(el('div', `第 ${flow.i + 1} / ${flow.keys.length} 条：${e?.name ?? ''}：${(e?.text ?? '').slice(0, 40)}`));
    const found = e && (await jumpTo(key, { reply: true }));
    const row = found ? C.rowOf(key) : null;
    const box = row ? [...row.querySelectorAll(S.textBox)].find((t) => t.closest(S.commentItem) === row) : null;
    if (!box) {
      flowBox.append(el('div', '无法打开这条评论的回复框，已跳过', 'warn'));
      flow.i += 1;
      setTimeout(stepFlow, 800);
      return;
    }
    const text = replyFor(flow, flow.i, e);
    if (flow.sent.includes(text)) flowBox.append(el('div', '注意：这条回复与前面的一条完全相同，微博会惩罚同质化内容', 'warn'));
    box.focus();
    box.select();
    if (!document.execCommand('insertText', false, text)) {
      box.value = text;
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    flow.box = box;
    flow.text = text;
    flowBox.append(el('div', '检查无误后，请在回复框中点「回复」或按 Ctrl+Enter 发送。'));
    const skip = el('button', '跳过这条', null, { type: 'button' });
    skip.addEventListener('click', () => {
      flow.i += 1;
      stepFlow();
    });
    const stop = el('button', '结束', null, { type: 'button' });
    stop.addEventListener('click', () => {
      state.flow = null;
      flowBox.hidden = true;
    });
    const actions = el('div', null, 'actions');
    actions.append(skip, stop);
    flowBox.append(actions);
  }

  // A send from the flow's box went out (the guard let it through and the
  // page took the text): that comment is answered; on to the next.
  Kefu.guard.onSent.push((box, text) => {
    const flow = state.flow;
    if (!flow || box !== flow.box) return;
    flow.sent.push(text);
    C.handle(flow.keys[flow.i]);
    flow.box = null;
    flow.i += 1;
    setTimeout(stepFlow, 500);
  });

  C.listeners.push(render);
  settingsListeners.push(render);
  document.documentElement.append(host);
  globalThis.Kefu.queue = { open: () => setOpen(true), jumpTo, render };
})();
