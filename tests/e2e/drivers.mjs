// Real browsers with the real extension loaded, behind one small interface
// so that every scenario runs the same way in Chromium and in Firefox.
//
//   Chromium: Debian's /usr/bin/chromium driven by playwright-core, with
//     dist/chrome loaded unpacked. https://weibo.com/** is routed to the
//     replica (www/replica-routes.mjs), so the production manifest runs.
//   Firefox: Debian's firefox-esr driven by geckodriver (selenium-webdriver),
//     with dist/kefu-firefox-test.xpi installed as a temporary add-on: the
//     same build whose content script also matches http://localhost, since
//     Firefox offers no way to route weibo.com to the replica here. The
//     replica is served by www/server.mjs on a free localhost port.
//
// The interface (all async):
//   open(path)           load a replica page ('/' etc.)
//   run(fn, arg)         evaluate fn(arg) in the page, return its JSON result
//   type(selector, text) focus the element and type text as key presses
//   click(selector)      a real mouse click on the element
// A selector is CSS, or XPath when it starts with "xpath=" (Playwright's form).
//   ctrlEnter(selector)  press Ctrl+Enter in the element
//   press(selector, key) press a key ('Enter', 'Control+z') in the element
//   reload()             reload the page
//   keys(...keys)        press keys wherever the focus is ('Tab', 'Enter',
//                        'Alt+Shift+K'), one after the other
//   waitFor(fn, arg, ms) poll run(fn, arg) until truthy; return its value
//   screenshot(file)     a PNG of the viewport
//   close()
// and extensionOrigin: the origin of the extension's own pages
// (chrome-extension://ID or moz-extension://UUID; Firefox gets a fixed UUID).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { respond } from '../../www/replica-routes.mjs';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--lang=zh-CN',
];

