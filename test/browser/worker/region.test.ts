/**
 * R24: the edge cache is per region — entries written in one region are not visible in another —
 * while tag purges are global. Each region is a registration of the worker with `region=<id>` on the
 * same HTTP store, so the regions share storage exactly as Vercel's regions share a purge.
 */
import { afterAll, expect, test } from 'vitest';
import { isTierCacheError } from '../../../sdk/errors.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

afterAll(stopWorkers);

const store = `region-${Math.random().toString(36).slice(2, 8)}`;

/** The worker as one region's edge, on the shared store (a new registration replaces the previous one). */
async function inRegion(region: string): Promise<CacheWorkerController> {
  return startWorker({ layers: 'edge', store }, { region });
}

test('R24: an entry written in one region is not visible in another, and still there in its own', async () => {
  const path = await scripted('region-split', [{ headers: { 'Cache-Control': 's-maxage=600' }, body: 'v{{hit}}' }]);
  let worker = await inRegion('fra1');
  expect(((await worker.inspect()).config.region)).toBe('fra1');
  const first = await get(path);
  expect([first.body, first.xVercelCache]).toEqual(['v1', 'MISS']);
  expect((await get(path)).xVercelCache).toBe('HIT');
  await worker.inspect(); // the write has landed before the next region starts

  worker = await inRegion('iad1');
  const other = await get(path);
  expect([other.body, other.xVercelCache]).toEqual(['v2', 'MISS']);
  expect((await get(path)).body).toBe('v2');
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries).toHaveLength(2); // one copy per region in the one store
  expect(entries.map((e) => e.key.includes('"fra1"') ? 'fra1' : e.key.includes('"iad1"') ? 'iad1' : '?').sort()).toEqual(['fra1', 'iad1']);

  await inRegion('fra1');
  const back = await get(path);
  expect([back.body, back.xVercelCache]).toEqual(['v1', 'HIT']);
  expect((await hits(path)).count).toBe(2);
});

test('R24: tag purges are global — an invalidation sent in one region marks the copies of every region', async () => {
  const tag = `global-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('region-purge', [{ headers: { 'Cache-Control': 's-maxage=600', 'Vercel-Cache-Tag': tag }, body: 'v{{hit}}' }]);
  let worker = await inRegion('fra1');
  expect((await get(path)).body).toBe('v1');
  await worker.inspect();

  worker = await inRegion('iad1');
  expect((await get(path)).body).toBe('v2');
  const result = await worker.invalidateByTag(tag);
  expect(result.entries).toBe(2);
  const marked = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(marked.map((e) => e.invalidated)).toEqual([true, true]);

  // Back in fra1: its copy was purged from iad1, so it is served STALE and refreshed (R78).
  await inRegion('fra1');
  const stale = await get(path);
  expect([stale.body, stale.xVercelCache]).toEqual(['v1', 'STALE']);
});

test('R24/R127: the configured region is where requests arrive: x-vercel-id starts with it unless the visitor names one', async () => {
  const worker = await inRegion('hnd1');
  const path = await scripted('region-id', [{ headers: { 'Cache-Control': 'no-store' }, body: 'x' }]);
  await get(path);
  await worker.setVisitorLocation({ country: 'JP' });
  await get(path);
  await worker.setVisitorLocation({ region: 'kix1' });
  await get(path);
  await worker.setVisitorLocation(null);
  const ids = (await hits(path)).requests.map((r) => r.headers['x-vercel-id'] ?? '');
  expect(ids.map((id) => id.split(':')[0])).toEqual(['hnd1', 'hnd1', 'kix1']);
});

test('R24: an invalid region parameter is reported by inspect() and the worker runs without a region', async () => {
  const worker = await startWorker({ layers: 'edge', region: 'FRA:1' });
  const { config } = await worker.inspect();
  expect(config.region).toBeUndefined();
  expect(config.issues).toEqual([expect.objectContaining({ param: 'region', value: 'FRA:1' })]);
  const path = await scripted('region-none', [{ headers: { 'Cache-Control': 's-maxage=600' }, body: 'v{{hit}}' }]);
  await get(path);
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('R24: registerCacheWorker rejects a malformed region before registering (invalid-options)', async () => {
  const error: unknown = await startWorker({ layers: 'edge' }, { region: 'Frankfurt 1' }).catch((e: unknown) => e);
  expect(isTierCacheError(error) && error.code).toBe('invalid-options');
});
