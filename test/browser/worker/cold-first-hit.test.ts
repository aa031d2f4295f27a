/**
 * A cold start's first request (issue 14): the browser stopped the worker (DevTools' "Stop", as an idle
 * worker is stopped), and the request that starts it again is answered before the store has finished
 * opening, by a point read of its key's records and body. What it serves must be what the opened store
 * would serve: purge marks, deletions, a purgeAll, a vanished body and the saved clock offset all hold
 * on that first request. Real Chromium, a registered built worker, its IndexedDB and Cache Storage.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, injectBackendFault, script, startWorker, stopIdleWorker, stopWorkerNow, stopWorkers, uniquePath } from './harness.ts';

const STORE = `cold-${Math.random().toString(36).slice(2)}`;
let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'edge', store: STORE, testHooks: '1' }); // testHooks: the slow-write seam
});
afterEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

/** A response the edge keeps for an hour, tagged with `tag`. */
const tagged = (tag: string) => ({ headers: { 'Cache-Control': 's-maxage=3600', 'Vercel-Cache-Tag': tag }, body: 'v{{hit}}' });

/**
 * Stores `count` cacheable responses at the edge, each tagged with its own unique path's last segment:
 * a retried test never purges the first try's entries.
 */
async function storeMany(name: string, count: number): Promise<{ path: string; tag: string }[]> {
  const stored = await Promise.all(
    Array.from({ length: count }, async () => {
      const path = uniquePath(name);
      const tag = path.slice(path.lastIndexOf('/') + 1);
      await script(path, [tagged(tag)]);
      return { path, tag };
    }),
  );
  for (const { path } of stored) await get(path);
  return stored;
}

async function storeOne(name: string): Promise<{ path: string; tag: string }> {
  const [one] = await storeMany(name, 1);
  if (!one) throw new Error('storeMany stored nothing');
  return one;
}

test('R9 on a cold start: a worker stopped with 100 stored entries serves its first request from the store (HIT, origin not contacted)', async () => {
  const path = (await storeMany('many', 100))[57]?.path ?? '';
  await stopIdleWorker(worker);
  const first = await get(path);
  expect(first.xVercelCache).toBe('HIT');
  expect(first.body).toBe('v1');
  expect((await hits(path)).count).toBe(1);
}, 30_000);

test('R78 on a cold start: an entry invalidated by tag before the worker stopped is served STALE on the first request, never fresh', async () => {
  const { path, tag } = await storeOne('inv');
  const { path: other } = await storeOne('inv');
  expect((await worker.invalidateByTag(tag)).entries).toBe(1);
  await stopIdleWorker(worker);
  const first = await get(path);
  expect(first.xVercelCache).toBe('STALE');
  expect(first.body).toBe('v1');
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2); // refreshed behind it
  expect((await get(other)).xVercelCache).toBe('HIT'); // R72: other tags untouched
});

test('R79 on a cold start: an entry deleted by tag before the worker stopped is not served: the first request waits for the origin', async () => {
  const { path, tag } = await storeOne('del');
  expect((await worker.dangerouslyDeleteByTag(tag)).entries).toBe(1);
  await stopIdleWorker(worker);
  const first = await get(path);
  expect(first.body).toBe('v2');
  expect(first.xVercelCache).toBe('REVALIDATED');
  expect((await hits(path)).count).toBe(2);
});

test('R83 (purge of the whole project) on a cold start: after purgeAll from the page, the restarted worker\'s first request is a MISS', async () => {
  const { path } = await storeOne('all');
  await worker.purgeAll();
  await stopIdleWorker(worker);
  const first = await get(path);
  expect(first.body).toBe('v2');
  expect(first.xVercelCache).toBe('MISS');
});

test('on a cold start, metadata whose body is gone from Cache Storage is a miss (never an empty or foreign body)', async () => {
  const { path } = await storeOne('nobody');
  await stopIdleWorker(worker);
  expect(await caches.delete(`tiercache-http-${STORE}-edge`)).toBe(true); // site data partly cleared
  const first = await get(path);
  expect(first.body).toBe('v2');
  expect(first.xVercelCache).toBe('MISS');
});

test('R136 with the saved clock offset: an entry past its s-maxage on that clock is not served fresh on a cold start\'s first request', async () => {
  const { path } = await storeOne('clock');
  await worker.setClockOffset(2 * 3600 * 1000);
  await stopIdleWorker(worker);
  const first = await get(path);
  expect(first.xVercelCache).not.toBe('HIT');
  expect(first.body).toBe('v2');
  expect((await hits(path)).count).toBe(2);
});

test('a worker stopped while a stored response\'s write is still running loses only that copy: the restarted worker\'s first request goes to the origin (MISS), never a partial entry', async () => {
  const { path: kept } = await storeOne('cut-kept');
  const path = await script(uniquePath('cut'), [tagged('cut')]);
  // The next Cache Storage write answers 200 ms late: the page has the whole body long before.
  await injectBackendFault([{ target: 'caches', on: 'write', kind: 'slow', times: 1 }]);
  expect((await get(path)).body).toBe('v1');
  await stopWorkerNow(); // DevTools' "Stop": the write behind the response is cut
  const first = await get(path);
  expect([first.xVercelCache, first.body]).toEqual(['MISS', 'v2']);
  expect((await hits(path)).count).toBe(2);
  expect((await get(kept)).xVercelCache).toBe('HIT'); // written before: kept
  expect((await get(path)).body).toBe('v2'); // the new copy is stored as usual
});
