// Settings, phrase lists and logs: the background's side of the popup and
// the options page, and what the content scripts report.
//
// Exports:
//   onEngineReady(engine)       migrate storage, apply the team settings and
//                               the lists in force to a new engine (never
//                               throws: problems go to storage `lastError`)
//   settingsHandlers(getEngine) named message handlers, merged into the
//                               background's router (background.js)
//
// What the content scripts read — storage.local key `settings`, rewritten
// whenever a team lead or a policy changes something:
//   {
//     triageOn: bool,            mark comments
//     guardOn: bool,             check replies
//     guardMode: 'block'|'warn', 'warn': a block is shown, the send may go on
//     allowOverride: bool,       a blocked reply may be sent with a reason
//     confirmWarn: bool,         a `warn` reply needs confirming
//     dimNoise: bool,            dim comments of urgency `noise`
//     language: 'zh_CN'|'en'|'browser',  the language Kefu speaks
//     targets: {critical, high, normal, low},   response targets, minutes
//     cannedReplies: {category: [text]},        `{name}` is the author
//     escalation: {category: contact},
//     watchWords: [], vipAccounts: [], hotlines: [],
//     locked: [names]            what a policy locked (for display)
//   }
//
// Messages the content scripts send (fire and forget):
//   kefu:counts   {category, urgency} or {items: [{category, urgency} | {guard}]}
//                 one per comment judged, or per send the guard stopped
//                 ({guard: 'block'}); accumulated per day (popup)
//   kefu:override {entry: {at, page, draft, replyTo, reason, findings}}
//                 appended to storage `overrideLog`
//   kefu:feedback {entry: {at, page, comment, author, engine, corrected}}
//                 appended to storage `feedback`
//
// Messages of the popup and options page: see `settingsHandlers` below.
// Storage shapes and migrations: store.js; lists: registry.js; policy:
// policy.js.

import * as store from './store.js';
import * as registry from './registry.js';
import { readPolicy, isLocked, onPolicyChanged } from './policy.js';

const api = globalThis.browser ?? globalThis.chrome;

export const SWITCHES = {
  triageOn: true,
  guardOn: true,
  guardMode: 'block',
  allowOverride: true,
  confirmWarn: false,
  dimNoise: true,
  // The language Kefu speaks (page, popup, options): zh_CN, en, or
  // 'browser' (the browser's UI language).
  language: 'zh_CN',
};
const LANGUAGES = ['zh_CN', 'en', 'browser'];

export const CATEGORIES = ['safety', 'complaint', 'question', 'suggestion', 'praise', 'chatter', 'spam'];
export const URGENCIES = ['critical', 'high', 'normal', 'low', 'noise'];
/** What the guard did, counted per day for the popup: a send stopped, an override. */
const GUARD_EVENTS = ['block', 'override'];

/** The team settings a new installation starts with (TOML field names). */
export const DEFAULT_TEAM = {
  watch_words: [],
  vip_accounts: [],
  targets: { critical: 15, high: 60, normal: 240, low: 1440 },
  hotlines: [],
  canned_replies: {
    complaint: ['@{name} 您好，给您添麻烦了，非常抱歉！我们已经记录并加急处理，稍后私信您进展，请留意私信哦。'],
    question: ['@{name} 您好，感谢关注！关于您的问题，麻烦私信我们订单号，我们马上为您查询哦。'],
    safety: ['@{name} 您好，您的情况我们非常重视，已第一时间转交专人处理，请保持电话畅通，我们马上联系您！'],
    suggestion: ['@{name} 谢谢您的建议，我们已经反馈给相关团队啦，欢迎继续提意见哦！'],
    praise: ['@{name} 谢谢您的认可[心]，我们会继续努力哒！'],
  },
  escalation: {},
};

// ---- the settings TOML -------------------------------------------------------

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A TOML basic string (JSON's escapes are TOML's, except DEL). */
function tomlString(s) {
  return JSON.stringify(String(s)).replace(/\x7f/g, '\\u007F');
}
const tomlKey = (k) => (BARE_KEY.test(k) ? k : tomlString(k));
const tomlArray = (a) => `[${(a ?? []).map(tomlString).join(', ')}]`;

/** The team settings as the engine reads them (the fields of the TOML
 *  below, with the same normalisation). */
