// Settings, phrase lists and logs, kept in storage.local (issue 7 owns the
// full version: registry of lists, updates, managed policy, migrations).
//
// Exports:
//   onEngineReady(engine)       apply stored settings and lists to a new engine
//   settingsHandlers(getEngine) named message handlers for the options page/popup

export async function onEngineReady(_engine) {}

export function settingsHandlers(_getEngine) {
  return {};
}
