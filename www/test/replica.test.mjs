// The replica's own checks: data in step with its source, paging, replies,
// posting, escaping, CSP. Run: node --test www/test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { respond, STRICT_CSP } from '../replica-routes.mjs';

const MID = '5105212345678901';
const get = (url, opts) => {
  const r = respond({ url }, opts);
  return { ...r, json: () => JSON.parse(r.body.toString('utf8')) };
};
const comments = (id, maxId, level = 0) =>
  get(`https://weibo.com/ajax/statuses/buildComments?is_reload=1&id=${id}&is_show_bulletin=2&is_mix=${level}&count=20&uid=5012345678&fetch_level=${level}&max_id=${maxId}`).json();

function allPages(id, level = 0) {
  const out = [];
  let cursor = 0;
  for (let i = 0; i < 100; i++) {
    const page = comments(id, cursor, level);
    assert.equal(page.ok, 1);
    out.push(...page.data);
    if (!page.max_id) return out;
    cursor = page.max_id;
  }
  throw new Error('max_id never reached 0');
}

test('the JSON under weibo/ajax is what the source makes', () => {
  const tool = fileURLToPath(new URL('../tools/build-data.mjs', import.meta.url));
  execFileSync(process.execPath, [tool, '--check'], { stdio: 'pipe' });
});

test('max_id paging walks every top-level comment once, newest first', () => {
  const all = allPages(MID);
  assert.ok(all.length >= 120, `${all.length} comments`);
  assert.equal(new Set(all.map((c) => c.idstr)).size, all.length);
  for (const c of all) {
    assert.equal(c.rootidstr, c.idstr);
    assert.match(c.created_at, /^\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}$/);
    for (const k of ['id', 'idstr', 'rootid', 'floor_number', 'text', 'text_raw', 'source', 'like_counts', 'total_number', 'comments', 'is_mblog_author', 'user', 'analysis_extra']) assert.ok(k in c, k);
    for (const k of ['id', 'idstr', 'screen_name', 'followers_count', 'verified', 'verified_type', 'mbrank', 'svip']) assert.ok(k in c.user, `user.${k}`);
  }
});

test('replies page with fetch_level=1 and hold the inline ones', () => {
  const root = allPages(MID).find((c) => c.total_number > 10);
  const replies = allPages(root.idstr, 1);
  assert.equal(replies.length, root.total_number);
  assert.deepEqual(root.comments.map((c) => c.idstr), replies.slice(0, root.comments.length).map((c) => c.idstr));
  assert.ok(replies.every((r) => r.rootidstr === root.idstr));
  assert.ok(replies.some((r) => r.is_mblog_author));
});

test('the hostile comment reaches the page escaped', () => {
  const bad = allPages(MID).find((c) => c.text_raw.includes('onerror'));
  assert.ok(bad.text_raw.includes('<img src=x onerror=alert(1)>'));
  assert.ok(!bad.text.includes('<img src=x'));
  assert.ok(bad.text.includes('&lt;img src=x onerror=alert(1)&gt;'));
});

test('app routes serve the page; strict mode sends the CSP', () => {
  for (const path of ['/', '/5012345678/Nabc123', '/5012345678/Nxyz789', '/u/5012345678']) {
    const r = get(`https://weibo.com${path}`, { csp: 'strict' });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /text\/html/);
    assert.equal(r.headers['content-security-policy'], STRICT_CSP);
  }
  assert.equal(get('http://localhost:1/').headers['content-security-policy'], undefined);
  assert.equal(get('/weibo/../replica-routes.mjs').status, 404);
  assert.equal(get('/weibo/%2e%2e/server.mjs').status, 404);
});

test('no inline script or handler in what the page serves', () => {
  const html = get('/').body.toString();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
});

test('posting a comment and a reply echoes the text as the company', () => {
  const c = JSON.parse(respond({ method: 'POST', url: '/ajax/comments/create', body: `id=${MID}&comment=${encodeURIComponent('你好[心]')}` }).body);
  assert.equal(c.ok, 1);
  assert.equal(c.data.text_raw, '你好[心]');
  assert.match(c.data.text, /<img alt=\[心\]/);
  assert.equal(c.data.is_mblog_author, true);

  const root = allPages(MID).find((x) => x.comments.length >= 2);
  const reply = root.comments[1];
  const r = JSON.parse(respond({ method: 'POST', url: 'https://weibo.com/ajax/comments/reply', body: `id=${MID}&cid=${reply.idstr}&comment=ok` }).body);
  assert.equal(r.data.text_raw, `回复@${reply.user.screen_name}:ok`);
  assert.equal(r.data.rootidstr, root.idstr);

  const empty = JSON.parse(respond({ method: 'POST', url: '/ajax/comments/create', body: `id=${MID}&comment=` }).body);
  assert.equal(empty.ok, 0);
});

test('the generated post has 1,000 comments', () => {
  const show = get('/ajax/statuses/show?id=Nbig1000').json();
  assert.equal(allPages(show.idstr).length, 1000);
});
