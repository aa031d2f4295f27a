// The second tab of the propagation suite: watches keys it is told about through its own runtime cache
// object and reports when a change made in the first tab became visible here.
import * as tiercache from '../../dist/sdk.js';
import { TIERCACHE_TIMEOUT_MS } from './tiercache-options.js';
import { now, watchUntilGone } from './watch.js';

export function run(params) {
  const channel = new BroadcastChannel(params.get('channel'));
  const cache = typeof tiercache.getCache === 'function' ? tiercache.getCache({ namespace: params.get('namespace'), timeoutMs: TIERCACHE_TIMEOUT_MS }) : null;
  channel.onmessage = ({ data }) => {
    if (data.ping !== undefined) channel.postMessage({ from: 'tab', pong: data.ping, latency: now() - data.at });
    if (data.watch && cache) {
      const key = data.watch;
      void watchUntilGone({ cache, key, onWatching: () => channel.postMessage({ from: 'tab', watching: key }) }).then((at) =>
        channel.postMessage({ from: 'tab', seen: key, at }),
      );
    }
  };
  channel.postMessage({ from: 'tab', ready: true });
  return false; // stays open until the browser closes
}
