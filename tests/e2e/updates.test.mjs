// End to end: scheduled updates of lists from a URL (served on localhost),
// in real Chromium and real Firefox. A list is updated when its interval has
// passed and the update alarm fires; an update that is garbage, breaks a
// rule, fails its examples or does not match the pinned SHA-256 is refused,
// the version in force stays and the options page says the update failed;
// the same text again is only noted as checked. Harness: restartable.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  rivalList, GOOD, NEW_DRAFT, pinnedList, PINNED_DRAFT, sha256, listServer, sendMessage,
  readStorage, makeDueAndFireAlarm, rowOf, launchChromium, launchFirefox, verdictFor, getOptions,
  suite,
} from './restartable.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  suite(`scheduled list updates in ${name}`, () => {
    let x;
    let server;
    const PINNED = pinnedList('1', ['包您百分百满意']);
    before(async () => {
      server = await listServer({ '/lists/rival.toml': GOOD, '/lists/pinned.toml': PINNED });
      x = await launch();
    });
    after(async () => {
      await x?.close();
      server?.close();
    });

    /** Makes the URL lists due, fires the alarm, waits until every URL list
     *  was checked again; returns the options as the page then shows them. */
    async function updateOnSchedule() {
      await x.openExt('/options/options.html');
      const past = await x.runExt(makeDueAndFireAlarm);
      await x.waitExt(async ([p]) => {
        const api = globalThis.browser ?? globalThis.chrome;
        const { lists } = await api.storage.local.get('lists');
        return lists.filter((l) => l.url).every((l) => l.checkedAt > p);
      }, [past], 20000);
      return getOptions(x);
    }

    test('a new version served is in force once the update is due and the alarm fires', async () => {
      await x.openExt('/options/options.html');
      for (const [path, pin] of [['/lists/rival.toml', ''], ['/lists/pinned.toml', sha256(PINNED)]]) {
        const r = await x.runExt(sendMessage, { type: 'kefu:addList', url: `${server.origin}${path}`, sha256: pin, intervalHours: 6 });
        assert.equal(r.ok, true, r.message);
      }
      assert.notEqual(await verdictFor(x, NEW_DRAFT), 'block', 'before the update, the new phrase is not blocked');

      server.set('/lists/rival.toml', rivalList('2026.12.2', ['对家牌子', '隔壁品牌']));
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.2', 'the new version is in the registry');
      assert.equal(rival.updateError, null);
      assert.equal(await verdictFor(x, NEW_DRAFT), 'block', 'the new version is in force in the page');
      assert.equal(await verdictFor(x, PINNED_DRAFT), 'block', 'the pinned list, unchanged, stays in force');
    });

    const failures = [
      ['garbage (not UTF-8 text)', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x20, 0xc3]), /UTF-8/],
      ['a version with a broken rule', rivalList('2026.12.3', ['对家牌子', '隔壁品牌'], 'colour = "red"\n'), /colour|错误/],
      ['a version whose examples fail', rivalList('2026.12.3', ['隔壁品牌']).replace('去买隔壁品牌吧', '去买别的吧'), /示例/],
    ];
    for (const [what, body, why] of failures) {
      test(`an update that is ${what} is refused; the version in force stays and the page says so`, async () => {
        server.set('/lists/rival.toml', body);
        const o = await updateOnSchedule();
        const rival = o.lists.find((l) => l.id === 'qa-rival');
        assert.equal(rival.version, '2026.12.2', 'the registry keeps the version in force');
        assert.match(rival.updateError ?? '', why);
        const row = await x.waitExt(rowOf, 'qa-rival');
        assert.deepEqual(row.status, ['warn'], 'the row is marked');
        assert.match(row.text, /更新失败|update failed/, 'the page says the update failed (in the browser language)');
        assert.match(row.text, why, 'and why');
        assert.equal(await verdictFor(x, NEW_DRAFT), 'block', 'the version in force still blocks');
      });
    }

    test('an update that does not match the pinned SHA-256 is refused on schedule too', async () => {
      server.set('/lists/pinned.toml', pinnedList('2', ['包您百分百满意', '蓝色小鸭子']));
      const o = await updateOnSchedule();
      const pinned = o.lists.find((l) => l.id === 'qa-pinned');
      assert.equal(pinned.version, '1');
      assert.match(pinned.updateError ?? '', /SHA-256/);
      const row = await x.waitExt(rowOf, 'qa-pinned');
      assert.deepEqual(row.status, ['warn']);
      assert.match(row.text, /更新失败|update failed/);
      assert.equal(await verdictFor(x, PINNED_DRAFT), 'block', 'the pinned version stays in force');
      assert.notEqual(await verdictFor(x, '亲，蓝色小鸭子来啦'), 'block', 'the refused version is not in force');
    });

    test('a good version after a failed update clears the failure', async () => {
      server.set('/lists/rival.toml', rivalList('2026.12.4', ['对家牌子', '隔壁品牌']));
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.4');
      assert.equal(rival.updateError, null);
      const row = await x.waitExt(rowOf, 'qa-rival');
      assert.deepEqual(row.status, ['ok']);
    });

    test('an update that finds the same list records the check and changes nothing in force', async () => {
      await x.openExt('/options/options.html');
      const before = await x.runExt(readStorage, ['listsInForceAt', 'listCache', 'lists']);
      const o = await updateOnSchedule();
      const rival = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(rival.version, '2026.12.4');
      assert.equal(rival.updateError, null);
      assert.equal(rival.updatedAt, before.lists.find((l) => l.id === 'qa-rival').updatedAt, 'not updated: the same text');
      const now = await x.runExt(readStorage, ['listsInForceAt', 'listCache']);
      assert.equal(now.listsInForceAt, before.listsInForceAt, 'the lists in force were not put in force again');
      assert.equal(now.listCache.at, before.listCache.at, 'nor compiled again');
      assert.equal(await verdictFor(x, NEW_DRAFT), 'block');
    });
  });
}
