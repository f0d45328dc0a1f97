// The text boxes in which the logged-in account writes: comment, reply, post
// and private-message composers. One view function, several configurations.
//
// Like weibo.com's composer it keeps the draft in the app's state (a v-model):
// `input` events update the state, which enables the send button and the
// counter; the emoticon picker writes the state directly, with no `input`
// event, as a model update does. Sending reads `textarea.value`.

import { h } from './vdom.js';
import { weiboLength } from './format.js';

export const FACES = [
  ['微笑', 'weixiao'], ['哈哈', 'haha'], ['心', 'xin'], ['鲜花', 'xianhua'], ['赞', 'zan'],
  ['good', 'good'], ['抱抱', 'baobao'], ['加油', 'jiayou'], ['作揖', 'zuoyi'], ['泪', 'lei'],
  ['允悲', 'yunbei'], ['笑cry', 'xiaoku'], ['doge', 'doge'], ['二哈', 'erha'], ['怒', 'nu'],
  ['抓狂', 'zhuakuang'], ['费解', 'feijie'], ['委屈', 'weiqu'], ['吃瓜', 'chigua'], ['鼓掌', 'guzhang'],
];

/** State of one composer box: what the app keeps between renders. */
export function composerState() {
  return { draft: '', emoji: false, sending: false, refs: {} };
}

/**
 * @param {object} st composerState()
 * @param {{label: string, placeholder: string, taClass: string, limit: number,
 *   onSend: (text: string, st) => void, rerender: () => void,
 *   enterSends?: boolean, repost?: boolean, autofocus?: boolean, box?: string}} o
 */
export function composerView(st, o) {
  const len = weiboLength(st.draft);
  const over = len > o.limit;
  const send = () => {
    const ta = st.refs.textarea;
    const text = ta ? ta.value : st.draft;
    if (!text.trim() || st.sending) return;
    if (weiboLength(text) > o.limit) {
      o.toast?.(`内容不能超过${o.limit}字`);
      return;
    }
    o.onSend(text, st);
  };
  const keydown = (e) => {
    if (e.key !== 'Enter') return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      send();
    } else if (o.enterSends && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send();
    }
  };
  const insertFace = (name) => {
    const ta = st.refs.textarea;
    const token = `[${name}]`;
    if (ta) {
      const { selectionStart: a, selectionEnd: b } = ta;
      st.draft = ta.value.slice(0, a) + token + ta.value.slice(b);
      st.caret = a + token.length;
    } else {
      st.draft += token;
    }
    st.emoji = false;
    o.rerender();
  };
  const disabled = !st.draft.trim() || st.sending;
  return h('div', { class: `${o.box || 'Composer_mar1_ujs0j'} woo-box-flex woo-box-column` }, [
    h('div', { class: 'Composer_wrap_1xk4j' }, [
      h('textarea', {
        class: `${o.taClass} woo-input-main`,
        placeholder: o.placeholder,
        value: st.draft,
        'aria-label': o.placeholder,
        ref: (el) => {
          st.refs.textarea = el;
          if (st.caret != null) {
            el.focus();
            el.setSelectionRange(st.caret, st.caret);
            st.caret = null;
          }
          if (o.autofocus && !st.focused) {
            st.focused = true;
            requestAnimationFrame(() => el.focus());
          }
        },
        on: {
          input: (e) => {
            st.draft = e.target.value;
            o.rerender();
          },
          keydown,
        },
      }),
    ]),
    h('div', { class: 'woo-box-flex woo-box-alignCenter woo-box-justifyBetween Composer_foot_3hrmY' }, [
      h('div', { class: 'woo-box-flex woo-box-alignCenter' }, [
        h('div', { class: 'wbpro-iconbed woo-box-flex woo-box-alignCenter woo-box-justifyCenter Composer_icon_2b6dD', on: { click: () => { st.emoji = !st.emoji; o.rerender(); } } },
          h('i', { class: 'woo-font woo-font--emoji', title: '表情' })),
        o.repost === false ? null : h('label', { class: 'woo-checkbox-main woo-box-flex woo-box-alignCenter Composer_check_1nKVC' }, [
          h('input', { type: 'checkbox', class: 'woo-checkbox-input' }),
          h('span', { class: 'woo-checkbox-text' }, o.repostLabel || '同时转发'),
        ]),
      ]),
      h('div', { class: 'woo-box-flex woo-box-alignCenter' }, [
        len ? h('span', { class: `Composer_count_3nQK2${over ? ' Composer_over_1G8rw' : ''}` }, over ? `已超出${len - o.limit}字` : `${len}/${o.limit}`) : null,
        h('button', {
          class: `woo-button-main woo-button-flat woo-button-primary woo-button-m woo-button-round Composer_btn_2XFOD${disabled ? ' woo-button-disabled' : ''}`,
          disabled,
          type: 'button',
          on: { click: send },
        }, h('span', { class: 'woo-button-wrap' }, h('span', { class: 'woo-button-content' }, o.label))),
      ]),
    ]),
    st.emoji ? h('div', { class: 'woo-pop-main Composer_faces_2kq0C' },
      FACES.map(([name, file]) => h('img', {
        key: name, class: 'Composer_face_1dwWd', src: `/weibo/img/face/${file}.svg`, alt: `[${name}]`, title: `[${name}]`,
        on: { click: () => insertFace(name) },
      }))) : null,
  ]);
}