async function pollUntil(check, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Chromium with dist/chrome, the replica served at https://weibo.com/.
 *  `profile`: a profile directory to use (and keep on close), so that a
 *  test can close the browser and start it again on the same profile.
 *  `lang`: the browser's language. `ext`: the unpacked extension to load
 *  (dist/chrome by default). */
export async function chromium({ csp = 'none', headless = true, profile: keep, lang = 'zh-CN', ext = join(ROOT, 'dist', 'chrome') } = {}) {
  const { chromium: pw } = await import('playwright-core');
  const profile = keep ?? mkdtempSync(join(tmpdir(), 'kefu-chromium-'));
  const context = await pw.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless,
    locale: lang,
    // Chromium on Linux takes its UI language (and so the extension's
    // _locales) from the environment, not from --lang.
    env: { ...process.env, LANGUAGE: lang.replace('-', '_'), LANG: `${lang.replace('-', '_')}.UTF-8` },
    viewport: { width: 1280, height: 900 },
    args: [...CHROMIUM_ARGS.filter((a) => !a.startsWith('--lang=')), `--lang=${lang}`,
      `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  });
  await context.route('https://weibo.com/**', async (route) => {
    const req = route.request();
    const res = await respond({ method: req.method(), url: req.url(), body: req.postData() }, { csp });
    await route.fulfill({ status: res.status, headers: res.headers, body: res.body });
  });
  // Wait for the extension's service worker: the engine lives there.
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent('serviceworker', { timeout: 15000 });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return {
    name: `chromium (csp ${csp})`,
    page,
    context,
    worker,
    consoleErrors,
    origin: 'https://weibo.com',
    extensionOrigin: `chrome-extension://${new URL(worker.url()).host}`,
    async open(path) {
      await page.goto(`https://weibo.com${path}`, { waitUntil: 'domcontentloaded' });
    },
    run: (fn, arg) => page.evaluate(fn, arg),
    async type(selector, text) {
      await page.locator(selector).first().click();
      await page.keyboard.type(text);
    },
    click: (selector) => page.locator(selector).first().click(),
    async ctrlEnter(selector) {
      await page.locator(selector).first().focus();
      await page.keyboard.press('Control+Enter');
    },
    async press(selector, key) {
      await page.locator(selector).first().focus();
      await page.keyboard.press(key);
    },
    reload: () => page.reload({ waitUntil: 'domcontentloaded' }),
    async keys(...keys) {
      for (const k of keys) await page.keyboard.press(k);
    },
    waitFor(fn, arg, ms = 10000) {
      return pollUntil(() => page.evaluate(fn, arg), ms, fn.toString().slice(0, 120));
    },
    screenshot: (file) => page.screenshot({ path: file }),
    async close() {
      await context.close();
      if (!keep) rmSync(profile, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/** Starts www/server.mjs; resolves once it answers. */
export async function serveReplica({ csp = 'none' } = {}) {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(ROOT, 'www', 'server.mjs'), '--port', String(port), '--csp', csp], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await pollUntil(async () => {
    try {
      return (await fetch(`${origin}/`)).ok;
    } catch {
      return false;
    }
  }, 10000, 'the replica server');
  return { origin, stop: () => proc.kill() };
}

/** The test build's add-on id and the UUID its pages are served under. */
export const FIREFOX_ADDON_ID = 'kefu@kefu-assistant.org';
export const FIREFOX_EXTENSION_UUID = '0b4f6c2e-6a53-4d8e-9a55-6b2f0e1f7a11';

/** Firefox ESR with the test build of dist/firefox installed; `prefs` are
 *  extra Firefox preferences. `openExtensionPage(path)` loads one of the
 *  extension's own pages in the tab (WebDriver may not navigate to
 *  moz-extension: URLs, so this goes through the browser's chrome context,
 *  which geckodriver opens with --allow-system-access). `profile`: a
 *  profile directory to run in (kept), so that a test can quit Firefox and
 *  start it again on the same profile. `xpi`: another build to install
 *  (a test that breaks the extension on purpose). */
export async function firefox({ csp = 'none', prefs = {}, profile, xpi = join(ROOT, 'dist', 'kefu-firefox-test.xpi') } = {}) {
  process.env.SE_OFFLINE = 'true'; // never let selenium-manager download anything
  const { Builder, By, Key, until } = await import('selenium-webdriver');
  const ff = await import('selenium-webdriver/firefox.js');
  const geckodriver = execFileSync('bash', ['-c', 'command -v geckodriver || echo $HOME/.cargo/bin/geckodriver'])
    .toString().trim();
  const server = await serveReplica({ csp });
  const options = new ff.Options()
    .setBinary('/usr/bin/firefox-esr')
    .addArguments('-headless', '--width=1280', '--height=900')
    .setPreference('intl.locale.requested', 'zh-CN')
    .setPreference('intl.accept_languages', 'zh-CN')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }));
  for (const [k, v] of Object.entries(prefs)) options.setPreference(k, v);
  if (profile) options.addArguments('-profile', profile);
  const driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(new ff.ServiceBuilder(geckodriver).addArguments('--allow-system-access'))
    .build();
  await driver.installAddon(xpi, true);
  const by = (selector) => (selector.startsWith('xpath=') ? By.xpath(selector.slice(6)) : By.css(selector));
  const find = (selector) => driver.wait(until.elementLocated(by(selector)), 10000);
  const run = (fn, arg) => driver.executeScript(`return (${fn.toString()})(arguments[0]);`, arg);
  return {
    name: `firefox (csp ${csp})`,
    driver,
    origin: server.origin,
    extensionOrigin: `moz-extension://${FIREFOX_EXTENSION_UUID}`,
    async openExtensionPage(path) {
      await driver.setContext('chrome');
      try {
        await driver.executeScript(`const w = Services.wm.getMostRecentWindow('navigator:browser');
          w.gBrowser.loadURI(Services.io.newURI(arguments[0]),
            { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });`,
        `moz-extension://${FIREFOX_EXTENSION_UUID}${path}`);
      } finally {
        await driver.setContext('content');
      }
      await pollUntil(async () => (await driver.getCurrentUrl()).startsWith('moz-extension:'), 10000, path);
    },
    async open(path) {
      await driver.get(`${server.origin}${path}`);
    },
    /** Stops the extension's background page as about:debugging's
     *  "Terminate background script" does (from the browser's chrome
     *  context); the next event or message starts it again. Resolves to the
     *  background's state after. */
    async terminateBackground() {
      await driver.setContext('chrome');
      try {
        return await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
          const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
          ext.terminateBackground().then(() => done(ext.backgroundState), (e) => done(String(e)));`, FIREFOX_ADDON_ID);
      } finally {
        await driver.setContext('content');
      }
    },
    run,
    async type(selector, text) {
      const el = await find(selector);
      await el.click();
      await el.sendKeys(text);
    },
    async click(selector) {
      await (await find(selector)).click();
    },
    async ctrlEnter(selector) {
      await (await find(selector)).sendKeys(Key.chord(Key.CONTROL, Key.ENTER));
    },
    async press(selector, key) {
      const names = { Enter: Key.ENTER, Control: Key.CONTROL, Shift: Key.SHIFT };
      const keys = key.split('+').map((k) => names[k] ?? k);
      await (await find(selector)).sendKeys(keys.length > 1 ? Key.chord(...keys) : keys[0]);
    },
    reload: () => driver.navigate().refresh(),
    async keys(...keys) {
      const names = { Enter: Key.ENTER, Tab: Key.TAB, Escape: Key.ESCAPE, Control: Key.CONTROL, Shift: Key.SHIFT,
        Alt: Key.ALT, ArrowDown: Key.ARROW_DOWN, ArrowUp: Key.ARROW_UP };
      for (const k of keys) {
        const parts = k.split('+').map((p) => names[p] ?? p.toLowerCase());
        const mods = parts.slice(0, -1);
        let a = driver.actions();
        for (const m of mods) a = a.keyDown(m);
        a = a.sendKeys(parts[parts.length - 1]);
        for (const m of mods.reverse()) a = a.keyUp(m);
        await a.perform();
      }
    },
    waitFor(fn, arg, ms = 10000) {
      return pollUntil(() => run(fn, arg), ms, fn.toString().slice(0, 120));
    },
    async screenshot(file) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'));
    },
    async close() {
      await driver.quit();
      server.stop();
    },
  };
}
