/**
 * R77/R120/A22 across the page ↔ Service Worker boundary, measured: the built worker runs
 * purgeRuntimeTags in its own context; the page's hot copies must go within 300 ms of the purge
 * resolving (target < 10 ms). Delays are printed for the report.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { registerCacheWorker, type CacheWorkerController } from '../../../sdk/worker/index.ts';
import { nextTask, summarize } from './helpers.ts';

let worker: CacheWorkerController;

beforeAll(async () => {
  // `include` keeps the worker away from Vitest's own module requests (toolchain §5, pitfall 4).
  const store = `runtime-purge-${Math.random().toString(36).slice(2)}`;
  worker = await registerCacheWorker('/sw.js', { scope: '/', layers: ['browser'], query: { include: '/__origin/r/', store } });
});

afterAll(async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
});

async function msUntilNull(read: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  while ((await read()) !== null) {
    if (performance.now() - started > 5000) throw new Error('still readable after 5 s');
    await nextTask();
  }
  return performance.now() - started;
}

test('R120/A22: invalidateByTag and dangerouslyDeleteByTag in the worker reach hot runtime entries in the page', async () => {
  // The worker purges the default project/environment database, as pages using getCache() do.
  const cache = getCache({ namespace: `worker-purge-${Math.random().toString(36).slice(2)}` });
  const delays: number[] = [];
  for (let i = 0; i < 10; i++) {
    const tag = `wp-${i}-${Math.random().toString(36).slice(2)}`;
    await cache.set('a', i, { tags: [tag] });
    await cache.set('b', i, { tags: [`${tag}-d`] });
    expect([await cache.get('a'), await cache.get('b')]).toEqual([i, i]); // hot
    await worker.invalidateByTag(tag);
    delays.push(await msUntilNull(() => cache.get('a')));
    await worker.dangerouslyDeleteByTag(`${tag}-d`);
    delays.push(await msUntilNull(() => cache.get('b')));
    await cache.set('a', 'again', { tags: [tag] }); // re-set after an invalidation is readable
    expect(await cache.get('a')).toBe('again');
  }
  console.log(`propagation worker purge → page: ${JSON.stringify(summarize(delays))} ms over ${delays.length}`);
  expect(Math.max(...delays)).toBeLessThan(300);
});
