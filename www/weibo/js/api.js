// The page's requests to its own origin, in the shapes weibo.com uses.
//
// Every request looks up `fetch` (or `XMLHttpRequest`, with ?replica-xhr=1:
// weibo.com's own client is axios over XHR; or ?replica-early=1, below) at call time, so a script that
// wraps them at document_start sees every call. All URLs are relative: the
// page works under https://weibo.com/ (Playwright routing) and on localhost.

const params = new URLSearchParams(location.search);
const useXhr = params.get('replica-xhr') === '1';
// ?replica-early=1: what the page asks before DOMContentLoaded (the post and
// its first page of comments) is asked by synchronous XHR, so that the
// answers are in before any extension's idle-time content scripts start: a
// page whose data comes faster than an extension starts (a warm cache, a busy
// machine), made certain instead of now and then.
const early = params.get('replica-early') === '1';
let parsed = false;
document.addEventListener('DOMContentLoaded', () => { parsed = true; });

function syncXhr(method, url, body) {
  const x = new XMLHttpRequest();
  x.open(method, url, false);
  if (body) x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
  x.setRequestHeader('Accept', 'application/json, text/plain, */*');
  x.send(body || null);
  return JSON.parse(x.responseText);
}

function xhr(method, url, body) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, url);
    if (body) x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded; charset=UTF-8');
    x.setRequestHeader('Accept', 'application/json, text/plain, */*');
    x.onload = () => {
      try { resolve(JSON.parse(x.responseText)); } catch (e) { reject(e); }
    };
    x.onerror = () => reject(new Error(`network error: ${url}`));
    x.send(body || null);
  });
}

async function request(method, url, form) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  if (early && !parsed) return syncXhr(method, url, body);
  if (useXhr) return xhr(method, url, body);
  const res = await window.fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', Accept: 'application/json, text/plain, */*' } : { Accept: 'application/json, text/plain, */*' },
    body,
  });
  return res.json();
}

const qs = (o) => new URLSearchParams(o).toString();

/** The post, as /ajax/statuses/show gives it. */
export const getStatus = (bid) => request('GET', `/ajax/statuses/show?${qs({ id: bid, locale: 'zh-CN' })}`);

/** One page of top-level comments. */
export const getComments = (mid, uid, maxId) =>
  request('GET', `/ajax/statuses/buildComments?${qs({ is_reload: 1, id: mid, is_show_bulletin: 2, is_mix: 0, ...(maxId ? { max_id: maxId } : {}), count: 20, uid, fetch_level: 0, locale: 'zh-CN' })}`);

/** One page of the replies under a comment. */
export const getReplies = (rootId, uid, maxId) =>
  request('GET', `/ajax/statuses/buildComments?${qs({ flow: 0, is_reload: 1, id: rootId, is_show_bulletin: 2, is_mix: 1, fetch_level: 1, max_id: maxId || 0, count: 20, uid, locale: 'zh-CN' })}`);

export const createComment = (mid, text) =>
  request('POST', '/ajax/comments/create', { id: mid, comment: text, pic_id: '', is_repost: 0, comment_ori: 0, is_comment: 0 });

export const replyComment = (mid, cid, text) =>
  request('POST', '/ajax/comments/reply', { id: mid, cid, comment: text, pic_id: '', is_repost: 0, comment_ori: 0, is_comment: 0 });

export const destroyComment = (cid) => request('POST', '/ajax/comments/destroy', { cid });

export const createStatus = (text) => request('POST', '/ajax/statuses/update', { content: text, visible: 0, share_id: '' });

export const sendMessage = (uid, text) => request('POST', '/webim/2/direct_messages/new.json', { uid, text });
