// Everything that floats over the page: toasts, the confirm dialog, the reply
// thread layer ([class*="_scroll3_"]), the post composer (发微博) and the
// private-message panel (私信).
//
// Each layer renders with the same vdom as the list, so that its text boxes
// behave like the list's (state kept by the app, patched in place).

import * as api from './api.js';
import { h, mount, patch } from './vdom.js';
import { avatar, info, textLine } from './views.js';
import { composerState, composerView } from './composer.js';
import { COMMENT_LIMIT } from './format.js';

/** A little mounted vdom tree, re-rendered on demand. */
class Mounted {
  constructor(parent, view) {
    this.view = view;
    this.vnode = view();
    parent.appendChild(mount(this.vnode));
  }
  render() {
    const v = this.view();
    patch(this.vnode, v);
    this.vnode = v;
  }
  get el() { return this.vnode.el; }
  remove() { this.vnode.el.remove(); }
}

export function toast(text) {
  const el = document.createElement('div');
  el.className = 'woo-toast-main woo-toast--center';
  el.setAttribute('role', 'status');
  el.textContent = text;
  document.body.appendChild(el);
  setTimeout(() => el.remove(), 2000);
}

export function confirmDialog(text) {
  return new Promise((resolve) => {
    let m;
    const done = (ok) => {
      m.remove();
      resolve(ok);
    };
    m = new Mounted(document.body, () => h('div', { class: 'woo-modal-wrap' }, [
      h('div', { class: 'woo-modal-main woo-dialog-main', role: 'alertdialog', 'aria-label': text }, [
        h('div', { class: 'woo-dialog-title' }, '提示'),
        h('div', { class: 'woo-dialog-body' }, text),
        h('div', { class: 'woo-dialog-ctrl woo-box-flex woo-box-justifyCenter' }, [
          h('button', { class: 'woo-button-main woo-button-line woo-button-default woo-button-m woo-button-round', type: 'button', on: { click: () => done(false) } }, h('span', { class: 'woo-button-wrap' }, h('span', { class: 'woo-button-content' }, '取消'))),
          h('button', { class: 'woo-button-main woo-button-flat woo-button-primary woo-button-m woo-button-round', type: 'button', on: { click: () => done(true) } }, h('span', { class: 'woo-button-wrap' }, h('span', { class: 'woo-button-content' }, '确定'))),
        ]),
      ]),
    ]));
  });
}

/**
 * The thread of one comment (楼中楼): the root, its replies loaded page by
 * page (fetch_level=1), and a reply box at the foot.
 */
export class ThreadLayer {
  constructor(root, area, ctx) {
    this.root = root;
    this.area = area; // the list, to keep the row in step
    this.ctx = ctx;
    this.replies = [];
    this.maxId = 0;
    this.done = false;
    this.loading = false;
    this.target = root;
    this.box = composerState();
    this.liked = new Set();
    this.onKey = (e) => { if (e.key === 'Escape') this.close(); };
    document.addEventListener('keydown', this.onKey);
    this.m = new Mounted(document.body, () => this.view());
    this.unlisten = () => area.listeners.delete(this.onAreaChange);
    this.onAreaChange = (ev) => {
      if (ev && ev.root === this.root && !this.replies.some((r) => r.idstr === ev.reply.idstr)) {
        this.replies.push(ev.reply);
        this.m.render();
      }
    };
    area.listeners.add(this.onAreaChange);
    this.loadMore();
  }

  close() {
    document.removeEventListener('keydown', this.onKey);
    this.unlisten();
    this.m.remove();
    this.ctx.onClose?.(this);
  }

  async loadMore() {
    if (this.loading || this.done) return;
    this.loading = true;
    this.m.render();
    try {
      const r = await api.getReplies(this.root.idstr, this.area.status.user.idstr, this.maxId);
      const have = new Set(this.replies.map((x) => x.idstr));
      this.replies.push(...(r.data || []).filter((x) => !have.has(x.idstr)));
      this.maxId = r.max_id;
      this.done = !r.max_id;
    } catch {
      this.ctx.toast('加载失败');
      this.done = true;
    } finally {
      this.loading = false;
      this.m.render();
    }
  }

  actions(c) {
    return {
      liked: this.liked.has(c.idstr),
      onReply: () => {
        this.target = c;
        this.box.focused = false;
        this.m.render();
        this.box.refs.textarea?.focus();
      },
      onLike: () => {
        if (this.liked.has(c.idstr)) this.liked.delete(c.idstr);
        else this.liked.add(c.idstr);
        this.m.render();
      },
    };
  }

  async send(text) {
    this.box.sending = true;
    this.m.render();
    try {
      const r = await api.replyComment(this.area.status.idstr, this.target.idstr, text);
      if (r.ok !== 1) {
        this.ctx.toast(r.msg || '回复失败');
        return;
      }
      this.box.draft = '';
      this.ctx.log({ kind: 'reply', text, id: r.data.idstr, cid: this.target.idstr, rootid: this.root.idstr, mid: this.area.status.idstr, where: 'layer' });
      this.replies.push(r.data);
      this.area.addReply(this.root, r.data);
      this.target = this.root;
      this.ctx.toast('回复成功');
    } catch {
      this.ctx.toast('网络错误，请稍后重试');
    } finally {
      this.box.sending = false;
      this.m.render();
    }
  }

