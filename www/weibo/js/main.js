// The replica's app: mounts on #app (marking it [data-v-app] as Vue 3 does),
// draws the frame (top bar, left nav, right column), routes between posts
// inside the page (history.pushState, like the real single-page app), and
// wires the comment area and the layers together.
//
// Routes: /  and  /<uid>/<bid>  (a post), /detail/<bid>, /u/<uid> and /n/<name>
// (a stub profile). Test hooks: window.__replica (see www/README.md); the
// extension must not rely on them, the real page has none.

import * as api from './api.js';
import { h, mount, patch } from './vdom.js';
import { avatar } from './views.js';
import { CommentArea } from './comments.js';
import { ChatPanel, PostComposer, ThreadLayer, confirmDialog, toast } from './layers.js';
import { commentTime, count, parseWeiboDate } from './format.js';

const DEFAULT_BID = 'Nabc123';
const ME = { idstr: '5012345678', screen_name: '蓝天航空', profile_image_url: '/weibo/img/avatar/brand.svg', verified: true, verified_type: 2 };
const OTHER_POSTS = [
  ['Nabc123', '【寒潮天气航班调整通知】受强寒潮及降雪天气影响…'],
  ['Nxyz789', '【双十二会员日】蓝天会员专享国内航线特惠机票…'],
  ['Nbig1000', '【有奖转评】说说你和蓝天航空的故事（1000条评论）'],
];
const HOT = ['哈尔滨暴雪', '寒潮来了', '航班取消怎么退票', '双十二攻略', '初雪', '东北人的冬天', '机场滞留', '年末出行'];

const sent = [];
const log = (entry) => sent.push({ ...entry, at: new Date().toISOString() });

let area = null;
let thread = null;
let ready = Promise.resolve();

const ctx = {
  toast,
  confirm: confirmDialog,
  log,
  openThread(root, a) {
    thread?.close();
    thread = new ThreadLayer(root, a, { toast, log, onClose: (t) => { if (thread === t) thread = null; } });
  },
};

const app = document.getElementById('app');
app.setAttribute('data-v-app', '');
// Vue 3 sets this on the root container in every build (devtools and telemetry).
app.__vue_app__ = { version: '3.5.13', config: { globalProperties: {} }, _uid: 0, _container: app, _component: { name: 'App' }, _props: null };

const post = new PostComposer({ toast, log });
const chat = new ChatPanel({ toast, log });

function navItem(text, icon, href, cur) {
  return h('a', { class: `Nav_item_1xrb5 woo-box-flex woo-box-alignCenter${cur ? ' Nav_cur_3ZBSz' : ''}`, href, title: text },
    [h('i', { class: `woo-font ${icon}` }), h('span', { class: 'Nav_label_2o8uM' }, text)]);
}

