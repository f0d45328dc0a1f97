// The options page (a full tab, so that file pickers work in Firefox, whose
// popups close when one opens). Team leads set the switches and the team
// settings; the compliance team adds and manages lists; both read the logs.
//
// It only shows and asks: every change goes to the background as a named
// message (background/settings.js lists them), which validates it with the
// engine, stores it and answers. User data is put on the page with
// textContent only.

import { api, t, localize, ask, el, when, CATEGORIES, categoryWord, urgencyWord } from './i18n.js';

localize();

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

let state = null;
let shownError = false;

/** Why the background refused a change, in the page's language when it is
 *  the storage that is full. */
const why = (r) => (r.full ? t('storageFull', r.message) : r.message);

function say(text, kind = 'ok') {
  const s = $('#status');
  s.textContent = text;
  s.className = kind;
}

// ---- files ---------------------------------------------------------------------

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', null, null, { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

function readFile(input) {
  const file = input.files?.[0];
  if (!file) return null;
  return file.text().then((text) => ({ name: file.name, text }));
}

// ---- the switches ----------------------------------------------------------------

function lockMark(node) {
  if (node.parentElement.querySelector('.lock')) return;
  node.closest('.pref')?.classList.add('locked');
  node.closest('label').append(el('span', t('lockedByAdmin', '🔒 管理员已锁定'), 'lock'));
}

function renderPrefs() {
  for (const input of $$('[data-pref]')) {
    const k = input.dataset.pref;
    if (input.type === 'checkbox') input.checked = !!state.settings[k];
    else input.value = state.settings[k];
    if (state.policy.locked.includes(k)) {
      input.disabled = true;
      lockMark(input);
    }
  }
}

for (const input of $$('[data-pref]')) {
  input.addEventListener('change', async () => {
    const k = input.dataset.pref;
    const v = input.type === 'checkbox' ? input.checked : input.value;
    const r = await ask('kefu:setPrefs', { prefs: { [k]: v } }).catch((e) => ({ ok: false, message: String(e?.message ?? e) }));
    if (r.ok && k === 'language') location.reload(); // this page speaks it too
    else if (r.ok) say(t('saved', '已保存'));
    else {
      say(why(r), 'bad');
      await refresh();
    }
  });
}

// ---- the lists ---------------------------------------------------------------------

const SOURCE_ZH = { default: '内置', file: '文件', url: '网址', policy: '管理员下发' };

function statusWords(l) {
  if (l.status === 'error') return { text: `${t('statusError', '未生效')}：${l.error ?? ''}`, cls: 'bad' };
  if (l.status === 'off' || !l.enabled) return { text: t('statusOff', '已关闭'), cls: 'muted' };
  if (l.updateError) {
    return { text: `${t('statusStale', '生效（更新失败，仍用旧版本）')}：${l.updateError}`, cls: 'warn' };
  }
  return { text: t('statusOk', '生效中'), cls: 'ok' };
}

