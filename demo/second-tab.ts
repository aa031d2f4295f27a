/**
 * The "second tab": a small page (./?view=second, shown in an iframe or opened in a real tab) with its own getCache() that
 * reads one key over and over, the way another tab of the app would. When the value disappears after
 * the first tab issued expireTag/delete, it shows how long that took to arrive here (R82, R121: the
 * platform promises 300 ms). The first tab only tells it *when* it issued the call, on the demo's own
 * BroadcastChannel (so tabs opened with the "open another" link work too); the disappearance itself
 * is observed through get().
 */
import { getCache } from '../sdk/index.ts';
import { h, replace } from '../devtools/views.ts';

/** Fast while a value is shown (its disappearance is what we time; reads come from memory then),
 *  slower while the key is missing (each read of a missing key goes to IndexedDB). */
const POLL_PRESENT_MS = 10;
export const DEMO_CHANNEL = 'tiercache-demo';
const POLL_MISSING_MS = 200;

interface Issued {
  op: string;
  at: number;
}

export function startSecondTab(root: HTMLElement): void {
  document.body.classList.add('second-tab');
  const params = new URLSearchParams(location.search);
  // Storage reports (e.g. a read timing out on a busy machine) are shown here, not thrown (R109).
  const cache = getCache({ namespace: params.get('ns') ?? 'demo', onError: (failure) => note(`storage: ${failure.message}`) });
  let key = params.get('key') ?? 'greeting';
  let last: string | undefined;
  let issued: Issued | undefined;
  const keyView = h('code', { 'data-testid': 'second-key' }, key);
  const valueView = h('output', { class: 'second-value', 'data-testid': 'second-value' }, '…');
  const latency = h('p', { class: 'latency', 'data-testid': 'second-latency' }, 'Waiting for an invalidation from the first tab.');
  const log = h('ol', { class: 'second-log', reversed: true });

  const channel = new BroadcastChannel(DEMO_CHANNEL);
  channel.addEventListener('message', (event: MessageEvent<{ tiercacheDemo?: boolean; kind?: string; key?: string; op?: string; at?: number }>) => {
    if (!event.data?.tiercacheDemo) return;
    if (event.data.kind === 'watch' && event.data.key) {
      key = event.data.key;
      keyView.textContent = key;
    }
    if (event.data.kind === 'issued' && event.data.op && event.data.at) issued = { op: event.data.op, at: event.data.at };
  });

  const note = (text: string) => {
    log.prepend(h('li', {}, h('span', { class: 'muted' }, new Date().toISOString().slice(11, 23)), ' ', text));
    while (log.children.length > 6) log.lastElementChild?.remove();
  };

  const poll = async () => {
    const value = JSON.stringify(await cache.get(key));
    if (value !== last) {
      const seen = Date.now();
      if (value === 'null' && last !== undefined && issued && seen - issued.at < 10_000) {
        const ms = seen - issued.at;
        latency.textContent = `${issued.op} in the first tab reached this tab after ${ms} ms.`;
        latency.dataset.ms = String(ms);
        latency.className = `latency ${ms <= 300 ? 'ok' : 'slow'}`;
        note(`null, ${ms} ms after ${issued.op}`);
        issued = undefined;
      } else note(value === 'null' ? 'null (miss)' : `value ${value}`);
      last = value;
      valueView.textContent = value;
      valueView.className = `second-value ${value === 'null' ? 'miss' : 'hit'}`;
    }
    setTimeout(() => void poll(), last === 'null' ? POLL_MISSING_MS : POLL_PRESENT_MS);
  };
  replace(root, h('div', { class: 'second' },
    h('p', {}, 'get(', keyView, ') →'), valueView, latency, log));
  void poll();
}
