// The replica's data model: authoring source (www/data/) → Weibo's JSON.
//
// Owns: users, comment objects, buildComments pages and cursors, the post
// objects of /ajax/statuses/show, and the generated 1,000-comment post.
// Does not own: serving (replica-routes.mjs) or writing files
// (tools/build-data.mjs). Everything here is deterministic: same source, same
// JSON, byte for byte.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatText, weiboDate } from './weibo-text.mjs';

export const PAGE_SIZE = 20; // count=20, as the real page asks
export const REPLY_PAGE_SIZE = 10; // replies in the layer come in smaller pages
export const INLINE_REPLIES = 3; // replies shown under a comment in the list

// FNV-1a, for stable pseudo-random attributes derived from a name.
export function hash(s) {
  let h = 0x811c9dc5;
  for (const ch of String(s)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const WAN = (n) => (n >= 10000 ? `${(n / 10000).toFixed(1).replace(/\.0$/, '')}万` : String(n));

export function loadSource(dataDir) {
  const read = (f) => JSON.parse(readFileSync(join(dataDir, f), 'utf8'));
  const lines = (f) => readFileSync(join(dataDir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const posts = read('posts.json');
  const users = read('users.json');
  for (const p of posts.posts) if (p.comments) p.source_comments = lines(p.comments);
  return { posts, users };
}

/** A Weibo user object for a screen name; notable accounts from users.json. */
export function makeUser(name, overrides, location) {
  const o = overrides[name] || {};
  const h = hash(name);
  const id = o.id ?? (h % 2 ? 5000000000 + (h % 2999999999) : 1000000000 + (h % 3999999999));
  const followers = o.followers_count ?? [8, 35, 120, 260, 480, 900, 1500, 3200][h % 8] + (h % 97);
  const mbrank = o.mbrank ?? (h >>> 3) % 7;
  const svip = o.svip ?? ((h >>> 7) % 10 === 0 ? 1 : 0);
  const verified = o.verified ?? false;
  const avatar = `/weibo/img/avatar/${o.avatar ?? `a${(h >>> 11) % 12}`}.svg`;
  const u = {
    id, idstr: String(id), pc_new: 0, screen_name: name,
    profile_image_url: avatar, profile_url: `/u/${id}`,
    verified, verified_type: o.verified_type ?? -1,
    domain: '', weihao: '', avatar_large: avatar, avatar_hd: avatar,
    follow_me: false, following: false, mbrank, mbtype: svip ? 12 : mbrank > 0 ? 2 : 0,
    v_plus: 0, planet_video: false, icon_list: [],
    location: location || '其他', description: '',
    followers_count: followers, followers_count_str: WAN(followers),
    friends_count: 50 + (h % 900), statuses_count: 20 + (h % 5000), svip,
  };
  if (verified) u.verified_reason = o.verified_reason || '';
  return u;
}

function commentIdBase(mid) {
  return Math.floor(Number(mid) / 1e8) * 1e8 + 1e8;
}

/**
 * Build one post from its source: the status object, the pages of
 * buildComments (fetch_level=0), the reply pages (fetch_level=1) and the
 * author's intended labels (for tests that want a reference).
 */
export function buildPost(post, src, now, authorName, sourceComments = post.source_comments) {
  const nowMs = Date.parse(now);
  const author = makeUser(authorName, src.users, '上海');
  const postMs = nowMs - post.ago * 60e3;
  const base = commentIdBase(post.mid);
  const usedIds = new Set();
  const idFor = (ms, key) => {
    let id = base + Math.floor((ms - postMs) / 1000) * 100 + (hash(key) % 100);
    while (usedIds.has(id)) id += 1;
    usedIds.add(id);
    return id;
  };
  const timeFor = (ago, key) => nowMs - ago * 60e3 - (hash(key) % 50) * 1000;

  const make = (c, key, rootid) => {
    const ms = timeFor(c.ago, key);
    const id = idFor(ms, key);
    const user = makeUser(c.u, src.users, c.loc);
    const text_raw = c.re && !c.t.startsWith('回复@') ? `回复@${c.re}:${c.t}` : c.t;
    const { text, url_struct } = formatText(text_raw);
    const obj = {
      created_at: weiboDate(ms), id, idstr: String(id), mid: String(id),
      rootid: rootid ?? id, rootidstr: String(rootid ?? id), floor_number: 0,
      text, text_raw, disable_reply: 0, restrictOperate: 0,
      source: `来自${c.loc || '其他'}`, user,
      like_counts: c.likes ?? 0, liked: false, isLikedByMblogAuthor: false,
      is_mblog_author: user.id === author.id, readtimetype: 'comment',
      analysis_extra: c.bot ? `ai_type:1|mid:${post.mid}` : '',
    };
    if (url_struct.length) obj.url_struct = url_struct;
    return { obj, ms };
  };

  const roots = [];
  const replyPages = {};
  const expected = [];
  sourceComments.forEach((c, i) => {
    const { obj: root, ms } = make(c, `${post.bid}/${i}`);
    const replies = (c.replies || []).map((r, j) => ({ ...make(r, `${post.bid}/${i}/${j}`, root.id), re: r.re }));
    replies.sort((a, b) => a.ms - b.ms);
    const reps = replies.map((r) => r.obj);
    replies.forEach(({ obj: r, re }, j) => {
      r.floor_number = j + 1;
      if (re) {
        const target = reps.slice(0, j).reverse().find((x) => x.user.screen_name === re) || null;
        if (target) {
          r.reply_comment = { id: target.id, idstr: target.idstr, mid: target.mid, text: target.text, user: { id: target.user.id, idstr: target.user.idstr, screen_name: target.user.screen_name } };
          r.reply_original_text = target.text_raw;
        }
      }
    });
    root.comments = reps.slice(0, INLINE_REPLIES);
    root.total_number = reps.length;
    root.max_id = 0;
    root.more_info_type = reps.length > INLINE_REPLIES ? 1 : 0;
    roots.push({ obj: root, ms, src: c, reps });
    expected.push({ id: root.idstr, kind: 'comment', user: c.u, text_raw: root.text_raw, category: c.cat ?? null, urgency: c.urg ?? null, cluster: c.cluster ?? null, note: c.note ?? '' });
    for (const r of reps) {
      expected.push({ id: r.idstr, kind: 'reply', root: root.idstr, user: r.user.screen_name, text_raw: r.text_raw, category: null, urgency: r.is_mblog_author ? 'noise' : null, cluster: null, note: r.is_mblog_author ? 'the company\'s own reply' : '' });
    }
  });

  // Floors count up in time; the list shows newest first (按时间).
  [...roots].sort((a, b) => a.ms - b.ms).forEach((r, i) => { r.obj.floor_number = i + 1; });
  roots.sort((a, b) => b.ms - a.ms);

  const totalAll = roots.reduce((n, r) => n + 1 + r.reps.length, 0);
  const pages = [];
  for (let p = 0; p * PAGE_SIZE < roots.length; p++) {
    const chunk = roots.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    const last = (p + 1) * PAGE_SIZE >= roots.length;
    const cursor = p === 0 ? '0' : String(pages[p - 1].body.max_id);
    pages.push({
      cursor,
      body: {
        ok: 1, data: chunk.map((r) => r.obj), rootComment: [],
        total_number: totalAll, max_id: last ? 0 : chunk[chunk.length - 1].obj.id - 1,
        trendsText: last ? '已加载全部评论' : '',
      },
    });
  }

  for (const r of roots) {
    if (!r.reps.length) continue;
    const list = [];
    for (let p = 0; p * REPLY_PAGE_SIZE < r.reps.length; p++) {
      const chunk = r.reps.slice(p * REPLY_PAGE_SIZE, (p + 1) * REPLY_PAGE_SIZE);
      const last = (p + 1) * REPLY_PAGE_SIZE >= r.reps.length;
      const cursor = p === 0 ? '0' : String(list[p - 1].body.max_id);
      const { comments, ...rootOnly } = r.obj;
      list.push({
        cursor,
        body: { ok: 1, data: chunk, rootComment: [rootOnly], total_number: r.reps.length, max_id: last ? 0 : chunk[chunk.length - 1].id + 1 },
      });
    }
    replyPages[r.obj.idstr] = list;
  }

  const { text, url_struct } = formatText(post.text);
  const status = {
    ok: 1, visible: { type: 0, list_id: 0 }, created_at: weiboDate(postMs),
    id: Number(post.mid), idstr: post.mid, mid: post.mid, mblogid: post.bid,
    user: author, can_edit: false, text, text_raw: post.text,
    textLength: post.text.length * 2, source: post.source, region_name: post.region,
    favorited: false, reposts_count: post.reposts_count, comments_count: totalAll,
    attitudes_count: post.attitudes_count, pic_num: post.pic ? 1 : 0,
    pic_ids: post.pic ? ['kefu0001'] : [],
    pic_infos: post.pic ? { kefu0001: { thumbnail: { url: post.pic }, bmiddle: { url: post.pic }, large: { url: post.pic }, original: { url: post.pic } } } : {},
  };
  if (url_struct.length) status.url_struct = url_struct;
  return { status, pages, replyPages, expected };
}

/**
 * The comments of a `generate: N` post: N top-level comments made by cycling
 * through the other posts' source comments with other names and times, so
 * that a load test sees realistic text at scale.
 */
export function generatedSource(post, src) {
  const pool = src.posts.posts.flatMap((p) => p.source_comments || []);
  const out = [];
  const span = post.ago - 5;
  for (let i = 0; i < post.generate; i++) {
    const c = pool[(i * 7) % pool.length];
    const cycle = Math.floor(i / pool.length);
    const u = cycle ? `${c.u}_${(hash(c.u + i) % 900) + 100}` : c.u;
    const company = (c.replies || []).filter((r) => r.u === src.posts.author).slice(0, 1)
      .map((r) => ({ ...r, ago: Math.max(0, span - Math.floor((i * span) / post.generate) - 1) }));
    out.push({ ...c, u, ago: span - Math.floor((i * span) / post.generate), replies: company });
  }
  return out;
}

/** Every post, built. */
export function buildAll(dataDir) {
  const src = loadSource(dataDir);
  const out = {};
  for (const post of src.posts.posts) {
    const comments = post.generate ? generatedSource(post, src) : post.source_comments;
    out[post.bid] = { post, ...buildPost(post, src, src.posts.now, src.posts.author, comments) };
  }
  return { src, posts: out };
}
