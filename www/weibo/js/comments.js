// The comment area of a post: tabs, the comment composer, the virtual list of
// comments, inline reply boxes, "load more".
//
// Owns the comments loaded so far (the page's state, as the Vue store would
// keep it) and every action on them. The look of one comment is views.js; the
// scrolling is scroller.js; the thread layer is layers.js.

import * as api from './api.js';
import { h, mount, patch } from './vdom.js';
import { avatar, info, textLine } from './views.js';
import { composerState, composerView } from './composer.js';
import { COMMENT_LIMIT, count } from './format.js';
import { RecycleScroller } from './scroller.js';

const params = new URLSearchParams(location.search);
const AUTOLOAD = params.get('replica-autoload') !== '0';

export class CommentArea {
  /**
   * @param {HTMLElement} host
   * @param {{status: object, toast: (s) => void, confirm: (s) => Promise<boolean>,
   *   openThread: (root, area) => void, log: (entry) => void}} ctx
   */
  constructor(host, ctx) {
    this.ctx = ctx;
    this.status = ctx.status;
    this.items = [];
    this.maxId = 0;
    this.loading = false;
    this.done = false;
    this.error = null;
    this.liked = new Set();
    this.replyOpen = new Map(); // root idstr → target comment (root or reply)
    this.boxes = new Map(); // target idstr | 'top' → composerState
    this.listeners = new Set();

    this.el = document.createElement('div');
    this.el.className = 'woo-panel-main woo-panel-top woo-panel-right woo-panel-bottom woo-panel-left Detail_box_3Jeom';
    host.appendChild(this.el);
    this.headVnode = this.headView();
    this.el.appendChild(mount(this.headVnode));
    const list = document.createElement('div');
    list.className = 'wbpro-list';
    this.headVnode.el.querySelector('.RepostCommentList_mar1_3VHkS').appendChild(list);
    this.scroller = new RecycleScroller(list, {
      keyOf: (c) => c.idstr,
      estimate: (c) => this.estimate(c),
      renderItem: (c) => this.row(c),
      onNearEnd: () => { if (AUTOLOAD && !this.loading && !this.done && !this.error) this.loadMore(); },
    });
    this.bottomHost = document.createElement('div');
    list.after(this.bottomHost);
    this.bottomVnode = h('div', {});
    this.bottomHost.appendChild(mount(this.bottomVnode));
    this.renderBottom();
  }

  destroy() {
    this.scroller.destroy();
    this.el.remove();
  }

  // ---- data -------------------------------------------------------------

  /** Fetch the next page (max_id paging). Resolves when it is rendered. */
  loadMore() {
    if (this.done) return Promise.resolve(false);
    if (this.pending) return this.pending;
    this.loading = true;
    this.error = null;
    this.renderBottom();
    this.pending = api.getComments(this.status.idstr, this.status.user.idstr, this.maxId)
      .then((r) => {
        if (r.ok !== 1) throw new Error(r.msg || 'load failed');
        const have = new Set(this.items.map((c) => c.idstr));
        this.items.push(...r.data.filter((c) => !have.has(c.idstr)));
        this.maxId = r.max_id;
        this.done = !r.max_id;
        this.total = r.total_number;
        return true;
      })
      .catch((e) => {
        this.error = String(e.message || e);
        return false;
      })
      .finally(() => {
        this.loading = false;
        this.pending = null;
        this.scroller.setItems(this.items);
        this.renderBottom();
        this.renderHead();
        for (const f of this.listeners) f();
      });
    return this.pending;
  }

  find(idstr) {
    for (const c of this.items) {
      if (c.idstr === idstr) return { root: c, c };
      const r = (c.comments || []).find((x) => x.idstr === idstr);
      if (r) return { root: c, c: r };
    }
    return null;
  }

  estimate(c) {
    const lines = (t) => Math.max(1, Math.ceil((t.text_raw || '').length / 36));
    let hgt = 64 + 22 * lines(c);
    for (const r of c.comments || []) hgt += 34 + 20 * lines(r);
    if (c.total_number > (c.comments || []).length) hgt += 28;
    if (this.replyOpen.has(c.idstr)) hgt += 120;
    return hgt;
  }

  // ---- views ------------------------------------------------------------

