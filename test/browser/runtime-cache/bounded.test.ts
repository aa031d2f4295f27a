/** R119: an optional byte budget per project/environment, least recently used entries evicted past it. */
import { afterEach, expect, test } from 'vitest';
import { getCache, type RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';
import { dbName, openContext, rawRecords, uniqueProject, waitUntilTrue } from './helpers.ts';

afterEach(() => {
  for (const frame of document.querySelectorAll('iframe')) frame.remove();
});

const KB = 'x'.repeat(998); // its JSON text, with the quotes, is 1,000 characters

/** The unhashed keys (R89 labels) of what is on disk, sorted. */
async function storedNames(projectId: string): Promise<(string | undefined)[]> {
  return (await rawRecords(dbName(projectId))).map((r) => r.name).sort();
}

test('R119: past maxBytes the least recently used entries are evicted from disk and from the hot copies', async () => {
  const projectId = uniqueProject('lru');
  const failures: RuntimeCacheFailure[] = [];
  const cache = getCache({ projectId, maxBytes: 3500, onError: (f) => failures.push(f) });
  for (const key of ['a', 'b', 'c', 'd', 'e']) await cache.set(key, KB);
  await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).length === 3, 5000);
  expect(await storedNames(projectId)).toEqual(['c', 'd', 'e']);
  expect((await rawRecords(dbName(projectId))).map((r) => r.b)).toEqual([1000, 1000, 1000]);
  expect([await cache.get('a'), await cache.get('b')]).toEqual([null, null]); // not served from memory either
  expect(await cache.get('e')).toBe(KB);
  expect(failures).toEqual([]); // an eviction is the budget working, not a failure
});

test('R119: a get refreshes recency, so the entry just read survives the next eviction', async () => {
  const projectId = uniqueProject('lru-get');
  const cache = getCache({ projectId, maxBytes: 3500 });
  for (const key of ['a', 'b', 'c']) await cache.set(key, KB);
  expect(await cache.get('a')).toBe(KB); // a warm read: recency is batched, not written on the read path
  await cache.set('d', KB);
  await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).length === 3, 5000);
  expect(await storedNames(projectId)).toEqual(['a', 'c', 'd']);
  expect(await cache.get('b')).toBeNull();
});

test('R119: a cold read in another context counts as use too, and evictions reach that context\'s hot copies', async () => {
  const projectId = uniqueProject('lru-cold');
  const writer = getCache({ projectId, maxBytes: 3500 });
  for (const key of ['a', 'b', 'c']) await writer.set(key, KB);
  // Another tab with the same budget: its reads are cold (nothing in its memory), then hot.
  const { api } = await openContext();
  const reader = api.getCache({ projectId, maxBytes: 3500 });
  expect([await reader.get('a'), await reader.get('b')]).toEqual([KB, KB]);
  // Its recency is written within about a second (TOUCH_FLUSH_MS), as one batch.
  await waitUntilTrue(async () => {
    const records = await rawRecords(dbName(projectId));
    const at = (name: string): number => records.find((r) => r.name === name)?.at ?? 0;
    return at('b') > at('c');
  }, 5000);
  await writer.set('d', KB);
  await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).length === 3, 5000);
  expect(await storedNames(projectId)).toEqual(['a', 'b', 'd']);
  await writer.set('e', KB); // evicts a, the oldest use, which the reader holds hot
  await waitUntilTrue(async () => (await reader.get('a')) === null, 5000);
  expect(await reader.get('b')).toBe(KB);
});

test('R119: an item larger than the whole budget does not stay (LRU evicts down to the budget)', async () => {
  const projectId = uniqueProject('lru-big');
  const cache = getCache({ projectId, maxBytes: 2500 });
  await cache.set('small', KB);
  await cache.set('big', 'y'.repeat(3000));
  await waitUntilTrue(async () => (await cache.get('big')) === null, 5000);
  // Evicting least recently used first until the rest fits removes `small`, then `big` itself.
  expect(await storedNames(projectId)).toEqual([]);
  await cache.set('after', KB);
  expect(await cache.get('after')).toBe(KB);
});

test('R119: without maxBytes nothing is evicted; a bad maxBytes is a programmer error', async () => {
  const projectId = uniqueProject('unbounded');
  const cache = getCache({ projectId });
  for (let i = 0; i < 20; i++) await cache.set(`k${i}`, KB);
  expect((await rawRecords(dbName(projectId))).length).toBe(20);
  for (const maxBytes of [0, -1, Number.NaN, Infinity, '1000']) {
    expect(() => getCache({ projectId, maxBytes: maxBytes as number })).toThrow(expect.objectContaining({ code: 'invalid-options' }) as Error);
  }
});
