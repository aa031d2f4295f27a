/**
 * Each layer's stored entries as the worker's inspect() lists them: key, Vary variant, status, age,
 * TTL and stale windows, tags, size, and tag purge marks (R78/R79); then the runtime cache's (getCache())
 * entries and tags, from the same inspect().
 */
import type { InspectResult, LayerName } from '../../sdk/index.ts';
import { formatSeconds, h, replace } from '../dom.ts';
import { layerTitles } from '../narrate.ts';

const ORDER: LayerName[] = ['edge', 'cdn', 'browser'];

export function storesView(): { element: HTMLElement; render: (result: InspectResult | undefined, layersShown: LayerName[]) => void } {
  const element = h('div', { class: 'stores', 'data-testid': 'stores' });
  const render = (result: InspectResult | undefined, layersShown: LayerName[]) => {
    if (!result) return replace(element, h('p', { class: 'muted' }, 'Waiting for the worker’s inspect()…'));
    const layers = ORDER.filter((layer) => result.config.layers.includes(layer) && layersShown.includes(layer));
    replace(element, layers.map((layer) => {
      const entries = result.entries.filter((e) => e.layer === layer);
      return h('section', { class: 'store', 'data-testid': `store-${layer}`, 'data-count': String(entries.length) },
        h('h3', {}, `${layerTitles[layer]} `, h('span', { class: 'muted' }, `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}`)),
        entries.length === 0 ? h('p', { class: 'muted' }, 'empty') : h('table', { class: 'timeline' },
          h('thead', {}, h('tr', {}, ['Key', 'Variant', 'Status', 'Age', 'TTL', 'SWR', 'Tags', 'Size'].map((title) => h('th', { scope: 'col' }, title)))),
          h('tbody', {}, entries.map((e) => h('tr', { 'data-testid': 'store-entry', 'data-status': e.invalidated ? 'invalidated' : e.status },
            h('td', {}, h('code', {}, shortKey(e.key))),
            h('td', {}, Object.entries(e.variant).map(([n, v]) => `${n}=${v}`).join(', ') || '–'),
            h('td', {}, h('span', { class: `chip ${e.status === 'fresh' && !e.invalidated ? 'hit' : 'stale'}` }, e.invalidated ? 'invalidated' : e.status),
              e.deleteAt !== undefined ? h('span', { class: 'reason' }, `deleted at +${formatSeconds((e.deleteAt - result.now) / 1000)}`) : null),
            h('td', { class: 'num' }, formatSeconds(e.age)),
            h('td', { class: 'num' }, formatSeconds(e.ttl)),
            h('td', { class: 'num' }, e.staleWhileRevalidate ? formatSeconds(e.staleWhileRevalidate) : '–'),
            h('td', {}, e.tags.length ? e.tags.map((t) => h('span', { class: 'tag' }, t)) : '–'),
            h('td', { class: 'num' }, bytes(e.size)))))));
    }), runtimeSection(result.runtime));
  };
  return { element, render };
}

/** The runtime cache: one row per stored entry, and each tag with how many entries carry it. */
function runtimeSection(runtime: InspectResult['runtime']): HTMLElement {
  const { entries, total } = runtime;
  const tags = new Map<string, number>();
  for (const e of entries) for (const tag of e.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);
  const now = Date.now(); // the runtime cache's clock (time travel moves only the worker's)
  return h('section', { class: 'store', 'data-testid': 'store-runtime', 'data-count': String(total), title: runtime.database },
    h('h3', {}, 'Runtime cache ', h('span', { class: 'muted' }, `getCache() · ${total} ${total === 1 ? 'entry' : 'entries'}${total > entries.length ? `, first ${entries.length} shown` : ''}`)),
    tags.size ? h('p', { 'data-testid': 'runtime-tags' }, h('span', { class: 'label' }, 'Tags '), [...tags].map(([tag, n]) => h('span', { class: 'tag', 'data-tag': tag }, `${tag} ×${n}`))) : null,
    entries.length === 0 ? h('p', { class: 'muted' }, 'empty') : h('table', { class: 'timeline' },
      h('thead', {}, h('tr', {}, ['Namespace', 'Key', 'Stored key', 'Status', 'Expires', 'Tags', 'Size'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, entries.map((e) => h('tr', { 'data-testid': 'runtime-entry', 'data-key': e.key, 'data-status': e.status },
        h('td', {}, e.namespace || '–'),
        h('td', {}, h('code', {}, e.key)),
        h('td', {}, h('code', {}, e.storedKey)),
        h('td', {}, h('span', { class: `chip ${e.status === 'live' ? 'hit' : 'stale'}` }, e.status)),
        h('td', { class: 'num' }, e.expiresAt === undefined ? 'no ttl' : e.expiresAt > now ? `in ${formatSeconds((e.expiresAt - now) / 1000)}` : `${formatSeconds((now - e.expiresAt) / 1000)} ago`),
        h('td', {}, e.tags.length ? e.tags.map((t) => h('span', { class: 'tag' }, t)) : '–'),
        h('td', { class: 'num' }, bytes(e.size)))))));
}

/** Keys are absolute URLs (plus the deployment at the edge): the origin adds nothing a reader needs. */
function shortKey(key: string): string {
  return key.replace(location.origin, '');
}

function bytes(size: number): string {
  return size < 1024 ? `${size} B` : size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
}
