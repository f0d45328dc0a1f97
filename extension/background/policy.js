// What an administrator set by policy (storage.managed, described by
// extension/managed_schema.json; README "Distribution" shows the Chrome and
// Firefox policy files).
//
// Owns: reading the managed storage area (absent, empty or unreadable is
// "no policy", never an error that stops Kefu) and answering what is locked.
// settings.js merges the policy into the effective settings; registry.js
// installs the policy's lists.
//
// The policy object:
//   settings   {triageOn, guardOn, guardMode, allowOverride, confirmWarn,
//              dimNoise}: values applied as defaults, or forced if locked
//   team       team settings in the TOML's field names (watch_words, …)
//   locked     names that a user may not change: any key of `settings`,
//              "team" (all team settings), "lists" (adding, removing and
//              turning lists on or off)
//   lists      [{url, sha256, updateHours}]: lists every agent gets; the
//              server must allow the extension's requests by CORS
//   disabledDefaultLists  ids of default lists to turn off

const api = globalThis.browser ?? globalThis.chrome;

/** The policy, normalised; `{}`-like when there is none. */
export async function readPolicy() {
  let raw = {};
  try {
    // Firefox throws when no policy names this extension; Chrome gives {}.
    raw = (await api.storage.managed?.get(null)) ?? {};
  } catch {
    raw = {};
  }
  const arr = (v) => (Array.isArray(v) ? v : []);
  const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);
  return {
    present: Object.keys(raw).length > 0,
    settings: obj(raw.settings) ?? {},
    team: obj(raw.team),
    locked: arr(raw.locked).filter((k) => typeof k === 'string'),
    lists: arr(raw.lists)
      .filter((l) => l && typeof l.url === 'string')
      .map((l) => ({
        url: l.url,
        sha256: typeof l.sha256 === 'string' ? l.sha256.toLowerCase() : '',
        intervalHours: Number.isFinite(l.updateHours) && l.updateHours > 0 ? l.updateHours : 24,
      })),
    disabledDefaultLists: arr(raw.disabledDefaultLists).filter((k) => typeof k === 'string'),
  };
}

export function isLocked(policy, name) {
  return policy.locked.includes(name);
}

/** Calls `fn` whenever the administrator changes the policy. */
export function onPolicyChanged(fn) {
  api.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') fn();
  });
}