  headView() {
    const s = this.status;
    return h('div', { class: 'RepostCommentFeed_mar1_2l0Nt' }, [
      h('div', { class: 'woo-box-flex woo-box-alignCenter RepostCommentFeed_tabs_1T5yH', role: 'tablist' }, [
        h('div', { class: 'RepostCommentFeed_tab_3Gv8L', role: 'tab' }, `转发 ${count(s.reposts_count)}`),
        h('div', { class: 'RepostCommentFeed_tab_3Gv8L RepostCommentFeed_cur_2yN4Y', role: 'tab', 'aria-selected': 'true' }, `评论 ${count(this.total ?? s.comments_count)}`),
        h('div', { class: 'RepostCommentFeed_tab_3Gv8L', role: 'tab' }, `赞 ${count(s.attitudes_count)}`),
      ]),
      h('div', { class: 'RepostCommentList_mar1_3VHkS' }, [
        h('div', { class: 'RepostCommentList_composer_2xQzL woo-box-flex' }, [
          avatar(s.user, '2.125rem'),
          h('div', { class: 'woo-box-item-flex' }, this.topComposer()),
        ]),
        h('div', { class: 'woo-box-flex woo-box-alignCenter RepostCommentList_sort_1fYtz' }, [
          h('span', { class: 'RepostCommentList_sortItem_3HK5y' }, '按热度'),
          h('span', { class: 'RepostCommentList_sortItem_3HK5y RepostCommentList_sortCur_1v2Cx' }, '按时间'),
        ]),
      ]),
    ]);
  }

  renderHead() {
    const v = this.headView();
    patch(this.headVnode, v);
    this.headVnode = v;
  }

  box(key) {
    if (!this.boxes.has(key)) this.boxes.set(key, composerState());
    return this.boxes.get(key);
  }

  topComposer() {
    const st = this.box('top');
    return composerView(st, {
      label: '评论', placeholder: '发布你的评论', taClass: '_input_1fox3', limit: COMMENT_LIMIT,
      toast: this.ctx.toast, rerender: () => this.renderHead(),
      onSend: (text) => this.sendComment(text, st),
    });
  }

  row(c) {
    const target = this.replyOpen.get(c.idstr);
    const replies = c.comments || [];
    return h('div', { class: 'item1' }, [
      h('div', { class: 'item1in woo-box-flex' }, [
        h('div', { class: 'CommentItem_face_2r5Ly' }, avatar(c.user)),
        h('div', { class: 'con1 woo-box-item-flex' }, [
          textLine(c),
          info(c, this.actions(c, c)),
          target && target.idstr === c.idstr ? this.replyBox(c, c) : null,
          replies.length || c.total_number ? h('div', { class: 'list2' }, [
            replies.map((r) => h('div', { class: 'item2', key: r.idstr }, [
              h('div', { class: 'con2 woo-box-column' }, [
                textLine(r),
                info(r, this.actions(c, r)),
                target && target.idstr === r.idstr ? this.replyBox(c, r) : null,
              ]),
            ])),
            c.total_number > replies.length ? h('div', { class: 'CommentItem_more_1lZpI woo-box-flex woo-box-alignCenter', key: 'more' },
              h('a', { class: 'CommentItem_moreLink_2d8Jz', href: '#', role: 'button', on: { click: (e) => { e.preventDefault(); this.ctx.openThread(c, this); } } }, [
                `共${c.total_number}条回复`, h('i', { class: 'woo-font woo-font--angleRight' }),
              ])) : null,
          ]) : null,
        ]),
      ]),
    ]);
  }

  actions(root, c) {
    return {
      liked: this.liked.has(c.idstr),
      onReply: () => this.toggleReply(root, c),
      onDelete: () => this.remove(root, c),
      onLike: () => {
        if (this.liked.has(c.idstr)) this.liked.delete(c.idstr);
        else this.liked.add(c.idstr);
        this.scroller.refresh(root.idstr);
      },
    };
  }

  replyBox(root, target) {
    const st = this.box(target.idstr);
    return h('div', { class: 'CommentItem_reply_3Ej2m', key: `reply-${target.idstr}` }, composerView(st, {
      label: '回复', placeholder: `回复@${target.user.screen_name}:`, taClass: '_input_1fox3', limit: COMMENT_LIMIT,
      toast: this.ctx.toast, autofocus: true, repostLabel: '同时转发到我的微博',
      rerender: () => this.scroller.refresh(root.idstr),
      onSend: (text) => this.sendReply(root, target, text, st),
    }));
  }

