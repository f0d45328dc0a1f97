// The queue: a side panel (in a shadow root) listing the unanswered
// comments urgent-first, then oldest, with counts per category, a filter,
// jump-to, handled / corrected, escalation; and the common questions
// (clusters) with an answer-to-each flow that posts one answer to every
// comment of a cluster through the page's own reply box, the agent
// confirming each send, every one checked by the guard.
// Reads the store of comments.js; sends nothing to Weibo itself.

globalThis.Kefu.boot(() => {
  'use strict';

  const { settings, settingsListeners, t, WORDS, URGENCIES, CATEGORIES, el, ageWords, shadowHost } = globalThis.Kefu;
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
    li.item:focus-within { background: #fffaf3; box-shadow: inset 3px 0 0 #1d6fe0; }
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
    button:focus-visible, select:focus-visible, input:focus-visible, textarea:focus-visible, [tabindex]:focus-visible { outline: 2px solid #1d6fe0; outline-offset: 1px; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .empty { padding: 20px 12px; color: #888; }
    .cluster { padding: 8px 12px; border-bottom: 1px solid #f0f0f0; }
    .cluster h3 { margin: 0; font-size: 13px; }
    .cluster ul { margin: 4px 0; padding-left: 16px; color: #555; font-size: 12px; max-height: 120px; overflow: auto; }
    .cluster textarea, .flow textarea { width: 100%; min-height: 4em; font: inherit; margin-top: 4px; }
    .flow { padding: 10px 12px; border-top: 2px solid #ff8200; background: #fffaf3; }
    .flow .warn { color: #b26b00; }
    .status { font-size: 12px; color: #2d7d3a; min-height: 1.5em; padding: 0 12px; }
    [hidden] { display: none !important; }`;

  // Greetings are words of the reply itself (posted to Chinese customers),
  // not of Kefu's UI: they stay Chinese whatever the agent's language. A
  // complaint or a safety comment is answered with an apology, never 「亲」.
  const GREETINGS = { sorry: ['非常抱歉让您久等了', '给您添麻烦了，非常抱歉', '很抱歉给您带来不便', '抱歉让您遇到这样的情况'], plain: ['您好', '亲，您好', '你好呀', '感谢关注'] };
  const greetingsFor = (category) => (category === 'complaint' || category === 'safety' ? GREETINGS.sorry : GREETINGS.plain);
  /** Alt+Shift+K opens the queue (or closes it) from anywhere on the page. */
  const SHORTCUT = (e) => e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyK' || e.key?.toLowerCase() === 'k');

  const { host, root } = shadowHost('kefu-queue-host', CSS);
  const state = { open: false, tab: 'queue', category: null, showNoise: false, search: '', flow: null, answers: {}, vary: {}, menu: null };

  const toggle = el('button', t('pageQueueTitle'), 'toggle', {
    type: 'button', 'aria-controls': 'kefu-queue', 'aria-expanded': 'false', 'aria-keyshortcuts': 'Alt+Shift+K', title: t('pageQueueShortcut'),
  });
  // The number says what it counts (「紧急 3」), not a bare figure.
  const badgeN = el('span', t('pageToggleCount', 0), 'n');
  toggle.append(badgeN);
  const panel = el('section', null, 'panel', { id: 'kefu-queue', role: 'region', 'aria-labelledby': 'kefu-queue-title' });
  panel.hidden = true;
  root.append(toggle, panel);

  const header = el('header');
  const title = el('h2', null, null, { id: 'kefu-queue-title' });
  title.append(el('span', t('pageQueueTitle')));
  const close = el('button', '×', 'close', { type: 'button', 'aria-label': t('pageClose') });
  title.append(close);
  const tabs = el('div', null, 'tabs', { role: 'tablist' });
  const tabQueue = el('button', t('pageTabQueue'), null, { role: 'tab', type: 'button', 'data-tab': 'queue', id: 'kefu-tab-queue', 'aria-controls': 'kefu-list' });
  const tabClusters = el('button', t('pageTabClusters'), null, { role: 'tab', type: 'button', 'data-tab': 'clusters', id: 'kefu-tab-clusters', 'aria-controls': 'kefu-list' });
  tabs.append(tabQueue, tabClusters);
  const meta = el('div', null, 'meta');
  const covered = el('span', null, 'covered');
  const more = el('button', t('pageLoadMore'), 'more', { type: 'button', part: 'more' });
  meta.append(covered, more);
  const counts = el('div', null, 'counts', { role: 'group', 'aria-label': t('pageFilterByCategory') });
  const filters = el('div', null, 'filters');
  const search = el('input', null, null, { type: 'search', placeholder: t('pageSearch'), 'aria-label': t('pageSearch') });
  const noiseLabel = el('label');
  const noiseBox = el('input', null, null, { type: 'checkbox' });
  noiseLabel.append(noiseBox, document.createTextNode(t('pageShowNoise')));
  filters.append(search, noiseLabel);
  header.append(title, tabs, meta, counts, filters);
  const status = el('div', null, 'status', { role: 'status', 'aria-live': 'polite' });
  const list = el('ol', null, null, { id: 'kefu-list', role: 'tabpanel', 'aria-label': t('pageQueueListLabel') });
  const flowBox = el('div', null, 'flow', { role: 'region', 'aria-live': 'polite', 'aria-label': t('pageFlowLabel') });
  flowBox.hidden = true;
  panel.append(header, status, list, flowBox);

  /** Opens or closes the panel; keyboard focus goes with it (into the
   *  panel on opening, back to the toggle on closing). */
  function setOpen(open, { focus = false } = {}) {
    state.open = open;
    panel.hidden = !open;
    toggle.hidden = open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) render();
    if (!focus) return;
    if (open) (list.querySelector('li.item button.primary') ?? selectedTab()).focus();
    else toggle.focus();
  }
  const selectedTab = () => (state.tab === 'clusters' ? tabClusters : tabQueue);
  toggle.addEventListener('click', () => setOpen(true, { focus: true }));
  close.addEventListener('click', () => setOpen(false, { focus: true }));
  window.addEventListener('keydown', (e) => {
    if (SHORTCUT(e)) {
      e.preventDefault();
      setOpen(!state.open, { focus: true });
    }
  }, true);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      setOpen(false, { focus: true });
    }
  });
  for (const tab of [tabQueue, tabClusters]) {
    tab.addEventListener('click', () => {
      state.tab = tab.dataset.tab;
      render();
    });
    // Arrow keys move between the tabs (one tab stop for the tab list).
    tab.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      state.tab = state.tab === 'queue' ? 'clusters' : 'queue';
      render();
      selectedTab().focus();
    });
  }
  // Up and down arrows move between the comments of the queue, to the same
  // control of the next one.
  list.addEventListener('keydown', (e) => {
    if ((e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || e.target.tagName === 'TEXTAREA' || e.target.closest('[role="menu"]')) return;
    const item = e.target.closest('li.item');
    const next = e.key === 'ArrowDown' ? item?.nextElementSibling : item?.previousElementSibling;
    if (!next) return;
    e.preventDefault();
    const same = e.target.dataset.action && next.querySelector(`[data-action="${e.target.dataset.action}"]`);
    (same ?? next.querySelector('button')).focus();
  });
  search.addEventListener('input', () => {
    state.search = search.value.trim();
    render();
  });
  noiseBox.addEventListener('change', () => {
    state.showNoise = noiseBox.checked;
    render();
  });
  more.addEventListener('click', () => {
    // Kefu sends nothing to Weibo: it asks the page to use its own "load
    // more" (matched by its class, or by the page's own words).
    const link = [...document.querySelectorAll(S.loadMore)].find((n) => n.offsetParent !== null)
      ?? [...document.querySelectorAll('a, button')].find((n) => /加载更多|查看更多评论/.test(n.textContent ?? ''));
    if (link) {
      link.click();
      say(t('pageLoadMoreAsked'));
    } else {
      say(t('pageLoadMoreNone'));
    }
  });

  /** Says what was done; with `undo`, an 撤销 button that takes it back. */
  function say(text, undo) {
    status.replaceChildren(el('span', text));
    if (!undo) return;
    const b = fid(el('button', t('pageUndo'), 'undo', { type: 'button', part: 'undo' }), 'undo');
    b.addEventListener('click', () => {
      undo();
      say(t('pageUndone'));
      selectedTab().focus();
    });
    status.append(' ', b);
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

  /** Runs a re-render without losing the keyboard focus: a control that is
   *  rebuilt gets it back (controls carry `kefuFid`: what they are for). */
  function keepFocus(fn) {
    const active = root.activeElement;
    const fid = active && panel.contains(active) ? active.kefuFid : null;
    const at = [...list.children].indexOf(active?.closest?.('li.item'));
    const selection = active?.tagName === 'TEXTAREA' ? [active.selectionStart, active.selectionEnd] : null;
    fn();
    if (!fid) return;
    if (active.isConnected) {
      // Kept but moved: focused again where the caret was.
      if (root.activeElement !== active) {
        active.focus();
        if (selection) active.setSelectionRange(...selection);
      }
      return;
    }
    const again = [...panel.querySelectorAll('button, select, textarea')].find((n) => n.kefuFid === fid);
    // A comment that left the queue (handled, answered): its neighbour takes the focus.
    const items = list.querySelectorAll('li.item');
    (again ?? items[Math.min(Math.max(at, 0), items.length - 1)]?.querySelector('button') ?? selectedTab()).focus();
  }
  const fid = (node, id) => {
    node.kefuFid = id;
    return node;
  };

  /**
   * Keeps the open panel off Weibo's own windows (the 私信 window, a
   * composer's layer), so that their boxes stay usable: narrower beside a
   * window, or shorter above it, or on the left side of the screen.
   */
  function fitPanel() {
    panel.style.removeProperty('width');
    panel.style.removeProperty('bottom');
    panel.style.removeProperty('left');
    panel.style.removeProperty('right');
    if (panel.hidden) return;
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    // The viewport without its scroll bars, as a fixed panel is placed.
    const { clientWidth: vw, clientHeight: vh } = document.documentElement;
    for (const w of document.querySelectorAll(S.pageWindow)) {
      const r = w.getBoundingClientRect();
      const p = panel.getBoundingClientRect();
      if (!r.width || !r.height || !hit(r, p)) continue;
      if (vw - r.right - 8 >= 300) panel.style.width = `${vw - r.right - 8}px`;
      else if (r.top - 8 - p.top >= 240) panel.style.bottom = `${vh - r.top + 8}px`;
      else if (r.left - 8 >= 300) Object.assign(panel.style, { left: '0', right: 'auto', width: `${Math.min(380, r.left - 8)}px` });
    }
  }
  let fitQueued = false;
  const queueFit = () => {
    if (fitQueued || !state.open) return;
    fitQueued = true;
    requestAnimationFrame(() => {
      fitQueued = false;
      fitPanel();
    });
  };
  new MutationObserver(queueFit).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'hidden'] });
  window.addEventListener('resize', queueFit);

  function render() {
    const all = queueEntries();
    const visible = all.filter(({ r }) => state.showNoise || r.urgency !== 'noise');
    const urgent = visible.filter(({ r }) => r.urgency === 'critical' || r.urgency === 'high').length;
    badgeN.textContent = t('pageToggleCount', urgent);
    toggle.setAttribute('aria-label', t('pageQueueToggleLabel', urgent));
    if (!state.open) return;
    keepFocus(() => renderOpen(all, visible));
    fitPanel();
  }

  function renderOpen(all, visible) {
    for (const tab of [tabQueue, tabClusters]) {
      const selected = tab === selectedTab();
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    list.setAttribute('aria-labelledby', selectedTab().id);
    covered.textContent = t('pageCovered', C.store.size, visible.length);
    counts.hidden = filters.hidden = state.tab !== 'queue';
    if (state.tab === 'clusters') {
      renderClusters(all);
      return;
    }
    const byCat = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
    for (const { r } of visible) byCat[r.category] += 1;
    counts.replaceChildren(...CATEGORIES.filter((c) => byCat[c] > 0).map((c) => {
      const b = el('button', `${WORDS.category[c]} ${byCat[c]}`, null, { type: 'button', 'aria-pressed': String(state.category === c), 'data-category': c });
      fid(b, `category|${c}`);
      b.addEventListener('click', () => {
        state.category = state.category === c ? null : c;
        render();
      });
      return b;
    }));
    const shown = visible.filter(({ e, r }) => (!state.category || r.category === state.category)
      && (!state.search || e.text.includes(state.search) || (e.name ?? '').includes(state.search)));
    if (!shown.length) {
      list.replaceChildren(el('li', t('pageQueueEmpty'), 'empty'));
      return;
    }
    list.replaceChildren(...shown.slice(0, 300).map(itemView));
  }

  function itemView({ e, r }) {
    const li = el('li', null, 'item', { 'data-urgency': r.urgency, 'data-category': r.category });
    const line1 = el('div', null, 'line1');
    line1.append(el('span', WORDS.urgency[r.urgency], `u ${r.urgency}`), el('span', WORDS.category[r.category]));
    if (r.corrected) line1.append(el('span', t('pageCorrected'), 'reasons'));
    const m = ageMinutes(e);
    const target = settings.targets[r.urgency];
    line1.append(el('span', m == null ? '' : t('pageAgo', ageWords(m)), `age ${ageClass(e, r)}`, { title: target ? t('pageTarget', ageWords(target)) : '' }));
    li.append(line1);
    const text = el('div', null, 'text');
    text.append(el('span', `${e.name ?? ''}：`, 'who'), el('span', e.text.length > 120 ? `${e.text.slice(0, 120)}…` : e.text));
    li.append(text);
    li.append(el('div', C.reasonWords(e, r).join(t('pageListSeparator')), 'reasons'));
    // What a screen reader says on reaching the item's first control.
    const summary = [WORDS.urgency[r.urgency], WORDS.category[r.category], m == null ? '' : t('pageAgo', ageWords(m)),
      `${e.name ?? ''}：${e.text.slice(0, 60)}`].filter(Boolean).join(' · ');
    const actions = el('div', null, 'actions');
    const jump = el('button', t('pageJump'), 'primary', { type: 'button', 'data-action': 'jump', 'aria-label': `${t('pageJump')}：${summary}` });
    jump.addEventListener('click', () => jumpTo(e.key, { reply: true, category: r.category }));
    const done = el('button', t('pageHandled'), null, { type: 'button', 'data-action': 'handled' });
    done.addEventListener('click', () => {
      C.handle(e.key);
      say(t('pageHandledSaid'), () => C.handle(e.key, false));
    });
    // 修正…: a menu button, not a <select> (whose ↑/↓ would change the
    // category as the focus passes); a choice is made only by Enter or a click.
    const fix = el('button', t('pageCorrectPrompt'), null, {
      type: 'button', 'data-action': 'correct', 'aria-haspopup': 'menu', 'aria-expanded': String(state.menu === e.key), 'aria-label': t('pageCorrect'),
    });
    fix.addEventListener('click', () => {
      state.menu = state.menu === e.key ? null : e.key;
      render();
      if (state.menu) list.querySelector('[role="menuitem"]')?.focus();
    });
    const escalate = el('button', t('pageEscalate'), null, { type: 'button', 'data-action': 'escalate', title: t('pageEscalateTitle') });
    escalate.addEventListener('click', () => escalateEntry(e, r));
    for (const control of [jump, done, fix, escalate]) fid(control, `${control.dataset.action}|${e.key}`);
    actions.append(jump, done, fix, escalate);
    li.append(actions);
    if (state.menu === e.key) li.append(correctionMenu(e, r, fix));
    return li;
  }

  /** The choices of 修正…: ↑/↓ move between them, Enter or a click chooses,
   *  Escape closes. A choice is said with an 撤销 that takes it back. */
  function correctionMenu(e, r, opener) {
    const menu = el('div', null, 'menu', { role: 'menu', 'aria-label': t('pageCorrect'), part: 'menu' });
    const choices = [...CATEGORIES.map((c) => ['category', c, t('pageCorrectCategory', WORDS.category[c])]),
      ...URGENCIES.map((u) => ['urgency', u, t('pageCorrectUrgency', WORDS.urgency[u])])];
    for (const [field, value, words] of choices) {
      const current = r[field] === value;
      const item = fid(el('button', words, null, {
        type: 'button', role: 'menuitem', tabindex: '-1', part: 'menuitem', 'aria-current': String(current),
      }), `menu|${e.key}|${field}:${value}`);
      item.addEventListener('click', () => {
        state.menu = null;
        const undo = C.correct(e.key, { [field]: value });
        render();
        opener.isConnected ? opener.focus() : selectedTab().focus();
        say(t('pageCorrectedSaid'), undo);
      });
      menu.append(item);
    }
    menu.addEventListener('keydown', (ev) => {
      const items = [...menu.querySelectorAll('[role="menuitem"]')];
      const at = items.indexOf(root.activeElement);
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        ev.stopPropagation();
        items[(at + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
      } else if (ev.key === 'Escape' || ev.key === 'Tab') {
        if (ev.key === 'Escape') ev.preventDefault();
        ev.stopPropagation();
        state.menu = null;
        render();
        [...list.querySelectorAll('[data-action="correct"]')].find((b) => b.kefuFid === `correct|${e.key}`)?.focus();
      }
    });
    return menu;
  }

  // ---- escalation -------------------------------------------------------------

  async function escalateEntry(e, r) {
    const note = [
      t('pageNoteHead', WORDS.category[r.category], WORDS.urgency[r.urgency]),
      t('pageNoteLink', location.href),
      t('pageNoteAuthor', e.name ?? '', e.uid ?? ''),
      t('pageNoteText', e.text),
      t('pageNoteReasons', r.reasons.join(t('pageListSeparator'))),
    ].join('\n');
    try {
      await navigator.clipboard.writeText(note);
    } catch {
      // Clipboard refused (no user activation): the note is shown instead.
    }
    const contact = settings.escalation?.[r.category];
    if (contact) {
      const url = /^[^@\s]+@[^@\s]+$/.test(contact)
        ? `mailto:${contact}?subject=${encodeURIComponent(t('pageNoteSubject', WORDS.category[r.category]))}&body=${encodeURIComponent(note)}`
        : contact;
      if (/^(mailto:|https:)/.test(url)) window.open(url, '_blank', 'noopener');
      say(t('pageEscalatedTo', contact));
    } else {
      say(t('pageEscalatedNoContact'));
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

  /** Index of a top-level comment in the page's list: where its row was
   *  seen, else its place in the JSON; -1 if neither is known. */
  function listIndex(key) {
    const seen = C.store.get(key)?.index;
    if (Number.isFinite(seen)) return seen;
    const top = [...C.store.values()].filter((x) => x.json && !x.rootid).sort((a, b) => a.order - b.order);
    return top.findIndex((x) => x.key === key);
  }

  /**
   * Scrolls the page to a comment and (optionally) opens its reply box:
   * true (or the box) once there, false if not. The
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
    for (let tries = 0; tries < 40; tries += 1) {
      const row = C.rowOf(key) ?? (rootKey !== key ? C.rowOf(rootKey) : null);
      if (row && row.getBoundingClientRect().top > -5000) {
        if (!(await settledRow(key, rootKey))) continue;
        if (!reply) return true;
        const box = await openReply(key, rootKey);
        if (!box) say(t('pageReplyNotOpened'));
        return box ?? false;
      }
      // Looked up each time: the page may still be loading and rendering
      // its list (no rows yet, or the comment not placed yet).
      const target = listIndex(rootKey);
      const rows = activeRows();
      if (!rows.length || target < 0) {
        if (tries >= 10) break;
        await sleep(120);
        continue;
      }
      const first = rows.reduce((a, b) => (a.index < b.index ? a : b));
      const last = rows.reduce((a, b) => (a.index > b.index ? a : b));
      const span = Math.max(1, last.index - first.index);
      const avg = Math.max(40, (last.rect.bottom - first.rect.top) / (span + 1));
      const anchor = target < first.index ? first : last;
      window.scrollBy(0, (target - anchor.index) * avg + (anchor.rect.top - 120));
      await sleep(120);
    }
    say(t('pageNotFound'));
    return false;
  }

  /** The next frame (or 50 ms, where frames do not run). */
  const frame = () => new Promise((r) => {
    requestAnimationFrame(() => r());
    setTimeout(r, 50);
  });

  /**
   * The comment's row, on screen, once the scroller has settled: the
   * scroller measures rows after rendering them and moves them again, and
   * recycles a row element for another comment at any time, so the row is
   * looked up afresh each frame until it stays put for two of them.
   */
  async function settledRow(key, rootKey) {
    let lastTop = null;
    let still = 0;
    for (let i = 0; i < 40; i += 1) {
      const row = C.rowOf(key) ?? (rootKey !== key ? C.rowOf(rootKey) : null);
      if (!row) return null;
      const r = row.getBoundingClientRect();
      if (r.top < 60 || r.bottom > innerHeight - 20 || r.height === 0) {
        row.scrollIntoView({ block: 'center' });
        still = 0;
      } else if (lastTop != null && Math.abs(r.top - lastTop) < 1) {
        still += 1;
        if (still >= 2) return row;
      } else {
        still = 0;
      }
      lastTop = row.getBoundingClientRect().top;
      await frame();
    }
    return C.rowOf(key) ?? (rootKey !== key ? C.rowOf(rootKey) : null);
  }

  /** The reply box that belongs to this row itself (not to a nested reply). */
  const ownBox = (row) => (row ? [...row.querySelectorAll(S.textBox)].find((b) => b.closest(S.commentItem) === row) : null);

  /**
   * Opens a comment's reply box through the page's own reply control and
   * focuses it. The page renders the box on its next update, into a row the
   * scroller may have moved or recycled meanwhile: so the row is found
   * again before each try, a box already open is never toggled shut, and
   * the click is tried again if no box came.
   */
  async function openReply(key, rootKey = key) {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const row = await settledRow(key, rootKey);
      if (!row) return null;
      let box = ownBox(row);
      if (!box) {
        const icon = [...row.querySelectorAll(S.replyIcon)].find((i) => i.closest(S.commentItem) === row);
        if (!icon) return null;
        (icon.closest('button, a, [role="button"]') ?? icon).click();
        for (let i = 0; i < 20 && !box; i += 1) {
          await frame();
          box = ownBox(C.rowOf(key) ?? row);
        }
      }
      if (box) {
        box.focus();
        const focused = document.activeElement;
        // The page may focus its new box itself a frame later, or drop the
        // focus as it re-renders the row: the box is the one focused then,
        // unless the agent has gone back to the queue meanwhile.
        await frame();
        const now = document.activeElement;
        const backInQueue = now === host && focused !== host;
        if (box.isConnected && now !== box && !backInQueue) box.focus();
        if (box.isConnected) return box;
      }
    }
    return null;
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

  /** The cluster views, kept by the key of the comment whose group they
   *  show: new comments update a view in place, so an answer being written
   *  keeps its text, caret and focus (an input method's composition too). */
  const clusterViews = new Map();

  function renderClusters(entries) {
    const groups = clusters(entries);
    const views = groups.map((members) => {
      const id = members.map((m) => m.e.key).find((k) => clusterViews.has(k)) ?? members[0].e.key;
      const view = clusterViews.get(id) ?? clusterView(id);
      clusterViews.set(id, view);
      view.update(members);
      return view.li;
    });
    for (const [id, view] of clusterViews) if (!views.includes(view.li) && !state.answers[id]) clusterViews.delete(id);
    if (!views.length) {
      list.replaceChildren(el('li', t('pageClustersEmpty'), 'empty'));
      return;
    }
    // Moving a focused element blurs it (and ends an input method's
    // composition): the others are moved around it, the views kept.
    views.forEach((v, i) => {
      if (list.children[i] !== v) list.insertBefore(v, list.children[i] ?? null);
    });
    while (list.children.length > views.length) list.lastElementChild.remove();
  }

  /** A common question's view: its title (the question's intent, or its
   *  first comment with personal data masked), the comments, the answer. */
  function clusterView(id) {
    const li = el('li', null, 'cluster');
    const head = el('h3');
    const ul = el('ul');
    const answer = fid(el('textarea', null, null, { 'aria-label': t('pageClusterAnswer'), placeholder: t('pageClusterAnswer') }), `answer|${id}`);
    answer.value = state.answers[id] ?? '';
    answer.addEventListener('input', () => {
      state.answers[id] = answer.value;
    });
    const vary = el('label');
    const varyBox = el('input', null, null, { type: 'checkbox' });
    varyBox.checked = state.vary[id] ?? true;
    varyBox.addEventListener('change', () => {
      state.vary[id] = varyBox.checked;
    });
    vary.append(varyBox, document.createTextNode(t('pageClusterVary')));
    const go = fid(el('button', null, 'primary', { type: 'button' }), `go|${id}`);
    let members = [];
    go.addEventListener('click', () => {
      if (!answer.value.trim()) {
        say(t('pageClusterNoAnswer'));
        answer.focus();
        return;
      }
      startFlow(members.map((m) => m.e.key), answer.value.trim(), varyBox.checked);
    });
    li.append(head, ul, answer, vary, el('div'), go);
    const update = (now) => {
      members = now;
      // One count, the same everywhere: the title, the button and the flow.
      const n = String(members.length);
      if (li.dataset.size !== n) li.dataset.size = n;
      const first = members[0];
      const title = t('pageClusterHead', n, first.r.intent || C.masked(first.e.text).slice(0, 40));
      if (head.textContent !== title) head.textContent = title;
      const label = t('pageClusterGo', n);
      if (go.textContent !== label) go.textContent = label;
      const lines = members.map(({ e }) => `${e.name ?? ''}：${C.masked(e.text)}`);
      if (lines.join('\n') !== [...ul.children].map((x) => x.textContent).join('\n')) ul.replaceChildren(...lines.map((x) => el('li', x)));
    };
    return { li, update };
  }

  // ---- answer to each -----------------------------------------------------------------

  function replyFor(flow, i, e) {
    const greetings = greetingsFor(C.judged(e)?.category);
    const greeting = flow.vary ? greetings[i % greetings.length] : greetings[0];
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
      flowBox.replaceChildren(el('div', t('pageFlowDone', flow.sent.length, flow.keys.length)));
      state.flow = null;
      setTimeout(() => {
        flowBox.hidden = true;
      }, 4000);
      return;
    }
    const key = flow.keys[flow.i];
    const e = C.store.get(key);
    flowBox.hidden = false;
    flowBox.replaceChildren(el('div', t('pageFlowStep', flow.i + 1, flow.keys.length, `${e?.name ?? ''}：${C.masked(e?.text ?? '').slice(0, 40)}`)));
    const opened = e ? await jumpTo(key, { reply: true }) : null;
    const box = opened instanceof HTMLTextAreaElement ? opened : null;
    if (!box) {
      flowBox.append(el('div', t('pageFlowSkipped'), 'warn'));
      flow.i += 1;
      setTimeout(stepFlow, 800);
      return;
    }
    const text = replyFor(flow, flow.i, e);
    if (flow.sent.includes(text)) flowBox.append(el('div', t('pageFlowRepeated'), 'warn'));
    box.focus();
    box.select();
    if (!document.execCommand('insertText', false, text)) {
      box.value = text;
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    flow.box = box;
    flow.text = text;
    flowBox.append(el('div', t('pageFlowHowToSend')));
    const skip = el('button', t('pageFlowSkip'), null, { type: 'button' });
    skip.addEventListener('click', () => {
      flow.i += 1;
      stepFlow();
    });
    const stop = el('button', t('pageFlowStop'), null, { type: 'button' });
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
});
