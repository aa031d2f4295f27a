/**
 * R137/R138: a response without Date is dated by the cache's own receipt time, to the millisecond.
 * An HTTP-date has whole seconds only: counting the truncated part as age would use up most of a
 * one-second lifetime (s-maxage=1) in every layer.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,cdn,edge' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

/**
 * A clock offset of about `seconds` that puts the worker's clock 850 ms into a second: a Date added
 * with whole seconds would then be 0.85 s older than the receipt time.
 */
function lateInASecond(seconds: number): number {
  const base = seconds * SECOND;
  return base + ((850 - ((Date.now() + base) % SECOND) + SECOND) % SECOND);
}

test('R137/R138: a 304 without Date refreshes every layer with apparent age 0, so s-maxage=1 / max-age=1 still lasts a second', async () => {
  const path = await scripted('no-date-304', [{ headers: { 'Cache-Control': 's-maxage=1, max-age=1' }, etag: '"a"', omitDate: true, body: 'v{{hit}}' }]);
  expect((await get(path)).body).toBe('v1');
  const offset = lateInASecond(2);
  await worker.setClockOffset(offset);
  const revalidated = await get(path);
  expect(revalidated.body).toBe('v1');
  expect(revalidated.cacheStatus).toMatch(/^edge; fwd=stale; fwd-status=304; ttl=1; stored, cdn; fwd=stale; fwd-status=304; ttl=1; stored, browser; fwd=stale; fwd-status=304; ttl=1; stored$/);
  expect(revalidated.headers.get('date')).toBeNull(); // no whole-second Date invented on the way
  expect((await hits(path)).count).toBe(2);
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.map((e) => e.layer).sort()).toEqual(['browser', 'cdn', 'edge']);
  for (const entry of entries) expect(entry.age).toBeLessThan(0.5);
  // 0.4 s later every copy is still fresh: the page is answered by the browser layer.
  await worker.setClockOffset(offset + 400);
  const later = await get(path);
  expect(later.body).toBe('v1');
  expect(later.cacheStatus).toMatch(/browser; hit/);
  expect((await hits(path)).count).toBe(2);
});

test('R137: a response stored on a miss without Date is aged from its receipt time', async () => {
  await worker.setClockOffset(lateInASecond(0));
  const path = await scripted('no-date-miss', [{ headers: { 'Cache-Control': 's-maxage=1, max-age=1' }, omitDate: true, body: 'v{{hit}}' }]);
  const first = await get(path);
  expect(first.headers.get('date')).toBeNull();
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.length).toBe(3);
  for (const entry of entries) expect(entry.age).toBeLessThan(0.5);
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  expect((await hits(path)).count).toBe(1);
});

test('R138: with a fractional clock offset the origin\'s Date is shifted by whole seconds rounded up, never made older', async () => {
  const date = Math.floor(Date.now() / SECOND) * SECOND;
  const path = await scripted('shifted-date', [{
    headers: { 'Cache-Control': 's-maxage=1, max-age=1', Date: new Date(date).toUTCString(), Expires: new Date(date + 60 * SECOND).toUTCString() },
    body: 'v{{hit}}',
  }]);
  await worker.setClockOffset(2950);
  const seen = await get(path);
  expect(seen.body).toBe('v1');
  // Truncating 2.95 s to 2 s would add 0.95 s of apparent age to a one-second lifetime.
  expect(Date.parse(seen.headers.get('date') ?? '')).toBe(date + 3 * SECOND);
  expect(Date.parse(seen.headers.get('expires') ?? '')).toBe(date + 63 * SECOND); // Expires − Date unchanged
});
