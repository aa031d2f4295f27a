/**
 * Found by the fault storm (fault-storm.test.ts): when deleting an entry's metadata AND its body both
 * failed, the entry left the running worker's mirror but stayed in IndexedDB and Cache Storage, and
 * the next worker loaded it again — a purged response served after a restart. The store now retries
 * such removals until they stick. Real Chromium storage, faults through the store's option seams.
 */
import { expect, test } from 'vitest';
import { createStorageFaults, openHttpStore, type HttpStore } from '../../../sw/store/index.ts';
import { sleep } from './harness.ts';

type Rec = { status: number };

function names() {
  const name = `resurrect-${crypto.randomUUID()}`;
  return { dbName: name, cachePrefix: name };
}

const entry = (id: string) => ({ id, layer: 'edge' as const, primaryKey: `pk:${id}`, url: `https://x.test/${id}`, tags: ['t'], deployment: 'd', storedAt: 1, record: { status: 200 } });
const body = (text: string) => new TextEncoder().encode(text).buffer;

async function storeWithFaults(n: ReturnType<typeof names>) {
  const faults = createStorageFaults(indexedDB, caches);
  const errors: unknown[] = [];
  const store: HttpStore<Rec> = await openHttpStore<Rec>({ ...n, indexedDB: faults.indexedDB, caches: faults.caches, onError: (e) => errors.push(e) });
  return { store, faults, errors };
}

test('a delete whose metadata write and body delete both fail does not come back after a restart', async () => {
  const n = names();
  const { store, faults } = await storeWithFaults(n);
  await store.put(entry('gone'), body('purged'));
  await store.put(entry('kept'), body('kept'));
  faults.arm([
    { target: 'indexedDB', on: 'write', kind: 'error', times: 2 }, // the write and its retry on a fresh connection
    { target: 'caches', on: 'open', kind: 'quota', times: 1 },
  ]);
  await expect(store.delete('gone')).rejects.toMatchObject({ name: 'StoreError' });
  expect(await store.get('gone')).toBeUndefined();
  await sleep(400); // storage healthy again: the removal is retried
  const restarted = await openHttpStore<Rec>(n);
  expect((await restarted.list()).map((m) => m.id)).toEqual(['kept']);
  expect(await restarted.get('gone')).toBeUndefined();
});

test('an invalidation mark that could not be saved never comes back unmarked after a restart', async () => {
  const n = names();
  const { store, faults } = await storeWithFaults(n);
  await store.put(entry('marked'), body('old'));
  faults.arm([
    { target: 'indexedDB', on: 'write', kind: 'quota', times: 1 }, // quota is not retried on a fresh connection
    { target: 'caches', on: 'open', kind: 'abort-quota', times: 1 },
  ]);
  await expect(store.updateMeta('marked', (m) => ({ ...m, record: { status: 299 } }))).rejects.toMatchObject({ name: 'StoreError' });
  await sleep(400);
  const restarted = await openHttpStore<Rec>(n);
  expect(await restarted.list()).toEqual([]);
});

test('a retried removal never deletes an entry stored again under the same id meanwhile', async () => {
  const n = names();
  const { store, faults } = await storeWithFaults(n);
  await store.put(entry('again'), body('first'));
  faults.arm([
    { target: 'indexedDB', on: 'write', kind: 'error', times: 2 },
    { target: 'caches', on: 'open', kind: 'error', times: 1 },
  ]);
  await expect(store.delete('again')).rejects.toMatchObject({ name: 'StoreError' });
  await store.put(entry('again'), body('second')); // faults spent: this one sticks
  await sleep(400);
  const restarted = await openHttpStore<Rec>(n);
  const hit = await restarted.get('again');
  expect(hit && new TextDecoder().decode(hit.body)).toBe('second');
});