  view() {
    const root = this.root;
    return h('div', { class: 'woo-modal-wrap', on: { click: (e) => { if (e.target === e.currentTarget) this.close(); } } }, [
      h('div', { class: 'woo-modal-main ReplyLayer_main_2pQfF', role: 'dialog', 'aria-label': '评论详情' }, [
        h('div', { class: 'woo-panel-main ReplyLayer_panel_1vYx4 woo-box-flex woo-box-column' }, [
          h('div', { class: 'woo-box-flex woo-box-alignCenter woo-box-justifyBetween ReplyLayer_head_3r1hT' }, [
            h('div', { class: 'ReplyLayer_title_2bX1d' }, '评论详情'),
            h('div', { class: 'wbpro-iconbed woo-box-flex woo-box-alignCenter woo-box-justifyCenter', role: 'button', tabindex: '0', on: { click: () => this.close() } }, h('i', { class: 'woo-font woo-font--cross', title: '关闭' })),
          ]),
          h('div', {
            class: '_scroll3_x7k2p ReplyLayer_scroll_1Cf3q',
            on: { scroll: (e) => { const t = e.currentTarget; if (t.scrollTop + t.clientHeight > t.scrollHeight - 60) this.loadMore(); } },
          }, [
            h('div', { class: 'item1' }, h('div', { class: 'item1in woo-box-flex' }, [
              h('div', { class: 'CommentItem_face_2r5Ly' }, avatar(root.user)),
              h('div', { class: 'con1 woo-box-item-flex' }, [textLine(root), info(root, this.actions(root))]),
            ])),
            h('div', { class: 'ReplyLayer_count_3xQ8z' }, `${this.replies.length ? Math.max(this.replies.length, root.total_number) : root.total_number}条回复`),
            h('div', { class: 'list2 ReplyLayer_list_1rTd0' }, this.replies.map((r) => h('div', { class: 'item2', key: r.idstr }, [
              h('div', { class: 'con2 woo-box-column' }, [textLine(r), info(r, this.actions(r))]),
            ]))),
            h('div', { class: 'Bottom_box_2H8Cv woo-box-flex woo-box-justifyCenter' },
              this.loading ? h('span', { class: 'Bottom_text_1kFLe' }, '加载中…')
                : this.done ? h('span', { class: 'Bottom_text_1kFLe' }, '没有更多回复了')
                  : h('a', { class: 'Bottom_more_3Ge8q', href: '#', role: 'button', on: { click: (e) => { e.preventDefault(); this.loadMore(); } } }, '加载更多')),
          ]),
          h('div', { class: 'ReplyLayer_foot_1QyV4' }, composerView(this.box, {
            label: '回复', placeholder: `回复@${this.target.user.screen_name}:`, taClass: '_input_1fox3', limit: COMMENT_LIMIT,
            toast: this.ctx.toast, autofocus: true, repostLabel: '同时转发到我的微博',
            rerender: () => this.m.render(), onSend: (text) => this.send(text),
          })),
        ]),
      ]),
    ]);
  }
}

/** 发微博: the post composer, in a modal as weibo.com opens it from the top bar. */
export class PostComposer {
  constructor(ctx) {
    this.ctx = ctx;
    this.box = composerState();
    this.open = false;
    this.m = new Mounted(document.body, () => this.view());
    this.onKey = (e) => { if (e.key === 'Escape' && this.open) this.toggle(false); };
    document.addEventListener('keydown', this.onKey);
  }

  toggle(on = !this.open) {
    this.open = on;
    this.box.focused = false;
    this.m.render();
  }

  async send(text) {
    this.box.sending = true;
    this.m.render();
    try {
      const r = await api.createStatus(text);
      if (r.ok !== 1) {
        this.ctx.toast(r.msg || '发布失败');
        return;
      }
      this.box.draft = '';
      this.ctx.log({ kind: 'status', text, id: r.data.idstr });
      this.ctx.toast('发布成功');
      this.open = false;
    } catch {
      this.ctx.toast('网络错误，请稍后重试');
    } finally {
      this.box.sending = false;
      this.m.render();
    }
  }