  renderBottom() {
    let v;
    if (this.loading) v = h('div', { class: 'Bottom_box_2H8Cv woo-box-flex woo-box-justifyCenter woo-box-alignCenter' }, [h('i', { class: 'woo-spinner-main' }), h('span', { class: 'Bottom_text_1kFLe' }, '加载中…')]);
    else if (this.error) v = h('div', { class: 'Bottom_box_2H8Cv woo-box-flex woo-box-justifyCenter' }, h('a', { class: 'Bottom_more_3Ge8q', href: '#', role: 'button', on: { click: (e) => { e.preventDefault(); this.loadMore(); } } }, '加载失败，点击重试'));
    else if (this.done) v = h('div', { class: 'Bottom_box_2H8Cv woo-box-flex woo-box-justifyCenter' }, h('span', { class: 'Bottom_text_1kFLe' }, this.items.length ? '没有更多内容了' : '还没有人评论哦~'));
    else v = h('div', { class: 'Bottom_box_2H8Cv woo-box-flex woo-box-justifyCenter' }, h('a', { class: 'Bottom_more_3Ge8q', href: '#', role: 'button', on: { click: (e) => { e.preventDefault(); this.loadMore(); } } }, '加载更多'));
    patch(this.bottomVnode, v);
    this.bottomVnode = v;
  }

  // ---- actions ----------------------------------------------------------

  /** Open (or close) the reply box of a comment or a reply, by id. */
  openReply(idstr) {
    const f = this.find(idstr);
    if (!f) return false;
    if (this.replyOpen.get(f.root.idstr)?.idstr !== idstr) this.toggleReply(f.root, f.c);
    return true;
  }

  toggleReply(root, c) {
    const cur = this.replyOpen.get(root.idstr);
    if (cur && cur.idstr === c.idstr) {
      this.replyOpen.delete(root.idstr);
    } else {
      this.replyOpen.set(root.idstr, c);
      this.box(c.idstr).focused = false;
    }
    this.scroller.refresh(root.idstr);
  }

  async sendComment(text, st) {
    st.sending = true;
    this.renderHead();
    try {
      const r = await api.createComment(this.status.idstr, text);
      if (r.ok !== 1) {
        this.ctx.toast(r.msg || '评论失败');
        return;
      }
      this.items.unshift(r.data);
      this.total = (this.total ?? this.status.comments_count) + 1;
      st.draft = '';
      this.ctx.log({ kind: 'comment', text, id: r.data.idstr, mid: this.status.idstr });
      this.ctx.toast('评论成功');
      this.scroller.setItems(this.items);
    } catch {
      this.ctx.toast('网络错误，请稍后重试');
    } finally {
      st.sending = false;
      this.renderHead();
    }
  }

  /** Post a reply to `target` (a top-level comment or one of its replies). */
  async sendReply(root, target, text, st) {
    st.sending = true;
    this.scroller.refresh(root.idstr);
    try {
      const r = await api.replyComment(this.status.idstr, target.idstr, text);
      if (r.ok !== 1) {
        this.ctx.toast(r.msg || '回复失败');
        return r;
      }
      this.addReply(root, r.data);
      st.draft = '';
      this.ctx.log({ kind: 'reply', text, id: r.data.idstr, cid: target.idstr, rootid: root.idstr, mid: this.status.idstr });
      this.ctx.toast('回复成功');
      return r;
    } catch {
      this.ctx.toast('网络错误，请稍后重试');
      return null;
    } finally {
      st.sending = false;
      this.scroller.refresh(root.idstr);
    }
  }

  addReply(root, reply) {
    root.comments = [...(root.comments || []), reply];
    root.total_number = (root.total_number || 0) + 1;
    this.total = (this.total ?? this.status.comments_count) + 1;
    this.scroller.refresh(root.idstr);
    this.renderHead();
    for (const f of this.listeners) f({ reply, root });
  }

  async remove(root, c) {
    if (!(await this.ctx.confirm('确定要删除该评论吗？'))) return;
    const r = await api.destroyComment(c.idstr);
    if (r.ok !== 1) {
      this.ctx.toast(r.msg || '删除失败');
      return;
    }
    if (root === c) {
      this.items = this.items.filter((x) => x !== c);
      this.replyOpen.delete(c.idstr);
      this.scroller.setItems(this.items);
    } else {
      root.comments = root.comments.filter((x) => x !== c);
      root.total_number = Math.max(0, root.total_number - 1);
      if (this.replyOpen.get(root.idstr) === c) this.replyOpen.delete(root.idstr);
      this.scroller.refresh(root.idstr);
    }
    this.ctx.log({ kind: 'delete', id: c.idstr });
    this.ctx.toast('删除成功');
  }

  /** Scroll the list so that the comment (or the comment holding a reply) shows. */
  scrollTo(idstr) {
    const f = this.find(idstr);
    if (!f) return false;
    this.scroller.scrollToIndex(this.items.indexOf(f.root));
    return true;
  }
}
