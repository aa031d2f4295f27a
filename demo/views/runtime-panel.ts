/**
 * The runtime cache panel: getCache() set / get / delete / expireTag, with the entries this page set
 * (TTL countdowns, tags), and a "second tab" (an iframe running ./?view=second) that watches a key and
 * reports how long an invalidation took to reach it. The entry list is this page's own bookkeeping of
 * its writes (the getCache API cannot list entries); values always come from get().
 */
import { getCache } from '../../sdk/index.ts';
import { formatSeconds, h, replace } from '../../devtools/views.ts';
import { DEMO_CHANNEL } from '../second-tab.ts';

export const RUNTIME_NAMESPACE = 'demo';

interface Written {
  key: string;
  value: string;
  tags: string[];
  ttl: number;
  at: number;
  gone: string | undefined;
}

export function runtimePanel(): HTMLElement {
  const written = new Map<string, Written>();
  const key = h('input', { type: 'text', value: 'greeting', spellcheck: false, 'data-testid': 'rc-key' });
  const value = h('input', { type: 'text', value: '{"message":"hello"}', spellcheck: false, 'data-testid': 'rc-value' });
  const ttl = h('input', { type: 'number', min: 0, value: '60', 'data-testid': 'rc-ttl' });
  const tags = h('input', { type: 'text', value: 'greetings, home', spellcheck: false, 'data-testid': 'rc-tags' });
  const expire = h('input', { type: 'text', value: 'greetings', spellcheck: false, 'data-testid': 'rc-expire-tag' });
  const result = h('output', { class: 'rc-result', 'data-testid': 'rc-result' }, 'Set a value, then expire its tag and watch the second tab.');
  // Storage reports go to the result line instead of the console (they never reject, R109).
  const cache = getCache({ namespace: RUNTIME_NAMESPACE, onError: (failure) => (result.textContent = `storage report (${failure.kind}): ${failure.message}`) });
  const list = h('ul', { class: 'rc-list', 'data-testid': 'rc-entries' });
  const frame = h('iframe', { src: `./?view=second&ns=${RUNTIME_NAMESPACE}&key=greeting`, title: 'Second tab: another page reading the same runtime cache', 'data-testid': 'second-tab' });

  // The demo's own channel (not the runtime cache's): it only says *when* a call was issued, so every
  // second tab (the iframe, or ones opened with the link) can time the invalidation's arrival.
  const demoChannel = new BroadcastChannel(DEMO_CHANNEL);
  const tell = (message: Record<string, unknown>) => demoChannel.postMessage({ tiercacheDemo: true, ...message });
  const show = (text: string) => (result.textContent = text);
  const run = (work: () => Promise<void>) => () => {
    work().catch((error: unknown) => show(error instanceof Error ? `${error.name}: ${error.message}` : String(error)));
  };
  const tagList = (raw: string) => raw.split(',').map((t) => t.trim()).filter(Boolean);

  const set = run(async () => {
    const parsed: unknown = parseValue(value.value);
    const entry: Written = { key: key.value, value: JSON.stringify(parsed), tags: tagList(tags.value), ttl: Number(ttl.value) || 0, at: Date.now(), gone: undefined };
    await cache.set(entry.key, parsed, { ttl: entry.ttl, tags: entry.tags });
    written.set(entry.key, entry);
    tell({ kind: 'watch', key: entry.key });
    show(`set('${entry.key}', ${entry.value}, { ttl: ${entry.ttl}, tags: ${JSON.stringify(entry.tags)} })`);
    renderList();
  });
  const get = run(async () => {
    show(`get('${key.value}') → ${JSON.stringify(await cache.get(key.value))}`);
  });
  const remove = run(async () => {
    tell({ kind: 'issued', op: `delete('${key.value}')`, at: Date.now() });
    await cache.delete(key.value);
    const entry = written.get(key.value);
    if (entry) entry.gone = 'deleted';
    show(`delete('${key.value}') done`);
    renderList();
  });
  const expireTag = run(async () => {
    const list = tagList(expire.value);
    if (list.length === 0) return;
    tell({ kind: 'issued', op: `expireTag(${JSON.stringify(list)})`, at: Date.now() });
    await cache.expireTag(list);
    for (const entry of written.values()) if (!entry.gone && entry.tags.some((t) => list.includes(t))) entry.gone = `tag ${list.join(', ')} expired`;
    show(`expireTag(${JSON.stringify(list)}) done`);
    renderList();
  });

  const renderList = () => {
    const now = Date.now();
    replace(list, [...written.values()].map((entry) => {
      const left = entry.ttl ? entry.ttl - (now - entry.at) / 1000 : Infinity;
      const state = entry.gone ?? (left <= 0 ? 'expired (TTL)' : entry.ttl ? `${formatSeconds(Math.max(0, left))} left` : 'no TTL');
      const pct = entry.ttl && !entry.gone ? Math.max(0, Math.min(1, left / entry.ttl)) : 0;
      return h('li', { class: entry.gone || left <= 0 ? 'gone' : '', 'data-testid': 'rc-entry' },
        h('code', {}, entry.key), h('span', { class: 'rc-value' }, entry.value),
        h('span', { class: 'tags' }, entry.tags.map((t) => h('span', { class: 'tag' }, t))),
        h('span', { class: 'countdown' }, h('span', { class: 'meter', style: `width:${(pct * 100).toFixed(1)}%` }), h('span', { class: 'countdown-text' }, state)));
    }));
    if (written.size === 0) list.append(h('li', { class: 'muted' }, 'Nothing written from this page yet.'));
  };
  renderList();
  setInterval(renderList, 500);

  const button = (label: string, onclick: () => void, testid: string, cls = '') => h('button', { type: 'button', onclick, 'data-testid': testid, class: cls }, label);
  return h(
    'div',
    { class: 'runtime' },
    h('div', { class: 'rc-main' },
      h('form', { class: 'rc-form', onsubmit: (e: Event) => { e.preventDefault(); set(); } },
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Key'), key),
        h('label', { class: 'field' }, h('span', { class: 'label' }, 'Value (JSON)'), value),
        h('div', { class: 'row2' },
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'TTL (s)'), ttl),
          h('label', { class: 'field' }, h('span', { class: 'label' }, 'Tags'), tags)),
        h('div', { class: 'buttons' }, button('set', set, 'rc-set', 'primary'), button('get', get, 'rc-get'), button('delete', remove, 'rc-delete')),
        h('div', { class: 'row-inline' },
          h('label', { class: 'field grow' }, h('span', { class: 'label' }, 'Tag(s) to expire'), expire),
          button('expireTag', expireTag, 'rc-expire', 'danger'))),
      result, list),
    h('div', { class: 'rc-second' },
      h('div', { class: 'frame-title' }, 'Second tab ', h('span', { class: 'muted' }, '(same origin, its own getCache()) '),
        h('a', { href: frame.src, target: '_blank', rel: 'noopener', 'data-testid': 'second-tab-link' }, 'open another ↗')),
      frame),
  );
}

/** Values are JSON (R98); plain text that is not JSON is taken as a string. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