function frame() {
  return h('div', { class: 'woo-box-flex woo-box-column Frame_wrap_3g67Q' }, [
    h('div', { class: 'Frame_top_2ybWw' }, h('div', { class: 'woo-box-flex woo-box-alignCenter Nav_main_2WwWf' }, [
      h('a', { class: 'Nav_logoWrap_2fPbO', href: '/', 'aria-label': '微博首页' }, h('span', { class: 'Nav_logo_1xSd5' })),
      h('div', { class: 'woo-box-flex woo-box-alignCenter woo-input-wrap Ctrls_search_1AqZb' }, [
        h('i', { class: 'woo-font woo-font--search' }),
        h('input', { class: 'woo-input-main', type: 'search', placeholder: '搜索微博', 'aria-label': '搜索微博' }),
      ]),
      h('div', { class: 'woo-box-flex woo-box-alignCenter Nav_mid_2jDxK' }, [
        navItem('首页', 'woo-font--home', '/', true),
        navItem('视频', 'woo-font--video', '/', false),
        navItem('发现', 'woo-font--find', '/', false),
      ]),
      h('div', { class: 'woo-box-flex woo-box-alignCenter Nav_right_1xTyq' }, [
        h('a', { class: 'Nav_item_1xrb5 woo-box-flex woo-box-alignCenter', href: '#', title: '私信', role: 'button', on: { click: (e) => { e.preventDefault(); chat.toggle(); } } },
          [h('i', { class: 'woo-font woo-font--mail' }), h('span', { class: 'Nav_label_2o8uM' }, '私信')]),
        h('button', { class: 'woo-button-main woo-button-flat woo-button-primary woo-button-s woo-button-round Nav_post_3nE2H', type: 'button', title: '发微博', on: { click: () => post.toggle(true) } },
          h('span', { class: 'woo-button-wrap' }, [h('i', { class: 'woo-font woo-font--write' }), h('span', { class: 'woo-button-content' }, '发微博')])),
        h('div', { class: 'Nav_me_2Wq9o' }, avatar(ME, '1.875rem')),
      ]),
    ])),
    h('div', { class: 'Frame_content_3XrxZ woo-box-flex' }, [
      h('div', { class: 'Frame_side_1yMw0' }, h('div', { class: 'woo-panel-main Side_nav_2yFh1' }, [
        navItem('首页', 'woo-font--home', '/', false),
        navItem('热门微博', 'woo-font--hot', '/', false),
        navItem('我的微博', 'woo-font--user', `/u/${ME.idstr}`, false),
        navItem('评论', 'woo-font--comment', '/', true),
        h('a', { class: 'Nav_item_1xrb5 woo-box-flex woo-box-alignCenter', href: '#', role: 'button', on: { click: (e) => { e.preventDefault(); chat.toggle(true); } } },
          [h('i', { class: 'woo-font woo-font--mail' }), h('span', { class: 'Nav_label_2o8uM' }, '私信')]),
      ])),
      h('main', { class: 'Frame_main_3Z_V0', id: 'replica-main' }),
      h('aside', { class: 'Frame_side2_2rTgE' }, [
        h('div', { class: 'woo-panel-main Card_wrap_2ibWe' }, [
          h('div', { class: 'Card_title_1S8IX' }, `${ME.screen_name}的其他微博`),
          OTHER_POSTS.map(([bid, text]) => h('a', { key: bid, class: 'Card_item_3Zh1L', href: `/${ME.idstr}/${bid}` }, text)),
        ]),
        h('div', { class: 'woo-panel-main Card_wrap_2ibWe' }, [
          h('div', { class: 'Card_title_1S8IX' }, '微博热搜'),
          HOT.map((t, i) => h('div', { key: t, class: 'Card_hot_2XkQ0 woo-box-flex' }, [h('span', { class: `Card_rank_1nQ7c${i < 3 ? ' Card_top3_2hYzS' : ''}` }, String(i + 1)), h('span', null, `#${t}#`)])),
        ]),
        h('div', { class: 'Card_foot_3sK0r' }, '本页是 Kefu 测试用的微博页面副本，数据虚构'),
      ]),
    ]),
  ]);
}

app.appendChild(mount(frame()));
const main = document.getElementById('replica-main');

