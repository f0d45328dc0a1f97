// Small display helpers of the page: times, counts, Weibo's text length.

const pad = (n) => String(n).padStart(2, '0');

/** "Sat Nov 28 11:52:03 +0800 2026" → ms since epoch. */
export function parseWeiboDate(s) {
  const m = /^\w{3} (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$/.exec(s || '');
  if (!m) return NaN;
  const [, mon, d, hh, mm, ss, tz, y] = m;
  return Date.parse(`${y}-${pad('JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(mon) / 3 + 1)}-${d}T${hh}:${mm}:${ss}${tz.slice(0, 3)}:${tz.slice(3)}`);
}

/**
 * The time as the comment list shows it: "26-5-31 18:34" (weibo-dom.md), in
 * Beijing time whatever the machine's zone, so screenshots and tests agree.
 */
export function commentTime(createdAt) {
  const ms = parseWeiboDate(createdAt);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 8 * 3600e3);
  return `${String(d.getUTCFullYear()).slice(2)}-${d.getUTCMonth() + 1}-${d.getUTCDate()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Counts as Weibo prints them: 9999, 1.2万, 100万+. */
export function count(n) {
  if (!n) return '';
  if (n < 10000) return String(n);
  if (n < 1000000) return `${(n / 10000).toFixed(1).replace(/\.0$/, '')}万`;
  return '100万+';
}

/** Weibo's length: ASCII 1, other 2, halved, rounded up; a link counts 10. */
export function weiboLength(s) {
  let halves = 0;
  const rest = s.replace(/https?:\/\/[^\s\u4e00-\u9fa5]+/g, () => { halves += 20; return ''; });
  for (const ch of rest) halves += ch.codePointAt(0) < 128 ? 1 : 2;
  return Math.ceil(halves / 2);
}

export const COMMENT_LIMIT = 140;
