// The compliance playground: the extension's engine (extension/pkg, served
// at /pkg/ by serve.mjs) on a static page. The compliance team edits a list
// and sees its errors as they type, runs its examples, checks drafts against
// it (with or without the built-in lists), tries the lists in force on a
// file of past replies (one engine call for the whole file), and triages a
// JSONL of comments.
//
// All judgement is the engine's (testList, configureLists, check, scanText,
// triage);
// this file only moves text in and out and puts results on the page, always
// with textContent.

// The list reader build of the engine: the checker's code plus reading and
// linting lists and settings TOML (see src/wasm.rs).
import init, { Engine, installData } from '/pkg/kefu_lists.js';

const $ = (sel) => document.querySelector(sel);
const LINT_DEBOUNCE_MS = 150;
const TRIAGE_BATCH = 5000; // comments per engine call (clusters are per call)
const RENDER_CHUNK = 400; // table rows per frame

const WORDS = {
  category: { safety: '安全', complaint: '投诉', question: '提问', suggestion: '建议', praise: '表扬', chatter: '闲聊', spam: '广告' },
  urgency: { critical: '紧急', high: '优先', normal: '一般', low: '较低', noise: '忽略' },
  verdict: { block: '禁止发布 block', warn: '提醒 warn', ok: '可以发布 ok' },
};

function el(tag, text, cls, attrs) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = String(text);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  return e;
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

let linter; // examines lists; nothing in force changes
let checker; // the built-in lists and the list being edited
let triager;
let defaultIds = [];
let lastExamined = null;

// ---- the list -------------------------------------------------------------------

function listName() {
  const n = $('#list-name').value.trim() || 'my-list.toml';
  return /\.(toml|txt)$/i.test(n) ? n : `${n}.toml`;
}

function showDiagnostics(r) {
  const ul = $('#diagnostics');
  ul.replaceChildren(...r.diagnostics.map((d) => {
    const li = el('li', null, d.level, { 'data-line': d.line, 'data-col': d.col });
    li.append(el('span', `${d.line}:${d.col}`, 'where'), el('span', ` ${d.level === 'error' ? '错误 error' : '警告 warning'}: ${d.message}`));
    li.append(el('pre', d.display.split('\n').slice(1).join('\n')));
    return li;
  }));
  const meta = $('#list-meta');
  if (r.list) {
    meta.textContent = `${r.list.name}（${r.list.id}，版本 ${r.list.version}）· ${r.list.rules} 条规则 rules · ${r.examples} 个示例 examples`;
    meta.className = 'meta ok';
  } else {
    const n = r.diagnostics.filter((d) => d.level === 'error').length;
    meta.textContent = `${n} 处错误，词表不能使用 · ${n} error(s): the list cannot be used`;
    meta.className = 'meta bad';
  }
  document.body.dataset.listState = r.list ? 'ok' : 'error';
}

function showExamples(r) {
  const box = $('#examples');
  box.replaceChildren();
  if (!r.list) {
    box.append(el('p', '先改正错误，才能运行示例 · Fix the errors to run the examples', 'bad'));
    box.dataset.result = 'error';
    return;
  }
  if (!r.failures.length) {
    box.append(el('p', `全部 ${r.examples} 个示例通过 · all ${r.examples} examples pass`, 'ok'));
    box.dataset.result = 'pass';
    return;
  }
  box.dataset.result = 'fail';
  box.append(el('p', `${r.failures.length} / ${r.examples} 个示例没有通过 · examples fail`, 'bad'));
  const ul = el('ul', null, 'failures');
  for (const f of r.failures) {
    const why = f.kind === 'hit' ? '应当命中，但没有命中 · should match, does not' : '不应命中，但命中了 · should not match, does';
    ul.append(el('li', `${f.rule}：「${f.example}」${why}`));
  }
  box.append(ul);
}

/** Lints the list, puts it in the checker if it is good, checks the draft. */
function examine() {
  const r = JSON.parse(linter.testList(listName(), $('#list-text').value));
  lastExamined = r;
  document.body.dataset.examined = Number(document.body.dataset.examined ?? 0) + 1;
  showDiagnostics(r);
  const disabled = $('#with-defaults').checked ? [] : defaultIds;
  const read = r.read && !r.diagnostics.some((d) => d.level === 'error') ? [r.read] : [];
  try {
    checker.configureLists(JSON.stringify(read), disabled);
  } catch (e) {
    // The list is fine alone but not beside the built-in ones (same id).
    showDiagnostics({ ...r, list: null, diagnostics: [{ file: listName(), line: 1, col: 1, level: 'error', message: String(e), display: String(e) }] });
    checker.configureLists('[]', disabled);
  }
  checkDraft();
  rescanReplies();
}