function renderLists() {
  const locked = state.policy.locked.includes('lists');
  const rows = state.lists.map((l) => {
    const tr = el('tr', null, null, { 'data-list': l.id });
    const on = el('input', null, null, { type: 'checkbox', 'aria-label': t('colOn', '启用') });
    on.checked = !!l.enabled;
    on.disabled = locked;
    on.addEventListener('change', async () => {
      const r = await ask('kefu:setListEnabled', { id: l.id, enabled: on.checked });
      if (r.ok) say(on.checked ? t('listOn', '词表已启用，已生效') : t('listOff', '词表已关闭'));
      else say(`${why(r)}；${t('listsUnchanged', '生效的词表没有变化')}`, 'bad');
      await refresh();
    });
    const name = el('td', l.name, null, { title: l.id });
    const st = statusWords(l);
    const actions = el('td', null, 'actions');
    if (l.url) {
      const b = el('button', t('updateNow', '立即更新'), null, { type: 'button' });
      b.addEventListener('click', async () => {
        b.disabled = true;
        const r = await ask('kefu:refreshList', { id: l.id });
        if (r.ok) say(t('updated', '已更新到最新版本'));
        else say(`${t('updateFailed', '更新失败，继续使用旧版本')}：${why(r)}`, 'bad');
        await refresh();
      });
      actions.append(b);
    }
    const rulesButton = el('button', t('showRules', '规则和词语'), null, { type: 'button', 'aria-expanded': 'false', 'data-action': 'rules' });
    rulesButton.addEventListener('click', () => toggleRules(tr, l, rulesButton));
    actions.append(rulesButton);
    if (l.source !== 'default' && l.status !== 'error') {
      const b = el('button', t('downloadList', '下载'), null, { type: 'button' });
      b.addEventListener('click', async () => {
        const r = await ask('kefu:listText', { id: l.id });
        if (r.ok) download(r.file, r.text, 'text/plain');
      });
      actions.append(b);
    }
    if (l.source === 'file' || l.source === 'url') {
      const b = el('button', t('removeList', '删除'), 'danger', { type: 'button' });
      b.disabled = locked;
      b.addEventListener('click', async () => {
        if (!confirm(t('confirmRemove', '删除这个词表？'))) return;
        const r = await ask('kefu:removeList', { id: l.id });
        say(r.ok ? t('removed', '已删除') : why(r), r.ok ? 'ok' : 'bad');
        await refresh();
      });
      actions.append(b);
    }
    const source = l.url ? `${t(`source_${l.source}`, SOURCE_ZH[l.source])}：${l.url}` : t(`source_${l.source}`, SOURCE_ZH[l.source]);
    const updated = l.source === 'default' ? t('withExtension', '随扩展更新') : when(l.updatedAt);
    const cells = [
      el('td', null, null).appendChild(on).parentNode,
      name,
      el('td', l.version),
      el('td', l.owner ?? '—'),
      el('td', l.rules ?? 0, 'num'),
      el('td', source, 'source'),
      el('td', updated),
      el('td', st.text, `status ${st.cls}`),
      actions,
    ];
    tr.append(...cells);
    return tr;
  });
  $('#list-table tbody').replaceChildren(...rows);
  for (const c of $$('#add-list input, #add-list button')) c.disabled = locked;
}

const labelWord = (label) => t(`label_${label}`, label);
const severityWord = (sev) => t(`severity_${sev}`, sev);

/** Opens (or closes) the row under a list that shows each of its rules:
 *  label, severity, message, phrases and patterns, allowed contexts. */
