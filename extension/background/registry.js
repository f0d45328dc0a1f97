// The registry of phrase lists (the uBlock model: each list with its source,
// update interval and last update; the accepted copy cached locally).
//
// Owns: which lists exist (the defaults built into the engine, lists added
// from a file or an HTTPS URL, lists set by policy), fetching and checking
// them (pinned SHA-256, lint, the list's own examples), putting them in force
// in the engine atomically, and scheduled updates. Storage shapes are in
// store.js; the policy object in policy.js.
//
// The rule for every change: a list is accepted only if it lints, its own
// examples pass, and the whole set of lists then loads; otherwise nothing in
// force changes and the caller gets the reasons (with line and column).

import * as store from './store.js';

const api = globalThis.browser ?? globalThis.chrome;

/** The alarm that drives scheduled updates. */
export const UPDATE_ALARM = 'kefu:update-lists';
const ALARM_PERIOD_MINUTES = 30;
// Below 30 s: Firefox stops an event page idle for 30 s (Chromium its
// service worker likewise), and a download still waiting then is dropped
// without a word. At 30 s the options page, in Firefox, never learnt why an
// update failed (tests/e2e/faults.test.mjs).
const FETCH_TIMEOUT_MS = 20000;

/** Ids of the default lists, read from a fresh engine at start. */
let defaults = [];

/** How the lists were put in force when this engine started:
 *  {fromCompiled, at, ms} — whether the compiled bytes kept in storage were
 *  loaded (no compiling), when, and how long it took (`kefu:getOptions`
 *  answers it; the end-to-end tests check it). */
export let lastStart = null;

// Registry changes (adds, updates, toggles) run one at a time.
let queue = Promise.resolve();
function exclusive(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

/** A problem a person can act on; `diagnostics` and `failures` when a list
 *  was refused for what it contains. */
export class ListError extends Error {
  constructor(message, extra = {}) {
    super(message);
    Object.assign(this, extra);
  }
}

// ---- sources ---------------------------------------------------------------

/** Whether a list URL may be used: HTTPS, or plain HTTP on this machine
 *  (a secure context; what tests and local list servers use) by the names
 *  the manifest's optional host permissions cover: `localhost` and
 *  `127.0.0.1`. Not `[::1]`: no permission is declared for it. */
export function checkUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new ListError(`「${url}」不是有效的网址`);
  }
  const local = ['localhost', '127.0.0.1'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) {
    throw new ListError(`词表地址必须是 HTTPS：${url}`);
  }
  return u;
}

/** The origin pattern to ask host permission for. */
export function originPattern(url) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

/** The file name a list is parsed under (its extension picks the format). */
export function fileNameOf(url) {
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'list');
  return /\.(toml|txt)$/i.test(last) ? last : `${last}.toml`;
}

export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function decode(bytes, file) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ListError(`${file}：文件不是 UTF-8 文本`);
  }
}

