// Weibo's text_raw → text (HTML), as the Weibo server does it.
//
// Owns: escaping, emoticons, @mentions, #topics# and short links, in the
// shapes weibo-dom.md describes. Used by the data build (tools/) and by the
// replica's routes (a posted comment comes back with its HTML), never by the
// page itself: like Weibo, the page only shows the `text` the server sent.

/** Emoticon name → image file under /weibo/img/face/. */
export const EMOTICONS = {
  '哈哈': 'haha', '笑cry': 'xiaoku', '心': 'xin', '鲜花': 'xianhua', '怒': 'nu',
  '抓狂': 'zhuakuang', '泪': 'lei', '赞': 'zan', 'good': 'good', '微笑': 'weixiao',
  'doge': 'doge', '二哈': 'erha', '允悲': 'yunbei', '费解': 'feijie', '委屈': 'weiqu',
  '吃瓜': 'chigua', '生病': 'shengbing', '拜拜': 'baibai', '加油': 'jiayou',
  '悲伤': 'beishang', '哼': 'heng', '汗': 'han', '吃惊': 'chijing', '鼓掌': 'guzhang',
  '抱抱': 'baobao', '太开心': 'taikaixin', '偷笑': 'touxiao', '可怜': 'kelian',
  '失望': 'shiwang', '蜡烛': 'lazhu', '给力': 'geili', 'ok': 'ok', '作揖': 'zuoyi',
  '伤心': 'shangxin', '晕': 'yun', '憧憬': 'chongjing',
};

const FACE_DIR = '/weibo/img/face/';

export function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// One pass over the escaped text, so that a replacement is never matched again.
// Link first (its path may hold '@'), then topic, mention, emoticon.
const TOKEN = /(https?:\/\/[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+)|(#[^#\s]{1,40}#)|(@[\u4e00-\u9fa5A-Za-z0-9_-]{1,30})|(\[[^\[\]\s]{1,8}\])/g;

/**
 * Turn plain comment text into Weibo's comment HTML.
 * Returns { text, url_struct } where url_struct lists the short links.
 */
export function formatText(raw) {
  const url_struct = [];
  const html = escapeHtml(raw).replace(TOKEN, (m, link, topic, mention, face) => {
    if (link) {
      const url = link.replace(/&amp;/g, '&');
      url_struct.push({ url_title: '网页链接', short_url: url, ori_url: url, long_url: url, url_type: 0, result: true });
      return `<a target="_blank" href="${escapeHtml(url)}"><img class="icon-link" src="/weibo/img/icon-link.svg" /><span class="surl-text">网页链接</span></a>`;
    }
    if (topic) {
      const q = encodeURIComponent(topic);
      return `<a href="//s.weibo.com/weibo?q=${q}" target="_blank">${topic}</a>`;
    }
    if (mention) {
      const name = mention.slice(1);
      return `<a href=/n/${name} usercard="name=${name}">${mention}</a>`;
    }
    const file = EMOTICONS[face.slice(1, -1)];
    if (!file) return face;
    return `<img alt=${face} title=${face} src=${FACE_DIR}${file}.svg />`;
  });
  return { text: html, url_struct };
}

/** Weibo's length: ASCII 1, other 2, halved and rounded up; a link counts 10 (20 halves). */
export function weiboLength(s) {
  let halves = 0;
  const rest = s.replace(/https?:\/\/[^\s\u4e00-\u9fa5]+/g, () => { halves += 20; return ''; });
  for (const ch of rest) halves += ch.codePointAt(0) < 128 ? 1 : 2;
  return Math.ceil(halves / 2);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n) => String(n).padStart(2, '0');

/** A time in ms → Weibo's created_at, always in +0800: "Sat Nov 28 11:52:03 +0800 2026". */
export function weiboDate(ms) {
  const d = new Date(ms + 8 * 3600e3); // read the UTC fields as Beijing time
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0800 ${d.getUTCFullYear()}`;
}
