// Words on Kefu's own pages (options, popup): in Kefu's language, the
// setting `language` (zh_CN by default, en, or 'browser': the browser's UI
// language), the same the page on weibo.com speaks, so that every word of a
// page is in one language. Every element with data-i18n gets its message as
// textContent (data-i18n-placeholder / data-i18n-title for those
// attributes); the Chinese in the HTML is the fallback.

export const api = globalThis.browser ?? globalThis.chrome;

/** The locale chosen in the settings ('zh_CN' or 'en'), or the browser's. */
async function chosenLocale() {
  const { settings } = await api.storage.local.get('settings').catch(() => ({}));
  const language = settings?.language ?? 'zh_CN';
  if (language === 'zh_CN' || language === 'en') return language;
  return api.i18n.getUILanguage().startsWith('zh') ? 'zh_CN' : 'en';
}
export const locale = await chosenLocale();
/** That locale's messages (getMessage would speak the browser's language). */
const table = await fetch(api.runtime.getURL(`_locales/${locale}/messages.json`))
  .then((r) => r.json()).catch(() => null);

/** The message `key` with $1… from `subs`, or `fallback` when the locale lacks it. */
export function t(key, fallback, subs = []) {
  const m = table ? table[key]?.message : api.i18n.getMessage(key, subs);
  if (!m) return fallback;
  return m.replace(/\$(\d)/g, (_, n) => String(subs[n - 1] ?? ''));
}
/** The BCP 47 tag of that language (lang attributes, dates). */
export const langTag = locale === 'zh_CN' ? 'zh-CN' : 'en';

export function localize(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n, el.textContent);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder, el.placeholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle, el.title);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel, el.getAttribute('aria-label')));
  document.documentElement.lang = langTag;
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

/** A date and time (ms or ISO text) in local time, in Kefu's language, or a dash. */
export function when(at) {
  const d = at ? new Date(at) : null;
  if (!d || Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(langTag, { dateStyle: 'short', timeStyle: 'short' });
}