export function teamToJson(team) {
  const t = { ...DEFAULT_TEAM, ...team };
  const strings = (a) => (Array.isArray(a) ? a.map(String) : []);
  const targets = {};
  for (const u of ['critical', 'high', 'normal', 'low']) {
    targets[u] = Math.max(0, Math.round(Number(t.targets?.[u] ?? DEFAULT_TEAM.targets[u])));
  }
  const out = {
    watch_words: strings(t.watch_words),
    vip_accounts: strings(t.vip_accounts),
    hotlines: strings(t.hotlines),
    targets,
    canned_replies: Object.fromEntries(Object.entries(t.canned_replies ?? {}).map(([k, v]) => [k, strings(v)])),
    escalation: Object.fromEntries(Object.entries(t.escalation ?? {}).map(([k, v]) => [k, String(v)])),
  };
  // Read by the engine when present (settings it read from TOML).
  for (const k of ['influence_followers', 'influence_likes']) if (t[k] != null) out[k] = Number(t[k]);
  if (Array.isArray(t.media_markers)) out.media_markers = strings(t.media_markers);
  return out;
}

/** The team settings as the TOML `kefu --config` reads. */
export function teamToToml(team) {
  const t = { ...DEFAULT_TEAM, ...team };
  const lines = [
    '# Kefu team settings: `kefu triage --config FILE`, or import in the options page.',
    `watch_words = ${tomlArray(t.watch_words)}`,
    `vip_accounts = ${tomlArray(t.vip_accounts)}`,
    `hotlines = ${tomlArray(t.hotlines)}`,
    '',
    '[targets] # response targets in minutes, per urgency',
  ];
  for (const u of ['critical', 'high', 'normal', 'low']) {
    lines.push(`${u} = ${Math.max(0, Math.round(Number(t.targets?.[u] ?? DEFAULT_TEAM.targets[u])))}`);
  }
  lines.push('', '[canned_replies]');
  for (const [k, v] of Object.entries(t.canned_replies ?? {})) lines.push(`${tomlKey(k)} = ${tomlArray(v)}`);
  lines.push('', '[escalation]');
  for (const [k, v] of Object.entries(t.escalation ?? {})) lines.push(`${tomlKey(k)} = ${tomlString(v)}`);
  return `${lines.join('\n')}\n`;
}

// ---- effective settings ------------------------------------------------------

function effectiveSwitches(prefs, policy) {
  const out = {};
  for (const [k, fallback] of Object.entries(SWITCHES)) {
    const valid = (v) => {
      if (k === 'guardMode') return v === 'block' || v === 'warn';
      if (k === 'language') return LANGUAGES.includes(v);
      return typeof v === 'boolean';
    };
    const fromPolicy = valid(policy.settings[k]) ? policy.settings[k] : undefined;
    const fromUser = valid(prefs?.[k]) ? prefs[k] : undefined;
    out[k] = isLocked(policy, k) ? fromPolicy ?? fallback : fromUser ?? fromPolicy ?? fallback;
  }
  return out;
}

function effectiveTeam(team, policy) {
  if (isLocked(policy, 'team')) return { ...DEFAULT_TEAM, ...(policy.team ?? {}) };
  return { ...DEFAULT_TEAM, ...(team ?? policy.team ?? {}) };
}

/** Recomputes storage `settings` (what the content scripts obey). `changes`
 *  ({prefs} and/or {team}) are stored in the same write: with the storage
 *  full, neither is stored and nothing changes. */
async function publish(policy, changes = {}) {
  const { prefs, team } = { ...(await store.get(['prefs', 'team'])), ...changes };
  const t = effectiveTeam(team, policy);
  const settings = {
    ...effectiveSwitches(prefs, policy),
    targets: { ...DEFAULT_TEAM.targets, ...t.targets },
    cannedReplies: t.canned_replies ?? {},
    escalation: t.escalation ?? {},
    watchWords: t.watch_words ?? [],
    vipAccounts: t.vip_accounts ?? [],
    hotlines: t.hotlines ?? [],
    locked: policy.locked,
  };
  await store.set({ ...changes, settings });
  return { settings, team: t };
}

/** Validates team settings through the engine (the same parser as the CLI)
 *  and puts them in force; returns them as the engine read them. */
function applyTeam(engine, team) {
  return engine.setTeam(teamToJson(team));
}

// ---- start-up ----------------------------------------------------------------

let engineRef = null;
let resolveEngine;
const engineReady = new Promise((r) => {
  resolveEngine = r;
});

