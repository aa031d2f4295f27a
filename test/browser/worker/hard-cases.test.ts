/**
 * The hard cases a serious HTTP cache must get right (issue 3 "Tests"; user-needs A3, A4, A5, A8, A10),
 * through the real worker with the browser and edge layers stacked.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,edge' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

test('R59: 50 concurrent requests for one uncached key make one origin request', async () => {
  const path = await scripted('herd-miss', [{ headers: { 'Cache-Control': 'max-age=60, s-maxage=60' }, body: 'v{{hit}}', delayMs: 150 }]);
  const all = await Promise.all(Array.from({ length: 50 }, () => get(path)));
  expect(new Set(all.map((r) => r.body))).toEqual(new Set(['v1']));
  expect((await hits(path)).count).toBe(1);
  expect(all.filter((r) => r.cacheStatus?.includes('collapsed')).length).toBe(49);
});

test('R59: 50 concurrent requests for a stale entry (SWR) make one origin request', async () => {
  const swr = { 'Cache-Control': 's-maxage=10, stale-while-revalidate=600' };
  // The refresh is slow, so all 50 are answered while it is still in flight.
  const path = await scripted('herd-swr', [{ headers: swr, body: 'v{{hit}}' }, { headers: swr, body: 'v{{hit}}', delayMs: 1500 }]);
  await get(path);
  await worker.setClockOffset(30 * SECOND);
  const all = await Promise.all(Array.from({ length: 50 }, () => get(path)));
  expect(all.every((r) => r.xVercelCache === 'STALE' && r.body === 'v1')).toBe(true);
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
  expect((await hits(path)).count).toBe(2);
});

test('R59: 50 concurrent requests for an expired entry (no stale window) make one revalidation', async () => {
  const path = await scripted('herd-expired', [{ headers: { 'Cache-Control': 'max-age=10' }, etag: '"h"', body: 'v{{hit}}', delayMs: 100 }]);
  await get(path);
  await worker.setClockOffset(30 * SECOND);
  const all = await Promise.all(Array.from({ length: 50 }, () => get(path)));
  expect(all.every((r) => r.status === 200 && r.body === 'v1')).toBe(true);
  const seen = await hits(path);
  expect(seen.count).toBe(2);
  // One revalidation: the browser layer asked the edge with If-None-Match and got a 304. The edge, with
  // nothing stored to validate (max-age alone is not stored there), fetched the full response and
  // answered the browser's conditional itself (R151).
  expect(all.filter((r) => /browser; fwd=stale; fwd-status=304/.test(r.cacheStatus ?? '')).length).toBe(1);
  expect(seen.requests[1]?.headers['if-none-match']).toBeUndefined();
});

test('R149: a 304 replaces Cache-Control wholesale (immutable does not stick)', async () => {
  const path = await scripted('merge', [
    { headers: { 'Cache-Control': 'max-age=10, immutable', 'X-Version': 'one' }, etag: '"m"', body: 'body' },
    { headers: { 'Cache-Control': 'max-age=100', 'X-Version': 'two' }, etag: '"m"', body: 'body' },
  ]);
  await get(path);
  await worker.setClockOffset(20 * SECOND);
  const merged = await get(path);
  expect(merged.status).toBe(200);
  expect(merged.body).toBe('body');
  expect(merged.cacheControl).toBe('max-age=100');
  expect(merged.headers.get('x-version')).toBe('two');
  // Fresh again for 100 s from the 304 …
  await worker.setClockOffset(110 * SECOND);
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  expect((await hits(path)).count).toBe(2);
  // … and without immutable a reload now revalidates (R146 no longer applies).
  await get(path, { cache: 'no-cache' });
  expect((await hits(path)).count).toBe(3);
});

test('R138: Age from upstream shortens freshness', async () => {
  const path = await scripted('upstream-age', [{ headers: { 'Cache-Control': 'max-age=60', Age: '50' }, body: 'v{{hit}}' }]);
  const first = await get(path);
  expect(first.cacheStatus).toMatch(/browser; fwd=uri-miss; fwd-status=200; ttl=(9|10); stored/);
  await worker.setClockOffset(5 * SECOND);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(15 * SECOND);
  expect((await get(path)).body).toBe('v2');
});

test('R33: a long edge lifetime with a short browser max-age makes the browser see the response stale on arrival', async () => {
  const path = await scripted('age-penalty', [{ headers: { 'Cache-Control': 'max-age=600', 'CDN-Cache-Control': 'max-age=3600' }, body: 'v{{hit}}' }]);
  await get(path);
  await worker.setClockOffset(1800 * SECOND);
  const fromEdge = await get(path);
  expect(fromEdge.xVercelCache).toBe('HIT');
  expect(fromEdge.age).toBeGreaterThanOrEqual(1800);
  // The browser layer got Age 1800 > max-age 600: stale at once, so the next request asks the edge again.
  const again = await get(path);
  expect(again.cacheStatus).toMatch(/^edge; hit; ttl=\d+, browser; fwd=/);
  expect((await hits(path)).count).toBe(1);
});

test('R137: a response without Date is dated by its receipt time', async () => {
  const path = await scripted('no-date', [{ headers: { 'Cache-Control': 'max-age=60' }, omitDate: true, body: 'v{{hit}}' }]);
  await get(path);
  await worker.setClockOffset(50 * SECOND);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(70 * SECOND);
  expect((await get(path)).body).toBe('v2');
});

test('R138: a Date in the future never makes the age negative or the entry fresher', async () => {
  const future = new Date(Date.now() + 3600_000).toUTCString();
  const path = await scripted('future-date', [{ headers: { 'Cache-Control': 'max-age=60', Date: future }, body: 'v{{hit}}' }]);
  await get(path);
  await worker.setClockOffset(50 * SECOND);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(70 * SECOND);
  expect((await get(path)).body).toBe('v2');
});

test('R38/V19: a shared layer never stores a response to a request with Authorization; the private one may', async () => {
  const path = await scripted('auth-shared', [{ headers: { 'Cache-Control': 'public, max-age=60, s-maxage=60' }, body: 'v{{hit}}' }]);
  const init = { headers: { Authorization: 'Bearer secret' } };
  const first = await get(path, init);
  expect(first.cacheStatus).toMatch(/^edge; fwd=bypass; fwd-status=200; detail=authorization, browser; fwd=uri-miss; fwd-status=200; ttl=\d+; stored$/);
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.map((e) => e.layer)).toEqual(['browser']);
  // Another "user" (no Authorization, bypassing the private layer) reaches the origin: nothing shared.
  const other = await get(path, { cache: 'no-store' });
  expect(other.body).toBe('v2');
  expect(other.xVercelCache).toBe('MISS');
});

test('R55: Vary on a header absent in both requests matches at the edge', async () => {
  const path = await scripted('vary-absent', [{ headers: { 'Cache-Control': 's-maxage=60', Vary: 'X-Absent' }, body: 'v{{hit}}' }]);
  await get(path);
  const second = await get(path);
  expect(second.xVercelCache).toBe('HIT');
  const third = await get(path, { headers: { 'X-Absent': 'now-present' } });
  expect(third.xVercelCache).toBe('MISS');
  expect((await hits(path)).count).toBe(2);
});

test('R151/R152: the page\'s own If-None-Match is answered 304 without reaching the origin', async () => {
  // The browser layer keeps the edge's answer (max-age=0 + ETag: stored, always revalidated); the
  // conditional page request makes it revalidate against the edge (fresh there, 304), and since the
  // page's validator matches, the page gets a 304 carrying only the R152 fields plus Cache-Status.
  const path = await scripted('client-inm', [{ headers: { 'Cache-Control': 's-maxage=600' }, etag: '"c1"', body: 'v{{hit}}' }]);
  await get(path);
  const res = await fetch(path, { headers: { 'If-None-Match': '"c1"' } });
  expect(res.status).toBe(304);
  expect(res.headers.get('etag')).toBe('"c1"');
  expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  expect(res.headers.get('cache-status')).toMatch(/browser; fwd=\w+; fwd-status=304; ttl=-?\d+; stored$/);
  expect((await hits(path)).count).toBe(1);
  const other = await fetch(path, { headers: { 'If-None-Match': '"other"' } });
  expect([other.status, await other.text()]).toEqual([200, 'v1']);
  expect((await hits(path)).count).toBe(1);
});
