/**
 * A stale answer and its own background refresh race for the same entry. On a loaded machine Cache
 * Storage can answer later than the local origin: the refresh then lands (deletes or replaces the
 * entry) while the stale answer is still opening the body. The request that triggered the refresh
 * must still get the stale copy (R12, R78, R79), never a miss and never the refreshed body.
 *
 * The slow read is real Cache Storage, held back 200 ms by the worker's test-only fault seam
 * (testHooks=1, `kind: 'slow'`).
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { BackendFaultRule } from '../../../sdk/protocol.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, injectBackendFault, scripted, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'edge', testHooks: '1' });
});
beforeEach(() => slowBodyReads(0));
afterAll(stopWorkers);

/** The next `times` Cache Storage reads in the worker answer 200 ms late. */
async function slowBodyReads(times: number): Promise<void> {
  const rules: BackendFaultRule[] = times > 0 ? [{ target: 'caches', on: 'read', kind: 'slow', times }] : [];
  await injectBackendFault(rules);
}

const tagged = (tag: string) => ({ headers: { 'Cache-Control': 's-maxage=3600', 'Vercel-Cache-Tag': tag }, body: 'v{{hit}}' });

test('R79/R47: a refresh that deletes the entry (404 no-store) while the stale body is still being read leaves the answer STALE', async () => {
  const tag = `race-del-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('race-delete', [tagged(tag), { status: 404, headers: { 'Cache-Control': 'no-store' }, body: 'gone' }]);
  await get(path);
  await worker.dangerouslyDeleteByTag(tag, { revalidationDeadlineSeconds: 60 });
  await slowBodyReads(1);
  const stale = await get(path);
  expect(stale.xVercelCache, `Cache-Status: ${stale.cacheStatus}`).toBe('STALE');
  expect(stale.body).toBe('v1');
  // The refresh did run and its 404 removed the entry: the next request goes to the origin.
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('gone');
});

test('R78/R12: a refresh that replaces the entry while the stale body is still being read leaves the answer the old copy', async () => {
  const tag = `race-rep-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('race-replace', [tagged(tag)]);
  await get(path);
  await worker.invalidateByTag(tag);
  await slowBodyReads(1);
  const stale = await get(path);
  expect(stale.xVercelCache, `Cache-Status: ${stale.cacheStatus}`).toBe('STALE');
  expect(stale.body).toBe('v1');
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
  expect((await get(path)).xVercelCache).toBe('HIT');
});
