// Observing a runtime cache from outside its API only: poll get() until the key appears, then until it
// is gone, about once a millisecond. Used by the second tab and by the probe worker of the propagation suite.

/** Wall-clock-comparable high-resolution time (ms) that other tabs and workers can compare against. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * Waits ~1 ms without spinning: a MessageChannel hop first, so the timer is not nested in a timer
 * (nested timers are clamped to 4 ms), then setTimeout(1). Busy polling would take a whole core per
 * observer from a 2-core machine and slow down the very invalidation being measured.
 */
export function pause() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      setTimeout(resolve, 1);
    };
    channel.port2.postMessage(0);
  });
}

/** Resolves with the time at which `cache.get(key)` first answered null after having seen the key. */
export async function watchUntilGone({ cache, key, onWatching }) {
  while ((await cache.get(key)) === null) await pause();
  onWatching();
  while ((await cache.get(key)) !== null) await pause();
  return now();
}
