// A very small virtual DOM with Vue 3's patch semantics, so that the replica
// updates the page the way weibo.com's Vue app does: elements are reused and
// patched in place (a recycled row keeps its element, its text nodes change),
// attributes and nodes the app did not render (an extension's marks) are left
// where they are, and a v-html block is replaced whole.
//
// Owns: h(), mount(), patch(). Knows nothing of Weibo.
//
// vnode props: class, style (string), key, on {event: fn}, html (v-html),
// value / checked / disabled (DOM properties), ref (fn(el)), and any other key
// as an attribute (null/false removes it, true sets it empty).

export function h(tag, props, children) {
  if (props == null) {
    props = {};
  } else if (children === undefined && (Array.isArray(props) || typeof props !== 'object' || props.tag || props.text != null)) {
    children = props; // h(tag, children)
    props = {};
  }
  let kids = null;
  if (Array.isArray(children)) {
    kids = children.flat(Infinity).filter((c) => c != null && c !== false && c !== '')
      .map((c) => (typeof c === 'object' ? c : { text: String(c) }));
  } else if (children != null && children !== false) {
    kids = typeof children === 'object' ? [children] : String(children);
  }
  return { tag, props, children: kids, key: props.key, el: null };
}

const DOM_PROPS = new Set(['value', 'checked', 'disabled']);
const SKIP = new Set(['key', 'on', 'html', 'ref', 'class', 'style']);

export function mount(v) {
  if (v.text != null) {
    v.el = document.createTextNode(v.text);
    return v.el;
  }
  const el = (v.el = v.tag === 'svg' || v.svg ? document.createElementNS('http://www.w3.org/2000/svg', v.tag) : document.createElement(v.tag));
  patchProps(el, {}, v.props);
  if (v.props.html != null) el.innerHTML = v.props.html;
  else if (typeof v.children === 'string') el.textContent = v.children;
  else if (v.children) for (const c of v.children) el.appendChild(mount(c));
  if (v.props.ref) v.props.ref(el);
  return el;
}

function invoker(el, name) {
  el._vei ??= {};
  let inv = el._vei[name];
  if (!inv) {
    inv = el._vei[name] = (e) => inv.value?.(e);
    el.addEventListener(name, inv);
  }
  return inv;
}

function patchProps(el, prev, next) {
  if (prev.class !== next.class) {
    if (next.class == null) el.removeAttribute('class');
    else el.className = next.class;
  }
  if (prev.style !== next.style) {
    if (next.style == null) el.removeAttribute('style');
    else el.style.cssText = next.style;
  }
  const po = prev.on || {};
  const no = next.on || {};
  for (const name of new Set([...Object.keys(po), ...Object.keys(no)])) invoker(el, name).value = no[name] || null;
  for (const k of Object.keys(next)) {
    if (SKIP.has(k)) continue;
    const v = next[k];
    if (DOM_PROPS.has(k)) {
      if (el[k] !== v) el[k] = v; // like v-model: only when it differs
      if (k === 'disabled') v ? el.setAttribute('disabled', '') : el.removeAttribute('disabled');
      continue;
    }
    if (prev[k] === v) continue;
    if (v == null || v === false) el.removeAttribute(k);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of Object.keys(prev)) {
    if (SKIP.has(k) || DOM_PROPS.has(k) || k in next) continue;
    el.removeAttribute(k);
  }
}

const same = (a, b) => a.tag === b.tag && a.key === b.key && (a.text != null) === (b.text != null);

/** Patch old vnode (mounted) into new; returns the element now in place. */
export function patch(old, v) {
  if (!same(old, v)) {
    const el = mount(v);
    old.el.replaceWith(el);
    return el;
  }
  const el = (v.el = old.el);
  if (v.text != null) {
    if (old.text !== v.text) el.nodeValue = v.text;
    return el;
  }
  patchProps(el, old.props, v.props);
  if (v.props.html != null) {
    if (old.props.html !== v.props.html || old.children) el.innerHTML = v.props.html;
  } else if (typeof v.children === 'string') {
    if (old.children !== v.children) el.textContent = v.children;
  } else {
    if (old.props.html != null || typeof old.children === 'string') {
      el.textContent = '';
      for (const c of v.children || []) el.appendChild(mount(c));
    } else {
      patchChildren(el, old.children || [], v.children || []);
    }
  }
  if (v.props.ref) v.props.ref(el);
  return el;
}

function patchChildren(parent, olds, news) {
  const keyed = news.some((c) => c.key != null) || olds.some((c) => c.key != null);
  if (!keyed) {
    const n = Math.min(olds.length, news.length);
    for (let i = 0; i < n; i++) patch(olds[i], news[i]);
    for (let i = n; i < olds.length; i++) olds[i].el.remove();
    const anchor = n > 0 ? news[n - 1].el.nextSibling : parent.firstChild;
    for (let i = n; i < news.length; i++) parent.insertBefore(mount(news[i]), anchor);
    return;
  }
  const byKey = new Map();
  olds.forEach((c, i) => byKey.set(c.key ?? `#${i}`, c));
  const used = new Set();
  const after = olds.length ? olds[olds.length - 1].el.nextSibling : null;
  news.forEach((c, i) => {
    const k = c.key ?? `#${i}`;
    const o = byKey.get(k);
    if (o && !used.has(o) && same(o, c)) {
      used.add(o);
      patch(o, c);
    } else {
      mount(c);
    }
  });
  for (const o of olds) if (!used.has(o)) o.el.remove();
  // Put the new children in order, leaving nodes we did not render alone.
  let next = after;
  for (let i = news.length - 1; i >= 0; i--) {
    const el = news[i].el;
    if (el.nextSibling !== next || el.parentNode !== parent) parent.insertBefore(el, next);
    next = el;
  }
}
