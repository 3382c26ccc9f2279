// The app shell: hash routing (#/view?key=value keeps a view shareable), language, backend switch.
import { getLang, setLang, t } from './i18n.js';
import type { StringKey } from './i18n.js';
import { initBackends } from './backends.js';
import { h } from './ui/dom.js';
import type { View } from './views/view.js';
import { backendsView } from './views/backends.js';
import { g2pView } from './views/g2p.js';
import { headsView } from './views/heads.js';
import { insideView } from './views/inside.js';
import { masksView } from './views/masks.js';
import { pipelineView } from './views/pipeline.js';
import { positionsView } from './views/positions.js';
import { tokenizerView } from './views/tokenizer.js';
import { trainView } from './views/train.js';
import { vitView } from './views/vit.js';

const views: View[] = [g2pView, insideView, trainView, pipelineView, masksView, positionsView, headsView, tokenizerView, vitView, backendsView];
let disposeCurrent: (() => void) | undefined;

/** Parses `#/id?a=1&b=x` into the view id and its parameters. */
function parseHash(): { id: string; params: URLSearchParams } {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { id: path || views[0]!.id, params: new URLSearchParams(query) };
}

/** Writes a view's parameters into the hash without re-rendering. */
function setParams(id: string, params: Record<string, string | number>): void {
  const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  history.replaceState(null, '', `#/${id}${q.size ? `?${q.toString()}` : ''}`);
}

function renderNav(active: string): void {
  const nav = document.getElementById('nav')!;
  nav.replaceChildren(
    ...views.map((v) => h('a', { href: `#/${v.id}`, 'aria-current': v.id === active ? 'page' : undefined, 'data-view': v.id }, t(`nav.${v.id}` as StringKey))),
  );
}

async function route(): Promise<void> {
  const { id, params } = parseHash();
  const view = views.find((v) => v.id === id) ?? views[0]!;
  renderNav(view.id);
  disposeCurrent?.();
  const main = document.getElementById('view')!;
  main.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  const container = h('div', { 'data-view-root': view.id });
  try {
    disposeCurrent = (await view.render(container, params, (p) => setParams(view.id, p))) ?? undefined;
    main.replaceChildren(container);
    document.body.dataset.ready = view.id;
  } catch (err) {
    console.error(err);
    main.replaceChildren(h('p', { class: 'error' }, String((err as Error).message ?? err)));
  }
}

document.getElementById('lang')!.addEventListener('click', (e) => {
  setLang(getLang() === 'en' ? 'ko' : 'en');
  (e.target as HTMLButtonElement).textContent = getLang() === 'en' ? '한국어' : 'English';
  void route();
});
window.addEventListener('hashchange', () => void route());
await initBackends(document.getElementById('backend') as HTMLSelectElement, () => void route());
setLang('en');
void route();
