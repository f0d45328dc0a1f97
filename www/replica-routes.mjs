// Request → response for the Weibo page replica, with no HTTP in it, so that
// the same function serves the replica from server.mjs and from a Playwright
// route (`context.route('https://weibo.com/**', …)`).
//
//   import { respond } from './www/replica-routes.mjs';
//   const r = respond({ method, url, body }, { csp: 'strict' });
//   // → { status, headers, body: Buffer }
//
// Owns: which file or JSON answers which URL, the posting endpoints, and the
// Content-Security-Policy header. Does not own: the data (lib/replica-data.mjs)
// or the page (weibo/).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, makeUser } from './lib/replica-data.mjs';
import { formatText, weiboDate, weiboLength } from './lib/weibo-text.mjs';

const WWW = dirname(fileURLToPath(import.meta.url));
const SITE = join(WWW, 'weibo');

/** The header `--csp strict` sends: no inline script, no eval, no wasm compile. */
export const STRICT_CSP = "script-src 'self'; object-src 'none'";

/** Longest comment the replica accepts, counted Weibo's way. */
export const COMMENT_LIMIT = 140;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

// Page routes of the app: all serve index.html, the app reads the path.
const APP_ROUTES = [/^\/$/, /^\/\d+\/[A-Za-z0-9]+\/?$/, /^\/u\/\d+\/?$/, /^\/n\/[^/]+\/?$/, /^\/detail\/[A-Za-z0-9]+\/?$/];

let model = null; // every post built once, on first use
function data() {
  if (!model) {
    model = buildAll(join(WWW, 'data'));
    model.byId = new Map();
    for (const p of Object.values(model.posts)) {
      for (const page of p.pages) {
        for (const c of page.body.data) model.byId.set(c.idstr, { post: p, c });
      }
      for (const list of Object.values(p.replyPages)) {
        for (const page of list) for (const c of page.body.data) model.byId.set(c.idstr, { post: p, c });
      }
    }
  }
  return model;
}

function postByAnyId(id) {
  const { posts } = data();
  return Object.values(posts).find((p) => p.post.bid === id || p.post.mid === id) || null;
}

const json = (obj, status = 200) => ({ status, type: TYPES['.json'], body: Buffer.from(JSON.stringify(obj)) });

function file(path, status = 200) {
  return { status, type: TYPES[extname(path)] || 'application/octet-stream', body: readFileSync(path) };
}

function staticFile(pathname) {
  const rel = normalize(decodeURIComponent(pathname.slice('/weibo/'.length)));
  const full = join(SITE, rel);
  if (!full.startsWith(SITE + sep) || !existsSync(full) || !statSync(full).isFile()) return null;
  return file(full);
}

function buildComments(q) {
  const id = q.get('id') || '';
  const cursor = q.get('max_id') && q.get('max_id') !== '0' ? q.get('max_id') : '0';
  const empty = { ok: 1, data: [], rootComment: [], total_number: 0, max_id: 0, trendsText: '' };
  if (!/^\d+$/.test(id) || !/^\d+$/.test(cursor)) return json(empty);
  if (q.get('fetch_level') === '1') {
    const f = join(SITE, 'ajax', 'statuses', 'buildComments', 'replies', id, `${cursor}.json`);
    if (existsSync(f)) return file(f);
    const found = data().byId.get(id);
    const list = found?.post.replyPages[id];
    const page = list?.find((p) => p.cursor === cursor);
    return json(page ? page.body : { ...empty, rootComment: found ? [found.c] : [] });
  }
  const f = join(SITE, 'ajax', 'statuses', 'buildComments', id, `${cursor}.json`);
  if (existsSync(f)) return file(f);
  const page = postByAnyId(id)?.pages.find((p) => p.cursor === cursor);
  return json(page ? page.body : empty);
}

function show(q) {
  const id = q.get('id') || '';
  if (/^[A-Za-z0-9]+$/.test(id)) {
    const f = join(SITE, 'ajax', 'statuses', 'show', `${id}.json`);
    if (existsSync(f)) return file(f);
  }
  const p = postByAnyId(id);
  return p ? json(p.status) : json({ ok: 0, msg: '微博不存在或暂无查看权限' }, 200);
}

function parseBody(body) {
  if (body == null) return new URLSearchParams();
  if (body instanceof URLSearchParams) return body;
  const s = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : null;
  if (s == null) return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
  if (s.trim().startsWith('{')) {
    try { return new URLSearchParams(Object.entries(JSON.parse(s)).map(([k, v]) => [k, String(v)])); } catch { /* fall through */ }
  }
  return new URLSearchParams(s);
}

