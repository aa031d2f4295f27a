// Observing a runtime cache from outside its API only: poll get() until the key appears, then until it
// is gone. Used by the second tab and by the probe worker of the propagation suite.

/** Wall-clock-comparable high-resolution time (ms) that other tabs and workers can compare against. */
export const now = () => performance.timeOrigin + performance.now();

/** Yields to the event loop (a task, not a microtask, so channel messages get delivered). */
export function yieldTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve(undefined);
    };
    channel.port2.postMessage(0);
  });
}

/** Resolves with the time at which `cache.get(key)` first answered null after having seen the key. */
export async function watchUntilGone({ cache, key, onWatching }) {
  while ((await cache.get(key)) === null) await yieldTask();
  onWatching();
  while ((await cache.get(key)) !== null) await yieldTask();
  return now();
}