let lintTimer = null;
$('#list-text').addEventListener('input', () => {
  clearTimeout(lintTimer);
  lintTimer = setTimeout(examine, LINT_DEBOUNCE_MS);
});
$('#list-name').addEventListener('change', examine);
$('#with-defaults').addEventListener('change', examine);

$('#run-examples').addEventListener('click', () => {
  examine();
  showExamples(lastExamined);
});

$('#download-list').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([$('#list-text').value], { type: 'application/toml' }));
  const a = el('a', null, null, { href: url, download: listName() });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
});

$('#open-list').addEventListener('change', async (ev) => {
  const f = ev.target.files?.[0];
  if (!f) return;
  $('#list-name').value = f.name;
  $('#list-text').value = await f.text();
  ev.target.value = '';
  examine();
});

$('#sample-list').addEventListener('change', async (ev) => {
  const name = ev.target.value;
  if (!name) return;
  const res = await fetch(`/lists/${encodeURIComponent(name)}`);
  // A built-in list under its own id would clash with itself: rename it.
  $('#list-text').value = (await res.text()).replace(/^id = "([^"]+)"/m, 'id = "$1-copy"');
  $('#list-name').value = name.replace(/\.toml$/, '-copy.toml');
  ev.target.value = '';
  examine();
});

// ---- the draft --------------------------------------------------------------------

function checkDraft() {
  const draft = $('#draft').value;
  const tbody = $('#findings tbody');
  const verdict = $('#verdict');
  if (!draft.trim()) {
    tbody.replaceChildren();
    verdict.textContent = '—';
    verdict.dataset.verdict = '';
    $('#tone').textContent = '';
    return;
  }
  const report = JSON.parse(checker.check(draft, $('#reply-to').value.trim() || undefined));
  verdict.textContent = WORDS.verdict[report.verdict] ?? report.verdict;
  verdict.dataset.verdict = report.verdict;
  $('#tone').textContent = `语气 tone ${report.tone.score}/100 ${report.tone.band}`;
  tbody.replaceChildren(...report.findings.map((f) => {
    const tr = el('tr', null, f.severity, { 'data-rule': f.rule });
    for (const v of [f.rule, f.label, f.severity, f.text, f.message, f.suggestion ?? '']) tr.append(el('td', v));
    return tr;
  }));
}

let draftTimer = null;
for (const id of ['#draft', '#reply-to']) {
  $(id).addEventListener('input', () => {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(checkDraft, 80);
  });
}

// ---- past replies -----------------------------------------------------------------

const EXAMPLES_PER_RULE = 5;
const EXAMPLE_CONTEXT = 60; // code units shown before a hit in a long reply
const EXAMPLE_MAX = 200; // code units shown of a long reply
const SEVERITY_ORDER = { block: 0, warn: 1, hint: 2 };
const SEVERITY_WORDS = { block: '禁止 block', warn: '提醒 warn', hint: '提示 hint' };

/** The replies being tried: {text, source} once loaded or pasted, else null. */
let replies = null;
let unitBuffer = new Uint16Array(0); // reused between scans

