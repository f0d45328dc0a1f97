// Kefu's content script: DOM glue between the Weibo page and the engine.
//
// It owns three things, and no judgement (the engine, in the background,
// decides everything):
//   1. Marks: reads the comments on the page, sends the unknown ones to the
//      engine in one batch, and marks each comment row with
//      data-kefu-category / data-kefu-urgency and a .kefu-badge whose title
//      holds the reasons. Rows are recycled by Weibo's virtual scroller, so
//      marks are keyed by the row's current content and re-applied on every
//      render, never remembered on the element.
//   2. The guard: every text box gets data-kefu-verdict for its current text,
//      and a send (button or Ctrl/⌘+Enter) goes through only when the verdict
//      for the exact text being sent is not `block`; if that check is still
//      running, the send waits for it. The text is never touched.
//   3. A panel that says why a reply was stopped (built with textContent
//      only: customer text is never parsed as HTML).
// Selectors live in selectors.js.

(() => {
  'use strict';

  const api = globalThis.browser ?? globalThis.chrome;
  const S = globalThis.KefuSelectors;
  const KEFU_CLASS = 'kefu-badge';
  const CHECK_DEBOUNCE_MS = 120;

  // ---- messaging -------------------------------------------------------

  /** Sends a named message to the background; rejects on an engine error. */
  async function ask(type, payload) {
    const answer = await api.runtime.sendMessage({ type, ...payload });
    if (!answer) throw new Error('no answer from the Kefu background');
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  // ---- 1. comment marks -----------------------------------------------

  const URGENCY_WORD = { critical: '紧急', high: '优先', normal: '一般', low: '较低', noise: '忽略' };
  const CATEGORY_WORD = {
    safety: '安全', complaint: '投诉', question: '提问', suggestion: '建议',
    praise: '表扬', chatter: '闲聊', spam: '广告',
  };

  /** Triage results by comment key (author uid + text). */
  const results = new Map();
  /** Weibo's own JSON for comments (from main-world.js), by the same key. */
  const fromJson = new Map();

  /** The key that matches a DOM row to Weibo's JSON: author uid + text,
   *  without links (the DOM shows "网页链接" where text_raw has the URL) or
   *  white space. */
  function commentKey(uid, text) {
    const t = text.replace(/https?:\/\/\S+/g, '').replace(/网页链接/g, '').replace(/\s+/g, '');
    return `${uid}\u0000${t}`;
  }

  document.addEventListener('kefu:comments', (e) => {
    let list;
    try {
      list = JSON.parse(e.detail);
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!c || typeof c.uid !== 'string') continue;
      const text = c.text_raw ?? '';
      const key = commentKey(c.uid, text);
      fromJson.set(key, c);
      // A row triaged from the DOM alone is triaged again with the JSON.
      if (results.get(key)?.domOnly) results.delete(key);
    }
    queueScan();
  });
  /** Keys sent to the engine and not answered yet. */
  const inFlight = new Set();

  /** Plain text of a node: text nodes as they are, emoticon images as alt. */
  function plainText(node) {
    let out = '';
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.nodeValue;
      else if (child.nodeType !== Node.ELEMENT_NODE) continue;
      else if (child.tagName === 'IMG') out += child.getAttribute('alt') ?? '';
      else if (!child.classList.contains(KEFU_CLASS)) out += plainText(child);
    }
    return out;
  }

  /** The .text element that belongs to this item, not to a nested reply. */
  function ownText(item) {
    for (const t of item.querySelectorAll(S.commentText)) {
      if (t.closest(S.commentItem) === item) return t;
    }
    return null;
  }

  /** "26-5-31 18:34 来自广东" (Beijing time) → RFC 3339, or null. */
  function parseWeiboTime(s) {
    const m = /^(\d{2}|\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})/.exec(s.trim());
    if (!m) return null;
    const year = m[1].length === 2 ? `20${m[1]}` : m[1];
    const p = (x) => x.padStart(2, '0');
    return `${year}-${p(m[2])}-${p(m[3])}T${p(m[4])}:${m[5]}:00+08:00`;
  }

  /** What triage needs of a comment row, or null if it is not one. */
  function readComment(item) {
    const textEl = ownText(item);
    if (!textEl) return null;
    const author = textEl.querySelector(S.author);
    const uid = author?.getAttribute('usercard') ?? author?.getAttribute('href')?.replace(/^\/u\//, '') ?? '';
    const name = author ? plainText(author).trim() : '';
    let text = plainText(textEl).trim();
    // Drop the "name:" prefix the page shows before the content.
    if (name && text.startsWith(name)) text = text.slice(name.length).replace(/^\s*[:：]\s*/, '');
    const info = [...item.querySelectorAll(S.info)].find((i) => i.closest(S.commentItem) === item);
    const created = info?.firstElementChild ? parseWeiboTime(info.firstElementChild.textContent) : null;
    return { key: commentKey(uid, text), textEl, uid, name, text, created };
  }

  function badgeFor(textEl) {
    const prev = textEl.previousElementSibling;
    if (prev && prev.classList.contains(KEFU_CLASS)) return prev;
    const badge = document.createElement('span');
    badge.className = KEFU_CLASS;
    badge.tabIndex = 0;
    badge.setAttribute('role', 'note');
    textEl.parentNode.insertBefore(badge, textEl);
    return badge;
  }

  function applyMark(item, comment, result) {
    if (item.dataset.kefuCategory !== result.category) item.dataset.kefuCategory = result.category;
    if (item.dataset.kefuUrgency !== result.urgency) item.dataset.kefuUrgency = result.urgency;
    const badge = badgeFor(comment.textEl);
    const label = `${URGENCY_WORD[result.urgency] ?? result.urgency} · ${CATEGORY_WORD[result.category] ?? result.category}`;
    const title = `${CATEGORY_WORD[result.category] ?? result.category} · ${URGENCY_WORD[result.urgency]}（${result.score}）\n${result.reasons.join('\n')}`;
    if (badge.textContent !== label) badge.textContent = label;
    if (badge.title !== title) badge.title = title;
    if (badge.dataset.kefuUrgency !== result.urgency) badge.dataset.kefuUrgency = result.urgency;
    badge.setAttribute('aria-label', `客服助手：${title.replace(/\n/g, '；')}`);
  }

  /** A recycled row whose new content is not triaged yet shows no old mark. */
  function clearMark(item, comment) {
    delete item.dataset.kefuCategory;
    delete item.dataset.kefuUrgency;
    const prev = comment?.textEl.previousElementSibling;
    if (prev && prev.classList.contains(KEFU_CLASS)) prev.remove();
  }

  let scanQueued = false;
  function queueScan() {
    if (scanQueued) return;
    scanQueued = true;
    setTimeout(() => {
      scanQueued = false;
      scan();
    }, 30);
  }

  let reportedPage = false;
  function scan() {
    const batch = [];
    let seen = 0;
    for (const item of document.querySelectorAll(S.commentItem)) {
      const comment = readComment(item);
      if (!comment) continue;
      seen += 1;
      const result = results.get(comment.key);
      if (result) {
        applyMark(item, comment, result);
        continue;
      }
      clearMark(item, comment);
      if (!inFlight.has(comment.key)) {
        inFlight.add(comment.key);
        batch.push(comment);
      }
    }
    if (batch.length) triage(batch);
    if (!reportedPage && (seen > 0 || document.querySelector(S.appRoot))) {
      reportedPage = true;
      ask('kefu:page', { recognised: true, comments: seen }).catch(() => {});
    }
  }

  /** What the engine reads of a comment: Weibo's JSON where seen, else the DOM. */
  function triageInput(c) {
    const j = fromJson.get(c.key);
    if (j) {
      return {
        id: c.key,
        text_raw: j.text_raw ?? c.text,
        created_at: j.created_at ?? c.created ?? undefined,
        like_counts: j.like_counts,
        is_mblog_author: j.is_mblog_author,
        user: { idstr: j.uid, screen_name: j.screen_name, followers_count: j.followers_count, verified: j.verified },
      };
    }
    return { id: c.key, text_raw: c.text, created_at: c.created ?? undefined, user: { idstr: c.uid, screen_name: c.name } };
  }

  async function triage(batch) {
    const comments = batch.map(triageInput);
    try {
      const { results: out } = await ask('kefu:triage', { comments });
      out.forEach((r, i) => {
        if (r && !r.error) results.set(batch[i].key, { ...r, domOnly: !fromJson.has(batch[i].key) });
      });
    } catch (e) {
      console.warn('Kefu: triage failed; the page works as without Kefu.', e);
    } finally {
      for (const c of batch) inFlight.delete(c.key);
    }
    queueScan();
  }

  function isKefuNode(n) {
    return n.nodeType === Node.ELEMENT_NODE && (n.classList.contains(KEFU_CLASS) || n.id === 'kefu-panel-host');
  }

  new MutationObserver((records) => {
    for (const r of records) {
      const nodes = [...r.addedNodes, ...r.removedNodes];
      if (r.type === 'characterData' || nodes.some((n) => !isKefuNode(n))) {
        queueScan();
        return;
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });

  // ---- 2. the guard ----------------------------------------------------

  /** Reports by exact draft text; checks under way by text. */
  const reports = new Map();
  const checking = new Map();
  const MAX_REPORTS = 200;

  function replyContext(box) {
    const item = box.closest(S.commentItem);
    return item ? readComment(item)?.text : undefined;
  }

  /** The report for exactly `text` (cached, or the running check's). */
  function checkText(text, replyTo) {
    const key = `${replyTo ?? ''}\u0000${text}`;
    if (reports.has(key)) return Promise.resolve(reports.get(key));
    if (checking.has(key)) return checking.get(key);
    const p = ask('kefu:check', { draft: text, replyTo })
      .then(({ report }) => {
        if (reports.size >= MAX_REPORTS) reports.delete(reports.keys().next().value);
        reports.set(key, report);
        return report;
      })
      .finally(() => checking.delete(key));
    checking.set(key, p);
    return p;
  }

  async function refreshVerdict(box) {
    const text = box.value;
    try {
      const report = await checkText(text, replyContext(box));
      if (box.value === text) box.dataset.kefuVerdict = report.verdict;
    } catch (e) {
      console.warn('Kefu: check failed; sending is not blocked.', e);
      delete box.dataset.kefuVerdict;
    }
  }

  const timers = new WeakMap();
  function scheduleCheck(box) {
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(() => refreshVerdict(box), CHECK_DEBOUNCE_MS));
  }

  const isBox = (el) => el instanceof HTMLTextAreaElement && el.matches(S.textBox);

  document.addEventListener('input', (e) => {
    if (isBox(e.target) && !e.isComposing) scheduleCheck(e.target);
  }, true);
  document.addEventListener('compositionend', (e) => {
    if (isBox(e.target)) scheduleCheck(e.target);
  }, true);
  document.addEventListener('focusin', (e) => {
    if (isBox(e.target) && !e.target.dataset.kefuVerdict) scheduleCheck(e.target);
  }, true);

  /** The text box a send button sends: the nearest one in its composer. */
  function boxForButton(button) {
    for (let el = button.parentElement; el && el !== document.body; el = el.parentElement) {
      const box = el.querySelector(S.textBox);
      if (box) return box;
    }
    return null;
  }

  // Sends Kefu lets through after waiting for a check: the re-dispatched
  // event carries this mark so the guard does not stop it again.
  const released = new WeakSet();

  /**
   * Decides a send. Returns true to let the event through now; otherwise
   * the event is stopped and `resend` is called once the verdict allows it.
   */
  function guardSend(box, event, resend) {
    const text = box.value;
    if (!text.trim()) return true;
    const replyTo = replyContext(box);
    const known = reports.get(`${replyTo ?? ''}\u0000${text}`);
    if (known && known.verdict !== 'block') return true;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (known) {
      box.dataset.kefuVerdict = known.verdict;
      showPanel(box, known);
      return false;
    }
    checkText(text, replyTo).then(
      (report) => {
        if (box.value !== text) return; // edited while waiting: the agent sends again
        box.dataset.kefuVerdict = report.verdict;
        if (report.verdict === 'block') showPanel(box, report);
        else resend();
      },
      (err) => {
        // Never a broken send button: with no engine, the page works as without Kefu.
        console.warn('Kefu: check failed; letting the send through.', err);
        resend();
      },
    );
    return false;
  }

  window.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest(S.sendButton) : null;
    if (!button || released.has(e)) return;
    const box = boxForButton(button);
    if (!box) return;
    guardSend(box, e, () => {
      hidePanel();
      const again = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
      released.add(again);
      button.dispatchEvent(again);
    });
  }, true);

  window.addEventListener('keydown', (e) => {
    if (!isBox(e.target) || e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || released.has(e)) return;
    const box = e.target;
    if (e.isComposing || e.keyCode === 229) {
      // Enter that ends an input-method composition does not send.
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    guardSend(box, e, () => {
      hidePanel();
      const again = new KeyboardEvent('keydown', {
        key: 'Enter', code: 'Enter', ctrlKey: e.ctrlKey, metaKey: e.metaKey,
        bubbles: true, cancelable: true, composed: true,
      });
      released.add(again);
      box.dispatchEvent(again);
    });
  }, true);

  // ---- 3. the panel ----------------------------------------------------

  const LABEL_WORD = {
    insult: '辱骂', pii: '个人信息', ad_law: '广告法', overpromise: '过度承诺', blame: '指责',
    buck_passing: '推诿', bureaucratic: '官腔', sarcasm: '反讽', ad_tone: '广告腔',
    no_empathy: '缺少共情', cold: '冷淡', no_next_step: '没有下一步', too_long: '过长', repeated: '重复',
  };

  let panelHost = null;

  function hidePanel() {
    panelHost?.remove();
    panelHost = null;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function showPanel(box, report) {
    hidePanel();
    panelHost = document.createElement('div');
    panelHost.id = 'kefu-panel-host';
    const root = panelHost.attachShadow({ mode: 'open' });
    const style = el('style', `
      .panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; max-width: 380px;
        background: #fff; color: #222; border: 1px solid #d21f1f; border-radius: 8px;
        box-shadow: 0 4px 18px rgba(0,0,0,.18); padding: 12px 14px; font: 13px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; }
      h2 { margin: 0 0 6px; font-size: 14px; color: #d21f1f; }
      ul { margin: 0; padding-left: 18px; }
      li { margin: 4px 0; }
      .quote { background: #fde8e8; border-radius: 3px; padding: 0 3px; }
      .hint { color: #666; }
      button { margin-top: 8px; font: inherit; padding: 2px 10px; border-radius: 4px; border: 1px solid #bbb; background: #f7f7f7; cursor: pointer; }
      button:focus-visible { outline: 2px solid #1d6fe0; }`);
    const panel = el('div', null, 'panel');
    panel.setAttribute('role', 'alert');
    panel.append(el('h2', '这条回复不能发布'));
    panel.append(el('div', '原文仍保留在输入框中，修改后再发送。', 'hint'));
    const ul = el('ul');
    for (const f of report.findings.filter((x) => x.severity !== 'hint')) {
      const li = el('li');
      li.append(el('strong', `${LABEL_WORD[f.label] ?? f.label}（${f.severity === 'block' ? '禁止' : '提醒'}）：`));
      li.append(el('span', f.text.length > 40 ? `${f.text.slice(0, 40)}…` : f.text, 'quote'));
      li.append(el('div', f.message));
      if (f.suggestion) li.append(el('div', `建议：${f.suggestion}`, 'hint'));
      ul.append(li);
    }
    panel.append(ul);
    const close = el('button', '知道了');
    close.addEventListener('click', () => {
      hidePanel();
      box.focus();
    });
    panel.append(close);
    root.append(style, panel);
    panelHost.dataset.kefuPanel = 'blocked';
    document.body.append(panelHost);
  }

  // ---- start -----------------------------------------------------------

  scan();
})();
