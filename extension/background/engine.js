// The engine as the background uses it: two wasm builds of the same core.
//
// - The checker (pkg/kefu.js, kefu_bg.wasm) is loaded at start: it checks
//   drafts and triages comments, with lists that were read already, and it
//   loads its compiled matcher from bytes kept in storage, so a browser
//   restart does not recompile the lists.
// - The list reader (pkg/kefu_lists.js, kefu_lists_bg.wasm) reads and lints
//   list files and settings TOML. It is larger, and loaded only when a list
//   or a settings file has to be read: when one is added or updated, or
//   when lists stored by an older Kefu lack their read form.
//
// Both take their data files from pkg/kefu-data.json. Every crossing is JSON
// text; this module parses it, so callers get plain objects.

import initChecker, { Engine as Checker, installData } from '../pkg/kefu.js';
import initReader, { Engine as Reader, installData as installReaderData } from '../pkg/kefu_lists.js';

const api = globalThis.browser ?? globalThis.chrome;

const fetchData = async () => (await fetch(api.runtime.getURL('pkg/kefu-data.json'))).text();

/** Loads the checker; resolves to an engine with the default lists. */
export async function loadEngine() {
  await initChecker({ module_or_path: api.runtime.getURL('pkg/kefu_bg.wasm') });
  installData(await fetchData());
  return new KefuEngine(new Checker());
}

/** Errors thrown by wasm are strings: make them Errors. */
function rethrow(e) {
  throw e instanceof Error ? e : new Error(String(e));
}

export class KefuEngine {
  constructor(checker) {
    this.checker = checker;
    this.readerReady = null;
  }

  /** The list reader, loaded on first use. */
  reader() {
    this.readerReady ??= (async () => {
      await initReader({ module_or_path: api.runtime.getURL('pkg/kefu_lists_bg.wasm') });
      installReaderData(await fetchData());
      return new Reader();
    })();
    this.readerReady.catch(() => {
      this.readerReady = null;
    });
    return this.readerReady;
  }

  /** The report of `kefu check` for one draft (offsets in UTF-16). */
  check(draft, replyTo, recent) {
    return JSON.parse(this.checker.check(draft, replyTo ?? undefined, recent ?? undefined));
  }

  /** JSON text of comments in, JSON text of results out. */
  triageJson(comments, now) {
    return this.checker.triageJson(comments, now);
  }

  /** The lists in force: [{id, name, version, owner, rules}]. */
  listSummary() {
    return JSON.parse(this.checker.listSummary());
  }

  /** Puts the team settings (the fields of the settings TOML) in force;
   *  throws, changing nothing, if the engine refuses them. Returns them as
   *  the engine read them. */
  setTeam(team) {
    try {
      this.checker.setSettings(JSON.stringify(team));
    } catch (e) {
      rethrow(e);
    }
    return JSON.parse(this.checker.settingsJson());
  }

  /** Reads settings TOML into the team settings object (throws the error,
   *  with line and column). */
  async readSettings(toml) {
    const reader = await this.reader();
    try {
      return JSON.parse(reader.readSettings(toml));
    } catch (e) {
      return rethrow(e);
    }
  }

  /** Lints a list and runs its examples (`kefu lists lint` + `test`):
   *  {list, read, diagnostics, examples, failures}. */
  async testList(file, text) {
    const reader = await this.reader();
    return JSON.parse(reader.testList(file, text));
  }

  /** Puts lists in force: the defaults minus `disabled`, plus `read` (lists
   *  read by testList). `compiled` are bytes of serializeLists(); used when
   *  they fit these lists. Throws, changing nothing, on error. Resolves to
   *  {lists: summary, fromCompiled}. */
  configureLists(read, disabled, compiled) {
    try {
      return JSON.parse(this.checker.configureLists(JSON.stringify(read), disabled, compiled ?? undefined));
    } catch (e) {
      return rethrow(e);
    }
  }

  /** The compiled lists in force, as bytes (Uint8Array). */
  serializeLists() {
    return this.checker.serializeLists();
  }
}
