// Runs in the page's own JavaScript world (content script "world": "MAIN"),
// at document_start, before Weibo's code. It only observes: it wraps fetch
// and XMLHttpRequest so that the JSON answers of Weibo's comment API
// (/ajax/statuses/buildComments) are read as they arrive, and hands the
// fields triage needs (followers, verification, time, the company's own
// comments) to the isolated content script as a string in a CustomEvent.
// It never changes a request or a response, and sends nothing anywhere.

(() => {
  'use strict';

  const EVENT = 'kefu:comments';
  // The comment list, and the answers to the company's own posting (the
  // created comment comes back as `data`).
  const WATCHED = /\/ajax\/(statuses\/buildComments|comments\/(create|reply))\b/;

  function pick(c) {
    const u = c.user ?? {};
    return {
      id: String(c.idstr ?? c.id ?? ''),
      rootid: c.rootid != null ? String(c.rootid) : null,
      uid: String(u.idstr ?? u.id ?? ''),
      screen_name: u.screen_name ?? '',
      text_raw: typeof c.text_raw === 'string' ? c.text_raw : null,
      text: typeof c.text === 'string' ? c.text : null,
      created_at: c.created_at ?? null,
      like_counts: c.like_counts ?? 0,
      total_number: c.total_number ?? 0,
      is_mblog_author: !!c.is_mblog_author,
      followers_count: u.followers_count ?? 0,
      verified: !!u.verified,
      verified_type: u.verified_type ?? null,
      ai_type: c.analysis_extra?.ai_type ?? null,
    };
  }

  function collect(list, out) {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!c || typeof c !== 'object') continue;
      out.push(pick(c));
      collect(c.comments, out);
    }
  }

  // The isolated content script starts at document_idle, and the page may
  // have fetched its first comments before then: an event sent before
  // anyone listens is lost, and Kefu would know those comments only from
  // the rows on screen. So what is handed before the content script says
  // it listens ('kefu:ready') is kept (the last few answers) and handed
  // again then, once.
  const EARLY_MAX = 20;
  let early = [];
  function send(detail) {
    if (early) {
      early.push(detail);
      if (early.length > EARLY_MAX) early.shift();
    }
    document.dispatchEvent(new CustomEvent(EVENT, { detail }));
  }
  document.addEventListener('kefu:ready', () => {
    const kept = early ?? [];
    early = null;
    for (const detail of kept) document.dispatchEvent(new CustomEvent(EVENT, { detail }));
  });

  /** `at`: when the request started (performance.now(), the same clock in
   *  both worlds), so that the content script can drop answers to requests
   *  made on a page the app has since navigated away from. */
  function hand(body, at) {
    try {
      const json = typeof body === 'string' ? JSON.parse(body) : body;
      const out = [];
      collect(Array.isArray(json?.data) ? json.data : json?.data ? [json.data] : null, out);
      collect(json?.rootComment, out);
      if (out.length) {
        send(JSON.stringify({ at, comments: out }));
      }
    } catch {
      // Not JSON we understand: the DOM fallback still works.
    }
  }

  // Navigation inside the app (pushState): said at once, with its time, so
  // that answers to requests of the page left behind can be told apart.
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    if (typeof original !== 'function') continue;
    history[name] = function kefuObservedHistory() {
      const before = location.pathname;
      const result = original.apply(this, arguments);
      if (location.pathname !== before) {
        document.dispatchEvent(new CustomEvent('kefu:navigate', { detail: JSON.stringify({ at: performance.now() }) }));
      }
      return result;
    };
  }

  const originalFetch = window.fetch;
  if (typeof originalFetch === 'function') {
    window.fetch = function kefuObservedFetch(input, init) {
      const at = performance.now();
      const p = originalFetch.apply(this, arguments);
      const url = typeof input === 'string' ? input : input?.url ?? String(input);
      if (WATCHED.test(url)) {
        p.then((res) => res.clone().json()).then((json) => hand(json, at), () => {});
      }
      return p;
    };
  }

  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    XHR.prototype.open = function kefuObservedOpen(method, url) {
      if (WATCHED.test(String(url))) {
        const at = performance.now();
        this.addEventListener('load', () => {
          if (this.responseType === 'json') hand(this.response, at);
          else if (this.responseType === '' || this.responseType === 'text') hand(this.responseText, at);
        });
      }
      return open.apply(this, arguments);
    };
  }
})();
