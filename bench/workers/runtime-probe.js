// A worker running tiercache's runtime cache module (the one dist/sw.js is built with), bundled from
// dist/sdk.js: the propagation suite asks it to watch a key and to report when the change is visible.
// Messages arrive as extendable events, so waitUntil keeps the worker alive while it watches.
import * as tiercache from '../../dist/sdk.js';
import { TIERCACHE_TIMEOUT_MS } from '../pages/tiercache-options.js';
import { now, watchUntilGone } from '../pages/watch.js';

void self.skipWaiting();
self.addEventListener('message', (event) => {
  const { channel: name, namespace, watch: key, ping, at } = event.data;
  const channel = new BroadcastChannel(name);
  if (ping !== undefined) {
    channel.postMessage({ from: 'worker', pong: ping, latency: now() - at });
    channel.close();
    return;
  }
  if (typeof tiercache.getCache !== 'function') return;
  const cache = tiercache.getCache({ namespace, timeoutMs: TIERCACHE_TIMEOUT_MS });
  const watched = watchUntilGone({ cache, key, onWatching: () => channel.postMessage({ from: 'worker', watching: key }) }).then((seenAt) => {
    channel.postMessage({ from: 'worker', seen: key, at: seenAt });
    channel.close();
  });
  event.waitUntil(watched);
});
