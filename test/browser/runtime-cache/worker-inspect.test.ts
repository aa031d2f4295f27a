/**
 * The worker's inspect() lists the runtime cache's entries (what the devtools' Stores view shows): the
 * built worker reads the default project/environment database that pages' getCache() writes, in real
 * Chromium IndexedDB.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { djb2Hash } from '../../../sdk/runtime-cache/key-transform.ts';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { registerCacheWorker, type CacheWorkerController, type InspectResult } from '../../../sdk/worker/index.ts';

let worker: CacheWorkerController;
const run = Math.random().toString(36).slice(2);

beforeAll(async () => {
  worker = await registerCacheWorker('/sw.js', { scope: '/', layers: ['browser'], query: { include: '/__origin/r/', store: `runtime-inspect-${run}` } });
});

afterAll(async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
});

function mine(result: InspectResult, namespace: string): InspectResult['runtime']['entries'] {
  return result.runtime.entries.filter((e) => e.namespace === namespace).sort((a, b) => a.key.localeCompare(b.key));
}

test('R93, R101, R102, R120: inspect() lists getCache() entries with namespace, key, stored key, tags, expiry, size and whether they still read', async () => {
  const namespace = `inspect-${run}`;
  const cache = getCache({ namespace });
  const before = Date.now();
  await cache.set('p:1', { name: 'Lamp' }, { ttl: 60, tags: ['product', `t-${run}`] });
  await cache.set('weird ] "key"', 1); // no ttl, no tags; a `]` and quotes inside the key
  // Written 2 min ago with a 60 s ttl: past its expiry on the real clock (R101).
  await getCache({ namespace, now: () => Date.now() - 120_000 }).set('old', 'x', { ttl: 60 });

  const listed = mine(await worker.inspect(), namespace);
  expect(listed.map((e) => [e.key, e.status])).toEqual([['old', 'expired'], ['p:1', 'live'], ['weird ] "key"', 'live']]);
  const [, product, weird] = listed;
  expect(product).toMatchObject({ namespace, storedKey: `${namespace}$${djb2Hash('p:1')}`, tags: ['product', `t-${run}`], size: JSON.stringify({ name: 'Lamp' }).length });
  expect(product?.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
  expect(product?.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  expect(weird).toMatchObject({ tags: [], expiresAt: undefined, size: 1 });

  // A tag purge from the page's getCache() marks the entry; it stays listed until swept, as tag-expired.
  await cache.expireTag(`t-${run}`);
  const after = mine(await worker.inspect(), namespace);
  expect(after.find((e) => e.key === 'p:1')?.status).toBe('tag-expired');
  expect(await cache.get('p:1')).toBeNull();
  expect(after.find((e) => e.key === 'weird ] "key"')?.status).toBe('live');
  expect((await worker.inspect()).runtime.database).toBe('tiercache-runtime:default:production');
});
