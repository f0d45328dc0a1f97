// Kefu's background: the one place the engine runs.
//
// The wasm engine lives here (Chrome: the service worker; Firefox: the
// background page), not in the content script: in Chrome a content script
// cannot compile wasm on a page whose CSP lacks 'wasm-unsafe-eval', while
// the extension's own CSP allows it here on every page. Content scripts and
// the popup talk to it through the named messages below. It holds no
// customer text beyond the message being answered.

import { loadEngine } from './engine.js';
import { settingsHandlers, onEngineReady, startLists } from './settings.js';

const api = globalThis.browser ?? globalThis.chrome;

let engine = null;
let engineError = null;
// Whether the lists in force (the defaults as the team set them, and every
// list added) were applied to `engine`. Until they are, a check is answered
// `{ pending }`, never with a verdict: an engine that has not applied them
// could call an insult `ok`.
let listsInForce = false;

// Started at once; every message waits for it. A killed service worker
// restarts here on the next message, so no state may live only in memory.
const ready = (async () => {
  try {
    // The checker; its data files (fold tables, default lists, lexicons)
    // ship beside the wasm, which keeps it small (engine.js).
    engine = await loadEngine();
    listsInForce = await onEngineReady(engine);
  } catch (e) {
    engineError = String(e && e.message ? e.message : e);
    console.error('Kefu: the engine failed to load:', engineError);
  }
})();

// One retry at a time of applying the lists in force, when the first failed.
let retrying = null;
async function ensureLists() {
  if (listsInForce || !engine) return listsInForce;
  retrying ??= startLists(engine).then((ok) => {
    listsInForce = ok;
    retrying = null;
    return ok;
  });
  return retrying;
}

const handlers = {
  // Settings, lists and logs (options page, popup): background/settings.js.
  ...settingsHandlers(() => engine),
  // A draft to check: { draft, replyTo, recent } → { report }. `recent` are
  // the agent's recent replies (for 同质化, label `repeated`).
  // Without the lists in force: { pending: reason } (the page shows "Kefu is
  // not ready" and a send waits, as for a check in flight).
  async 'kefu:check'(msg) {
    if (!(await ensureLists())) return { pending: engineError ?? 'lists' };
    const recent = Array.isArray(msg.recent) ? msg.recent.map(String) : undefined;
    return { report: engine.check(String(msg.draft ?? ''), msg.replyTo ?? undefined, recent), inForce: true };
  },
  // A batch of comments: { comments: [...] } → { results: [...] }.
  async 'kefu:triage'(msg) {
    return { results: JSON.parse(engine.triageJson(JSON.stringify(msg.comments ?? []), Date.now())) };
  },
  // What the popup shows: engine state, lists in force, this page.
  async 'kefu:status'(msg) {
    const pages = (await api.storage.session?.get('pages'))?.pages ?? {};
    return {
      engine: !engine ? 'failed' : listsInForce ? 'loaded' : 'not-ready',
      error: engineError,
      lists: engine ? engine.listSummary() : [],
      page: msg.tabId != null ? pages[msg.tabId] ?? null : null,
    };
  },
  // A content script says what it found on its page.
  async 'kefu:page'(msg, sender) {
    const tabId = sender.tab?.id;
    if (tabId == null || !api.storage.session) return {};
    const pages = (await api.storage.session.get('pages')).pages ?? {};
    pages[tabId] = {
      recognised: !!msg.recognised, comments: msg.comments | 0, url: sender.tab.url, at: Date.now(),
      // What needs the agent now (the popup): unanswered urgent comments, and those past their target.
      urgent: msg.urgent | 0, overdue: msg.overdue | 0,
    };
    await api.storage.session.set({ pages });
    return {};
  },
};

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && handlers[msg.type];
  if (!handler) return false;
  // Words do not wait for the engine: the page shows them while it starts.
  (msg.type === 'kefu:words' ? Promise.resolve() : ready)
    .then(() => {
      if (msg.type === 'kefu:words') return handler(msg, sender);
      if (!engine && msg.type === 'kefu:check') return { pending: engineError ?? 'engine' };
      if (!engine && msg.type !== 'kefu:status') throw new Error(engineError ?? 'engine not loaded');
      return handler(msg, sender);
    })
    .then(sendResponse, (e) => sendResponse({ error: String(e && e.message ? e.message : e) }));
  return true; // the answer is sent asynchronously
});
