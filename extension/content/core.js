// Shared by Kefu's content scripts (they share one isolated world and load
// in the manifest's order: selectors, core, comments, guard, queue, content).
// Owns: the message channel to the background, the team's settings as the
// content scripts see them, the UI words (every string the page shows comes
// from _locales through `t`), and small DOM helpers. Nothing here knows about a particular feature.

(() => {
  'use strict';

  const api = globalThis.browser ?? globalThis.chrome;

  /** Sends a named message to the background; rejects on an engine error. */
  async function ask(type, payload) {
    const answer = await api.runtime.sendMessage({ type, ...payload });
    if (!answer) throw new Error('no answer from the Kefu background');
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  /** Tells the background something; never throws. */
  function tell(type, payload) {
    api.runtime.sendMessage({ type, ...payload }).catch(() => {});
  }

  // The settings the content scripts obey, with sensible defaults until a
  // team lead changes them (storage.local `settings`, written by the options
  // page; `targets` in minutes per urgency).
  const DEFAULTS = {
    triageOn: true,
    guardOn: true,
    guardMode: 'block', // or 'warn': a block is shown but the send may go on
    allowOverride: true,
    confirmWarn: false,
    dimNoise: true,
    targets: { critical: 15, high: 60, normal: 240, low: 1440 },
    cannedReplies: {
      complaint: ['@{name} 您好，给您添麻烦了，非常抱歉！我们已经记录并加急处理，稍后私信您进展，请留意私信哦。'],
      question: ['@{name} 您好，感谢关注！关于您的问题，麻烦私信我们订单号，我们马上为您查询哦。'],
      safety: ['@{name} 您好，您的情况我们非常重视，已第一时间转交专人处理，请保持电话畅通，我们马上联系您！'],
      suggestion: ['@{name} 谢谢您的建议，我们已经反馈给相关团队啦，欢迎继续提意见哦！'],
      praise: ['@{name} 谢谢您的认可[心]，我们会继续努力哒！'],
    },
    escalation: {},
    // The language Kefu speaks on weibo.com: zh_CN whatever the browser's,
    // unless the options say 'en' or 'browser' (follow the browser).
    language: 'zh_CN',
  };
  const settings = structuredClone(DEFAULTS);
  const settingsListeners = [];

  function applySettings(stored) {
    Object.assign(settings, structuredClone(DEFAULTS), stored ?? {});
    settings.targets = { ...DEFAULTS.targets, ...(stored?.targets ?? {}) };
    for (const f of settingsListeners) f(settings);
  }

  const ready = api.storage.local
    .get('settings')
    .then((s) => applySettings(s.settings))
    .catch(() => applySettings(null));
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.settings) applySettings(changes.settings.newValue);
  });

  /** The words of the chosen locale when it is not the browser's
   *  (getMessage speaks only the browser's), from the background. */
  let table = null;
  const browserLocale = api.i18n.getMessage('@@ui_locale') || 'en';
  const wanted = (language) => (language === 'en' || language === 'zh_CN' ? language : null);
  const words = ready.then(async () => {
    const locale = wanted(settings.language);
    if (!locale || browserLocale.replace('-', '_').startsWith(locale.slice(0, 2))) return;
    try {
      table = (await ask('kefu:words', { locale })).messages;
    } catch {
      // The browser's language then: words in some language beat none.
    }
  });

  /** The UI word for `key` in Kefu's language (settings.language: zh_CN
   *  by default, en, or the browser's), with $1… filled from `subs`. A key
   *  missing from the locale shows as itself: a test checks that none is. */
  function t(key, ...subs) {
    if (!table) return api.i18n.getMessage(key, subs.map(String)) || key;
    const m = key === '@@ui_locale' ? wanted(settings.language) : table[key]?.message;
    return m == null ? key : m.replace(/\$(\d)/g, (_, n) => String(subs[n - 1] ?? ''));
  }
  /** The language of those words, for `lang` attributes (screen readers). */
  let lang = 'zh-CN';

  /** Runs a content script's body once the settings and words are known
   *  (the manifest's order is kept: bodies run in the order they came). */
  const bodies = [];
  let started = false;
  function boot(body) {
    if (started) body();
    else bodies.push(body);
  }
  words.finally(() => {
    lang = t('@@ui_locale').replace('_', '-');
    globalThis.Kefu.lang = lang;
    WORDS.urgency = wordsOf('urgency', URGENCIES);
    WORDS.category = wordsOf('category', CATEGORIES);
    WORDS.label = wordsOf('label', LABEL_KEYS);
    WORDS.severity = wordsOf('severity', ['block', 'warn', 'hint']);
    started = true;
    for (const body of bodies.splice(0)) {
      try {
        body();
      } catch (err) {
        console.error('Kefu:', err);
      }
    }
  });

  const URGENCIES = ['critical', 'high', 'normal', 'low', 'noise'];
  const CATEGORIES = ['safety', 'complaint', 'question', 'suggestion', 'praise', 'chatter', 'spam'];
  const LABEL_KEYS = ['insult', 'pii', 'ad_law', 'overpromise', 'blame', 'buck_passing', 'bureaucratic', 'sarcasm',
    'ad_tone', 'no_empathy', 'cold', 'no_next_step', 'too_long', 'repeated'];
  const wordsOf = (prefix, keys) => Object.fromEntries(keys.map((k) => [k, t(`${prefix}_${k}`)]));
  /** The SPEC's words in Kefu's language (filled in once it is known). */
  const WORDS = { urgency: {}, category: {}, label: {}, severity: {} };
  /** An element with text (never HTML) and optional class and attributes. */
  function el(tag, text, cls, attrs) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  }

  /** "刚刚", "5分钟", "3小时", "2天" (or the English) for an age in minutes. */
  function ageWords(minutes) {
    if (minutes == null || !Number.isFinite(minutes)) return '';
    if (minutes < 1) return t('pageAgeNow');
    if (minutes < 60) return t('pageAgeMinutes', Math.floor(minutes));
    if (minutes < 1440) return t('pageAgeHours', Math.floor(minutes / 60));
    return t('pageAgeDays', Math.floor(minutes / 1440));
  }

  /** Weibo's "Tue Jan 23 16:44:41 +0800 2018", RFC 3339, or "26-5-31 18:34"
   *  (Beijing time) → milliseconds, or null. */
  function parseTime(s) {
    if (!s) return null;
    const short = /^(\d{2}|\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})/.exec(String(s).trim());
    if (short) {
      const year = short[1].length === 2 ? 2000 + Number(short[1]) : Number(short[1]);
      return Date.UTC(year, short[2] - 1, short[3], short[4] - 8, short[5]);
    }
    const weibo = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$/.exec(String(s).trim());
    if (weibo) {
      const t = Date.parse(`${weibo[1]} ${weibo[2]} ${weibo[7]} ${weibo[3]}:${weibo[4]}:${weibo[5]} GMT${weibo[6]}`);
      return Number.isNaN(t) ? null : t;
    }
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }

  /** A shadow-root host, styled only inside (Weibo's styles stay out). */
  function shadowHost(id, css) {
    const host = document.createElement('div');
    host.id = id;
    host.className = 'kefu-host';
    host.lang = globalThis.Kefu.lang;
    const root = host.attachShadow({ mode: 'open' });
    root.append(el('style', css));
    return { host, root };
  }

  globalThis.Kefu = {
    api, ask, tell, settings, ready, settingsListeners, t, lang, WORDS, URGENCIES, CATEGORIES,
    el, ageWords, parseTime, shadowHost, boot,
  };
})();
