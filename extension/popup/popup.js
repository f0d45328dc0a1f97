// The popup: what Kefu is doing, in words a team lead understands — whether
// the engine runs, which lists are in force, whether this tab is a Weibo
// page Kefu recognised, what went wrong — the two main switches, and today's
// counts per category and urgency as a small chart. Everything comes from
// the background (kefu:status, kefu:popupState, kefu:todayCounts); the
// settings themselves live in the options page.

import { api, t, localize, ask, el, CATEGORIES, URGENCIES, categoryWord, urgencyWord } from '../options/i18n.js';

localize();

const $ = (sel) => document.querySelector(sel);

function chart(box, words, counts, label) {
  const max = Math.max(1, ...words.map((w) => counts[w] ?? 0));
  const cells = [];
  for (const w of words) {
    const n = counts[w] ?? 0;
    const fill = el('div', null, `fill ${w}`);
    fill.style.width = `${Math.round((100 * n) / max)}%`;
    const bar = el('div', null, 'bar');
    bar.append(fill);
    cells.push(el('span', label(w), 'word'), bar, el('span', n, 'n', { 'data-count': w }));
  }
  box.replaceChildren(...cells);
}

async function show() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true }).catch(() => []);
  const [status, popup, today] = await Promise.all([
    api.runtime.sendMessage({ type: 'kefu:status', tabId: tab?.id }),
    ask('kefu:popupState').catch(() => null),
    ask('kefu:todayCounts').catch(() => ({ category: {}, urgency: {} })),
  ]);

  const engine = $('#engine');
  if (status?.engine === 'loaded') {
    engine.textContent = `✔ ${t('engineLoaded', '引擎已加载')}`;
    engine.className = 'ok';
  } else if (status?.engine === 'not-ready') {
    engine.textContent = `… ${t('engineNotReady', '检查引擎已启动，但生效的词表还没有载入。')}`;
    engine.className = 'bad';
    engine.title = status?.error ?? '';
  } else {
    engine.textContent = `✘ ${t('engineFailedWords', '检查引擎没有启动，评论标记和回复检查暂时不可用。请重新启动浏览器；如果仍然如此，请联系管理员。')}`;
    engine.className = 'bad';
    engine.title = status?.error ?? '';
  }

  // What needs the team lead or the agent now: this page's unanswered
  // comments past their target and urgent ones; today's blocks and overrides.
  const p = status?.page?.recognised ? status.page : null;
  const guard = today.guard ?? {};
  const needs = [
    ['overdue', p ? t('nowOverdue', `超时未回复：${p.overdue} 条`, [String(p.overdue)]) : null, p?.overdue],
    ['urgent', p ? t('nowUrgent', `紧急/优先未回复：${p.urgent} 条`, [String(p.urgent)]) : null, p?.urgent],
    ['blocks', t('nowBlocks', `今天拦截的回复：${guard.block ?? 0} 次`, [String(guard.block ?? 0)]), guard.block],
    ['overrides', t('nowOverrides', `今天强制发布：${guard.override ?? 0} 次`, [String(guard.override ?? 0)]), guard.override],
  ].filter(([, words]) => words);
  $('#now-list').replaceChildren(...needs.map(([key, words, n]) => el('li', words, n ? 'attention' : 'muted', { 'data-need': key, 'data-n': String(n ?? 0) })));
  if (!p) $('#now-list').prepend(el('li', t('nowNoPage', '打开微博页面后，这里显示该页面超时和紧急的评论'), 'muted'));

  $('#page').textContent = status?.page?.recognised
    ? t('pageRecognisedCount', `已识别微博页面，读到 ${status.page.comments} 条评论`, [String(status.page.comments)])
    : t('noPage', '当前标签页不是微博页面');

  const err = popup?.lastError;
  $('#error').hidden = !err;
  if (err) $('#error-text').textContent = err.message;

  for (const input of document.querySelectorAll('[data-pref]')) {
    const k = input.dataset.pref;
    input.checked = !!popup?.settings?.[k];
    const locked = popup?.locked?.includes(k);
    input.disabled = !popup || locked;
    if (locked && !input.parentElement.querySelector('.lock')) {
      input.parentElement.append(el('span', t('lockedShort', '🔒'), 'lock', { title: t('lockedByAdmin', '管理员已锁定') }));
    }
  }

  const total = Object.values(today.category ?? {}).reduce((a, b) => a + b, 0);
  $('#today-total').textContent = t('commentsCount', `${total} 条评论`, [String(total)]);
  chart($('#by-category'), CATEGORIES, today.category ?? {}, categoryWord);
  chart($('#by-urgency'), URGENCIES, today.urgency ?? {}, urgencyWord);

  const lists = (popup?.lists ?? []).filter((l) => l.enabled);
  $('#lists').replaceChildren(...lists.map((l) => {
    const li = el('li', `${l.name}（${l.version}，${t('rulesCount', `${l.rules} 条规则`, [String(l.rules)])}）`);
    if (l.status === 'error') li.append(el('span', ` ${t('statusError', '未生效')}`, 'bad'));
    else if (l.updateError) li.append(el('span', ` ${t('updateFailedShort', '更新失败，仍用旧版本')}`, 'warn'));
    return li;
  }));
  document.body.dataset.ready = 'true';
}

for (const input of document.querySelectorAll('[data-pref]')) {
  input.addEventListener('change', async () => {
    const r = await ask('kefu:setPrefs', { prefs: { [input.dataset.pref]: input.checked } });
    if (!r.ok) show();
  });
}

$('#open-options').addEventListener('click', (ev) => {
  ev.preventDefault();
  api.runtime.openOptionsPage();
  window.close();
});

$('#dismiss').addEventListener('click', async () => {
  await ask('kefu:dismissError');
  $('#error').hidden = true;
});

show().catch((e) => {
  $('#engine').textContent = String(e?.message ?? e);
  $('#engine').className = 'bad';
});