/** Puts the team settings and the lists in force on a new engine. Resolves
 *  to whether the lists in force were applied: when they could not be (the
 *  storage unreadable, the registry failing), the background answers checks
 *  with "not ready", never with a verdict from an engine without them. */
export async function onEngineReady(engine) {
  engineRef = engine;
  let policy = null;
  try {
    await store.migrate();
    policy = await readPolicy();
    // With the storage full the effective settings may not be rewritten:
    // the stored ones stay, and the team settings and lists still load.
    const { team } = await publish(policy).catch(async (e) => {
      console.warn('Kefu: settings not rewritten:', e);
      return { team: effectiveTeam((await store.get('team')).team, policy) };
    });
    try {
      applyTeam(engine, team);
    } catch (e) {
      await store.noteError(`团队设置无法生效：${e?.message ?? e}`);
    }
  } catch (e) {
    console.error('Kefu: settings could not be applied:', e);
    await store.noteError(`设置无法加载：${e?.message ?? e}`).catch(() => {});
  }
  // The lists in force are applied whatever happened to the settings above.
  const inForce = await startLists(engine, policy);
  resolveEngine(engine);
  return inForce;
}

/** registry.start, with the policy read again if it was not; false when the
 *  lists in force could not be applied. Called again by the background
 *  before it answers a check while they are not. */
export async function startLists(engine, policy = null) {
  try {
    const p = policy ?? (await readPolicy());
    await registry.start(engine, p);
    // Lists named by a policy and not cached yet are downloaded after the
    // engine answers messages, not before.
    registry.syncPolicyLists(engine, p).catch((e) => store.noteError(e.message));
    return true;
  } catch (e) {
    console.error('Kefu: the lists in force could not be applied:', e);
    await store.noteError(`词表无法生效：${e?.message ?? e}`).catch(() => {});
    return false;
  }
}

// Registered at the top level: an alarm or a policy change may be what wakes
// the background up.
api.alarms?.onAlarm.addListener(async (alarm) => {
  if (alarm.name !== registry.UPDATE_ALARM) return;
  const engine = await engineReady;
  await registry.updateDue(engine);
});

onPolicyChanged(async () => {
  const engine = await engineReady;
  const policy = await readPolicy();
  const { team } = await publish(policy);
  try {
    applyTeam(engine, team);
  } catch (e) {
    await store.noteError(`管理员下发的团队设置无法生效：${e?.message ?? e}`);
  }
  await registry.syncPolicyLists(engine, policy);
});

// ---- counts (batched: the content script sends one message per comment) -----

let pending = [];
let flushTimer = null;
function flushCounts() {
  clearTimeout(flushTimer);
  flushTimer = null;
  const batch = pending;
  pending = [];
  // Counts are statistics: with the storage full they are dropped.
  return batch.length ? store.addCounts(batch).catch((e) => console.warn('Kefu: counts not stored:', e)) : Promise.resolve();
}

// ---- logs as files -------------------------------------------------------------

const LOG_KEYS = ['overrideLog', 'feedback'];

function refusal(e) {
  const full = !!e?.full || store.isFull(e);
  return {
    ok: false,
    ...(full ? { full } : {}),
    message: full ? store.FULL_MESSAGE : String(e?.message ?? e),
    diagnostics: e?.diagnostics ?? [],
    failures: e?.failures ?? [],
  };
}

// ---- the handlers --------------------------------------------------------------

