// Words on Kefu's own pages (options, popup): zh_CN first, English through
// _locales. Every element with data-i18n gets its message as textContent
// (data-i18n-placeholder / data-i18n-title for those attributes); the
// Chinese in the HTML is the fallback.

export const api = globalThis.browser ?? globalThis.chrome;

/** The message `key`, or `fallback` when the locale lacks it. */
export function t(key, fallback, subs) {
  return api.i18n.getMessage(key, subs) || fallback;
}

export function localize(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, el.textContent);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder, el.placeholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle, el.title);
  document.documentElement.lang = api.i18n.getUILanguage().startsWith('zh') ? 'zh-CN' : 'en';
}

export const CATEGORIES = ['safety', 'complaint', 'question', 'suggestion', 'praise', 'chatter', 'spam'];
export const URGENCIES = ['critical', 'high', 'normal', 'low', 'noise'];

const CATEGORY_ZH = {
  safety: '安全', complaint: '投诉', question: '提问', suggestion: '建议',
  praise: '表扬', chatter: '闲聊', spam: '广告',
};
const URGENCY_ZH = { critical: '紧急', high: '优先', normal: '一般', low: '较低', noise: '忽略' };

export const categoryWord = (c) => t(`category_${c}`, CATEGORY_ZH[c] ?? c);
export const urgencyWord = (u) => t(`urgency_${u}`, URGENCY_ZH[u] ?? u);

/** Sends a named message to the background; an `{error}` answer throws. */
export async function ask(type, payload = {}) {
  const answer = await api.runtime.sendMessage({ type, ...payload });
  if (!answer) throw new Error(t('noBackground', 'Kefu 后台没有响应'));
  if (answer.error) throw new Error(answer.error);
  return answer;
}

/** An element with text (never HTML), an optional class and attributes. */
export function el(tag, text, cls, attrs) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = String(text);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  return e;
}

/** A date and time in the user's locale, or a dash. */
export function when(ms) {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(api.i18n.getUILanguage(), { dateStyle: 'short', timeStyle: 'short' });
}
