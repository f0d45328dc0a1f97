// A recycling virtual scroller in page mode, shaped like vue-virtual-scroller's
// RecycleScroller/DynamicScroller as weibo.com uses it:
//
//   .vue-recycle-scroller.ready.page-mode.direction-vertical
//     .vue-recycle-scroller__item-wrapper            (min-height: total)
//       .vue-recycle-scroller__item-view             (transform: translateY(y))
//         .wbpro-scroller-item[data-index][data-active]
//           …the row (an .item1)…
//
// A fixed pool of views is reused: a view whose comment leaves the viewport is
// moved off screen (translateY(-9999px), opacity 0, data-active="false") with
// its old content still inside, and later patched in place with another
// comment. Heights are estimated, then measured with a ResizeObserver.
//
// Owns: positions, the pool, measuring. Does not own what a row looks like
// (renderItem) or the data.

import { h, mount, patch } from './vdom.js';

export class RecycleScroller {
  /**
   * @param {HTMLElement} host where the scroller is mounted
   * @param {{renderItem: (item, index) => object, keyOf: (item) => string,
   *   estimate: (item) => number, buffer?: number, onNearEnd?: () => void}} opts
   */
  constructor(host, opts) {
    this.opts = { buffer: 400, ...opts };
    this.items = [];
    this.sizes = new Map(); // key → measured height
    this.versions = new Map(); // key → render version (bumped by refresh)
    this.views = []; // {el, inner, vnode, key, version, used}
    this.offsets = [0];
    this.root = document.createElement('div');
    this.root.className = 'vue-recycle-scroller ready page-mode direction-vertical';
    this.wrapper = document.createElement('div');
    this.wrapper.className = 'vue-recycle-scroller__item-wrapper';
    this.root.appendChild(this.wrapper);
    host.appendChild(this.root);
    this.ro = new ResizeObserver((entries) => this.measured(entries));
    this.scheduled = false;
    this.onScroll = () => this.schedule();
    window.addEventListener('scroll', this.onScroll, { passive: true });
    window.addEventListener('resize', this.onScroll);
  }

  destroy() {
    window.removeEventListener('scroll', this.onScroll);
    window.removeEventListener('resize', this.onScroll);
    this.ro.disconnect();
    this.root.remove();
  }

  setItems(items) {
    this.items = items;
    this.update();
  }

  /** Re-render the row of this key (its data or its UI state changed). */
  refresh(key) {
    this.versions.set(key, (this.versions.get(key) || 0) + 1);
    this.schedule();
  }

  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.update();
    });
  }

  sizeOf(i) {
    const it = this.items[i];
    return this.sizes.get(this.opts.keyOf(it)) ?? this.opts.estimate(it);
  }

  layout() {
    const n = this.items.length;
    const off = new Array(n + 1);
    off[0] = 0;
    for (let i = 0; i < n; i++) off[i + 1] = off[i] + this.sizeOf(i);
    this.offsets = off;
    this.wrapper.style.minHeight = `${off[n]}px`;
  }

  /** First index whose row ends below y. */
  indexAt(y) {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Scroll the window so that row i is at the top (below a fixed header). */
  scrollToIndex(i, headerOffset = 70) {
    this.layout();
    const top = this.wrapper.getBoundingClientRect().top + window.scrollY + this.offsets[Math.max(0, Math.min(i, this.items.length))];
    window.scrollTo(0, top - headerOffset);
    this.update();
  }

  update() {
    const { keyOf, buffer, onNearEnd } = this.opts;
    this.layout();
    const top = -this.wrapper.getBoundingClientRect().top;
    const start = top - buffer;
    const end = top + window.innerHeight + buffer;
    const first = this.indexAt(Math.max(0, start));
    const wanted = new Map();
    for (let i = first; i < this.items.length && this.offsets[i] < end; i++) wanted.set(keyOf(this.items[i]), i);

    const free = [];
    for (const v of this.views) {
      if (v.used && wanted.has(v.key)) continue;
      if (v.used) this.release(v);
      free.push(v);
    }
    const byKey = new Map(this.views.filter((v) => v.used).map((v) => [v.key, v]));
    const fresh = [];
    for (const [key, i] of wanted) {
      let v = byKey.get(key);
      if (!v) {
        // Prefer a view that showed this comment before (as Vue's pool does).
        const j = free.findIndex((f) => f.key === key);
        v = j >= 0 ? free.splice(j, 1)[0] : free.pop() || this.createView();
        v.used = true;
        v.key = key;
        v.version = -1;
      }
      if (this.render(v, this.items[i], i)) fresh.push(v);
      v.el.style.transform = `translateY(${this.offsets[i]}px)`;
      v.el.style.opacity = '';
    }
    // Measure what was just rendered: a recycled view that changes comment but
    // not height gets no ResizeObserver callback.
    let moved = false;
    for (const v of fresh) {
      const hgt = v.vnode.el.getBoundingClientRect().height;
      if (hgt && this.sizes.get(v.key) !== hgt) {
        this.sizes.set(v.key, hgt);
        moved = true;
      }
    }
    if (moved) this.schedule();
    if (onNearEnd && this.items.length && end >= this.offsets[this.items.length] - 50) onNearEnd();
  }

  createView() {
    const el = document.createElement('div');
    el.className = 'vue-recycle-scroller__item-view';
    const v = { el, vnode: null, key: null, index: -1, version: -1, used: false };
    this.views.push(v);
    this.wrapper.appendChild(el);
    return v;
  }

  render(v, item, index) {
    const version = this.versions.get(v.key) || 0;
    if (v.vnode && v.version === version && v.index === index && v.item === item) return false;
    const vnode = h('div', { class: 'wbpro-scroller-item', 'data-index': String(index), 'data-active': 'true' }, [this.opts.renderItem(item, index)]);
    if (v.vnode) {
      patch(v.vnode, vnode);
    } else {
      v.el.appendChild(mount(vnode));
      this.ro.observe(vnode.el);
    }
    v.vnode = vnode;
    v.version = version;
    v.index = index;
    v.item = item;
    return true;
  }

  release(v) {
    v.used = false;
    v.el.style.transform = 'translateY(-9999px)';
    v.el.style.opacity = '0';
    if (v.vnode) v.vnode.el.setAttribute('data-active', 'false');
    v.vnode && (v.vnode.props['data-active'] = 'false');
  }

  measured(entries) {
    let changed = false;
    for (const e of entries) {
      const v = this.views.find((x) => x.vnode && x.vnode.el === e.target);
      if (!v || !v.used) continue;
      const hgt = e.target.getBoundingClientRect().height;
      if (hgt && this.sizes.get(v.key) !== hgt) {
        this.sizes.set(v.key, hgt);
        changed = true;
      }
    }
    if (changed) this.schedule();
  }
}
