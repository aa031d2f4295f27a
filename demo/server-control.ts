/**
 * The "server" control: publishes a tag purge the way server code would (through the demo origin's
 * invalidation feed, demo/origin/feed-plugin.ts), so the second tab shows it arriving: the worker
 * applies it to every layer's tagged entries and to runtime-cache entries with the tag (R77, R120).
 */
import { h } from '../devtools/views.ts';
import { DEMO_CHANNEL } from './second-tab.ts';

export function serverControl(): HTMLElement {
  const tags = h('input', { type: 'text', value: 'greetings', spellcheck: false, 'data-testid': 'server-tags' });
  const status = h('output', { 'data-testid': 'server-status' }, '');
  const channel = new BroadcastChannel(DEMO_CHANNEL);
  const publish = async (kind: 'invalidate' | 'delete') => {
    const list = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    const op = kind === 'delete' ? 'dangerouslyDeleteByTag' : 'invalidateByTag';
    const at = Date.now();
    channel.postMessage({ tiercacheDemo: true, kind: 'issued', op: `server ${op}`, at }); // the second tab times the arrival
    const response = await fetch('./__feed/publish', { method: 'POST', body: JSON.stringify({ kind, tags: list }) }).catch(() => undefined);
    status.textContent = response?.ok ? `published ${op}(${JSON.stringify(list)}) on the server` : 'the demo server has no feed (static build)';
  };
  const style = 'position:fixed;right:12px;bottom:12px;z-index:10;max-width:280px;padding:8px 12px;background:var(--panel,#fff);border:1px solid #8884;border-radius:8px;font-size:13px';
  return h('section', { class: 'server-control', style, 'data-testid': 'server-control' },
    h('h3', {}, 'Server'),
    h('p', { class: 'muted' }, 'Purge from the server: every open tab gets it through the invalidation feed.'),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'Tags'), tags),
    h('button', { type: 'button', onclick: () => void publish('invalidate'), 'data-testid': 'server-invalidate' }, 'invalidateByTag'),
    h('button', { type: 'button', onclick: () => void publish('delete'), 'data-testid': 'server-delete' }, 'dangerouslyDeleteByTag'),
    status);
}
