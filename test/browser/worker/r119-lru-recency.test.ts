/**
 * R119 (IMPL: LRU where a read refreshes recency) across a worker restart: the recency of a hit is
 * persisted behind the response, on its own (no later write needed), so the next worker instance
 * evicts the entry the page used least recently, not the one stored first.
 */
import { openDB } from 'idb';
import { afterAll, expect, test } from 'vitest';
import { get, scripted, startWorker, stopWorkers } from './harness.ts';

afterAll(stopWorkers);

/** lastUsed of the browser-layer entry for a path, as persisted in the worker's IndexedDB. */
async function persistedLastUsed(store: string, path: string): Promise<number | undefined> {
  const db = await openDB(`tiercache-http-${store}`);
  try {
    const entries = (await db.getAll('entries')) as { layer: string; url: string; lastUsed: number }[];
    return entries.find((e) => e.layer === 'browser' && e.url.endsWith(path))?.lastUsed;
  } finally {
    db.close();
  }
}

test('R119: a hit\'s recency survives a worker restart without any later write, and orders eviction there', async () => {
  const store = `r119-${Math.random().toString(36).slice(2)}`;
  const body = { bodyBytes: 1200 };
  const a = await scripted('recency-a', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);
  const b = await scripted('recency-b', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);
  const c = await scripted('recency-c', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);

  const first = await startWorker({ layers: 'browser', store, budget: '3000' });
  await get(a);
  await get(b);
  await first.inspect(); // both stores have landed
  expect((await get(a)).cacheStatus).toMatch(/^browser; hit/); // a is now used more recently than b
  // Nothing is written after the hit: its recency still reaches IndexedDB.
  await expect.poll(async () => (await persistedLastUsed(store, a)) ?? 0, { timeout: 5000, interval: 100 }).toBeGreaterThan((await persistedLastUsed(store, b)) ?? Infinity);
  await stopWorkers();

  const second = await startWorker({ layers: 'browser', store, budget: '3000', deployment: 'restarted' });
  expect((await get(c)).cacheStatus).toMatch(/^browser; fwd=uri-miss/); // 3600 bytes > 3000: one entry goes
  const kept = (await second.inspect()).entries.filter((e) => e.layer === 'browser').map((e) => e.url.match(/recency-(\w)/)?.[1]);
  expect(kept.sort()).toEqual(['a', 'c']);
});
