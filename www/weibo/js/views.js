// What one comment looks like, in weibo-dom.md's structure:
//
//   .item1 > .item1in > (avatar) + .con1 > .text + .info (+ reply box) + .list2
//   .list2 > .item2 > .con2 > .text + .info (+ reply box)
//   .text  = <a href="/u/UID" usercard="UID">name</a><span>:</span><span>HTML</span>
//   .info  = <div>26-11-28 10:12 来自广东</div> + .opt (.wbpro-iconbed icons, like button)
//
// No comment id is written into the DOM (the real page has none): the page
// keeps ids in its own state, as Vue does.

import { h } from './vdom.js';
import { commentTime, count } from './format.js';

const VERIFIED = { 0: 'woo-avatar-icon--yellow', 2: 'woo-avatar-icon--blue', 3: 'woo-avatar-icon--blue', 220: 'woo-avatar-icon--red' };

export function avatar(user, size = '2.125rem') {
  const badge = user.verified ? (VERIFIED[user.verified_type] || 'woo-avatar-icon--blue') : user.svip ? 'woo-avatar-icon--vip' : null;
  return h('a', { href: `/u/${user.idstr}`, class: 'Avatar_link_3Rk9f', tabindex: '-1' },
    h('div', { class: 'woo-avatar-main woo-avatar-hover', style: `width: ${size}; height: ${size};` }, [
      h('img', { class: 'woo-avatar-img', src: user.profile_image_url, alt: '' }),
      h('div', { class: 'woo-avatar-hoverMask' }),
      badge ? h('span', { class: `woo-avatar-icon ${badge}`, title: user.verified ? (user.verified_reason || '微博认证') : '微博会员' }) : null,
    ]));
}

export function textLine(c) {
  return h('div', { class: 'text' }, [
    h('a', { href: `/u/${c.user.idstr}`, usercard: c.user.idstr }, c.user.screen_name),
    h('span', null, ':'),
    h('span', { html: c.text }),
  ]);
}

function iconbed(cls, title, onclick) {
  return h('div', { class: 'woo-box-item-flex CommentItem_opt_1b1wA woo-box-flex woo-box-alignCenter woo-box-justifyCenter' },
    h('div', { class: 'wbpro-iconbed woo-box-flex woo-box-alignCenter woo-box-justifyCenter', role: 'button', tabindex: '0', on: { click: onclick, keydown: (e) => { if (e.key === 'Enter') onclick(e); } } },
      h('i', { class: `woo-font ${cls}`, title })));
}

/**
 * @param {object} c comment
 * @param {{onReply, onDelete, onLike, liked: boolean}} act
 */
export function info(c, act) {
  const likes = c.like_counts + (act.liked ? 1 : 0);
  return h('div', { class: 'info woo-box-flex woo-box-alignCenter woo-box-justifyBetween' }, [
    h('div', null, `${commentTime(c.created_at)} ${c.source || ''}`.trim()),
    h('div', { class: 'opt woo-box-flex woo-box-alignCenter' }, [
      act.onDelete ? iconbed('woo-font--delete', '删除', act.onDelete) : null,
      iconbed('woo-font--comment', '评论', act.onReply),
      h('div', { class: 'woo-box-item-flex CommentItem_opt_1b1wA woo-box-flex woo-box-alignCenter woo-box-justifyCenter' },
        h('button', { class: `woo-like-main CommentItem_like_2sC9a${act.liked ? ' woo-like-liked' : ''}`, title: '赞', type: 'button', on: { click: act.onLike } }, [
          h('span', { class: 'woo-like-iconWrap' }, h('i', { class: 'woo-like-icon' })),
          h('span', { class: 'woo-like-count' }, count(likes)),
        ])),
    ]),
  ]);
}
