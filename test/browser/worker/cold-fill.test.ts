/**
 * R151 / RFC 9111 §4.3.1–§4.3.2: a layer with nothing stored to validate never forwards the layers
 * below's validators; it fetches the full response, stores it, and answers their conditional itself.
 * Otherwise a cold edge under warm browser/cdn copies would get 304s it cannot store, forever.
 */
import { afterAll, expect, test } from 'vitest';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

afterAll(stopWorkers);

const layers = 'browser,cdn,edge';

test('R151: after a deployment switch the cold edge fills again (MISS, then HIT) while the browser and cdn keep their validators', async () => {
  const store = `cold-${Math.random().toString(36).slice(2)}`;
  const first = await startWorker({ layers, deployment: 'dpl-a', store });
  // The edge keeps it an hour; the layers below get max-age=0 and revalidate every time with If-None-Match.
  const path = await scripted('cold-edge', [{ headers: { 'Cache-Control': 's-maxage=3600, max-age=0' }, etag: '"same"', body: 'page' }]);
  const warm = [await get(path), await get(path)];
  expect(warm.map((r) => r.xVercelCache)).toEqual(['MISS', 'HIT']);
  expect(warm.map((r) => r.body)).toEqual(['page', 'page']);
  expect(warm[1]?.cacheStatus).toMatch(/^edge; hit.*, cdn; fwd=stale; fwd-status=304.*, browser; fwd=stale; fwd-status=304/);
  expect((await hits(path)).count).toBe(1);
  expect((await first.inspect()).entries.map((e) => e.layer).sort()).toEqual(['browser', 'cdn', 'edge']);

  await startWorker({ layers, deployment: 'dpl-b', store }); // a new deployment: the edge starts cold (R50)
  const refill = await get(path);
  expect(refill.status).toBe(200);
  expect(refill.body).toBe('page');
  expect(refill.xVercelCache).toBe('MISS');
  // The edge asked the origin for the full response (no If-None-Match), stored it and answered the cdn's conditional.
  const origin = await hits(path);
  expect(origin.count).toBe(2);
  expect(origin.requests[1]?.headers['if-none-match']).toBeUndefined();
  expect(refill.cacheStatus).toMatch(/^edge; fwd=uri-miss; fwd-status=200;[^,]*stored, cdn; fwd=stale; fwd-status=304/);

  const afterwards = [await get(path), await get(path)];
  expect(afterwards.map((r) => r.xVercelCache)).toEqual(['HIT', 'HIT']);
  expect(afterwards.map((r) => r.body)).toEqual(['page', 'page']);
  expect((await hits(path)).count).toBe(2);
});

test('R151: a cold layer answers with the full response when the validators below do not match the new one', async () => {
  const store = `cold-${Math.random().toString(36).slice(2)}`;
  await startWorker({ layers, deployment: 'dpl-a', store });
  const path = await scripted('cold-edge-new', [
    { headers: { 'Cache-Control': 's-maxage=3600, max-age=0' }, etag: '"one"', body: 'old page' },
    { headers: { 'Cache-Control': 's-maxage=3600, max-age=0' }, etag: '"two"', body: 'new page' },
  ]);
  expect((await get(path)).body).toBe('old page');
  await startWorker({ layers, deployment: 'dpl-b', store });
  const refill = await get(path);
  expect(refill.status).toBe(200);
  expect(refill.body).toBe('new page');
  expect(refill.xVercelCache).toBe('MISS');
  expect(refill.headers.get('etag')).toBe('"two"');
  const next = await get(path);
  expect(next.body).toBe('new page');
  expect(next.xVercelCache).toBe('HIT');
  expect((await hits(path)).count).toBe(2);
});
