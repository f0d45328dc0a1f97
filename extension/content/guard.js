// The reply guard in the page: every text box in which the company speaks.
//
// Owns:
//   - the verdict of each box for its current text (data-kefu-verdict),
//     checked as the agent types, never during an input-method composition;
//   - the send guard: capture-phase handlers for the send button, Ctrl/⌘+Enter
//     and (in chat boxes) Enter. The verdict for the exact text being sent
//     decides; a send made while its check runs waits for it. `block` stops
//     the send and a panel says why (override with a reason where allowed,
//     logged); `warn` asks for confirmation when the team wants it;
//   - the overlay that draws findings over the box (never touching the box's
//     DOM or value), the tone bar beside it, and applying a suggestion as an
//     undoable edit that the page sees (`input` events);
//   - drafts kept per box until sent (storage.local `drafts`).
// The judgement is the engine's (background, message `kefu:check`).

globalThis.Kefu.boot(() => {
  'use strict';

  const { ask, tell, settings, t, WORDS, el, shadowHost, api } = globalThis.Kefu;
  const S = globalThis.KefuSelectors;
  const CHECK_DEBOUNCE_MS = 120;
  // While the engine has not applied the lists in force (starting, or its
  // lists failing), a box shows "Kefu is not ready" and is checked again
  // this often; a send waits up to SEND_WAIT_MS for a real verdict, then
  // goes out unchecked with a notice to the agent (RELIABILITY.md).
  const NOT_READY_RETRY_MS = 1000;
  const SEND_WAIT_MS = 10000;

  const isBox = (n) => n instanceof HTMLTextAreaElement && n.matches(S.textBox);
  const RANK = { block: 0, warn: 1, hint: 2 };
  /** Findings worst first (block → warn → hint), then in text order. */
  const bySeverity = (findings) => [...findings].sort((a, b) => (RANK[a.severity] ?? 3) - (RANK[b.severity] ?? 3) || a.start - b.start);

  // ---- checks -------------------------------------------------------------

  /** Reports by context + exact text; checks under way likewise. */
  const reports = new Map();
  const checking = new Map();
  const MAX_REPORTS = 300;
  /** Replies sent from this browser recently (for `repeated`). */
  let recent = [];
  api.storage.local.get('recentReplies').then((s) => {
    recent = Array.isArray(s.recentReplies) ? s.recentReplies : [];
  }).catch(() => {});

  /** The comment a box replies to: the comment row it sits in, if any. */
  function replyContext(box) {
    const item = box.closest(S.commentItem);
    return item ? Kefu.comments.readRow(item)?.text : undefined;
  }

  /** Asks the engine for a check; if the answer does not come (the service
   *  worker was stopped mid-check: it starts again on the next message, in
   *  about 100 ms), asks again, twice, before giving up. Only then does a
   *  send go through unchecked (Kefu never breaks the send button). */
  async function askAgain(type, payload) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await ask(type, payload);
      } catch (err) {
        if (attempt >= 2) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1) ** 2));
      }
    }
  }

  function checkText(text, replyTo) {
    const key = `${replyTo ?? ''}\u0000${text}`;
    if (reports.has(key)) return Promise.resolve(reports.get(key));
    if (checking.has(key)) return checking.get(key);
    const p = askAgain('kefu:check', { draft: text, replyTo, recent: recent.slice(-20) })
      .then(({ report, pending }) => {
        // No verdict from an engine without the lists in force.
        if (pending || !report) throw Object.assign(new Error(`Kefu is not ready (${pending ?? 'no report'})`), { pending: true });
        if (reports.size >= MAX_REPORTS) reports.delete(reports.keys().next().value);
        reports.set(key, report);
        return report;
      })
      .finally(() => checking.delete(key));
    checking.set(key, p);
    return p;
  }

  // When the lists in force change (options page, policy, an update), old
  // verdicts no longer hold: forget them and check the boxes again.
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(changes.listsInForceAt || changes.settings)) return;
    reports.clear();
    for (const box of document.querySelectorAll(S.textBox)) if (box.value) scheduleCheck(box);
  });

  const composing = new WeakSet();
  /** Boxes the agent (or a restored draft) has written in on this page. */
  const touched = new WeakSet();
  const timers = new WeakMap();

  async function refresh(box) {
    const text = box.value;
    if (!settings.guardOn) {
      delete box.dataset.kefuVerdict;
      delete box.dataset.kefuShown;
      overlays.get(box)?.hide();
      return;
    }
    // An empty box (emptied, or sent and cleared by the page) shows no
    // marks: no border, no underline, no finding, no score; only 常用回复.
    if (!text.trim()) {
      delete box.dataset.kefuVerdict;
      delete box.dataset.kefuShown;
      overlayFor(box).show(EMPTY, text);
      shown.set(box, text);
      return;
    }
    try {
      const report = await checkText(text, replyContext(box));
      if (box.value !== text || composing.has(box)) return;
      box.dataset.kefuVerdict = report.verdict;
      box.dataset.kefuShown = report.verdict;
      overlayFor(box).show(report, text);
      shown.set(box, text);
    } catch (err) {
      // Not ready, or no answer: never a verdict. The box says so, and is
      // checked again until an engine with the lists in force answers.
      if (box.value !== text) return;
      console.warn('Kefu: no verdict yet:', err?.message ?? err);
      box.dataset.kefuVerdict = 'pending';
      box.dataset.kefuShown = 'pending';
      overlayFor(box).show(NOT_READY, text);
      shown.set(box, text);
      clearTimeout(timers.get(box));
      timers.set(box, setTimeout(() => refresh(box), NOT_READY_RETRY_MS));
    }
  }

  /** What a box shows while no engine with the lists in force has answered. */
  const NOT_READY = Object.freeze({ verdict: 'pending', findings: [], tone: null, notReady: true });
  /** What an empty box shows: nothing to judge. */
  const EMPTY = Object.freeze({ verdict: null, findings: [], tone: null, empty: true });

  /** The verdict for a send: waits through "not ready" answers up to
   *  SEND_WAIT_MS; rejects after that. */
  async function reportForSend(text, replyTo) {
    const deadline = Date.now() + SEND_WAIT_MS;
    for (;;) {
      try {
        return await checkText(text, replyTo);
      } catch (err) {
        if (Date.now() + NOT_READY_RETRY_MS > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, NOT_READY_RETRY_MS));
      }
    }
  }

  /** A notice to the agent that stays a few seconds (the send went out
   *  unchecked). */
  function notice(words) {
    document.getElementById('kefu-notice-host')?.remove();
    const { host, root } = shadowHost('kefu-notice-host', NOTICE_CSS);
    root.replaceChildren(el('div', words, 'notice', { role: 'alert' }));
    if (!host.isConnected) document.body.append(host);
    clearTimeout(notice.timer);
    notice.timer = setTimeout(() => host.remove(), 8000);
  }
  const NOTICE_CSS = `.notice { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); z-index: 2147483646;
    max-width: 520px; padding: 10px 14px; border-radius: 6px; background: #3b2f00; color: #fff; font: 13px/1.5 system-ui, sans-serif;
    box-shadow: 0 4px 16px rgba(0,0,0,.3); }`;

  function scheduleCheck(box) {
    // The verdict is for the box's current text (SPEC): once the text
    // changes, the old one no longer holds. The marks drawn stay (the border
    // follows data-kefu-shown) until the new verdict replaces them, so
    // typing does not flicker.
    if (box.dataset.kefuVerdict && shown.get(box) !== box.value) box.dataset.kefuVerdict = 'pending';
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(() => refresh(box), CHECK_DEBOUNCE_MS));
  }

  // The page changes a box's text without an \`input\` event too (it clears
  // a box once the reply is posted, an emoji picker writes its state): the
  // marks follow the text, cleared when it goes, drawn again when it comes.
  const shown = new Map();
  setInterval(() => {
    for (const [box, text] of shown) {
      if (!box.isConnected) shown.delete(box);
      else if (box.value !== text && !composing.has(box)) {
        if (box.dataset.kefuVerdict) box.dataset.kefuVerdict = 'pending';
        shown.set(box, box.value);
        if (box.value.trim()) scheduleCheck(box);
        else refresh(box);
      }
    }
  }, 250);

  document.addEventListener('compositionstart', (e) => {
    if (isBox(e.target)) composing.add(e.target);
  }, true);
  document.addEventListener('compositionend', (e) => {
    if (!isBox(e.target)) return;
    composing.delete(e.target);
    scheduleCheck(e.target);
    saveDraft(e.target);
  }, true);
  document.addEventListener('input', (e) => {
    if (!isBox(e.target)) return;
    touched.add(e.target);
    // Half-typed pinyin is not checked: wait for the composition to end.
    if (e.isComposing || composing.has(e.target)) return;
    scheduleCheck(e.target);
    saveDraft(e.target);
  }, true);
  document.addEventListener('focusin', (e) => {
    if (!isBox(e.target)) return;
    draftsReady.then(() => restoreDraft(e.target));
    if (!e.target.dataset.kefuVerdict) scheduleCheck(e.target);
  }, true);

  // ---- the send guard -------------------------------------------------------

  /** The text box a send button sends: the nearest one in its composer. */
  function boxForButton(button) {
    for (let n = button.parentElement; n && n !== document.body; n = n.parentElement) {
      const box = n.querySelector(S.textBox);
      if (box) return box;
    }
    return null;
  }

  // Sends Kefu lets through after deciding: the replayed event carries this
  // mark so the guard does not stop it again.
  const released = new WeakSet();
  /** Boxes whose text was confirmed or overridden: text → true. */
  const approved = new WeakMap();

  function approve(box, text) {
    approved.set(box, text);
  }

  /**
   * Decides a send. Returns true to let the event through now; otherwise the
   * event is stopped and `replay` is called once the verdict allows it.
   */
  function guardSend(box, event, replay) {
    if (!settings.guardOn) return true;
    const text = box.value;
    if (!text.trim()) return true;
    if (approved.get(box) === text) return letThrough(box, text);
    const replyTo = replyContext(box);
    const known = reports.get(`${replyTo ?? ''}\u0000${text}`);
    if (known && decide(known) === 'send') return letThrough(box, text);
    event.preventDefault();
    event.stopImmediatePropagation();
    const act = (report) => {
      if (box.value !== text) return; // edited while waiting: the agent sends again
      box.dataset.kefuVerdict = report.verdict;
      box.dataset.kefuShown = report.verdict;
      const d = decide(report);
      if (d === 'send') {
        letThrough(box, text);
        replay();
      } else {
        showPanel(box, report, d, () => {
          approve(box, text);
          letThrough(box, text);
          replay();
        });
      }
    };
    if (known) act(known);
    else {
      reportForSend(text, replyTo).then(act, (err) => {
        // Never a broken send button: with no engine after SEND_WAIT_MS, the
        // page works as without Kefu, and the agent is told so.
        console.warn('Kefu: check failed; letting the send through.', err);
        if (box.value !== text) return;
        notice(t('pageSentUnchecked'));
        replay();
      });
    }
    return false;
  }

  /** 'send', 'confirm' (warn, when confirmation is on; or block in warn-only mode) or 'block'. */
  function decide(report) {
    if (report.verdict === 'block') return settings.guardMode === 'warn' ? 'confirm' : 'block';
    if (report.verdict === 'warn' && settings.confirmWarn) return 'confirm';
    return 'send';
  }

  /** Bookkeeping when a text goes out: recent replies, the draft is done. */
  function letThrough(box, text) {
    hidePanel();
    recent = [...recent.filter((r) => r !== text), text].slice(-50);
    api.storage.local.set({ recentReplies: recent }).catch(() => {});
    // The page clears (or removes) the box once it has posted: then the
    // draft is done. Posting is a request, so give it a few seconds.
    const key = draftKey(box);
    let tries = 0;
    const poll = setInterval(() => {
      tries += 1;
      const gone = !box.isConnected || box.value === '';
      if (!gone && box.value === text && tries < 30) return;
      clearInterval(poll);
      if (!gone) return; // edited instead: not sent, the draft stays
      delete drafts[key];
      persistDrafts();
      for (const f of onSent) f(box, text);
    }, 100);
    return true;
  }
  /** Called with (box, text) when a send Kefu let through was taken by the page. */
  const onSent = [];

  window.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest(S.sendButton) : null;
    if (!button || released.has(e)) return;
    const box = boxForButton(button);
    if (!box) return;
    guardSend(box, e, () => {
      const again = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
      released.add(again);
      button.dispatchEvent(again);
    });
  }, true);

  window.addEventListener('keydown', (e) => {
    if (!isBox(e.target) || e.key !== 'Enter' || released.has(e)) return;
    const box = e.target;
    const sends = e.ctrlKey || e.metaKey || (!e.shiftKey && box.matches(S.enterSends));
    if (!sends) return;
    if (e.isComposing || e.keyCode === 229 || composing.has(box)) {
      // Enter that ends an input-method composition does not send.
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    guardSend(box, e, () => {
      const again = new KeyboardEvent('keydown', {
        key: 'Enter', code: 'Enter', keyCode: 13, ctrlKey: e.ctrlKey, metaKey: e.metaKey,
        bubbles: true, cancelable: true, composed: true,
      });
      released.add(again);
      box.dispatchEvent(again);
    });
  }, true);

  // ---- the panel: why a send was stopped -----------------------------------

  const PANEL_CSS = `
    .panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; width: 380px; max-width: calc(100vw - 32px);
      max-height: calc(100vh - 16px); overflow: auto; box-sizing: border-box;
      background: #fff; color: #222; border: 1px solid #d21f1f; border-radius: 8px;
      box-shadow: 0 4px 18px rgba(0,0,0,.18); padding: 12px 14px; font: 13px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; }
    .panel.confirm { border-color: #ec9a00; }
    h2 { margin: 0 0 6px; font-size: 14px; color: #d21f1f; }
    .confirm h2 { color: #b26b00; }
    ul { margin: 6px 0; padding-left: 18px; max-height: 40vh; overflow: auto; }
    li { margin: 4px 0; }
    .quote { background: #fde8e8; border-radius: 3px; padding: 0 3px; }
    .hint { color: #666; }
    textarea { width: 100%; box-sizing: border-box; min-height: 3em; font: inherit; margin-top: 6px; }
    .buttons { display: flex; gap: 8px; justify-content: flex-end; margin-top: 8px; }
    button { font: inherit; padding: 3px 12px; border-radius: 4px; border: 1px solid #bbb; background: #f7f7f7; cursor: pointer; }
    button.primary { background: #ff8200; border-color: #ff8200; color: #fff; }
    button:disabled { opacity: .5; cursor: default; }
    button:focus-visible, textarea:focus-visible { outline: 2px solid #1d6fe0; outline-offset: 1px; }`;

  let panel = null;
  function hidePanel() {
    panel?.host.remove();
    if (panel) window.removeEventListener('scroll', panel.place, true);
    if (panel) window.removeEventListener('resize', panel.place);
    panel = null;
  }

  /**
   * Puts the panel where it covers neither the box it is about nor its
   * send control: above the box's composer, else below it, else beside it;
   * never against the page's own corner (where Weibo opens its 私信 window).
   */
  function placePanel(p, box) {
    const c = (composerOf(box) ?? box).getBoundingClientRect();
    const gap = 16;
    const w = p.offsetWidth;
    const h = p.offsetHeight;
    let left = Math.min(Math.max(8, c.right - w), innerWidth - w - 8);
    let top;
    if (c.top - gap - h >= 8) top = c.top - gap - h;
    else if (c.bottom + gap + h <= innerHeight - 8) top = c.bottom + gap;
    else {
      top = Math.max(8, Math.min(c.top, innerHeight - h - 8));
      left = c.left - gap - w >= 8 ? c.left - gap - w : Math.min(c.right + gap, innerWidth - w - 8);
    }
    Object.assign(p.style, { left: `${left}px`, top: `${top}px`, right: 'auto', bottom: 'auto' });
  }

  /**
   * mode 'block': the reply is not sent; override (with a reason, logged)
   * where the settings allow. mode 'confirm': the agent may send anyway.
   */
  function showPanel(box, report, mode, sendAnyway) {
    hidePanel();
    panel = shadowHost('kefu-panel-host', PANEL_CSS);
    const { host, root } = panel;
    host.dataset.kefuPanel = mode === 'block' ? 'blocked' : 'confirm';
    const p = el('div', null, `panel ${mode}`, { role: 'alertdialog', 'aria-labelledby': 'kefu-panel-title', 'aria-describedby': 'kefu-panel-hint' });
    p.append(el('h2', t(mode === 'block' ? 'pageBlockedTitle' : 'pageConfirmTitle'), null, { id: 'kefu-panel-title' }));
    p.append(el('div', t('pageDraftKept'), 'hint', { id: 'kefu-panel-hint' }));
    if (mode === 'block') tell('kefu:counts', { items: [{ guard: 'block' }] });
    const ul = el('ul');
    for (const f of bySeverity(report.findings).filter((x) => x.severity !== 'hint')) {
      const li = el('li', null, null, { 'data-severity': f.severity });
      li.append(el('strong', t('pageFindingHead', WORDS.label[f.label] ?? f.label, WORDS.severity[f.severity] ?? f.severity)));
      li.append(el('span', f.text.length > 40 ? `${f.text.slice(0, 40)}…` : f.text, 'quote'));
      li.append(el('div', f.message));
      if (f.suggestion) li.append(el('div', t('pageSuggestion', f.suggestion), 'hint'));
      ul.append(li);
    }
    p.append(ul);
    const buttons = el('div', null, 'buttons');
    const edit = el('button', t('pageBackToEdit'), 'primary', { type: 'button', 'data-action': 'edit' });
    const back = () => {
      hidePanel();
      box.focus();
    };
    edit.addEventListener('click', back);
    p.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        back();
      }
    });
    buttons.append(edit);
    const canOverride = mode === 'confirm' || settings.allowOverride;
    if (canOverride) {
      const reason = el('textarea', null, null, { 'aria-label': t('pageOverrideReason'), placeholder: t('pageOverrideReason') });
      const anyway = el('button', t(mode === 'block' ? 'pageOverride' : 'pageConfirmSend'), null, { type: 'button', 'data-action': mode === 'block' ? 'override' : 'confirm' });
      if (mode === 'block') {
        p.append(reason);
        anyway.disabled = true;
        reason.addEventListener('input', () => {
          anyway.disabled = reason.value.trim().length < 2;
        });
      }
      anyway.addEventListener('click', async () => {
        if (mode === 'block') {
          // An override is sent only once it is logged (SPEC). If it cannot
          // be (storage full, no background), the reply stays in the box.
          anyway.disabled = true;
          try {
            await askAgain('kefu:override', {
              entry: {
                at: new Date().toISOString(), page: location.href, draft: box.value,
                replyTo: replyContext(box) ?? null, reason: reason.value.trim(),
                findings: report.findings.map((f) => ({ rule: f.rule, label: f.label, severity: f.severity, text: f.text, message: f.message })),
              },
            });
          } catch (err) {
            console.warn('Kefu: the override could not be logged; the reply is not sent.', err);
            p.querySelector('.not-logged')?.remove();
            buttons.before(el('div', t('pageOverrideNotLogged'), 'hint not-logged', { role: 'alert' }));
            anyway.disabled = false;
            return;
          }
        }
        sendAnyway();
      });
      buttons.append(anyway);
    }
    p.append(buttons);
    root.append(p);
    document.body.append(host);
    panel.place = () => placePanel(p, box);
    panel.place();
    window.addEventListener('scroll', panel.place, true);
    window.addEventListener('resize', panel.place);
    edit.focus();
  }

  // ---- the overlay and the tone bar ------------------------------------------
  //
  // Two shadow hosts per box: the overlay (highlights drawn over the box,
  // and the tooltips), fixed over the page and letting the pointer through;
  // and the tone bar (score, one chip per finding, canned replies), placed
  // in the page's own flow under the box's composer, so that it covers
  // nothing of the page (not the emoji and send row under the box).

  const overlays = new WeakMap();
  let overlayCount = 0;
  const FOCUS = `:focus-visible { outline: 2px solid #1d6fe0; outline-offset: 1px; }`;
  const OVERLAY_CSS = `
    :host { all: initial; }
    .mirror { position: fixed; pointer-events: none; overflow: hidden; color: transparent; z-index: 2147483000;
      white-space: pre-wrap; overflow-wrap: break-word; box-sizing: border-box; }
    mark { color: transparent; background: transparent; border-bottom: 2px solid #ec9a00; border-radius: 0; }
    mark.block { border-bottom-color: #d21f1f; background: rgba(210,31,31,.10); }
    mark.hint { border-bottom: 2px dotted #2f6fd6; }
    .tip { position: fixed; z-index: 2147483002; max-width: 320px; background: #222; color: #fff; border-radius: 6px;
      padding: 6px 8px; font: 12px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; pointer-events: auto; }
    .tip button { margin-top: 4px; font: inherit; border: 0; border-radius: 4px; padding: 1px 8px; background: #ff8200; color: #fff; cursor: pointer; }
    ${FOCUS}
    .tip :focus-visible { outline-color: #8cc4ff; }
    [hidden] { display: none !important; }`;
  const BAR_CSS = `
    :host { all: initial; display: block; }
    :host([hidden]) { display: none; }
    .bar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; padding: 2px 0;
      font: 12px/1.6 system-ui, "Noto Sans CJK SC", sans-serif; color: #555; }
    .bar.floating { position: fixed; z-index: 2147483001; }
    .score { padding: 0 6px; border-radius: 8px; background: #eef3fb; color: #2f5fa8; }
    .chip { border: 1px solid #ddd; border-radius: 8px; padding: 0 6px; background: #fff; cursor: pointer; font: inherit; color: inherit; }
    .chip.block { border-color: #d21f1f; color: #d21f1f; }
    .chip.warn { border-color: #ec9a00; color: #b26b00; }
    .chip.pending { border-style: dashed; color: #666; cursor: default; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    ${FOCUS}`;

  const MIRRORED = ['font-family', 'font-size', 'font-weight', 'font-style', 'letter-spacing', 'line-height',
    'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'border-top-width', 'border-right-width',
    'border-bottom-width', 'border-left-width', 'text-align', 'text-indent', 'word-spacing', 'tab-size'];

  /** The box's composer: its nearest ancestor that holds a send button.
   *  The tone bar goes at its end, in the flow; null where there is none. */
  function composerOf(box) {
    for (let n = box.parentElement; n && n !== document.body; n = n.parentElement) {
      if (n.querySelector(S.sendButton)) return n;
    }
    return null;
  }

  /** What a screen reader hears when a box's verdict changes. */
  function verdictWords(report) {
    const worst = report.findings.filter((f) => f.severity === report.verdict);
    const names = [...new Set(worst.map((f) => WORDS.label[f.label] ?? f.label))].join(t('pageListSeparator'));
    const key = { block: 'pageVerdictBlock', warn: 'pageVerdictWarn' }[report.verdict] ?? 'pageVerdictOk';
    return t(key, names);
  }

  function overlayFor(box) {
    let o = overlays.get(box);
    if (o) return o;
    const { host, root } = shadowHost('', OVERLAY_CSS);
    host.removeAttribute('id');
    const { host: barHost, root: barRoot } = shadowHost('', BAR_CSS);
    barHost.removeAttribute('id');
    // Tie the overlay and the bar to their box, for people and tests reading the page.
    overlayCount += 1;
    box.dataset.kefuBox = String(overlayCount);
    host.dataset.kefuOverlay = String(overlayCount);
    barHost.dataset.kefuBar = String(overlayCount);
    const mirror = el('div', null, 'mirror');
    const tip = el('div', null, 'tip', { role: 'dialog', tabindex: '-1' });
    tip.hidden = true;
    root.append(mirror, tip);
    const bar = el('div', null, 'bar', { role: 'group', 'aria-label': t('pageBarLabel') });
    const live = el('span', null, 'sr', { role: 'status', 'aria-live': 'polite' });
    barRoot.append(bar, live);
    let report = null;
    let text = '';
    let said = null;
    /** The chip whose tooltip is open, to return the focus to. */
    let opener = null;

    function place() {
      if (!box.isConnected) {
        host.remove();
        barHost.remove();
        return;
      }
      const r = box.getBoundingClientRect();
      const visible = r.width > 0 && r.height > 0 && getComputedStyle(box).visibility !== 'hidden';
      host.hidden = barHost.hidden = !visible || !report;
      if (host.hidden) return;
      const cs = getComputedStyle(box);
      for (const p of MIRRORED) mirror.style.setProperty(p, cs.getPropertyValue(p));
      mirror.style.borderStyle = 'solid';
      mirror.style.borderColor = 'transparent';
      Object.assign(mirror.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
      mirror.scrollTop = box.scrollTop;
      mirror.scrollLeft = box.scrollLeft;
      const composer = composerOf(box);
      if (composer) {
        // In the flow, after the composer's own rows (re-added if the page re-rendered them away).
        if (barHost.parentNode !== composer || barHost.nextSibling) composer.append(barHost);
        bar.classList.remove('floating');
        bar.style.cssText = '';
      } else {
        if (barHost.parentNode !== document.body) document.body.append(barHost);
        bar.classList.add('floating');
        Object.assign(bar.style, { left: `${r.left}px`, top: `${r.bottom + 2}px`, maxWidth: `${r.width}px` });
      }
    }

    function render() {
      mirror.replaceChildren();
      bar.replaceChildren();
      if (!report) return;
      const spans = report.findings
        .filter((f) => f.end > f.start && !(f.start === 0 && f.end >= text.length && ['cold', 'no_empathy', 'no_next_step'].includes(f.label)))
        .sort((a, b) => a.start - b.start);
      let at = 0;
      for (const f of spans) {
        if (f.start < at) continue; // overlapping: the first one is drawn
        mirror.append(document.createTextNode(text.slice(at, f.start)));
        const m = el('mark', text.slice(f.start, f.end), f.severity);
        m.dataset.i = String(report.findings.indexOf(f));
        mirror.append(m);
        at = f.end;
      }
      mirror.append(document.createTextNode(`${text.slice(at)}\n`));
      if (report.notReady) {
        bar.append(el('span', t('pageNotReady'), 'chip pending', { title: t('pageNotReadyTitle') }));
        if (said !== 'pending') live.textContent = t('pageNotReady');
        said = 'pending';
        return;
      }
      if (report.empty) {
        bar.append(cannedChip());
        said = null;
        return;
      }
      // An empty box has no score (band `none`, src/guard/score.rs).
      if (report.tone && report.tone.band !== 'none') {
        const band = t(`pageBand_${String(report.tone.band).replace(/\W+/g, '_')}`);
        bar.append(el('span', t('pageTone', report.tone.score, band), 'score', { title: t('pageToneTitle') }));
      }
      for (const f of bySeverity(report.findings)) {
        const i = report.findings.indexOf(f);
        const name = WORDS.label[f.label] ?? f.label;
        const chip = el('button', f.text && f.text.length <= 12 ? t('pageChip', name, f.text) : name, `chip ${f.severity}`, {
          type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'data-severity': f.severity, 'data-i': String(i),
        });
        chip.title = f.message + (f.suggestion ? `\n${t('pageSuggestion', f.suggestion)}` : '');
        chip.addEventListener('click', (ev) => showTip(i, chip, ev.detail === 0));
        bar.append(chip);
      }
      bar.append(cannedChip());
      const words = verdictWords(report);
      if (words !== said) live.textContent = said = words;
    }

    function cannedChip() {
      const canned = el('button', t('pageCanned'), 'chip canned', { type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
      canned.addEventListener('click', (ev) => showCanned(canned, ev.detail === 0));
      return canned;
    }

    /** Opens the tooltip under `chip`; from the keyboard (`byKey`), the
     *  focus moves into it, and Escape brings it back. */
    function openTip(chip, byKey, rect = chip.getBoundingClientRect()) {
      closeTip(false);
      opener = chip;
      chip.setAttribute('aria-expanded', 'true');
      tip.setAttribute('aria-label', chip.textContent);
      tip.hidden = false;
      // In view: under the chip, or above it near the bottom of the window.
      const h = tip.offsetHeight;
      const w = tip.offsetWidth;
      const top = rect.bottom + 4 + h <= innerHeight - 4 ? rect.bottom + 4 : Math.max(4, rect.top - 4 - h);
      const left = Math.max(4, Math.min(rect.left, innerWidth - w - 4));
      Object.assign(tip.style, { left: `${left}px`, top: `${top}px` });
      if (byKey) (tip.querySelector('button') ?? tip).focus();
    }
    function closeTip(refocus) {
      if (tip.hidden) return;
      tip.hidden = true;
      tip.classList.remove('menu');
      tip.removeAttribute('part');
      opener?.setAttribute('aria-expanded', 'false');
      if (refocus && opener?.isConnected) opener.focus();
      opener = null;
    }
    tip.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        closeTip(true);
      }
    });

    /** The team's canned replies for the category of the comment this box
     *  answers (all of them for a box that answers none); `{name}` becomes
     *  the author. Inserted as the agent's own typing: Ctrl+Z undoes it. */
    function showCanned(chip, byKey) {
      const item = box.closest(S.commentItem);
      const row = item ? Kefu.comments.readRow(item) : null;
      const entry = row ? Kefu.comments.store.get(row.key) : null;
      const category = entry ? Kefu.comments.judged(entry)?.category : null;
      const all = settings.cannedReplies ?? {};
      const cats = category && all[category]?.length ? [category] : Object.keys(all);
      tip.replaceChildren(el('div', category ? t('pageCannedFor', WORDS.category[category] ?? category) : t('pageCanned')));
      tip.classList.add('menu');
      tip.setAttribute('part', 'canned');
      for (const c of cats) {
        for (const reply of all[c] ?? []) {
          const filled = cannedText(reply, box, row?.name);
          const b = el('button', filled, 'whole', { type: 'button', title: filled, part: 'canned-reply' });
          b.addEventListener('mousedown', (ev) => ev.preventDefault());
          b.addEventListener('click', () => {
            closeTip(false);
            box.focus();
            if (!document.execCommand('insertText', false, filled)) {
              box.setRangeText(filled, box.selectionStart, box.selectionEnd, 'end');
              box.dispatchEvent(new Event('input', { bubbles: true }));
            }
          });
          tip.append(el('div'), b);
        }
      }
      openTip(chip, byKey);
    }

    function showTip(i, chip, byKey, rect) {
      const f = report?.findings[i];
      if (!f) return;
      tip.replaceChildren(el('div', t('pageFindingHead', WORDS.label[f.label] ?? f.label, WORDS.severity[f.severity] ?? f.severity)), el('div', f.message));
      if (f.suggestion) {
        tip.append(el('div', t('pageSuggestion', f.suggestion)));
        // A suggestion is offered as a replacement when it is one (a short
        // phrase), not advice (a sentence: 「用具体的说法，例如……」).
        const canReplace = f.end > f.start && !(f.start === 0 && f.end >= text.length)
          && f.suggestion.length <= 16 && !/[，。；！？「」“”…]|例如/.test(f.suggestion);
        if (canReplace) {
          const apply = el('button', t('pageReplaceWith', f.suggestion), null, { type: 'button', 'data-action': 'apply' });
          apply.addEventListener('mousedown', (ev) => ev.preventDefault());
          apply.addEventListener('click', () => {
            closeTip(false);
            applySuggestion(box, f, text);
          });
          tip.append(apply);
        }
      }
      openTip(chip, byKey, rect);
    }

    // Hover over a highlight (the overlay lets the pointer through to the box).
    box.addEventListener('mousemove', (ev) => {
      const hit = [...mirror.querySelectorAll('mark')].find((m) => [...m.getClientRects()].some((r) =>
        ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom + 2));
      if (!hit) return;
      const i = Number(hit.dataset.i);
      const chip = bar.querySelector(`.chip[data-i="${i}"]`);
      if (chip && opener !== chip) showTip(i, chip, false, hit.getBoundingClientRect());
    });
    box.addEventListener('blur', () => setTimeout(() => {
      if (!root.activeElement && !barRoot.activeElement) closeTip(false);
    }, 150));

    const ro = new ResizeObserver(place);
    ro.observe(box);
    box.addEventListener('scroll', place);
    window.addEventListener('scroll', (ev) => {
      // A menu left behind by a scrolling page would point at nothing.
      if (!tip.hidden && !(ev.target instanceof Node && tip.contains(ev.target))) closeTip(false);
      place();
    }, true);
    window.addEventListener('resize', place);

    o = {
      show(r, t2) {
        report = r;
        text = t2;
        closeTip(false);
        render();
        if (!host.isConnected) document.body.append(host);
        place();
      },
      hide() {
        report = null;
        host.hidden = barHost.hidden = true;
      },
      host,
      barHost,
    };
    overlays.set(box, o);
    return o;
  }

  /**
   * A canned reply as it goes into this box. Weibo's reply box already
   * addresses the comment (回复@name:), so 「@{name}」 is left out there, and
   * wherever no name is known (发微博: no 「@ 您好」); {name} alone becomes
   * the name, or nothing.
   */
  function cannedText(reply, box, name) {
    const replying = !!box.closest(S.commentItem) || /^回复@/.test(box.value) || /^回复@/.test(box.placeholder ?? '');
    let text = reply;
    if (replying || !name) text = text.replace(/@\{name\}[\s:：,，]*/g, '');
    return text.replace(/\{name\}/g, name ?? '').trim();
  }

  /** Replaces a finding's text with its suggestion as an edit of the agent's
   *  own: Ctrl+Z undoes it and the page sees an `input` event. */
  function applySuggestion(box, f, text) {
    if (box.value !== text) return;
    box.focus();
    box.setSelectionRange(f.start, f.end);
    const ok = document.execCommand('insertText', false, f.suggestion);
    if (!ok) {
      box.setRangeText(f.suggestion, f.start, f.end, 'end');
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }

  // ---- drafts ------------------------------------------------------------------

  /** A box's identity across reloads: the page, the comment it answers, its kind. */
  function draftKey(box) {
    const item = box.closest(S.commentItem);
    const row = item ? Kefu.comments.readRow(item) : null;
    const kind = (box.className.match(/(?:^|\s)((?:[A-Za-z]+_)?input)_/) ?? [])[1] ?? 'box';
    return `${location.pathname}|${row?.key ?? '-'}|${kind}`;
  }

  let drafts = {};
  const draftsReady = api.storage.local.get('drafts').then((s) => {
    drafts = s.drafts ?? {};
  }).catch(() => {});
  let draftTimer = null;
  let draftWarned = false;
  function persistDrafts() {
    clearTimeout(draftTimer);
    // With the storage full a draft is not kept across a reload; it stays
    // in its box, and the drafts kept before stay kept.
    draftTimer = setTimeout(() => api.storage.local.set({ drafts }).catch((err) => {
      if (!draftWarned) console.warn('Kefu: drafts could not be saved (storage full?); they stay in their boxes.', err);
      draftWarned = true;
    }), 200);
  }
  /** Keeps what the agent is writing. Only the box being edited can clear
   *  its draft: the page empties and re-renders boxes on its own too. */
  function saveDraft(box) {
    const k = draftKey(box);
    if (box.value.trim()) drafts[k] = { text: box.value, at: Date.now() };
    else if (document.activeElement === box) delete drafts[k];
    else return;
    persistDrafts();
  }
  /** Puts a saved draft back into an empty box (after a reload, or when
   *  the box reappears). The page sees an `input` event, as for typing. */
  function restoreDraft(box) {
    const d = drafts[draftKey(box)];
    // Only into a box the agent has not used yet on this page: one they
    // emptied themselves stays empty.
    if (!d || box.value || touched.has(box)) return;
    touched.add(box);
    box.value = d.text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }

  let restoreQueued = false;
  function restoreVisible() {
    restoreQueued = false;
    checkFilled();
    for (const box of document.querySelectorAll(S.textBox)) {
      if (!box.value && drafts[draftKey(box)]) restoreDraft(box);
    }
  }
  // Boxes that already hold text when Kefu starts, or are found holding
  // text the page put there (no input event) when the page changes, are
  // checked then, not at the first key press; once each.
  const seen = new WeakSet();
  function checkFilled() {
    for (const box of document.querySelectorAll(S.textBox)) {
      if (!box.value || seen.has(box)) continue;
      seen.add(box);
      if (!box.dataset.kefuVerdict) scheduleCheck(box);
    }
  }
  Kefu.ready.then(checkFilled);
  draftsReady.then(() => {
    restoreVisible();
    new MutationObserver(() => {
      if (restoreQueued) return;
      restoreQueued = true;
      setTimeout(restoreVisible, 100);
    }).observe(document.documentElement, { childList: true, subtree: true });
  });

  globalThis.Kefu.guard = { checkText, refresh, isBox, approve, replyContext, onSent };
});