/** Downloads a list and checks it against its pinned hash. */
export async function download(url, pinned) {
  checkUrl(url);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
  let res;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'omit', signal: ctl.signal });
  } catch (e) {
    throw new ListError(`无法下载 ${url}：${e?.name === 'AbortError' ? '超时' : '网络错误或服务器不允许跨域（CORS）访问'}`);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw new ListError(`无法下载 ${url}：服务器返回 ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const sha256 = await sha256Hex(bytes);
  const want = (pinned ?? '').trim().toLowerCase();
  if (want && want !== sha256) {
    throw new ListError(`下载内容的 SHA-256 与固定值不符，已拒绝（固定值 ${want}，实际 ${sha256}）`, { sha256 });
  }
  return { text: decode(bytes, fileNameOf(url)), sha256 };
}

// ---- the engine ------------------------------------------------------------

/** Lints the list and runs its examples; throws a ListError if it fails.
 *  Resolves to the engine's verdict, whose `read` is the list as read. */
export async function examine(engine, file, text) {
  const r = await engine.testList(file, text);
  const errors = r.diagnostics.filter((d) => d.level === 'error');
  if (!r.list || errors.length) {
    throw new ListError(`${file} 有 ${errors.length || 1} 处错误`, { diagnostics: r.diagnostics });
  }
  if (r.failures.length) {
    throw new ListError(`${file}：${r.failures.length} 个示例没有通过`, {
      diagnostics: r.diagnostics,
      failures: r.failures,
    });
  }
  return r;
}

/** The lists to put in force: the added ones as read, and the ids of the
 *  default ones turned off. A stored list without its read form (kept by a
 *  Kefu before 0.2) is read again here, once. */
async function inForceSet(engine, lists, texts) {
  const read = [];
  const disabled = [];
  let reread = false;
  for (const l of lists) {
    if (l.source === 'default') {
      if (!l.enabled) disabled.push(l.id);
    } else if (l.enabled && texts[l.id]) {
      const t = texts[l.id];
      if (!t.read) {
        t.read = (await examine(engine, t.file, t.text)).read;
        reread = true;
      }
      read.push(t.read);
    }
  }
  return { read, disabled, reread };
}

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// A plain loop: Uint8Array.from(string, mapper) takes ~1 s for the 6.7 MB
// of a compiled 64k-phrase list, more than compiling it.
function unb64(text) {
  try {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** Puts `lists` in force, or throws and changes nothing. `cache` is the
 *  compiled form stored last time ({bytes}, base64): the engine uses it when
 *  it was compiled from these very lists by this engine version (it checks),
 *  so a restart does not recompile. Resolves to {cache, loaded, reread}:
 *  the cache to store for the lists now in force, how they were put in
 *  force, whether a stored list was read again (`texts` has its read form). */
async function putInForce(engine, lists, texts, cache) {
  const set = await inForceSet(engine, lists, texts);
  const t0 = Date.now();
  let result;
  try {
    result = engine.configureLists(set.read, set.disabled, cache?.bytes ? unb64(cache.bytes) : undefined);
  } catch (e) {
    throw new ListError(`词表无法一起生效：${e.message}`);
  }
  const loaded = { fromCompiled: !!result.fromCompiled, at: Date.now(), ms: Date.now() - t0 };
  if (result.fromCompiled) return { cache, loaded, reread: set.reread };
  return { cache: { bytes: b64(engine.serializeLists()), at: Date.now() }, loaded, reread: set.reread };
}

function summarise(lists, engine) {
  const inForce = new Map(engine.listSummary().map((l) => [l.id, l]));
  for (const l of lists) {
    const live = inForce.get(l.id);
    if (live) Object.assign(l, { name: live.name, version: live.version, owner: live.owner ?? l.owner ?? null, rules: live.rules });
    if (l.enabled && !live && l.status === 'ok') l.status = 'error';
    if (!l.enabled) l.status = 'off';
    else if (live) l.status = 'ok';
  }
  return lists;
}

async function commit(engine, lists, texts) {
  const { cache: listCache } = await putInForce(engine, lists, texts, null);
  summarise(lists, engine);
  // `listsInForceAt` tells the content scripts that verdicts they keep for
  // texts already checked may be stale.
  const change = { lists, listTexts: texts, listsInForceAt: Date.now() };
  try {
    await store.set({ ...change, listCache });
  } catch (e) {
    if (!store.isFull(e)) throw e;
    // The compiled cache is only a cache: without it, the next start
    // compiles again. The stored cache no longer fits the lists (the engine
    // checks), so it goes too, to make room.
    try {
      await store.set({ ...change, listCache: null });
    } catch (e2) {
      // Nothing could be stored: the engine goes back to the stored lists,
      // so that what is in force is what a restart brings back.
      const stored = await store.get(['lists', 'listTexts', 'listCache']);
      await putInForce(engine, stored.lists ?? [], stored.listTexts ?? {}, stored.listCache).catch(() => {});
      throw store.isFull(e2) ? new ListError(store.FULL_MESSAGE, { full: true }) : e2;
    }
  }
  return lists;
}

// ---- start-up --------------------------------------------------------------

/** Reads the registry and puts it in force in a fresh engine. Default lists
 *  are the ones the fresh engine has; new defaults are added, gone ones
 *  dropped. Nothing is fetched: every list's accepted copy is in storage. */
export async function start(engine, policy) {
  const fresh = engine.listSummary();
  defaults = fresh.map((l) => l.id);
  const stored = await store.get(['lists', 'listTexts', 'listCache']);
  let lists = Array.isArray(stored.lists) ? stored.lists : [];
  const texts = stored.listTexts ?? {};
  const byId = new Map(lists.map((l) => [l.id, l]));
  const defaultEntries = fresh.map((l) => ({
    ...(byId.get(l.id)?.source === 'default' ? byId.get(l.id) : { enabled: true }),
    id: l.id, name: l.name, version: l.version, owner: l.owner ?? null, rules: l.rules,
    source: 'default', status: 'ok', error: null,
  }));
  for (const d of defaultEntries) {
    if (policy.disabledDefaultLists.includes(d.id)) d.enabled = false;
  }
  lists = [...defaultEntries, ...lists.filter((l) => l.source !== 'default' && texts[l.id])];
  let inForce;
  try {
    inForce = await putInForce(engine, lists, texts, stored.listCache);
  } catch (e) {
    inForce = { error: e };
  }
  if (!inForce.error) {
    const { cache: listCache, loaded, reread } = inForce;
    lastStart = loaded;
    summarise(lists, engine);
    // The cache and the texts (megabytes with a large list) only when they
    // changed: Chromium starts its worker again after every idle spell.
    // With the storage full the lists stay in force; only the cache (or a
    // list's read form) is not kept, and the next start compiles again.
    await store.set({
      lists,
      ...(reread ? { listTexts: texts } : {}),
      ...(loaded.fromCompiled ? {} : { listCache }),
    }).catch((e) => console.warn('Kefu: the lists in force could not be stored again:', e));
  } else {
    const e = inForce.error;
    // A stored list the engine no longer accepts (an engine update made the
    // format stricter): keep the defaults, mark the added lists as failed.
    for (const l of lists) {
      if (l.source !== 'default') Object.assign(l, { status: 'error', error: e.message });
    }
    await store.noteError(`已保存的词表无法生效：${e.message}`);
    try {
      engine.configureLists([], lists.filter((l) => l.source === 'default' && !l.enabled).map((l) => l.id), undefined);
      lastStart = { fromCompiled: false, at: Date.now(), ms: null, error: e.message };
    } catch {
      // The defaults always load.
    }
    summarise(lists, engine);
    await store.set({ lists }).catch(() => {});
  }
  await syncPolicyLists(engine, policy);
  // Created once: the background starts again whenever Chromium wakes its
  // idle worker, and an alarm created anew each time (due a minute later)
  // would never fire for a worker woken more often than that.
  if (api.alarms && !(await api.alarms.get(UPDATE_ALARM))?.periodInMinutes) {
    api.alarms.create(UPDATE_ALARM, { periodInMinutes: ALARM_PERIOD_MINUTES, delayInMinutes: 1 });
  }
  return lists;
}

// ---- changes -----------------------------------------------------------------

/** Adds (or replaces, same id) a list. `src` is {file, text} or {url,
 *  sha256, intervalHours}. Resolves to the registry entry; throws a
 *  ListError, changing nothing, if the list is refused. */
export function add(engine, src, { source = src.url ? 'url' : 'file', policyLocked = false } = {}) {
  return exclusive(async () => {
    if (policyLocked && source !== 'policy') throw new ListError('管理员已锁定词表设置，不能添加词表');
    let file;
    let text;
    let sha256;
    if (src.url) {
      checkUrl(src.url);
      ({ text, sha256 } = src.downloaded ?? (await download(src.url, src.sha256)));
      file = fileNameOf(src.url);
    } else {
      file = String(src.file || 'list.toml');
      text = String(src.text ?? '');
      sha256 = await sha256Hex(new TextEncoder().encode(text));
      if (src.sha256 && src.sha256.trim().toLowerCase() !== sha256) {
        throw new ListError(`文件的 SHA-256 与固定值不符，已拒绝（固定值 ${src.sha256.trim().toLowerCase()}，实际 ${sha256}）`);
      }
    }
    const r = await examine(engine, file, text);
    const id = r.list.id;
    const { lists: stored, listTexts } = await store.get(['lists', 'listTexts']);
    const lists = structuredClone(stored ?? []);
    const texts = { ...(listTexts ?? {}) };
    const old = lists.find((l) => l.id === id);
    if (old && (old.source === 'default' || defaults.includes(id))) {
      throw new ListError(`词表 id「${id}」与内置词表相同，请换一个 id`);
    }
    if (old && old.source === 'policy' && source !== 'policy') {
      throw new ListError(`词表「${id}」由管理员下发，不能替换`);
    }
    const now = Date.now();
    const entry = {
      ...(old ?? { addedAt: now, enabled: true }),
      id, name: r.list.name, version: r.list.version, owner: r.list.owner ?? null, rules: r.list.rules,
      source, file, url: src.url ?? null, sha256: src.url ? (src.sha256 || '').trim().toLowerCase() : sha256,
      intervalHours: src.url ? Number(src.intervalHours) || 24 : null,
      status: 'ok', error: null, updateError: null,
      updatedAt: old && texts[id]?.text === text ? old.updatedAt : now, checkedAt: now,
      warnings: r.diagnostics.filter((d) => d.level === 'warning').length,
    };
    const next = (old ? lists.map((l) => (l.id === id ? entry : l)) : [...lists, entry])
      // A policy list that failed before has a placeholder under its URL.
      .filter((l) => l.id === id || !(l.source === 'policy' && src.url && l.url === src.url));
    const nextTexts = { ...texts, [id]: { file, text, sha256, read: r.read } };
    // Atomic: the whole set must load before anything is stored.
    await commit(engine, next, nextTexts);
    return { entry: next.find((l) => l.id === id), diagnostics: r.diagnostics };
  });
}

export function setEnabled(engine, id, enabled) {
  return exclusive(async () => {
    const { lists, listTexts } = await store.get(['lists', 'listTexts']);
    const next = structuredClone(lists ?? []);
    const l = next.find((x) => x.id === id);
    if (!l) throw new ListError(`没有 id 为「${id}」的词表`);
    l.enabled = !!enabled;
    l.status = enabled ? 'ok' : 'off';
    return commit(engine, next, listTexts ?? {});
  });
}

export function remove(engine, id) {
  return exclusive(async () => {
    const { lists, listTexts } = await store.get(['lists', 'listTexts']);
    const l = (lists ?? []).find((x) => x.id === id);
    if (!l) throw new ListError(`没有 id 为「${id}」的词表`);
    if (l.source === 'default') throw new ListError('内置词表不能删除，可以关闭');
    if (l.source === 'policy') throw new ListError('管理员下发的词表不能删除');
    const texts = { ...(listTexts ?? {}) };
    delete texts[id];
    return commit(engine, lists.filter((x) => x.id !== id), texts);
  });
}

/** Notes on entry `id` that it was checked now ({updateError} too). */
function noteChecked(id, updateError) {
  return exclusive(async () => {
    const cur = (await store.get('lists')).lists ?? [];
    const x = cur.find((y) => y.id === id);
    if (x) Object.assign(x, { checkedAt: Date.now(), updateError });
    await store.set({ lists: cur });
    return x;
  });
}

/** Re-downloads a URL list. The same text as the one in force is only
 *  noted as checked (nothing is read or compiled again). On any failure the
 *  version in force stays and the entry says why (`updateError`). */
export async function refresh(engine, id) {
  const { lists, listTexts } = await store.get(['lists', 'listTexts']);
  const l = (lists ?? []).find((x) => x.id === id);
  if (!l?.url) throw new ListError(`词表「${id}」不是从网址添加的`);
  try {
    const downloaded = await download(l.url, l.sha256);
    if (l.status === 'ok' && listTexts?.[id]?.sha256 === downloaded.sha256) {
      return { entry: await noteChecked(id, null), diagnostics: [] };
    }
    return await add(engine, { url: l.url, sha256: l.sha256, intervalHours: l.intervalHours, downloaded }, { source: l.source });
  } catch (e) {
    await noteChecked(id, e.message).catch(() => {});
    await store.noteError(`词表「${l.name}」更新失败，继续使用旧版本：${e.message}`);
    throw e;
  }
}

/** Updates every URL list whose interval has passed (the alarm). */
export async function updateDue(engine, now = Date.now()) {
  const { lists } = await store.get('lists');
  for (const l of lists ?? []) {
    if (!l.url || !l.enabled) continue;
    const due = (l.checkedAt ?? 0) + (l.intervalHours ?? 24) * 3600e3;
    if (due <= now) await refresh(engine, l.id).catch(() => {});
  }
}

/** Installs the lists the policy names (the ones not yet in storage, or
 *  whose pinned hash changed). A failure is recorded, never thrown. */
export async function syncPolicyLists(engine, policy) {
  const urls = new Set(policy.lists.map((p) => p.url));
  await exclusive(async () => {
    const { lists, listTexts } = await store.get(['lists', 'listTexts']);
    const gone = (lists ?? []).filter((l) => l.source === 'policy' && !urls.has(l.url));
    if (!gone.length) return;
    const texts = { ...(listTexts ?? {}) };
    for (const l of gone) delete texts[l.id];
    await commit(engine, lists.filter((l) => !gone.includes(l)), texts);
  });
  const have = (await store.get('lists')).lists ?? [];
  for (const p of policy.lists) {
    const cur = have.find((l) => l.source === 'policy' && l.url === p.url);
    if (cur && (!p.sha256 || cur.sha256 === p.sha256)) continue;
    try {
      await add(engine, p, { source: 'policy' });
    } catch (e) {
      await recordPolicyFailure(p, e);
    }
  }
}

function recordPolicyFailure(p, e) {
  return exclusive(async () => {
    const cur = (await store.get('lists')).lists ?? [];
    const at = cur.find((l) => l.source === 'policy' && l.url === p.url);
    if (at) {
      at.updateError = e.message;
      at.checkedAt = Date.now();
    } else {
      cur.push({
        id: `policy:${p.url}`, name: p.url, version: '', owner: null, rules: 0, source: 'policy',
        url: p.url, sha256: p.sha256, intervalHours: p.intervalHours, enabled: true,
        status: 'error', error: e.message, checkedAt: Date.now(), updatedAt: null, addedAt: Date.now(),
      });
    }
    await store.set({ lists: cur });
    await store.noteError(`管理员下发的词表无法使用：${e.message}`);
  });
}
