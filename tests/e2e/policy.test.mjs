// End to end: a managed policy in real Firefox. Firefox reads the
// enterprise policy file `policies.json` from the installation's
// `distribution/` directory; its "3rdparty" → "Extensions" → add-on id
// object is what the extension reads as storage.managed. The test writes
// that file (tests run as root, as in CI), starts Firefox with the test build
// of the extension, checks that the settings the policy locked are shown
// locked in the options page and obeyed, and that the policy's list is
// downloaded and in force; the file is removed afterwards, always. The
// policy is the README's Firefox example with local URLs, so the README
// shows what works. (Chromium's policy file: tests/e2e/options.test.mjs.)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firefox, FIREFOX_ADDON_ID, ROOT } from './drivers.mjs';

// Debian's firefox-esr; `distribution/` sits beside the binary.
const DISTRIBUTION = '/usr/lib/firefox-esr/distribution';
const POLICIES = join(DISTRIBUTION, 'policies.json');
const SYSTEM_POLICIES = '/etc/firefox/policies/policies.json';

const POLICY_LIST = `[list]
id = "qa-policy"
version = "1"
name = "策略词表（测试）"

[[rule]]
id = "p"
label = "ad_tone"
severity = "block"
message = "回复里不要提竞品"
phrases = ["对家牌子"]
examples = { hit = ["去买对家牌子吧"] }
`;

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const ready = () => document.body?.dataset.ready === 'true';

function sendMessage(msg) {
  return browser.runtime.sendMessage(msg);
}

/** The README's Firefox example (its JSON block), as an object. */
function readmeFirefoxPolicy() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('**Firefox** — `policies.json`');
  assert.ok(at > 0, 'the README has a Firefox policy section');
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(at));
  return JSON.parse(block[1].replace(/"…"/g, '""'));
}

describe('a managed policy locks settings (firefox policies.json)', () => {
  let x;
  let server;
  let previous = null;
  let url;
  before(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/kefu/brand.toml' ? 200 : 404, {
        'content-type': 'text/plain; charset=utf-8',
        'access-control-allow-origin': '*',
      });
      res.end(req.url === '/kefu/brand.toml' ? POLICY_LIST : 'not found');
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${server.address().port}/kefu/brand.toml`;

    // The README's example, with this server's list and hash and a team.
    const file = readmeFirefoxPolicy();
    const ours = file.policies['3rdparty'].Extensions[FIREFOX_ADDON_ID];
    assert.ok(ours, `the README's example names the add-on id ${FIREFOX_ADDON_ID}`);
    ours.lists = [{ url, sha256: sha256(POLICY_LIST), updateHours: 24 }];
    ours.locked = [...ours.locked, 'team'];
    ours.team = { watch_words: ['策略品牌'], targets: { critical: 7 } };
    ours.settings = { ...ours.settings, guardMode: 'warn' };

    // Firefox reads /etc/firefox/policies/policies.json instead when it
    // exists, and would ignore the file written here.
    assert.ok(!existsSync(SYSTEM_POLICIES), `${SYSTEM_POLICIES} exists: it would take the place of the test's policy`);
    if (existsSync(POLICIES)) previous = readFileSync(POLICIES);
    mkdirSync(DISTRIBUTION, { recursive: true });
    writeFileSync(POLICIES, JSON.stringify(file, null, 2));
    try {
      x = await firefox();
    } catch (e) {
      restore();
      throw e;
    }
  });
  function restore() {
    if (previous) writeFileSync(POLICIES, previous);
    else rmSync(POLICIES, { force: true });
  }
  after(async () => {
    // The file goes first: other Firefox runs on this machine must not see it.
    restore();
    await x?.close();
    server?.close();
  });

  test('locked settings are shown locked and take the policy\'s values', async () => {
    await x.driver.get('about:blank'); // not over the page before (see registry.test.mjs)
    await x.openExtensionPage('/options/options.html');
    await x.waitFor(ready, null, 20000);
    const page = await x.waitFor(() => {
      const mode = document.querySelector('select[data-pref=guardMode]');
      if (!mode.disabled) return null;
      const override = document.querySelector('input[data-pref=allowOverride]');
      return {
        mode: mode.value,
        modeLock: !!mode.closest('label').querySelector('.lock'),
        override: override.checked,
        overrideDisabled: override.disabled,
        overrideLock: !!override.closest('label').querySelector('.lock'),
        confirmDisabled: document.querySelector('input[data-pref=confirmWarn]').disabled,
        note: !document.getElementById('policy-note').hidden,
        addDisabled: document.getElementById('add-file').disabled && document.getElementById('add-url').disabled,
        teamDisabled: document.querySelector('textarea[name=watch_words]').disabled,
        watch: document.querySelector('textarea[name=watch_words]').value,
        critical: document.querySelector('input[name="targets.critical"]').value,
      };
    });
    assert.deepEqual(page, {
      mode: 'warn', modeLock: true, override: false, overrideDisabled: true, overrideLock: true,
      confirmDisabled: false, note: true, addDisabled: true, teamDisabled: true, watch: '策略品牌', critical: '7',
    });
    const settings = await x.run(async () => (await browser.storage.local.get('settings')).settings);
    assert.equal(settings.guardMode, 'warn', 'the content script obeys the policy');
    assert.equal(settings.allowOverride, false);
    assert.equal(settings.targets.critical, 7);
    const refused = await x.run(sendMessage, { type: 'kefu:setPrefs', prefs: { guardMode: 'block' } });
    assert.equal(refused.ok, false, 'a locked setting cannot be changed by message either');
    const added = await x.run(sendMessage, { type: 'kefu:addList', file: 'x.toml', text: POLICY_LIST });
    assert.equal(added.ok, false, 'lists are locked');
  });

  test('the policy\'s list is downloaded, checked against its hash and in force', async () => {
    await x.driver.get('about:blank'); // not over the page before (see registry.test.mjs)
    await x.openExtensionPage('/options/options.html');
    const source = await x.waitFor(() => {
      const tr = document.querySelector('tr[data-list="qa-policy"]');
      return tr?.querySelector('.status').classList.contains('ok') ? tr.querySelector('.source').textContent : null;
    }, null, 15000);
    assert.ok(source.includes('/kefu/brand.toml'));
    const r = await x.run(sendMessage, { type: 'kefu:removeList', id: 'qa-policy' });
    assert.equal(r.ok, false, 'a policy list cannot be removed');
  });
});
