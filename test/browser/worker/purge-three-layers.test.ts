/**
 * Tag purges with all three layers on (R77, R78): the browser layer's refresh of a purged copy must not
 * be answered from the downstream CDN's equally purged copy, or the page keeps the old content for the
 * whole max-age. The refresh asks end to end (`Cache-Control: no-cache`, RFC 9111 §5.2.1.4).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,cdn,edge' });
});
afterAll(stopWorkers);

test('R77, R78: after invalidateByTag every layer refreshes, and the page gets the new content (not the CDN\'s purged copy)', async () => {
  const tag = `three-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('three-layers', [{
    headers: { 'Cache-Control': 'max-age=3600, s-maxage=3600', 'Vercel-Cache-Tag': tag },
    body: 'v{{hit}}',
  }]);
  await get(path);
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  const result = await worker.invalidateByTag(tag);
  expect(result.entries).toBe(3);
  expect((await get(path)).body).toBe('v1'); // stale from the browser layer, refresh behind it (R78)
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.map((e) => [e.layer, e.invalidated]).sort()).toEqual([['browser', false], ['cdn', false], ['edge', false]]);
});
