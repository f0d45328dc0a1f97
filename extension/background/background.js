// Kefu's background: the one place the engine runs.
//
// The wasm engine lives here (Chrome: the service worker; Firefox: the
// background page), not in the content script: in Chrome a content script
// cannot compile wasm on a page whose CSP lacks 'wasm-unsafe-eval', while
// the extension's own CSP allows it here on every page. Content scripts and
// the popup talk to it through the named messages below. It holds no
// customer text beyond the message being answered.

import { loadEngine } from './engine.js';
import { settingsHandlers, onEngineReady } from './settings.js';

const api = globalThis.browser ?? globalThis.chrome;

let engine = null;
let engineError = null;

// Started at once; every message waits for it. A killed service worker
// restarts here on the next message, so no state may live only in memory.
const ready = (async () => {
  try {
    // The checker; its data files (fold tables, default lists, lexicons)
    // ship beside the wasm, which keeps it small (engine.js).
    engine = await loadEngine();
    await onEngineReady(engine);
  } catch (e) {
    engineError = String(e && e.message ? e.message : e);
    console.error('Kefu: the engine failed to load:', engineError);
  }
})();

const handlers = {
  // Settings, lists and logs (options page, popup): background/settings.js.
  ...settingsHandlers(() => engine),
  // A draft to check: { draft, replyTo, recent } → { report }. `recent` are
  // the agent's recent replies (for 同质化, label `repeated`).
  async 'kefu:check'(msg) {
    const recent = Array.isArray(msg.recent) ? msg.recent.map(String) : undefined;
    return { report: engine.check(String(msg.draft ?? ''), msg.replyTo ?? undefined, recent) };
  },
  // A batch of comments: { comments: [...] } → { results: [...] }.
  async 'kefu:triage'(msg) {
    return { results: JSON.parse(engine.triageJson(JSON.stringify(msg.comments ?? []), Date.now())) };
  },
  // What the popup shows: engine state, lists in force, this page.
  async 'kefu:status'(msg) {
    const pages = (await api.storage.session?.get('pages'))?.pages ?? {};
    return {
      engine: engine ? 'loaded' : 'failed',
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
    pages[tabId] = { recognised: !!msg.recognised, comments: msg.comments | 0, url: sender.tab.url, at: Date.now() };
    await api.storage.session.set({ pages });
    return {};
  },
};

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handler = msg && handlers[msg.type];
  if (!handler) return false;
  ready
    .then(() => {
      if (!engine && msg.type !== 'kefu:status') throw new Error(engineError ?? 'engine not loaded');
      return handler(msg, sender);
    })
    .then(sendResponse, (e) => sendResponse({ error: String(e && e.message ? e.message : e) }));
  return true; // the answer is sent asynchronously
});