/** The text as UTF-16 code units (its own form: nothing is transcoded). */
function codeUnits(text) {
  if (unitBuffer.length < text.length) unitBuffer = new Uint16Array(Math.max(text.length, unitBuffer.length * 2));
  const units = unitBuffer.subarray(0, text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** Each line's start and end (end without its \r\n or \n), in code units. */
function lineBounds(text) {
  const starts = [];
  const ends = [];
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    starts.push(at);
    ends.push(end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (nl < 0) return { starts, ends };
    at = nl + 1;
  }
}

/** Scans every reply in one engine call; the hits grouped by rule and by line. */
function scanReplies(text) {
  const units = codeUnits(text);
  const t0 = performance.now();
  const json = checker.scanText(units);
  const ms = performance.now() - t0;
  const hits = JSON.parse(json);
  const { starts, ends } = lineBounds(text);
  let scanned = 0;
  for (let i = 0; i < starts.length; i++) if (text.slice(starts[i], ends[i]).trim()) scanned++;

  const rules = new Map(); // rule id → {rule, label, severity, count, examples}
  const worst = new Map(); // line → worst severity rank among its hits
  let line = 0;
  for (const h of hits) {
    // Hits come in order of start: the line only moves forward.
    while (line + 1 < starts.length && starts[line + 1] <= h.start) line++;
    let r = rules.get(h.rule);
    if (!r) {
      r = { rule: h.rule, label: h.label, severity: h.severity, count: 0, lastLine: -1, examples: [] };
      rules.set(h.rule, r);
    }
    if (r.lastLine !== line) {
      r.lastLine = line;
      r.count++;
      if (r.examples.length < EXAMPLES_PER_RULE) r.examples.push({ line, spans: [] });
    }
    const ex = r.examples.at(-1);
    if (ex?.line === line) ex.spans.push([h.start - starts[line], Math.min(h.end, ends[line]) - starts[line]]);
    const rank = SEVERITY_ORDER[h.severity] ?? 3;
    const was = worst.get(line);
    if (was === undefined || rank < was) worst.set(line, rank);
  }
  const flagged = { all: worst.size, block: 0, warn: 0 };
  for (const rank of worst.values()) {
    if (rank === SEVERITY_ORDER.block) flagged.block++;
    else if (rank === SEVERITY_ORDER.warn) flagged.warn++;
  }
  return { text, starts, ends, scanned, flagged, ms, rules };
}

/** A reply with its hits in <mark>, as text nodes; a long one cut around its first hit. */
function markedReply(line, spans) {
  let from = 0;
  let to = line.length;
  if (line.length > EXAMPLE_MAX) {
    from = Math.max(0, spans[0][0] - EXAMPLE_CONTEXT);
    to = Math.min(line.length, from + EXAMPLE_MAX);
  }
  const out = [];
  if (from > 0) out.push('…');
  let at = from;
  // Hits of one rule may overlap (滚 inside 滚蛋): merge them.
  const merged = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (merged.length && s <= merged.at(-1)[1]) merged.at(-1)[1] = Math.max(merged.at(-1)[1], e);
    else merged.push([s, e]);
  }
  for (const [s0, e0] of merged) {
    const s = Math.max(s0, at);
    const e = Math.min(e0, to);
    if (s >= e) continue;
    if (s > at) out.push(line.slice(at, s));
    out.push(el('mark', line.slice(s, e)));
    at = e;
  }
  if (at < to) out.push(line.slice(at, to));
  if (to < line.length) out.push('…');
  return out;
}

/** The edited list's rules, shown even when they flag nothing. */
function editedRules() {
  const read = lastExamined?.read;
  if (!read || document.body.dataset.listState !== 'ok') return [];
  return (read.rules ?? []).map((r) => ({ rule: `${read.id}/${r.id}`, label: r.label, severity: r.severity }));
}

function showScan(s, source) {
  const rows = [...s.rules.values()];
  for (const r of editedRules()) {
    if (!s.rules.has(r.rule)) rows.push({ ...r, count: 0, examples: [] });
  }
  rows.sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || b.count - a.count || a.rule.localeCompare(b.rule));
  $('#replay-table tbody').replaceChildren(...rows.map((r) => {
    const tr = el('tr', null, r.severity, { 'data-rule': r.rule, 'data-count': r.count });
    const examples = el('ol', null, 'replay-examples');
    for (const ex of r.examples) {
      const li = el('li', null, null, { 'data-line': ex.line + 1 });
      li.append(el('span', `第 ${ex.line + 1} 行 line ${ex.line + 1}：`, 'where'), ...markedReply(s.text.slice(s.starts[ex.line], s.ends[ex.line]), ex.spans));
      examples.append(li);
    }
    tr.append(el('td', r.rule), el('td', r.label), el('td', SEVERITY_WORDS[r.severity] ?? r.severity), el('td', r.count, 'num'), el('td'));
    if (r.examples.length) tr.lastChild.append(examples);
    return tr;
  }));
  const summary = $('#replay-summary');
  summary.textContent = `扫描了 ${s.scanned} 条回复 · ${s.scanned} replies scanned；`
    + `${s.flagged.all} 条会被标出 flagged（禁止 block ${s.flagged.block}，提醒 warn ${s.flagged.warn}）；`
    + `用时 ${s.ms.toFixed(1)} 毫秒 · took ${s.ms.toFixed(1)} ms`;
  summary.className = s.flagged.block ? 'meta bad' : s.flagged.all ? 'meta warn' : 'meta ok';
  Object.assign(summary.dataset, { replies: s.scanned, flagged: s.flagged.all, block: s.flagged.block, warn: s.flagged.warn });
  $('#replay-source').textContent = source;
  const section = $('#replay-section');
  section.dataset.scans = Number(section.dataset.scans ?? 0) + 1;
  section.dataset.state = 'done';
}