  view() {
    if (!this.open) return h('div', { class: 'PostLayer_hidden_1aA2b', hidden: true });
    return h('div', { class: 'woo-modal-wrap', on: { click: (e) => { if (e.target === e.currentTarget) this.toggle(false); } } }, [
      h('div', { class: 'woo-modal-main PostLayer_main_3dXk2', role: 'dialog', 'aria-label': '发微博' }, [
        h('div', { class: 'woo-panel-main PostLayer_panel_2Lz0p' }, [
          h('div', { class: 'woo-box-flex woo-box-alignCenter woo-box-justifyBetween ReplyLayer_head_3r1hT' }, [
            h('div', { class: 'ReplyLayer_title_2bX1d' }, '发微博'),
            h('div', { class: 'wbpro-iconbed woo-box-flex woo-box-alignCenter woo-box-justifyCenter', role: 'button', tabindex: '0', on: { click: () => this.toggle(false) } }, h('i', { class: 'woo-font woo-font--cross', title: '关闭' })),
          ]),
          composerView(this.box, {
            label: '发送', placeholder: '有什么新鲜事想分享给大家？', taClass: 'Form_input_3JT2Q', limit: 2000,
            box: 'Form_wbox_1Lp2n', toast: this.ctx.toast, autofocus: true, repost: false,
            rerender: () => this.m.render(), onSend: (text) => this.send(text),
          }),
        ]),
      ]),
    ]);
  }
}

const CONTACTS = [
  { uid: '5830051262', name: '雪落无声1990', avatar: '/weibo/img/avatar/a3.svg', messages: [
    { me: false, text: '你好，我是评论里护照落在BL8521上的那位，姓名张雪，座位32C' },
    { me: true, text: '亲，收到！已经转给首都机场的同事了，有消息第一时间告诉您[心]' },
    { me: false, text: '好的谢谢，我明早7点的航班' },
  ] },
  { uid: '6120779815', name: '孩子妈妈Lily', avatar: '/weibo/img/avatar/a7.svg', messages: [
    { me: false, text: '行李牌号BL326601，孩子的药在里面，麻烦快一点' },
  ] },
];

/** 私信: a small chat window. Enter sends (not while an input method is composing). */
export class ChatPanel {
  constructor(ctx) {
    this.ctx = ctx;
    this.open = false;
    this.current = 0;
    this.boxes = CONTACTS.map(() => composerState());
    this.m = new Mounted(document.body, () => this.view());
  }

  toggle(on = !this.open) {
    this.open = on;
    this.m.render();
  }

  async send(text) {
    const c = CONTACTS[this.current];
    const box = this.boxes[this.current];
    box.sending = true;
    this.m.render();
    try {
      const r = await api.sendMessage(c.uid, text);
      if (r.ok !== 1) {
        this.ctx.toast(r.msg || '发送失败');
        return;
      }
      c.messages.push({ me: true, text });
      box.draft = '';
      this.ctx.log({ kind: 'message', text, id: r.data.idstr, uid: c.uid });
    } catch {
      this.ctx.toast('网络错误，请稍后重试');
    } finally {
      box.sending = false;
      this.m.render();
      const list = this.m.el.querySelector('.Chat_msgs_2Fv8q');
      if (list) list.scrollTop = list.scrollHeight;
    }
  }

  view() {
    if (!this.open) return h('div', { class: 'Chat_hidden_3Bq1x', hidden: true });
    const c = CONTACTS[this.current];
    return h('div', { class: 'woo-panel-main Chat_main_1pR7v woo-box-flex', role: 'dialog', 'aria-label': '私信' }, [
      h('div', { class: 'Chat_side_2m3Ts' }, [
        h('div', { class: 'Chat_title_3sWq0' }, '私信'),
        CONTACTS.map((x, i) => h('div', {
          key: x.uid, class: `Chat_contact_1Xh2e woo-box-flex woo-box-alignCenter${i === this.current ? ' Chat_cur_2Uo9b' : ''}`, role: 'button', tabindex: '0',
          on: { click: () => { this.current = i; this.m.render(); } },
        }, [h('img', { class: 'Chat_face_3hQ2s', src: x.avatar, alt: '' }), h('span', null, x.name)])),
      ]),
      h('div', { class: 'Chat_body_1ZkCw woo-box-item-flex woo-box-flex woo-box-column' }, [
        h('div', { class: 'woo-box-flex woo-box-alignCenter woo-box-justifyBetween Chat_head_2x9Qd' }, [
          h('span', null, c.name),
          h('div', { class: 'wbpro-iconbed woo-box-flex woo-box-alignCenter woo-box-justifyCenter', role: 'button', tabindex: '0', on: { click: () => this.toggle(false) } }, h('i', { class: 'woo-font woo-font--cross', title: '关闭' })),
        ]),
        h('div', { class: 'Chat_msgs_2Fv8q' }, c.messages.map((msg, i) => h('div', { key: `${c.uid}-${i}`, class: `Chat_msg_1r2Kd${msg.me ? ' Chat_me_3pL0s' : ''}` }, h('span', { class: 'Chat_bubble_2bN4c' }, msg.text)))),
        composerView(this.boxes[this.current], {
          label: '发送', placeholder: '请输入私信内容，按Enter发送', taClass: 'Chat_input_1vZ9r', limit: 1000,
          box: 'Chat_editor_1uPq3', toast: this.ctx.toast, enterSends: true, repost: false,
          rerender: () => this.m.render(), onSend: (text) => this.send(text),
        }),
      ]),
    ]);
  }
}