async function toggleRules(tr, l, button) {
  const next = tr.nextElementSibling;
  if (next?.classList.contains('rules')) {
    next.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const r = await ask('kefu:listRules', { id: l.id }).catch((e) => ({ ok: false, message: String(e?.message ?? e) }));
  const cell = el('td', null, null, { colspan: String(tr.children.length) });
  if (!r.ok) cell.append(el('p', r.message, 'bad'));
  else {
    const table = el('table', null, 'rule-table');
    const head = el('tr');
    for (const [key, zh] of [['colRule', '规则'], ['colLabel', '标签'], ['colSeverity', '级别'], ['colMessage', '说明'], ['colPhrases', '词语和模式'], ['colAllow', '允许的语境']]) head.append(el('th', t(key, zh)));
    table.append(head);
    for (const rule of r.list.rules ?? []) {
      const row = el('tr', null, null, { 'data-rule': rule.id });
      const words = [...(rule.phrases ?? []), ...(rule.patterns ?? []).map((p) => `/${p}/`)].join('、');
      row.append(el('td', rule.id), el('td', labelWord(rule.label)), el('td', severityWord(rule.severity)), el('td', rule.message),
        el('td', words, 'words'), el('td', [...(rule.allow ?? []), ...(r.list.allow ?? [])].join('、')));
      table.append(row);
    }
    cell.append(table);
  }
  const row = el('tr', null, 'rules');
  row.append(cell);
  tr.after(row);
  button.setAttribute('aria-expanded', 'true');
}

/** Shows why a list was refused (or what it warned), line and column first. */
function showListResult(r) {
  const box = $('#list-result');
  box.replaceChildren();
  if (r.ok) {
    const e = r.entry;
    box.className = 'ok';
    box.append(el('p', t('listAdded', `已添加「${e.name}」（版本 ${e.version}，${e.rules} 条规则），已生效。`, [e.name, e.version, String(e.rules)])));
  } else {
    box.className = 'bad';
    box.append(el('p', `${t('listRefused', '未添加')}：${why(r)}。${t('listsUnchanged', '生效的词表没有变化')}。`, 'refused'));
  }
  const diags = r.diagnostics ?? [];
  if (diags.length) {
    const ul = el('ul', null, 'diagnostics');
    for (const d of diags) {
      const li = el('li', null, d.level);
      li.append(el('span', `${t('lineCol', `第 ${d.line} 行第 ${d.col} 列`, [String(d.line), String(d.col)])}（${d.line}:${d.col}）`, 'where'));
      li.append(el('span', ` ${d.level === 'error' ? t('levelError', '错误') : t('levelWarning', '警告')}：${d.message}`));
      li.append(el('pre', d.display.split('\n').slice(1).join('\n')));
      ul.append(li);
    }
    box.append(ul);
  }
  const fails = r.failures ?? [];
  if (fails.length) {
    const ul = el('ul', null, 'failures');
    for (const f of fails) {
      const why = f.kind === 'hit'
        ? t('exampleMissed', '应当命中，但没有命中')
        : t('exampleFalseHit', '不应命中，但命中了');
      ul.append(el('li', `${f.rule}：「${f.example}」${why}`));
    }
    box.append(ul);
  }
}

$('#add-file').addEventListener('click', async () => {
  const f = await readFile($('#list-file'));
  if (!f) {
    say(t('chooseFile', '请先选择一个词表文件'), 'bad');
    return;
  }
  say(t('checking', '正在检查…'));
  const r = await ask('kefu:addList', { file: f.name, text: f.text });
  showListResult(r);
  say(r.ok ? t('listApplied', '词表已生效') : t('listNotApplied', '词表未添加，生效的词表没有变化'), r.ok ? 'ok' : 'bad');
  await refresh();
});

$('#add-url').addEventListener('click', async () => {
  const url = $('#list-url').value.trim();
  const sha256 = $('#list-sha256').value.trim();
  const intervalHours = Number($('#list-interval').value) || 24;
  let origin;
  try {
    const u = new URL(url);
    origin = `${u.protocol}//${u.hostname}/*`;
  } catch {
    showListResult({ ok: false, message: t('badUrl', '地址无效') });
    return;
  }
  if (sha256 && !/^[0-9a-fA-F]{64}$/.test(sha256)) {
    showListResult({ ok: false, message: t('badSha', 'SHA-256 应为 64 位十六进制数字') });
    return;
  }
  // Asked here, in the click, the only moment a browser allows the prompt.
  let granted = false;
  try {
    granted = await api.permissions.request({ origins: [origin] });
  } catch {
    granted = false;
  }
  say(t('downloading', '正在下载并检查…'));
  const r = await ask('kefu:addList', { url, sha256, intervalHours });
  if (!r.ok && !granted) r.message += `（${t('permissionDenied', '未获准访问该网站')}）`;
  showListResult(r);
  say(r.ok ? t('listApplied', '词表已生效') : t('listNotApplied', '词表未添加，生效的词表没有变化'), r.ok ? 'ok' : 'bad');
  await refresh();
});

// ---- team settings -------------------------------------------------------------------

const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);