function postCard(s) {
  const u = s.user;
  const pic = s.pic_ids?.length ? s.pic_infos[s.pic_ids[0]].large.url : null;
  const full = new Date(parseWeiboDate(s.created_at) + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
  return h('article', { class: 'woo-panel-main woo-panel-top woo-panel-right woo-panel-bottom woo-panel-left Feed_wrap_3v9LH Feed_normal_12A98' }, [
    h('div', { class: 'Feed_body_3R0rO' }, [
      h('header', { class: 'woo-box-flex head_main_1WxVf' }, [
        avatar(u, '3.75rem'),
        h('div', { class: 'woo-box-item-flex head_main_3DRDm' }, [
          h('div', { class: 'woo-box-flex woo-box-alignCenter head_nick_1yix2' }, [
            h('a', { class: 'head_name_24eEB', href: `/u/${u.idstr}`, usercard: u.idstr }, h('span', { title: u.screen_name }, u.screen_name)),
            u.verified ? h('i', { class: 'woo-font woo-font--vblue head_v_2Xp1q', title: u.verified_reason || '微博官方认证' }) : null,
          ]),
          h('div', { class: 'woo-box-flex woo-box-alignCenter head-info_info_2AspQ' }, [
            h('a', { class: 'head-info_time_6sFQg', href: `/${u.idstr}/${s.mblogid}`, title: full }, commentTime(s.created_at)),
            h('div', { class: 'head-info_cut_1tPQI head-info_source_2zcEX' }, `来自 ${s.source}`),
            s.region_name ? h('div', { class: 'head-info_cut_1tPQI' }, s.region_name) : null,
          ]),
        ]),
      ]),
      h('div', { class: 'wbpro-feed-content' }, [
        h('div', { class: 'detail_text_1U10O detail_ogText_2Z1Q8 wbpro-feed-ogText' }, h('div', { class: 'detail_wbtext_4CRf9', html: s.text })),
        pic ? h('div', { class: 'picture_pic1_3vQ8B' }, h('img', { class: 'picture_focusImg_1z5In', src: pic, alt: '' })) : null,
      ]),
    ]),
    h('footer', { class: 'woo-box-flex toolbar_main_3Mxwo' }, [
      ['woo-font--retweet', '转发', s.reposts_count], ['woo-font--comment', '评论', s.comments_count], ['woo-font--like', '赞', s.attitudes_count],
    ].map(([icon, label, n]) => h('div', { class: 'woo-box-item-flex toolbar_item_1ky_D woo-box-flex woo-box-alignCenter woo-box-justifyCenter', title: label },
      [h('i', { class: `woo-font ${icon}` }), h('span', { class: 'toolbar_num_JXZul' }, count(n) || label)]))),
  ]);
}

function parseRoute(path) {
  let m;
  if (path === '/' || path === '') return { kind: 'post', bid: DEFAULT_BID };
  if ((m = /^\/\d+\/([A-Za-z0-9]+)\/?$/.exec(path)) || (m = /^\/detail\/([A-Za-z0-9]+)\/?$/.exec(path))) return { kind: 'post', bid: m[1] };
  if ((m = /^\/u\/(\d+)\/?$/.exec(path))) return { kind: 'user', who: m[1] };
  if ((m = /^\/n\/([^/]+)\/?$/.exec(path))) return { kind: 'user', who: decodeURIComponent(m[1]) };
  return { kind: 'missing' };
}

let seq = 0;
async function route() {
  const my = ++seq;
  thread?.close();
  area?.destroy();
  area = null;
  main.textContent = '';
  window.scrollTo(0, 0);
  const r = parseRoute(location.pathname);
  if (r.kind !== 'post') {
    document.title = '微博';
    main.appendChild(mount(h('div', { class: 'woo-panel-main Stub_box_1q2Zx' }, [
      h('p', null, r.kind === 'user' ? `用户 ${r.who} 的主页` : '页面不存在'),
      h('p', { class: 'Stub_note_3nB1p' }, '这个副本只复制了微博正文页和评论。'),
      h('a', { href: `/${ME.idstr}/${DEFAULT_BID}` }, '返回微博正文'),
    ])));
    return;
  }
  document.title = '微博正文 - 微博';
  const status = await api.getStatus(r.bid).catch(() => null);
  if (my !== seq) return;
  if (!status || status.ok !== 1) {
    main.appendChild(mount(h('div', { class: 'woo-panel-main Stub_box_1q2Zx' }, status?.msg || '微博不存在或暂无查看权限')));
    return;
  }
  main.appendChild(mount(postCard(status)));
  area = new CommentArea(main, { ...ctx, status });
  ready = area.loadMore();
}

function navigate(path) {
  if (path !== location.pathname + location.search) history.pushState({}, '', path);
  return route().then(() => ready);
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target === '_blank') return;
  const href = a.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('//')) return;
  const url = new URL(href, location.href);
  if (parseRoute(url.pathname).kind === 'missing') return;
  e.preventDefault();
  navigate(url.pathname + location.search);
});
window.addEventListener('popstate', () => route());

// Test hooks, for Playwright's page.evaluate only (the real page has none).
window.__replica = {
  sent,
  comments: () => (area ? area.items : []),
  whenReady: () => ready,
  loadMore: () => (area ? area.loadMore() : Promise.resolve(false)),
  isDone: () => !!area?.done,
  scrollToComment: (idstr) => !!area?.scrollTo(idstr),
  openReplyBox: (idstr) => {
    if (!area?.scrollTo(idstr)) return false;
    return area.openReply(idstr);
  },
  openThread: (idstr) => {
    const f = area?.find(idstr);
    if (!f) return false;
    ctx.openThread(f.root, area);
    return true;
  },
  openPostComposer: () => post.toggle(true),
  openChat: () => chat.toggle(true),
  navigate,
};

route();
