// End to end: the compiled lists across a browser restart, in real
// Chromium and real Firefox with the built extension. The compiled lists are
// kept in storage.local and loaded back when the browser starts again (no
// compiling: the background says how it put the lists in force, `listsStart`
// of kefu:getOptions); damaged bytes are compiled again, and the lists stay
// in force either way. In Chromium, a service worker started again after an
// idle spell keeps the update alarm as scheduled. Harness: restartable.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  GOOD, GOOD_DRAFT, sendMessage, readStorage, launchChromium, launchFirefox, verdictFor,
  getOptions, suite,
} from './restartable.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  suite(`the compiled lists across a restart in ${name}`, () => {
    let x;
    before(async () => {
      x = await launch();
    });
    after(async () => {
      await x?.close();
    });

    test('a list added is loaded compiled after a restart, without compiling', async () => {
      await x.openExt('/options/options.html');
      const first = await getOptions(x);
      assert.equal(first.listsStart?.fromCompiled, false, 'a new profile has nothing compiled: the lists were compiled');
      const added = await x.runExt(sendMessage, { type: 'kefu:addList', file: 'qa-rival.toml', text: GOOD });
      assert.equal(added.ok, true, added.message);
      const { listCache } = await x.runExt(readStorage, 'listCache');
      assert.ok(listCache?.bytes?.length > 100, 'the compiled lists are kept in storage.local');

      await x.restart();
      await x.openExt('/options/options.html');
      const after = await getOptions(x);
      assert.equal(after.listsStart?.fromCompiled, true, 'the engine loaded the compiled bytes');
      assert.ok(after.listsStart.at > first.listsStart.at, 'the engine started again');
      assert.equal(after.lists.find((l) => l.id === 'qa-rival')?.status, 'ok');
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is in force in the page');
      await x.openExt('/options/options.html');
      const again = (await x.runExt(readStorage, 'listCache')).listCache;
      assert.equal(again.bytes, listCache.bytes, 'the cache was kept as it was');
    });

    test('damaged compiled bytes are compiled again, and the lists stay in force', async () => {
      await x.openExt('/options/options.html');
      const damaged = await x.runExt(async () => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { listCache } = await api.storage.local.get('listCache');
        const bytes = Uint8Array.from(atob(listCache.bytes), (c) => c.charCodeAt(0));
        // Flip one byte in the middle of the matcher.
        bytes[bytes.length >> 1] ^= 0x5a;
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        await api.storage.local.set({ listCache: { ...listCache, bytes: btoa(s) } });
        return btoa(s);
      });
      const damagedAt = Date.now();
      await x.restart();
      await x.openExt('/options/options.html');
      const after = await getOptions(x);
      assert.ok(after.listsStart?.at > damagedAt, 'the engine started again');
      assert.equal(after.listsStart?.fromCompiled, false, 'damaged bytes are not loaded: the lists were compiled');
      assert.equal(after.lists.find((l) => l.id === 'qa-rival')?.status, 'ok');
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is still in force in the page');
      await x.openExt('/options/options.html');
      const { listCache } = await x.runExt(readStorage, 'listCache');
      assert.notEqual(listCache.bytes, damaged, 'the damaged cache was replaced');

      await x.restart();
      await x.openExt('/options/options.html');
      assert.equal((await getOptions(x)).listsStart?.fromCompiled, true, 'and the new cache is used at the next start');
    });
  });

}

// Chromium stops an idle service worker after 30 s and starts it again for
// the next message, which runs the background's start again. The update
// alarm must survive that: created anew at every start (due a minute
// later), an agent whose page wakes the worker more often than once a
// minute would never get a scheduled update.
suite('the update alarm across service worker restarts (chromium)', () => {
  let x;
  before(async () => {
    x = await launchChromium();
  });
  after(async () => {
    await x?.close();
  });

  test('a restarted service worker keeps the update alarm as it was scheduled', async () => {
    await x.openExt('/options/options.html');
    const alarm = () => chrome.alarms.get('kefu:update-lists');
    const before = await x.waitExt(alarm);
    assert.equal(before.periodInMinutes, 30);
    const started = (await getOptions(x)).listsStart.at;
    // Stop the worker as Chromium does when it is idle.
    const cdp = await x.b.context.newCDPSession(x.b.page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await x.openExt('/options/options.html');
    const after = await getOptions(x);
    assert.ok(after.listsStart.at > started, 'the background started again');
    assert.deepEqual(await x.runExt(alarm), before, 'the alarm is not pushed back');
  });
});