export function settingsHandlers(getEngine) {
  const engine = () => getEngine() ?? engineRef;
  const lockedFor = async (name) => isLocked(await readPolicy(), name);
  /** Stores team settings the engine has just put in force; if they cannot
   *  be stored (storage full), the engine goes back to the stored ones, so
   *  that what is in force is what a restart would bring back. */
  async function storeTeam(team) {
    const policy = await readPolicy();
    try {
      await publish(policy, { team });
      return { ok: true, team };
    } catch (e) {
      try {
        applyTeam(engine(), effectiveTeam((await store.get('team')).team, policy));
      } catch {
        // The stored settings were in force before; they load.
      }
      return store.failure(e, '无法保存：');
    }
  }

  return {
    // Everything the options page shows.
    async 'kefu:getOptions'() {
      const policy = await readPolicy();
      const s = await store.get(['prefs', 'team', 'lists', 'overrideLog', 'feedback', 'lastError', 'schemaVersion', 'settings']);
      return {
        settings: effectiveSwitches(s.prefs, policy),
        team: effectiveTeam(s.team, policy),
        policy: { present: policy.present, locked: policy.locked, lists: policy.lists.length },
        lists: s.lists ?? [],
        logs: { overrideLog: s.overrideLog?.length ?? 0, feedback: s.feedback?.length ?? 0 },
        lastError: s.lastError ?? null,
        schemaVersion: s.schemaVersion ?? 0,
        // How this engine's start put the lists in force ({fromCompiled, at, ms}).
        listsStart: registry.lastStart,
        categories: CATEGORIES,
      };
    },

    // The switches: {prefs: {key: value}} → {settings} (locked keys refused).
    async 'kefu:setPrefs'(msg) {
      const policy = await readPolicy();
      const changes = msg.prefs ?? {};
      const refused = Object.keys(changes).filter((k) => isLocked(policy, k));
      if (refused.length) return { ok: false, message: `管理员已锁定：${refused.join('、')}` };
      const unknown = Object.keys(changes).filter((k) => !(k in SWITCHES));
      if (unknown.length) return { ok: false, message: `未知设置：${unknown.join('、')}` };
      const { prefs } = await store.get('prefs');
      try {
        const { settings } = await publish(policy, { prefs: { ...(prefs ?? {}), ...changes } });
        return { ok: true, settings };
      } catch (e) {
        return store.failure(e, '无法保存：');
      }
    },

    // Team settings: {team} → {ok, team} once the engine accepted them.
    async 'kefu:setTeam'(msg) {
      if (await lockedFor('team')) return { ok: false, message: '管理员已锁定团队设置' };
      let team;
      try {
        team = applyTeam(engine(), { ...DEFAULT_TEAM, ...(msg.team ?? {}) });
      } catch (e) {
        return { ok: false, message: `团队设置有误：${e?.message ?? e}` };
      }
      return storeTeam(team);
    },

    async 'kefu:exportToml'() {
      const policy = await readPolicy();
      const { team } = await store.get('team');
      return { toml: teamToToml(effectiveTeam(team, policy)) };
    },

    // {toml} → {ok, team}; the TOML is read by the engine, as by the CLI.
    async 'kefu:importToml'(msg) {
      if (await lockedFor('team')) return { ok: false, message: '管理员已锁定团队设置' };
      const e = engine();
      let team;
      try {
        team = applyTeam(e, await e.readSettings(String(msg.toml ?? '')));
      } catch (err) {
        // Nothing changed: the engine keeps the settings in force.
        return { ok: false, message: `无法导入：${err?.message ?? err}` };
      }
      return storeTeam(team);
    },

    // {file, text} or {url, sha256, intervalHours} → {ok, entry} or
    // {ok: false, message, diagnostics, failures}; the lists in force stay.
    async 'kefu:addList'(msg) {
      if (await lockedFor('lists')) return { ok: false, message: '管理员已锁定词表设置，不能添加词表', diagnostics: [], failures: [] };
      try {
        const src = msg.url
          ? { url: String(msg.url), sha256: String(msg.sha256 ?? ''), intervalHours: Number(msg.intervalHours) || 24 }
          : { file: String(msg.file ?? 'list.toml'), text: String(msg.text ?? '') };
        const { entry, diagnostics } = await registry.add(engine(), src);
        return { ok: true, entry, diagnostics };
      } catch (e) {
        return refusal(e);
      }
    },

    async 'kefu:setListEnabled'(msg) {
      if (await lockedFor('lists')) return { ok: false, message: '管理员已锁定词表设置' };
      try {
        return { ok: true, lists: await registry.setEnabled(engine(), String(msg.id), !!msg.enabled) };
      } catch (e) {
        return refusal(e);
      }
    },

    async 'kefu:removeList'(msg) {
      if (await lockedFor('lists')) return { ok: false, message: '管理员已锁定词表设置' };
      try {
        return { ok: true, lists: await registry.remove(engine(), String(msg.id)) };
      } catch (e) {
        return refusal(e);
      }
    },

    async 'kefu:refreshList'(msg) {
      try {
        const { entry } = await registry.refresh(engine(), String(msg.id));
        return { ok: true, entry };
      } catch (e) {
        return refusal(e);
      }
    },

    // The text of an added list, for download.
    async 'kefu:listText'(msg) {
      const { listTexts } = await store.get('listTexts');
      const t = listTexts?.[msg.id];
      return t ? { ok: true, file: t.file, text: t.text } : { ok: false, message: '没有这个词表的文本' };
    },

    // A list's rules and phrases, built-in lists included (options page):
    // {id} → {ok, list: {id, name, rules: [{id, label, severity, message,
    // phrases, patterns, allow, suggest}]}}, from its read form.
    async 'kefu:listRules'(msg) {
      const { listTexts } = await store.get('listTexts');
      let read = listTexts?.[msg.id]?.read;
      if (!read) {
        const data = await (await fetch(api.runtime.getURL('pkg/kefu-data.json'))).json();
        read = data[`lists/${msg.id}.toml`] ?? data[`lists/${msg.id}.txt`];
      }
      if (!read) return { ok: false, message: '没有这个词表的规则' };
      const list = typeof read === 'string' ? JSON.parse(read) : read;
      return { ok: true, list };
    },

    async 'kefu:counts'(msg) {
      const items = Array.isArray(msg.items) ? msg.items : [{ category: msg.category, urgency: msg.urgency }];
      pending.push(...items.filter((i) => i && (CATEGORIES.includes(i.category) || URGENCIES.includes(i.urgency) || GUARD_EVENTS.includes(i.guard))));
      flushTimer ??= setTimeout(flushCounts, 250);
      return {};
    },

    // Today's counts: {date, category: {word: n}, urgency: {word: n}}.
    async 'kefu:todayCounts'() {
      await flushCounts();
      const { counts } = await store.get('counts');
      const date = store.today();
      return { date, ...(counts?.[date] ?? { category: {}, urgency: {} }) };
    },

    async 'kefu:override'(msg) {
      if (!msg.entry || typeof msg.entry !== 'object') return { error: 'kefu:override needs {entry}' };
      // The content script sends an override only once it is logged: a
      // failure (storage full) is answered as an error.
      await store.append('overrideLog', { at: new Date().toISOString(), ...msg.entry });
      pending.push({ guard: 'override' });
      flushTimer ??= setTimeout(flushCounts, 250);
      return { ok: true };
    },

    async 'kefu:feedback'(msg) {
      if (!msg.entry || typeof msg.entry !== 'object') return { error: 'kefu:feedback needs {entry}' };
      await store.append('feedback', { at: new Date().toISOString(), ...msg.entry });
      return {};
    },

    // A correction the agent took back (撤销): its feedback entry goes.
    async 'kefu:feedbackUndo'(msg) {
      await store.update('feedback', (log) => {
        const next = Array.isArray(log) ? log : [];
        const i = next.findLastIndex((e) => e.at === msg.at && e.comment === msg.comment);
        if (i >= 0) next.splice(i, 1);
        return next;
      });
      return {};
    },

    // {log: 'overrideLog'|'feedback'} → {entries}
    async 'kefu:getLog'(msg) {
      if (!LOG_KEYS.includes(msg.log)) return { error: `no log named ${msg.log}` };
      return { entries: (await store.get(msg.log))[msg.log] ?? [] };
    },

    async 'kefu:clearLog'(msg) {
      if (!LOG_KEYS.includes(msg.log)) return { error: `no log named ${msg.log}` };
      await store.set({ [msg.log]: [] });
      return { ok: true };
    },

    // The popup: switches, lists, the last error, whether a policy rules.
    async 'kefu:popupState'() {
      const policy = await readPolicy();
      const s = await store.get(['prefs', 'lists', 'lastError']);
      return {
        settings: effectiveSwitches(s.prefs, policy),
        locked: policy.locked,
        lists: (s.lists ?? []).map(({ id, name, version, rules, status, enabled, error, updateError }) => (
          { id, name, version, rules, status, enabled, error, updateError })),
        lastError: s.lastError ?? null,
      };
    },

    // The words of a locale Kefu speaks when the browser speaks another:
    // {locale: 'zh_CN'|'en'} → {messages} (its _locales messages.json).
    async 'kefu:words'(msg) {
      if (!['zh_CN', 'en'].includes(msg.locale)) return { error: `no locale ${msg.locale}` };
      const res = await fetch(api.runtime.getURL(`_locales/${msg.locale}/messages.json`));
      return { messages: await res.json() };
    },

    async 'kefu:dismissError'() {
      await store.set({ lastError: null });
      return { ok: true };
    },
  };
}
