// Assembles the unpacked extensions from extension/ and the wasm build in
// extension/pkg/: one manifest source (extension/manifest.base.json), one
// manifest per browser (the Ruffle model).
//
//   dist/chrome/        MV3, background service worker
//   dist/firefox/       MV3, background scripts + browser_specific_settings
//   dist/firefox-test/  dist/firefox whose content script also matches
//                       http://localhost (Firefox cannot route weibo.com to
//                       the replica in tests); never shipped
//   dist/kefu-chrome.zip, dist/kefu-firefox.zip
//
// Usage: node scripts/build-dist.mjs

import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'extension');
const dist = join(root, 'dist');

if (!existsSync(join(src, 'pkg', 'kefu_bg.wasm'))) {
  console.error('extension/pkg/kefu_bg.wasm is missing: run `make wasm` first');
  process.exit(1);
}

const base = JSON.parse(readFileSync(join(src, 'manifest.base.json'), 'utf8'));
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];

const BACKGROUND = 'background/background.js';
const GECKO = {
  id: 'kefu@kefu-assistant.org',
  strict_min_version: '142.0',
  data_collection_permissions: { required: ['none'] },
};

function manifestFor(browser, { testOrigins = false } = {}) {
  const m = structuredClone(base);
  m.version = version;
  if (browser === 'chrome') {
    m.background = { service_worker: BACKGROUND, type: 'module' };
    m.minimum_chrome_version = '116';
  } else {
    m.background = { scripts: [BACKGROUND], type: 'module' };
    m.browser_specific_settings = { gecko: GECKO };
  }
  if (testOrigins) {
    const local = ['http://localhost/*', 'http://127.0.0.1/*'];
    m.name = `${m.short_name} (test build)`;
    m.host_permissions = [...m.host_permissions, ...local];
    for (const cs of m.content_scripts) cs.matches = [...cs.matches, ...local];
  }
  return m;
}

const COPY = ['_locales', 'background', 'content', 'icons', 'pkg', 'popup', 'options', 'managed_schema.json'];

/** THIRD-PARTY.md with the Rust crates compiled into the engine (normal
 *  dependencies of the kefu crate for wasm32, from Cargo.lock). */
function thirdParty() {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked',
    '--filter-platform', 'wasm32-unknown-unknown'], { cwd: root, maxBuffer: 64 << 20 }).toString());
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const rootId = meta.packages.find((p) => p.name === 'kefu').id;
  const seen = new Set();
  const walk = (id) => {
    for (const d of nodes.get(id)?.deps ?? []) {
      if (!d.dep_kinds.some((k) => k.kind === null) || seen.has(d.pkg)) continue;
      seen.add(d.pkg);
      walk(d.pkg);
    }
  };
  walk(rootId);
  const rows = [...seen].map((id) => byId.get(id)).filter((p) => p.source) // path crates are Kefu's own
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => `| ${p.name} | ${p.version} | ${p.license ?? p.license_file ?? 'see the crate'} |`);
  return `${readFileSync(join(root, 'THIRD-PARTY.md'), 'utf8').trimEnd()}

## Rust crates compiled into the engine (\`pkg/*.wasm\`)

| crate | version | licence |
|---|---|---|
${rows.join('\n')}
`;
}
const THIRD_PARTY = thirdParty();

function assemble(name, manifest) {
  const out = join(dist, name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of COPY) {
    if (existsSync(join(src, entry))) cpSync(join(src, entry), join(out, entry), { recursive: true });
  }
  // wasm-bindgen leaves a .gitignore in pkg/; it has no place in a package.
  rmSync(join(out, 'pkg', '.gitignore'), { force: true });
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Licences: Kefu's own, and every third party's whose material ships.
  cpSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
  cpSync(join(root, 'licenses'), join(out, 'licenses'), { recursive: true });
  writeFileSync(join(out, 'THIRD-PARTY.md'), THIRD_PARTY);
  return out;
}

function zip(dir, file) {
  rmSync(file, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', file, '.'], { cwd: dir });
}

mkdirSync(dist, { recursive: true });
zip(assemble('chrome', manifestFor('chrome')), join(dist, 'kefu-chrome.zip'));
zip(assemble('firefox', manifestFor('firefox')), join(dist, 'kefu-firefox.zip'));
zip(assemble('firefox-test', manifestFor('firefox', { testOrigins: true })), join(dist, 'kefu-firefox-test.xpi'));
console.log(`dist/chrome, dist/firefox (+ zips) and dist/firefox-test built, version ${version}`);