/** Scans the replies loaded, if any, with the lists in force now (a
 *  message about a file refused earlier stays: that file is still not read). */
function rescanReplies() {
  if (!replies) return;
  try {
    showScan(scanReplies(replies.text), replies.source);
  } catch (e) {
    $('#replay-error').textContent = `扫描失败 · the scan failed: ${e?.message ?? e}`;
    $('#replay-section').dataset.state = 'error';
  }
}

function replayError(message) {
  // What was shown before stays: only the message is new.
  $('#replay-error').textContent = message;
  $('#replay-section').dataset.state = 'error';
}

$('#open-replies').addEventListener('change', async (ev) => {
  const f = ev.target.files?.[0];
  if (!f) return;
  ev.target.value = '';
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await f.arrayBuffer());
  } catch {
    replayError(`「${f.name}」不是 UTF-8 文本，没有扫描；请另存为 UTF-8 再打开 · "${f.name}" is not UTF-8 text and was not scanned: save it as UTF-8 and open it again`);
    return;
  }
  replies = { text, source: `文件 file: ${f.name}` };
  $('#replay-error').textContent = '';
  rescanReplies();
});

$('#scan-pasted').addEventListener('click', () => {
  const text = $('#replies').value;
  if (!text.trim()) {
    replayError('没有可扫描的回复：请粘贴回复，一行一条 · Nothing to scan: paste replies, one a line');
    return;
  }
  replies = { text, source: '粘贴的回复 pasted replies' };
  $('#replay-error').textContent = '';
  rescanReplies();
});

// ---- triage -------------------------------------------------------------------------

/** The comment's text for the table: text_raw, else text without its HTML
 *  (an emoticon <img alt="[怒]"> read as [怒]). Display only. */
function shownText(c) {
  if (typeof c.text_raw === 'string') return c.text_raw;
  return String(c.text ?? '').replace(/<img[^>]*alt="([^"]*)"[^>]*>/g, '$1').replace(/<[^>]+>/g, '');
}