function buildCategoryRows() {
  const rows = CATEGORIES.map((c) => {
    const tr = el('tr', null, null, { 'data-category': c });
    tr.append(el('th', categoryWord(c), null, { scope: 'row' }));
    const canned = el('textarea', null, null, { name: `canned_replies.${c}`, rows: '2', 'aria-label': `${categoryWord(c)} ${t('colCanned', '常用回复')}` });
    const esc = el('input', null, null, { name: `escalation.${c}`, type: 'text', 'aria-label': `${categoryWord(c)} ${t('colEscalation', '升级联系人')}` });
    tr.append(el('td').appendChild(canned).parentNode, el('td').appendChild(esc).parentNode);
    return tr;
  });
  $('#per-category tbody').replaceChildren(...rows);
}

function fillTeam(team) {
  const f = $('#team-form');
  for (const k of ['watch_words', 'vip_accounts', 'hotlines']) f.elements[k].value = (team[k] ?? []).join('\n');
  for (const u of ['critical', 'high', 'normal', 'low']) f.elements[`targets.${u}`].value = team.targets?.[u] ?? '';
  for (const c of CATEGORIES) {
    f.elements[`canned_replies.${c}`].value = (team.canned_replies?.[c] ?? []).join('\n');
    f.elements[`escalation.${c}`].value = team.escalation?.[c] ?? '';
  }
}

function readTeam() {
  const f = $('#team-form');
  // Categories outside the vocabulary (from an imported file) are kept.
  const canned = { ...(state.team.canned_replies ?? {}) };
  const escalation = { ...(state.team.escalation ?? {}) };
  for (const c of CATEGORIES) {
    const replies = lines(f.elements[`canned_replies.${c}`].value);
    if (replies.length) canned[c] = replies;
    else delete canned[c];
    const contact = f.elements[`escalation.${c}`].value.trim();
    if (contact) escalation[c] = contact;
    else delete escalation[c];
  }
  const targets = {};
  for (const u of ['critical', 'high', 'normal', 'low']) targets[u] = Math.max(0, Math.round(Number(f.elements[`targets.${u}`].value) || 0));
  return {
    watch_words: lines(f.elements.watch_words.value),
    vip_accounts: lines(f.elements.vip_accounts.value),
    hotlines: lines(f.elements.hotlines.value),
    targets,
    canned_replies: canned,
    escalation,
  };
}

function teamResult(text, kind) {
  const p = $('#team-result');
  p.textContent = text;
  p.className = kind;
}

$('#team-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await ask('kefu:setTeam', { team: readTeam() });
  if (r.ok) {
    state.team = r.team;
    fillTeam(r.team);
    teamResult(t('teamSaved', '团队设置已保存并生效'), 'ok');
  } else teamResult(why(r), 'bad');
});

$('#export-toml').addEventListener('click', async () => {
  const { toml } = await ask('kefu:exportToml');
  download('kefu-settings.toml', toml, 'application/toml');
});

$('#import-toml').addEventListener('change', async (ev) => {
  const f = await readFile(ev.target);
  ev.target.value = '';
  if (!f) return;
  const r = await ask('kefu:importToml', { toml: f.text });
  if (r.ok) {
    state.team = r.team;
    fillTeam(r.team);
    teamResult(t('teamImported', `已从 ${f.name} 导入并生效`, [f.name]), 'ok');
  } else teamResult(why(r), 'bad');
});

// ---- logs ------------------------------------------------------------------------------

const LOG_COLUMNS = {
  overrideLog: [
    ['at', t('colTime', '时间')],
    ['reason', t('colReason', '理由')],
    ['draft', t('colDraft', '发布的回复')],
    ['replyTo', t('colReplyTo', '回复的评论')],
    ['findings', t('colFindings', '被拦截的原因')],
    ['page', t('colPage', '页面')],
  ],
  feedback: [
    ['at', t('colTime', '时间')],
    ['author', t('colAuthor', '评论者')],
    ['comment', t('colComment', '评论')],
    ['engine.category', t('colEngineCategory', '原类别')],
    ['engine.urgency', t('colEngineUrgency', '原紧急程度')],
    ['corrected.category', t('colCorrectedCategory', '纠正为类别')],
    ['corrected.urgency', t('colCorrectedUrgency', '纠正为紧急程度')],
    ['page', t('colPage', '页面')],
  ],
};

