// Comments: what is on the page, what the engine says of each, and the marks.
//
// Two sources feed one store, keyed by author uid + text (the only identity
// the DOM offers; SPEC "The page"):
//   - Weibo's own comment JSON, handed over by main-world.js (id, time,
//     followers, verification, the company's own replies), for every comment
//     loaded, rendered or not;
//   - the comment rows in the DOM, for comments whose JSON was not seen.
// The whole store is triaged in one batch (clusters span the page) whenever
// it grows. Rows are recycled by Weibo's virtual scroller, so marks are
// re-applied on every render from the row's current content, never
// remembered on the element. The queue (queue.js) reads the store.

globalThis.Kefu.boot(() => {
  'use strict';

  const { ask, tell, settings, settingsListeners, t, WORDS, ageWords, parseTime } = globalThis.Kefu;
  const S = globalThis.KefuSelectors;
  const BADGE = 'kefu-badge';

  /** key → entry {key, id, uid, name, text, created, rootid, isAuthor, json, result, order,
   *  index (its row's place in the page's list, once seen)} */
  const store = new Map();
  const listeners = [];
  let order = 0;
  /** Agent's corrections and handled marks, by key (kept in storage.local). */
  let local = { handled: {}, corrections: {} };

  Kefu.api.storage.local.get('pageMarks').then((s) => {
    if (s.pageMarks) local = { handled: {}, corrections: {}, ...s.pageMarks };
    changed();
  }).catch(() => {});
  function saveLocal() {
    Kefu.api.storage.local.set({ pageMarks: local }).catch(() => {});
  }

  /** Author uid + text without links (the DOM shows "网页链接" where
   *  text_raw has the URL) or white space. */
  function commentKey(uid, text) {
    const t = text.replace(/https?:\/\/\S+/g, '').replace(/网页链接/g, '').replace(/\s+/g, '');
    return `${uid}\u0000${t}`;
  }

  /** Plain text of a node: text nodes as they are, emoticon images as alt. */
  function plainText(node) {
    let out = '';
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.nodeValue;
      else if (child.nodeType !== Node.ELEMENT_NODE) continue;
      else if (child.tagName === 'IMG') out += child.getAttribute('alt') ?? '';
      else if (!child.classList.contains(BADGE)) out += plainText(child);
    }
    return out;
  }

  /** The first element matching `sel` that belongs to this item, not to a nested reply. */
  function own(item, sel) {
    for (const t of item.querySelectorAll(sel)) {
      if (t.closest(S.commentItem) === item) return t;
    }
    return null;
  }

  /** What a comment row shows, or null if it is not one. */
  function readRow(item) {
    const textEl = own(item, S.commentText);
    if (!textEl) return null;
    const author = textEl.querySelector(S.author);
    const uid = author?.getAttribute('usercard') ?? author?.getAttribute('href')?.replace(/^\/u\//, '') ?? '';
    const name = author ? plainText(author).trim() : '';
    let text = plainText(textEl).trim();
    if (name && text.startsWith(name)) text = text.slice(name.length).replace(/^\s*[:：]\s*/, '');
    const info = own(item, S.info);
    const created = info?.firstElementChild ? parseTime(info.firstElementChild.textContent) : null;
    return { key: commentKey(uid, text), textEl, uid, name, text, created };
  }

  // ---- the store ---------------------------------------------------------

  function upsert(key, fields) {
    let e = store.get(key);
    if (!e) {
      e = { key, order: order++, result: null };
      store.set(key, e);
      queueTriage();
    }
    Object.assign(e, fields);
    return e;
  }

  document.addEventListener('kefu:comments', (ev) => {
    let list;
    try {
      const detail = JSON.parse(ev.detail);
      // An answer to a request made before the app navigated belongs to
      // the page left behind.
      if (typeof detail?.at === 'number' && detail.at < navigatedAt) return;
      list = detail?.comments;
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!c || typeof c.uid !== 'string' || typeof c.text_raw !== 'string') continue;
      const key = commentKey(c.uid, c.text_raw);
      stale.delete(key);
      const had = store.get(key);
      upsert(key, {
        id: c.id, uid: c.uid, name: c.screen_name, text: c.text_raw, json: c,
        rootid: c.rootid && c.rootid !== c.id ? c.rootid : null,
        isAuthor: c.is_mblog_author, created: parseTime(c.created_at) ?? had?.created ?? null,
      });
      // A comment triaged from the DOM alone is triaged again with its JSON.
      if (had && !had.json) queueTriage();
    }
    changed();
  });

  /** uids of the company's account (authors of is_mblog_author comments). */
  function companyUids() {
    const uids = new Set();
    for (const e of store.values()) if (e.isAuthor) uids.add(e.uid);
    return uids;
  }

  /** A test for "the company already answered this comment" over the
   *  store as it is now: handled by the agent, a company reply under it (in
   *  the JSON or the DOM), or written by the company itself. */
  function answeredTest() {
    const company = companyUids();
    const replied = new Set();
    for (const r of store.values()) if (r.isAuthor && r.rootid) replied.add(r.rootid);
    return (e) => !!local.handled[e.key] || !!e.answeredInDom || (e.id != null && replied.has(e.id)) || company.has(e.uid);
  }

  /** The triage of an entry, with the agent's correction applied. */
  function judged(e) {
    if (!e.result) return null;
    const c = local.corrections[e.key];
    return c ? { ...e.result, ...c, corrected: true } : e.result;
  }

  // ---- triage ---------------------------------------------------------------

  let triageTimer = null;
  let triageRunning = false;
  let triageAgain = false;
  let triageFailures = 0;

  function queueTriage() {
    if (!settings.triageOn) return;
    if (triageRunning) {
      triageAgain = true;
      return;
    }
    clearTimeout(triageTimer);
    triageTimer = setTimeout(runTriage, 60);
  }

  function input(e) {
    const j = e.json;
    if (j) {
      return {
        id: e.key, text_raw: j.text_raw, created_at: j.created_at ?? undefined,
        like_counts: j.like_counts, is_mblog_author: j.is_mblog_author,
        user: { idstr: j.uid, screen_name: j.screen_name, followers_count: j.followers_count, verified: j.verified },
      };
    }
    return {
      id: e.key, text_raw: e.text,
      created_at: e.created ? new Date(e.created).toISOString() : undefined,
      user: { idstr: e.uid, screen_name: e.name },
    };
  }

  async function runTriage() {
    triageRunning = true;
    const entries = [...store.values()];
    try {
      const { results } = await ask('kefu:triage', { comments: entries.map(input) });
      results.forEach((r, i) => {
        if (r && !r.error) entries[i].result = r;
      });
      triageFailures = 0;
    } catch (err) {
      // The page works as without Kefu meanwhile; try again a little later
      // (the background may be starting, or restarting after being stopped).
      console.warn('Kefu: triage failed; retrying.', err);
      triageFailures += 1;
      if (triageFailures <= 5) setTimeout(queueTriage, 500 * triageFailures);
    } finally {
      triageRunning = false;
    }
    changed();
    if (triageAgain) {
      triageAgain = false;
      queueTriage();
    }
  }

  // ---- marks -----------------------------------------------------------------

  function badgeFor(textEl) {
    const prev = textEl.previousElementSibling;
    if (prev && prev.classList.contains(BADGE)) return prev;
    const badge = document.createElement('span');
    badge.className = BADGE;
    badge.tabIndex = 0;
    badge.lang = Kefu.lang;
    badge.setAttribute('role', 'note');
    textEl.parentNode.insertBefore(badge, textEl);
    return badge;
  }

  function setData(node, name, value) {
    if (value == null) {
      if (name in node.dataset) delete node.dataset[name];
    } else if (node.dataset[name] !== value) {
      node.dataset[name] = value;
    }
  }

  function applyMark(item, row, e, r, company, answered) {
    setData(item, 'kefuCategory', r.category);
    setData(item, 'kefuUrgency', r.urgency);
    // The company's own replies are answers, not noise: never dimmed, and
    // said as such (官方回复); a comment answered says 已回复.
    const official = e.isAuthor || company.has(e.uid);
    setData(item, 'kefuOfficial', official ? '' : null);
    setData(item, 'kefuDim', settings.dimNoise && r.urgency === 'noise' && !official ? '' : null);
    const badge = badgeFor(row.textEl);
    const age = e.created ? ageWords((Date.now() - e.created) / 60000) : '';
    const label = official ? t('pageOfficialReply')
      : [WORDS.urgency[r.urgency], WORDS.category[r.category], answered ? t('pageAnswered') : age].filter(Boolean).join(' · ');
    const head = official ? t('pageOfficialReplyTitle') : t('pageBadgeHead', WORDS.category[r.category], WORDS.urgency[r.urgency], r.score)
      + (r.corrected ? t('pageBadgeCorrected') : '');
    const title = [head, ...(official ? [] : reasonWords(e, r))].join('\n');
    if (badge.textContent !== label) badge.textContent = label;
    if (badge.title !== title) badge.title = title;
    setData(badge, 'kefuUrgency', official ? null : r.urgency);
    setData(badge, 'kefuOfficial', official ? '' : null);
    badge.setAttribute('aria-label', t('pageBadgeAria', title.replace(/\n/g, t('pageListSeparator'))));
  }

  /** A recycled row whose new content is not triaged yet shows no old mark. */
  function clearMark(item, row) {
    setData(item, 'kefuOfficial', null);
    setData(item, 'kefuCategory', null);
    setData(item, 'kefuUrgency', null);
    setData(item, 'kefuDim', null);
    const prev = row?.textEl.previousElementSibling;
    if (prev && prev.classList.contains(BADGE)) prev.remove();
  }

  /** A company reply in a thread answers the top-level comment, or the
   *  reply it names ("回复@NAME:"). */
  function markAnsweredInThread(item, row, e, company) {
    const replies = [...item.querySelectorAll('.item2')].map(readRow).filter(Boolean);
    const answeredNames = new Set();
    for (const r of replies) {
      if (!company.has(r.uid)) continue;
      answeredNames.add(/^回复@([^:：\s]+)\s*[:：]/.exec(r.text)?.[1] ?? row.name);
    }
    if (!answeredNames.size) return;
    const mark = (entry) => {
      if (entry && !entry.answeredInDom) {
        entry.answeredInDom = true;
        changed();
      }
    };
    if (answeredNames.has(row.name)) mark(e);
    for (const r of replies) {
      if (!company.has(r.uid) && answeredNames.has(r.name)) mark(store.get(r.key));
    }
  }

  // Weibo is a single-page app: another post is another page. The store
  // holds what was read on this one; on navigation it starts again (the
  // agent's handled marks and corrections, kept by key, stay).
  let page = location.pathname;
  /** Comments of the page left behind, whose rows may linger in the DOM
   *  until the new post renders: not read again unless Weibo's JSON for
   *  the new page brings them. */
  let stale = new Set();
  let navigatedAt = -Infinity;
  function followNavigation(at = performance.now()) {
    if (location.pathname === page) return;
    page = location.pathname;
    navigatedAt = at;
    stale = new Set(store.keys());
    store.clear();
    order = 0;
    changed();
  }
  window.addEventListener('popstate', (e) => followNavigation(e.timeStamp));
  document.addEventListener('kefu:navigate', (e) => {
    try {
      followNavigation(JSON.parse(e.detail).at);
    } catch {
      followNavigation();
    }
  });

  function scan() {
    followNavigation();
    const company = companyUids();
    const isAnswered = answeredTest();
    for (const item of document.querySelectorAll(S.commentItem)) {
      const row = readRow(item);
      if (!row) continue;
      if (stale.has(row.key)) {
        clearMark(item, row);
        continue;
      }
      const e = store.get(row.key) ?? upsert(row.key, { uid: row.uid, name: row.name, text: row.text, created: row.created });
      // Where the row sits in the page's list (its scroller view's index; a
      // parked view keeps the index of the comment it still holds): jump-to
      // steers by it, JSON or not.
      const index = Number(item.closest(S.scrollerRow)?.dataset.index);
      if (Number.isFinite(index) && (e.index == null || !item.closest(S.parkedRow))) e.index = index;
      if (item.matches('.item1')) markAnsweredInThread(item, row, e, company);
      const r = settings.triageOn ? judged(e) : null;
      if (r) applyMark(item, row, e, r, company, isAnswered(e));
      else clearMark(item, row);
    }
  }

  let scanQueued = false;
  function queueScan() {
    if (scanQueued) return;
    scanQueued = true;
    setTimeout(() => {
      scanQueued = false;
      scan();
    }, 16);
  }

  let notifyQueued = false;
  function changed() {
    queueScan();
    if (notifyQueued) return;
    notifyQueued = true;
    setTimeout(() => {
      notifyQueued = false;
      for (const f of listeners) f();
    }, 50);
  }

  settingsListeners.push(() => {
    queueTriage();
    changed();
  });

  const isKefuNode = (n) => n.nodeType === Node.ELEMENT_NODE && (n.classList.contains(BADGE) || n.classList.contains('kefu-host'));
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData' || [...r.addedNodes, ...r.removedNodes].some((n) => !isKefuNode(n))) {
        queueScan();
        return;
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });

  // ---- what the queue and the guard use ------------------------------------

  /** The row element showing this entry now, if any. */
  function rowOf(key) {
    // A recycled view parked off screen may still hold this comment's old
    // row: the one on screen comes first.
    let parked = null;
    for (const item of document.querySelectorAll(S.commentItem)) {
      if (readRow(item)?.key !== key) continue;
      if (!item.closest(S.parkedRow)) return item;
      parked ??= item;
    }
    return parked;
  }

  function handle(key, handled = true) {
    if (handled) local.handled[key] = Date.now();
    else delete local.handled[key];
    saveLocal();
    changed();
  }

  /** Corrects a comment's category or urgency and logs it as feedback;
   *  returns what undoes it (the correction before, and the log entry
   *  taken out again). */
  function correct(key, fields) {
    const e = store.get(key);
    if (!e?.result) return null;
    const before = local.corrections[key];
    local.corrections[key] = { ...before, ...fields };
    saveLocal();
    const at = new Date().toISOString();
    tell('kefu:feedback', {
      entry: {
        at, page: location.href, comment: e.text, author: e.name,
        engine: { category: e.result.category, urgency: e.result.urgency, reasons: e.result.reasons },
        corrected: local.corrections[key],
      },
    });
    changed();
    return () => {
      if (before) local.corrections[key] = before;
      else delete local.corrections[key];
      saveLocal();
      tell('kefu:feedbackUndo', { at, comment: e.text });
      changed();
    };
  }

  // ---- words for people -----------------------------------------------------

  /** The reasons as people read them: where a reason names fragments of
   *  the comment (「没人、退、客服」), the clauses they are in, whole. */
  function reasonWords(e, r) {
    const text = e.text.replace(/？/g, '?').replace(/！/g, '!');
    const clauses = text.split(/(?<=[，,。！？!?；;\n])/).map((x) => x.trim()).filter(Boolean);
    return r.reasons.map((reason) => {
      const at = reason.lastIndexOf('：');
      if (at < 0) return reason;
      const parts = reason.slice(at + 1).split('、').filter(Boolean);
      if (!parts.length || !parts.some((p) => text.includes(p))) return reason;
      // A fragment the engine read in folded form (沒 as 没) is not found
      // as written: then the whole comment, short as comments are.
      const found = parts.every((p) => text.includes(p)) ? clauses.filter((x) => parts.some((p) => x.includes(p)))
        : [e.text.length > 80 ? `${e.text.slice(0, 80)}…` : e.text];
      return `${reason.slice(0, at + 1)}${found.map((x) => `「${masked(x)}」`).join('')}`;
    });
  }

  /** Text with personal data masked, for display (a common question's
   *  title, quoted sentences): what the engine reads as personal data
   *  (its \`pii\` findings), and meanwhile e-mails and long digit runs. */
  const maskedTexts = new Map();
  const maskLocally = (text) => text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => `${m[0]}***@***`)
    .replace(/\d[\d -]{5,}\d[Xx]?/g, (m) => `${m.slice(0, 3)}${'*'.repeat(Math.max(1, m.length - 5))}${m.slice(-2)}`);
  function masked(text) {
    if (maskedTexts.has(text)) return maskedTexts.get(text);
    maskedTexts.set(text, maskLocally(text));
    Kefu.guard?.checkText(text).then((report) => {
      let out = text;
      const spans = report.findings.filter((f) => f.label === 'pii' && f.end > f.start).sort((a, b) => b.start - a.start);
      for (const f of spans) out = `${out.slice(0, f.start)}${'*'.repeat(f.end - f.start)}${out.slice(f.end)}`;
      if (maskLocally(out) === maskedTexts.get(text)) return;
      maskedTexts.set(text, maskLocally(out));
      changed();
    }, () => {});
    return maskedTexts.get(text);
  }

  globalThis.Kefu.comments = {
    store, listeners, readRow, rowOf, own, answeredTest, judged, companyUids, handle, correct, commentKey, plainText,
    reasonWords, masked,
    rescan: queueScan,
  };

  // Listening now: main-world.js hands again what it read before (the
  // page's first comments are often fetched before this script starts).
  document.dispatchEvent(new CustomEvent('kefu:ready'));
  queueScan();
});