let serial = 0;
function newId() {
  serial = (serial + 1) % 100;
  return Math.floor(Date.now() / 1000) * 100 + serial + 5105300000000000 - 1764300000 * 100;
}

function me() {
  const { src } = data();
  return makeUser(src.posts.author, src.users, '上海');
}

function newComment(text_raw, rootid) {
  const id = newId();
  const { text, url_struct } = formatText(text_raw);
  const c = {
    created_at: weiboDate(Date.now()), id, idstr: String(id), mid: String(id),
    rootid: rootid ?? id, rootidstr: String(rootid ?? id), floor_number: 0,
    text, text_raw, disable_reply: 0, restrictOperate: 0, source: '来自上海', user: me(),
    like_counts: 0, liked: false, isLikedByMblogAuthor: false, is_mblog_author: true,
    readtimetype: 'comment', analysis_extra: '',
  };
  if (url_struct.length) c.url_struct = url_struct;
  if (rootid == null) Object.assign(c, { comments: [], total_number: 0, max_id: 0, more_info_type: 0 });
  return c;
}

function checkText(text) {
  if (!text.trim()) return '内容不能为空';
  if (weiboLength(text) > COMMENT_LIMIT) return `评论内容不能超过${COMMENT_LIMIT}字`;
  return null;
}

function post(pathname, form) {
  switch (pathname) {
    case '/ajax/comments/create': {
      const text = form.get('comment') || '';
      const err = checkText(text);
      return json(err ? { ok: 0, msg: err } : { ok: 1, data: newComment(text) });
    }
    case '/ajax/comments/reply': {
      const text = form.get('comment') || '';
      const err = checkText(text);
      if (err) return json({ ok: 0, msg: err });
      const cid = form.get('cid') || '';
      const target = data().byId.get(cid)?.c;
      const isReply = target && target.rootidstr !== target.idstr;
      const c = newComment(isReply ? `回复@${target.user.screen_name}:${text}` : text, target ? target.rootid : Number(cid) || undefined);
      if (isReply) {
        c.reply_comment = { id: target.id, idstr: target.idstr, mid: target.mid, text: target.text, user: { id: target.user.id, idstr: target.user.idstr, screen_name: target.user.screen_name } };
        c.reply_original_text = target.text_raw;
      }
      return json({ ok: 1, data: c });
    }
    case '/ajax/comments/destroy':
      return json({ ok: 1, data: { cid: form.get('cid') || '' } });
    case '/ajax/statuses/update': {
      const text = form.get('content') || '';
      if (!text.trim()) return json({ ok: 0, msg: '内容不能为空' });
      const id = newId();
      const { text: html } = formatText(text);
      return json({ ok: 1, data: { created_at: weiboDate(Date.now()), id, idstr: String(id), mid: String(id), text: html, text_raw: text, user: me() } });
    }
    case '/webim/2/direct_messages/new.json': {
      const text = form.get('text') || '';
      if (!text.trim()) return json({ ok: 0, msg: '内容不能为空' });
      const id = newId();
      return json({ ok: 1, data: { id, idstr: String(id), created_at: weiboDate(Date.now()), text, sender_id: me().id, recipient_id: Number(form.get('uid')) || 0 } });
    }
    default:
      return null;
  }
}

/**
 * Answer one request.
 * @param {{method?: string, url: string, body?: string|Buffer|object|null}} req
 *   url absolute (any origin) or a path with its query.
 * @param {{csp?: 'none'|'strict'}} [opts]
 * @returns {{status: number, headers: Record<string,string>, body: Buffer}}
 */
export function respond({ method = 'GET', url, body = null }, { csp = 'none' } = {}) {
  const u = new URL(url, 'http://replica.invalid');
  const m = method.toUpperCase();
  let r = null;
  if (m === 'GET' || m === 'HEAD') {
    if (APP_ROUTES.some((re) => re.test(u.pathname))) r = file(join(SITE, 'index.html'));
    else if (u.pathname.startsWith('/weibo/')) r = staticFile(u.pathname);
    else if (u.pathname === '/ajax/statuses/buildComments') r = buildComments(u.searchParams);
    else if (u.pathname === '/ajax/statuses/show') r = show(u.searchParams);
    else if (u.pathname === '/favicon.ico') r = file(join(SITE, 'img', 'favicon.svg'));
  } else if (m === 'POST') {
    r = post(u.pathname, parseBody(body));
  }
  if (!r) r = { status: 404, type: TYPES['.txt'], body: Buffer.from('404 Not Found\n') };
  const headers = { 'content-type': r.type, 'cache-control': 'no-store' };
  if (csp === 'strict') headers['content-security-policy'] = STRICT_CSP;
  return { status: r.status, headers, body: m === 'HEAD' ? Buffer.alloc(0) : r.body };
}