function cell(entry, path) {
  const v = path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), entry);
  if (v == null) return '';
  if (path === 'at') return when(v);
  if (path.endsWith('category')) return categoryWord(v);
  if (path.endsWith('urgency')) return urgencyWord(v);
  // What blocked a reply, in words: the label, the words, the list's message.
  if (path === 'findings' && Array.isArray(v)) {
    return v.map((f) => `${labelWord(f.label)}${f.text ? `「${f.text}」` : ''}${f.message ? `（${f.message}）` : ''}`).join('；');
  }
  if (Array.isArray(v)) return v.join('；');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One CSV field: quoted when needed; a leading formula character is
 *  defused, since these files are opened in spreadsheets. */
function csvField(s) {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(log, entries) {
  const cols = LOG_COLUMNS[log];
  // Headers in the UI language, times in local time: a file for people.
  const rows = [cols.map(([, label]) => label), ...entries.map((e) => cols.map(([k]) => cell(e, k)))];
  // A BOM, so that spreadsheets read the Chinese as UTF-8.
  return `\ufeff${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

async function renderLog(box) {
  const log = box.dataset.log;
  const { entries } = await ask('kefu:getLog', { log });
  $('.count', box).textContent = `（${entries.length}）`;
  const cols = LOG_COLUMNS[log];
  const head = el('tr');
  for (const [, label] of cols) head.append(el('th', label));
  $('thead', box).replaceChildren(head);
  const shown = entries.slice(-200).reverse();
  $('tbody', box).replaceChildren(...shown.map((e) => {
    const tr = el('tr');
    for (const [k] of cols) tr.append(el('td', cell(e, k)));
    return tr;
  }));
  if (!entries.length) {
    const tr = el('tr');
    tr.append(el('td', t('logEmpty', '暂无记录'), 'muted', { colspan: String(cols.length) }));
    $('tbody', box).append(tr);
  }
}

for (const box of $$('.log')) {
  const log = box.dataset.log;
  for (const b of $$('[data-export]', box)) {
    b.addEventListener('click', async () => {
      const { entries } = await ask('kefu:getLog', { log });
      const stamp = new Date().toISOString().slice(0, 10);
      if (b.dataset.export === 'csv') download(`kefu-${log}-${stamp}.csv`, toCsv(log, entries), 'text/csv');
      else download(`kefu-${log}-${stamp}.json`, `${JSON.stringify(entries, null, 2)}\n`, 'application/json');
    });
  }
  $('[data-clear]', box).addEventListener('click', async () => {
    if (!confirm(t('confirmClear', '清空这份记录？建议先导出。'))) return;
    await ask('kefu:clearLog', { log });
    await renderLog(box);
  });
}

// ---- the whole page -----------------------------------------------------------------

async function refresh() {
  state = await ask('kefu:getOptions');
  document.body.dataset.ready = 'true';
  $('#policy-note').hidden = !state.policy.locked.length;
  renderPrefs();
  renderLists();
  const teamLocked = state.policy.locked.includes('team');
  $('#team-locked').hidden = !teamLocked;
  for (const c of $$('#team-form textarea, #team-form input:not([type=file]), #save-team, #import-toml')) c.disabled = teamLocked;
  if (state.lastError && !shownError) say(`${t('lastError', '最近的问题')}：${state.lastError.message}`, 'warn');
  shownError = true;
}

buildCategoryRows();
refresh()
  .then(() => {
    fillTeam(state.team);
    return Promise.all($$('.log').map(renderLog));
  })
  .catch((e) => say(String(e?.message ?? e), 'bad'));

// Lists updated on schedule, logs appended by the page: show them as they come.
api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (changes.lists) refresh().catch(() => {});
  for (const box of $$('.log')) if (changes[box.dataset.log]) renderLog(box).catch(() => {});
});