async function runTriage() {
  const status = $('#triage-status');
  const progress = $('#progress');
  const tbody = $('#triage-table tbody');
  tbody.replaceChildren();
  $('#triage-summary').textContent = '';
  document.body.dataset.triage = 'running';

  const settings = $('#settings').value.trim();
  try {
    triager.setSettings(triager.readSettings(settings));
  } catch (e) {
    status.textContent = `团队设置有误 · settings error: ${e?.message ?? e}`;
    status.className = 'meta bad';
    document.body.dataset.triage = 'error';
    return;
  }

  const lines = $('#jsonl').value.split('\n').map((l, i) => [i + 1, l]).filter(([, l]) => l.trim());
  const total = lines.length;
  progress.max = Math.max(1, total * 2); // parse + triage, then render
  progress.value = 0;
  const rows = [];
  const good = [];
  for (const [n, line] of lines) {
    try {
      const c = JSON.parse(line);
      if (!c || typeof c !== 'object' || Array.isArray(c)) throw new Error('not a JSON object');
      good.push({ n, c, row: rows.length });
      rows.push({ n, c, result: null });
    } catch (e) {
      rows.push({ n, c: null, error: `第 ${n} 行不是有效的 JSON · line ${n}: ${e.message}` });
    }
  }
  status.textContent = `分诊中 · triaging ${good.length} …`;
  status.className = 'meta';
  for (let i = 0; i < good.length; i += TRIAGE_BATCH) {
    const batch = good.slice(i, i + TRIAGE_BATCH);
    const results = JSON.parse(triager.triageJson(JSON.stringify(batch.map((g) => g.c)), Date.now()));
    results.forEach((r, j) => {
      rows[batch[j].row].result = r;
      if (good.length > TRIAGE_BATCH) {
        // Clusters are numbered per engine call: keep them apart.
        if (r.cluster != null) r.cluster = `${i / TRIAGE_BATCH + 1}-${r.cluster}`;
      }
    });
    progress.value = Math.round(((i + batch.length) / Math.max(1, good.length)) * total);
    await nextFrame();
  }

  const counts = { category: {}, urgency: {} };
  for (let i = 0; i < rows.length; i += RENDER_CHUNK) {
    const frag = document.createDocumentFragment();
    for (const r of rows.slice(i, i + RENDER_CHUNK)) {
      const tr = el('tr');
      const res = r.result;
      if (!r.c || res?.error) {
        tr.className = 'error';
        tr.append(el('td', r.n), el('td', r.error ?? res.error, null, { colspan: '6' }));
      } else {
        counts.category[res.category] = (counts.category[res.category] ?? 0) + 1;
        counts.urgency[res.urgency] = (counts.urgency[res.urgency] ?? 0) + 1;
        tr.dataset.category = res.category;
        tr.dataset.urgency = res.urgency;
        const text = shownText(r.c);
        tr.append(
          el('td', r.c.id ?? r.n),
          el('td', text.length > 140 ? `${text.slice(0, 140)}…` : text, 'text', { title: text }),
          el('td', `${WORDS.category[res.category] ?? ''} ${res.category}`),
          el('td', `${WORDS.urgency[res.urgency] ?? ''} ${res.urgency}`, `urgency-${res.urgency}`),
          el('td', res.score, 'num'),
          el('td', (res.reasons ?? []).join('；')),
          el('td', res.cluster ?? ''),
        );
      }
      frag.append(tr);
    }
    tbody.append(frag);
    progress.value = total + Math.min(rows.length, i + RENDER_CHUNK);
    await nextFrame();
  }
  progress.value = progress.max;
  const bad = rows.filter((r) => !r.c || r.result?.error).length;
  const words = (kind, order) => order.filter((k) => counts[kind][k]).map((k) => `${WORDS[kind][k]} ${counts[kind][k]}`).join('，');
  $('#triage-summary').textContent = `${words('category', Object.keys(WORDS.category))} · ${words('urgency', Object.keys(WORDS.urgency))}`;
  status.textContent = `完成 · done: ${rows.length - bad} 条已分诊 triaged${bad ? `，${bad} 行有误 bad lines` : ''}`;
  status.className = bad ? 'meta warn' : 'meta ok';
  document.body.dataset.triage = 'done';
}

$('#run-triage').addEventListener('click', () => {
  runTriage().catch((e) => {
    $('#triage-status').textContent = String(e?.message ?? e);
    document.body.dataset.triage = 'error';
  });
});

$('#open-jsonl').addEventListener('change', async (ev) => {
  const f = ev.target.files?.[0];
  if (!f) return;
  $('#jsonl').value = await f.text();
  ev.target.value = '';
});

$('#sample-jsonl').addEventListener('click', async () => {
  $('#jsonl').value = await (await fetch('/samples/comments.jsonl')).text();
});

// ---- start -----------------------------------------------------------------------------

const STARTER = `# 一个词表：[list] 元数据和若干 [[rule]]。A list: [list] metadata and [[rule]]s.
[list]
id = "my-list"
version = "2026.12.1"
name = "我的词表"
owner = "compliance@example.com"

[[rule]]
id = "buck-passing"
label = "buck_passing"
severity = "warn"
message = "不要推诿：告诉客户我们会怎么帮他"
phrases = ["不归我们管", "你去找别人"]
allow = ["不归我们管的事情我们也会帮您转达"]
suggest = "这个问题我们帮您联系相关部门"
examples = { hit = ["这事不归我们管"], ok = ["我们马上为您处理"] }
`;

try {
  await init({ module_or_path: '/pkg/kefu_lists_bg.wasm' });
  installData(await (await fetch('/pkg/kefu-data.json')).text());
  linter = new Engine();
  checker = new Engine();
  triager = new Engine();
  defaultIds = JSON.parse(linter.listSummary()).map((l) => l.id);
  $('#engine-status').textContent = `引擎已加载 · engine loaded（内置词表 built-in lists: ${defaultIds.join(', ')}）`;
  $('#engine-status').className = 'ok';
  if (!$('#list-text').value) $('#list-text').value = STARTER;
  examine();
  document.body.dataset.ready = 'true';
} catch (e) {
  $('#engine-status').textContent = `引擎加载失败 · the engine failed to load: ${e?.message ?? e}`;
  $('#engine-status').className = 'bad';
}
