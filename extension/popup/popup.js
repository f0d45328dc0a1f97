// The popup: what Kefu is doing on this tab, in words a team lead
// understands. All state comes from the background ('kefu:status').

const api = globalThis.browser ?? globalThis.chrome;
const t = (key, fallback) => api.i18n.getMessage(key) || fallback;

for (const el of document.querySelectorAll('[data-i18n]')) {
  el.textContent = t(el.dataset.i18n, el.textContent);
}
document.documentElement.lang = api.i18n.getUILanguage().startsWith('zh') ? 'zh-CN' : 'en';

async function show() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true }).catch(() => []);
  const status = await api.runtime.sendMessage({ type: 'kefu:status', tabId: tab?.id });
  const engine = document.getElementById('engine');
  if (status.engine === 'loaded') {
    engine.textContent = `✔ ${t('engineLoaded', '引擎已加载')}`;
    engine.className = 'ok';
  } else {
    engine.textContent = `✘ ${t('engineFailed', '引擎加载失败')}：${status.error ?? ''}`;
    engine.className = 'bad';
  }
  const page = document.getElementById('page');
  page.textContent = status.page?.recognised
    ? `${t('pageRecognised', '已识别微博页面')}（${status.page.comments}）`
    : t('noPage', '当前标签页不是微博页面');
  const ul = document.getElementById('lists');
  ul.replaceChildren(...status.lists.map((l) => {
    const li = document.createElement('li');
    li.textContent = `${l.name}（${l.id} ${l.version}，${l.rules}）`;
    return li;
  }));
}

show().catch((e) => {
  document.getElementById('engine').textContent = String(e);
});
