// A worker running tiercache's runtime cache module (the same one dist/sw.js is built with), bundled from
// dist/sdk.js: the propagation suite asks it to watch a key and to report when the change is visible.
import * as tiercache from '../../dist/sdk.js';
import { watchUntilGone } from '../pages/watch.js';

void self.skipWaiting();
self.addEventListener('message', (event) => {
  const { key, namespace, channel } = event.data;
  if (typeof tiercache.getCache !== 'function') return;
  const cache = tiercache.getCache({ namespace });
  const replies = new BroadcastChannel(channel);
  void watchUntilGone({ cache, key, onWatching: () => replies.postMessage({ from: 'worker', watching: key }) }).then((seenAt) => {
    replies.postMessage({ from: 'worker', seen: key, at: seenAt });
    replies.close();
  });
});
