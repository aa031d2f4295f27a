/**
 * Defects the public HTTP caching test suite found (conformance/README.md), each checked on the real
 * built worker against the scripted origin: a browser layer in front of a cdn layer, as a site with
 * `layers=browser,cdn` runs it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,cdn' });
});
afterAll(async () => {
  await worker.setClockOffset(0);
  await stopWorkers();
});

// What the suite sends in its shared mode: the page's cache mode no-store, with its own Pragma and
// Cache-Control so Fetch adds none (a CDN sees only these headers).
const noStore: RequestInit = { cache: 'no-store', headers: { pragma: 'foo', 'cache-control': 'nothing-to-see-here' } };

test('R156: the page\'s cache: no-store bypasses the browser layer only; the cdn layer stores and reuses the answer', async () => {
  const path = await scripted('r156-no-store', [{ headers: { 'Cache-Control': 'max-age=3600' }, body: 'v{{hit}}' }]);
  expect((await get(path, noStore)).body).toBe('v1');
  const again = await get(path, noStore);
  expect(again.body).toBe('v1');
  expect(again.cacheStatus).toMatch(/^cdn; hit/);
  expect(again.cacheStatus).toMatch(/browser; fwd=request/);
  expect((await hits(path)).count).toBe(1);
});

test('an origin status the Response constructor refuses (999) reaches the page as it would without the worker', async () => {
  const path = await scripted('status-999', [{ status: 999, headers: { 'Cache-Control': 'max-age=3600', 'X-Kept': 'yes' }, body: 'odd' }], { sticky: true });
  const res = await get(path);
  expect(res.status).toBe(999);
  expect(res.body).toBe('odd');
  expect(res.headers.get('x-kept')).toBe('yes');
  await get(path);
  expect((await hits(path)).count).toBe(2); // never stored
});

test('R133 (RFC 9111 §3.1): Connection, the fields it names and Keep-Alive are not stored or replayed', async () => {
  const path = await scripted('hop-by-hop', [{ headers: { 'Cache-Control': 'max-age=3600', Connection: 'a, b', a: '1', b: '2', c: '3' }, body: 'x' }]);
  await get(path);
  const cached = await get(path);
  expect(cached.cacheStatus).toMatch(/browser; hit/);
  expect(cached.headers.get('c')).toBe('3');
  expect(cached.headers.get('a')).toBeNull();
  expect(cached.headers.get('b')).toBeNull();
  expect(cached.headers.get('keep-alive')).toBeNull();
  expect((await hits(path)).count).toBe(1);
});

test('R133 (RFC 9111 §5.2.2.3): must-understand with a status the cache does not understand is not stored', async () => {
  const path = await scripted('must-understand', [{ status: 599, headers: { 'Cache-Control': 'max-age=3600, must-understand' }, body: 'v{{hit}}' }], { sticky: true });
  await get(path);
  expect((await get(path)).body).toBe('v2');
  const known = await scripted('must-understand-200', [{ headers: { 'Cache-Control': 'max-age=3600, must-understand' }, body: 'v{{hit}}' }]);
  await get(known);
  expect((await get(known)).body).toBe('v1');
});

test.each(['abc', '-7200', '7200.0', '0, 0', '3600, 3600', '7200;foo=bar'])('R138/R139: a response with Age %j is stale on arrival', async (age) => {
  const path = await scripted('age', [{ headers: { 'Cache-Control': 'max-age=10000', Age: age }, body: 'v{{hit}}' }], { sticky: true });
  await get(path);
  expect((await get(path)).body).toBe('v2');
});

test('R149: a 304 whose ETag differs from the stored one still freshens it, and the stored ETag is kept (no refetch)', async () => {
  const path = await scripted('304-other-etag', [
    { headers: { 'Cache-Control': 'max-age=1', ETag: '"a"' }, body: 'stored' },
    { status: 304, headers: { 'Cache-Control': 'max-age=3600', ETag: '"b"' } },
  ]);
  await get(path);
  await worker.setClockOffset(5 * SECOND);
  const validated = await get(path);
  expect(validated.status).toBe(200);
  expect(validated.body).toBe('stored');
  expect(validated.headers.get('etag')).toBe('"a"');
  const origin = await hits(path);
  expect(origin.count).toBe(2);
  expect(origin.requests[1]?.headers['if-none-match']).toBe('"a"');
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  expect((await hits(path)).count).toBe(2);
});
