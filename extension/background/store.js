// Kefu's storage: everything lives in storage.local (with unlimitedStorage),
// nothing in storage.sync, so no setting, list or log leaves the machine.
//
// Owns: the storage keys and their shapes, the schema version and the
// migrations that carry stored data from one version of Kefu to the next,
// and a write queue so that concurrent read-modify-writes (many
// `kefu:counts` messages at once) never lose an update. It knows nothing of
// the engine (registry.js) nor of managed policy (policy.js).
//
// storage.local keys (schema version 2):
//   schemaVersion  2
//   settings       the effective settings the content scripts read (written
//                  by settings.js from prefs + team + policy; see there)
//   prefs          the switches a team lead set in the options page / popup,
//                  only the keys they changed: {triageOn, guardOn,
//                  guardMode, allowOverride, confirmWarn, dimNoise}
//   team           the team settings, in the field names of the settings
//                  TOML that `kefu --config` reads (src/settings.rs)
//   lists          the list registry: [{id, name, version, owner, rules,
//                  source: default|file|url|policy, file, url, sha256,
//                  intervalHours, enabled, status, error, updatedAt,
//                  checkedAt, addedAt}]
//   listTexts      {listId: {file, text, sha256, read}}: the accepted source
//                  of every added list, so a restart never re-fetches, and
//                  the list as the engine read it (so a restart needs no
//                  list reader; engine.js)
//   listsInForceAt when the lists in force last changed (ms): a content
//                  script that keeps verdicts per text drops them then
//   listCache      {bytes, at}: the compiled lists in force (base64), so a
//                  restart does not recompile; the engine checks that they
//                  fit the lists and its version (registry.js)
//   counts         {"YYYY-MM-DD": {category: {word: n}, urgency: {word: n}}}
//   overrideLog    [{at, page, draft, replyTo, reason, findings}] (content
//                  script, `kefu:override`)
//   feedback       [{at, page, comment, author, engine, corrected}] (content
//                  script, `kefu:feedback`)
//   lastError      {at, message} the last thing that went wrong, in words

const api = globalThis.browser ?? globalThis.chrome;

export const SCHEMA_VERSION = 2;

/** Logs keep this many entries; the oldest go first. */
export const LOG_LIMIT = 20000;
/** Daily counts are kept for this many days. */
export const COUNT_DAYS = 31;

export async function get(keys) {
  return api.storage.local.get(keys);
}

export async function set(values) {
  return api.storage.local.set(values);
}

// One queue for every read-modify-write: storage.local has no transactions,
// and the background answers messages concurrently.
let queue = Promise.resolve();

/** Runs `fn(current)` on the value of `key` and stores what it returns;
 *  serialized with every other update. Resolves to the new value. */
export function update(key, fn) {
  const run = queue.then(async () => {
    const current = (await api.storage.local.get(key))[key];
    const next = await fn(current);
    await api.storage.local.set({ [key]: next });
    return next;
  });
  queue = run.catch(() => {});
  return run;
}

/** Appends an entry to a log (`overrideLog`, `feedback`), keeping the last
 *  LOG_LIMIT. */
export function append(key, entry) {
  return update(key, (log) => {
    const next = Array.isArray(log) ? log : [];
    next.push(entry);
    return next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
  });
}

/** Today's date in the local time zone, as counts are keyed. */
export function today(now = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** Adds `increments` ([{category, urgency}]) to today's counts. */
export function addCounts(increments, now = new Date()) {
  const day = today(now);
  return update('counts', (counts) => {
    const all = counts && typeof counts === 'object' ? counts : {};
    const d = (all[day] ??= { category: {}, urgency: {} });
    for (const { category, urgency, guard } of increments) {
      if (typeof category === 'string') d.category[category] = (d.category[category] ?? 0) + 1;
      if (typeof urgency === 'string') d.urgency[urgency] = (d.urgency[urgency] ?? 0) + 1;
      if (typeof guard === 'string') (d.guard ??= {})[guard] = (d.guard[guard] ?? 0) + 1;
    }
    for (const k of Object.keys(all).sort().slice(0, -COUNT_DAYS)) delete all[k];
    return all;
  });
}

/** Records the last problem for the popup and the options page; never
 *  throws (with the storage full it cannot be recorded: it goes to the
 *  console). */
export function noteError(message) {
  return set({ lastError: { at: Date.now(), message: String(message) } }).catch((e) => {
    console.warn('Kefu: could not record a problem:', String(message), e);
  });
}

/** Whether a storage write failed because the storage is full: Chromium's
 *  `QUOTA_BYTES quota exceeded`, Firefox's QuotaExceededError, a full disk. */
export function isFull(e) {
  return /quota|no space|disk (is )?full/i.test(`${e?.name ?? ''} ${e?.message ?? e}`);
}

/** What the options page shows when a write failed for lack of room. */
export const FULL_MESSAGE = '扩展存储已满，没有保存（已生效的设置和词表不变）';

/** The answer to a page whose change could not be stored: `full` lets the
 *  page say it in its own language. */
export function failure(e, fallback) {
  if (isFull(e)) return { ok: false, full: true, message: FULL_MESSAGE };
  return { ok: false, message: `${fallback ?? ''}${e?.message ?? e}` };
}

// ---- migrations ------------------------------------------------------------
//
// Each migration takes the whole stored object at version N-1 and returns
// the keys to write for version N. They run in order, once, at start-up;
// data written by a newer Kefu (a downgrade) is left alone.

const MIGRATIONS = [
  // 0 → 1: the first versions kept nothing but the content script's
  // `settings` (switches and team fields mixed); split them into `prefs` and
  // `team`, keep every log entry found.
  async (old) => {
    const out = {};
    const s = old.settings ?? {};
    const prefs = {};
    for (const k of ['triageOn', 'guardOn', 'guardMode', 'allowOverride', 'confirmWarn', 'dimNoise']) {
      if (k in s) prefs[k] = s[k];
    }
    out.prefs = { ...prefs, ...(old.prefs ?? {}) };
    if (!old.team && (s.targets || s.cannedReplies || s.escalation)) {
      out.team = {
        ...(s.targets ? { targets: s.targets } : {}),
        ...(s.cannedReplies ? { canned_replies: s.cannedReplies } : {}),
        ...(s.escalation ? { escalation: s.escalation } : {}),
      };
    }
    for (const k of ['overrideLog', 'feedback']) out[k] = Array.isArray(old[k]) ? old[k] : [];
    out.lists = Array.isArray(old.lists) ? old.lists : [];
    out.listTexts = old.listTexts ?? {};
    out.counts = old.counts ?? {};
    return out;
  },
  // 1 → 2: lists are kept with their read form (`listTexts[id].read`, added
  // the first time the lists are put in force, registry.js) and the compiled
  // cache changed shape: the old cache is dropped (compiled again at once).
  async () => ({ listCache: null }),
];

/** Brings storage.local to SCHEMA_VERSION. Returns the version found. */
export async function migrate() {
  const all = await api.storage.local.get(null);
  const found = Number.isInteger(all.schemaVersion) ? all.schemaVersion : 0;
  if (found > SCHEMA_VERSION) return found;
  let data = all;
  for (let v = found; v < SCHEMA_VERSION; v += 1) {
    const changes = await MIGRATIONS[v](data);
    data = { ...data, ...changes, schemaVersion: v + 1 };
    await api.storage.local.set({ ...changes, schemaVersion: v + 1 });
  }
  return found;
}
