/**
 * Each layer's stored entries as the worker's inspect() lists them: key, Vary variant, status, age,
 * TTL and stale windows, tags, size, and tag purge marks (R78/R79).
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
    }));
  };
  return { element, render };
}

/** Keys are absolute URLs (plus the deployment at the edge): the origin adds nothing a reader needs. */
function shortKey(key: string): string {
  return key.replace(location.origin, '');
}

function bytes(size: number): string {
  return size < 1024 ? `${size} B` : size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
}
