import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,edge' });
});
afterAll(stopWorkers);

test('the worker controls the page and caches at the edge', async () => {
  const path = await scripted('smoke', [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'v{{hit}}' }]);
  const first = await get(path);
  const second = await get(path);
  console.log(first.cacheStatus, first.xVercelCache, second.cacheStatus, second.xVercelCache, second.age);
  expect(first.body).toBe('v1');
  expect(second.body).toBe('v1');
  expect((await hits(path)).count).toBe(1);
  const inspected = await worker.inspect();
  expect(inspected.entries.length).toBeGreaterThan(0);
});
