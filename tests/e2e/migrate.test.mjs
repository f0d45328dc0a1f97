// End to end: storage left by an older Kefu is migrated when the extension
// starts, in real Chromium and real Firefox — schema 0 (only `settings`,
// switches and team fields mixed, with logs) and schema 1 (lists without
// their read form, an old-shaped compiled cache): no setting, log entry or
// list is lost, and the schema version is 2. Harness: restartable.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  GOOD, GOOD_DRAFT, sha256, sendMessage, readStorage, launchChromium, launchFirefox, verdictFor,
  getOptions, suite,
} from './restartable.mjs';

for (const [name, launch] of [['chromium', launchChromium], ['firefox', launchFirefox]]) {
  suite(`storage left by an older Kefu is migrated in ${name}`, () => {
    let x;
    before(async () => {
      x = await launch();
    });
    after(async () => {
      await x?.close();
    });

    const overrideLog = [
      {
        at: '2026-10-01T08:00:00.000Z', page: 'https://weibo.com/1/a', draft: '你这个蠢驴', replyTo: '怎么还没发货',
        reason: '客户要求原话', findings: [{ rule: 'insults/insult-words', label: 'insult', severity: 'block', text: '蠢驴' }],
      },
      { at: '2026-10-02T09:30:00.000Z', page: 'https://weibo.com/2/b', draft: '包您满意', replyTo: '', reason: '主管同意', findings: [] },
    ];
    const feedback = [
      {
        at: '2026-10-03T10:00:00.000Z', page: 'https://weibo.com/3/c', comment: '你们家的东西吃坏肚子了', author: '某用户',
        engine: { category: 'complaint', urgency: 'high' }, corrected: { category: 'safety', urgency: 'critical' },
      },
    ];
    const counts = { '2026-10-03': { category: { complaint: 3, praise: 1 }, urgency: { high: 2, low: 2 } } };

    test('schema 0 (only `settings`, switches and team fields mixed, and logs): nothing is lost', async () => {
      await x.openExt('/options/options.html');
      await x.restartOn({
        settings: {
          triageOn: false, guardOn: true, guardMode: 'warn', allowOverride: false, confirmWarn: true, dimNoise: false,
          targets: { critical: 5, high: 30, normal: 120, low: 600 },
          cannedReplies: { spam: ['@{name} 请勿发广告，谢谢配合'], complaint: ['@{name} 抱歉，马上处理'] },
          escalation: { safety: 'safety@example.com' },
        },
        overrideLog, feedback, counts,
      });
      const o = await getOptions(x);
      assert.equal(o.schemaVersion, 2);
      // Every switch kept; a switch that came later (the language) gets its default.
      assert.deepEqual(o.settings, {
        triageOn: false, guardOn: true, guardMode: 'warn', allowOverride: false, confirmWarn: true, dimNoise: false,
        language: 'zh_CN',
      });
      assert.deepEqual(o.team.targets, { critical: 5, high: 30, normal: 120, low: 600 });
      assert.deepEqual(o.team.canned_replies, { spam: ['@{name} 请勿发广告，谢谢配合'], complaint: ['@{name} 抱歉，马上处理'] });
      assert.deepEqual(o.team.escalation, { safety: 'safety@example.com' });
      assert.deepEqual(o.logs, { overrideLog: 2, feedback: 1 });
      assert.deepEqual((await x.runExt(sendMessage, { type: 'kefu:getLog', log: 'overrideLog' })).entries, overrideLog);
      assert.deepEqual((await x.runExt(sendMessage, { type: 'kefu:getLog', log: 'feedback' })).entries, feedback);
      const stored = await x.runExt(readStorage, ['settings', 'counts']);
      assert.deepEqual(stored.counts, counts, 'the daily counts are kept');
      assert.equal(stored.settings.guardMode, 'warn', 'the content scripts still obey the old switches');
      assert.equal(stored.settings.targets.critical, 5);
      assert.deepEqual(stored.settings.escalation, { safety: 'safety@example.com' });
      // And the page shows them.
      const page = await x.runExt(() => ({
        mode: document.querySelector('select[data-pref=guardMode]').value,
        override: document.querySelector('input[data-pref=allowOverride]').checked,
        critical: document.querySelector('input[name="targets.critical"]').value,
        logs: document.querySelector('[data-log=overrideLog] .count').textContent,
      }));
      assert.equal(page.mode, 'warn');
      assert.equal(page.override, false);
      assert.equal(page.critical, '5');
      assert.match(page.logs, /2/);
    });

    test('schema 1 (lists without their read form, an old compiled cache): the list is still in force', async () => {
      await x.openExt('/options/options.html');
      const text = GOOD;
      const now = Date.now();
      await x.restartOn({
        schemaVersion: 1,
        prefs: { guardMode: 'block', confirmWarn: true },
        team: { watch_words: ['小米'], vip_accounts: ['1234567890'], hotlines: ['400-123-4567'], targets: { critical: 7 } },
        lists: [{
          id: 'qa-rival', name: '竞品词（测试）', version: '2026.12.1', owner: 'qa@example.com', rules: 1, source: 'file',
          file: 'qa-rival.toml', url: null, sha256: sha256(text), intervalHours: null, enabled: true, status: 'ok',
          error: null, updatedAt: now, checkedAt: now, addedAt: now,
        }],
        listTexts: { 'qa-rival': { file: 'qa-rival.toml', text, sha256: sha256(text) } },
        listCache: { fingerprint: 'f00d', bytes: btoa('not a matcher') },
        listsInForceAt: now,
        overrideLog, feedback, counts,
      });
      const o = await getOptions(x);
      assert.equal(o.schemaVersion, 2);
      assert.equal(o.settings.guardMode, 'block');
      assert.equal(o.settings.confirmWarn, true);
      assert.deepEqual(o.team.watch_words, ['小米']);
      assert.deepEqual(o.team.vip_accounts, ['1234567890']);
      assert.deepEqual(o.team.hotlines, ['400-123-4567']);
      assert.equal(o.team.targets.critical, 7);
      assert.deepEqual(o.logs, { overrideLog: 2, feedback: 1 });
      const entry = o.lists.find((l) => l.id === 'qa-rival');
      assert.equal(entry?.status, 'ok', 'the added list is in force');
      assert.ok(o.lists.some((l) => l.source === 'default'), 'the default lists are back in the registry');
      assert.equal(o.listsStart?.fromCompiled, false, 'the old cache was not loaded');
      const stored = await x.runExt(readStorage, ['listTexts', 'listCache', 'overrideLog', 'feedback']);
      assert.equal(stored.listTexts['qa-rival'].text, text, 'the list text is kept');
      assert.equal(stored.listTexts['qa-rival'].read?.id, 'qa-rival', 'and now has its read form');
      assert.ok(stored.listCache?.bytes && !('fingerprint' in stored.listCache), 'the cache has the new shape');
      assert.deepEqual(stored.overrideLog, overrideLog);
      assert.deepEqual(stored.feedback, feedback);
      assert.equal(await verdictFor(x, GOOD_DRAFT), 'block', 'the list is in force in the page');

      // The next start needs neither the list reader nor compiling.
      await x.restart();
      await x.openExt('/options/options.html');
      assert.equal((await getOptions(x)).listsStart?.fromCompiled, true);
    });
  });

}
