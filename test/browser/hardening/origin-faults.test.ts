/**
 * Issue 7, faults at the origin while requests pile up: a resetting origin under a herd, 5xx during
 * background refreshes, and a hanging origin (a revalidation must time out and free its slot, user-needs
 * hard case 8). The page's fetch succeeds from the network or an allowed stale copy, or fails exactly
 * as it would without the worker; nothing wrong is stored.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, script, SECOND, sleep, startWorker, stopWorkers, uniquePath } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,edge', upstreamTimeoutMs: '600' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(async () => {
  await fetch('/__origin/reset', { method: 'POST', body: JSON.stringify({ prefix: 'hard-' }) });
  await stopWorkers();
});

async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([promise, sleep(ms).then(() => 'timed out' as const)]);
}

test('R144: a herd of 20 requests for an expired entry while the origin resets gets the stale copy, never an error', async () => {
  const path = await script(uniquePath('hard-reset-herd'), [
    { headers: { 'Cache-Control': 'max-age=5, stale-if-error=600' }, body: 'v{{hit}}' },
    { fail: 'network', delayMs: 50 },
  ]);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(30 * SECOND);
  const all = await Promise.all(Array.from({ length: 20 }, () => get(path)));
  expect(all.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 20 }, () => '200 v1'));
  expect(all.every((r) => /browser; fwd=stale; .*detail=stale-if-error/.test(r.cacheStatus ?? ''))).toBe(true);
  // (Chromium retries a request whose reused connection was reset, so origin hits are not counted here.)
  expect((await worker.inspect()).entries.filter((e) => e.url.endsWith(path)).every((e) => e.size === 2)).toBe(true);
});

test('R59/hard case 8: a herd of 20 requests for an expired entry while the origin answers 503 makes one revalidation and gets the stale copy', async () => {
  const path = await script(uniquePath('hard-503-herd'), [
    { headers: { 'Cache-Control': 'max-age=5, stale-if-error=600' }, body: 'v{{hit}}' },
    { status: 503, body: 'down', delayMs: 100 },
  ]);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(30 * SECOND);
  const all = await Promise.all(Array.from({ length: 20 }, () => get(path)));
  expect(all.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 20 }, () => '200 v1'));
  // The waiters share the leader's outcome instead of each asking the failing origin again.
  expect((await hits(path)).count).toBe(2);
});

test('R61: with nothing stored, a resetting origin fails every herd request like the network would, stores nothing, and recovery stores again', async () => {
  const path = await script(uniquePath('hard-reset-cold'), [{ fail: 'network', delayMs: 50 }]);
  const outcomes = await Promise.all(Array.from({ length: 20 }, () => get(path).then(() => 'answered', (e: unknown) => (e instanceof TypeError ? 'network error' : String(e)))));
  expect(new Set(outcomes)).toEqual(new Set(['network error']));
  expect((await worker.inspect()).entries.filter((e) => e.url.endsWith(path))).toEqual([]);
  await script(path, [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'back' }]);
  expect((await get(path)).body).toBe('back');
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('R58: 5xx answers to background refreshes keep the last good copy; the next refresh after recovery replaces it', async () => {
  const path = await script(uniquePath('hard-5xx-swr'), [
    { headers: { 'Cache-Control': 's-maxage=5, stale-while-revalidate=600' }, body: 'good{{hit}}' },
    { status: 503, headers: { 'Cache-Control': 's-maxage=5' }, body: 'down' },
  ]);
  expect((await get(path)).body).toBe('good1');
  await worker.setClockOffset(30 * SECOND);
  for (let i = 0; i < 5; i++) {
    const stale = await get(path);
    expect([stale.status, stale.body, stale.xVercelCache]).toEqual([200, 'good1', 'STALE']);
    await sleep(30);
  }
  await expect.poll(async () => (await hits(path)).count).toBeGreaterThanOrEqual(3); // refreshes were retried, not cached as errors
  await script(path, [{ headers: { 'Cache-Control': 's-maxage=600' }, body: 'fixed' }]);
  await get(path); // STALE, and a refresh that now succeeds
  await expect.poll(async () => (await get(path)).body).toBe('fixed');
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('hard case 8: a background refresh against a hanging origin times out and frees its slot for the next one', async () => {
  const path = await script(uniquePath('hard-hang-swr'), [
    { headers: { 'Cache-Control': 's-maxage=5, stale-while-revalidate=600' }, body: 'v{{hit}}' },
    { fail: 'hang' },
  ]);
  await get(path);
  await worker.setClockOffset(30 * SECOND);
  expect((await get(path)).xVercelCache).toBe('STALE'); // refresh #1 hangs at the origin
  await expect.poll(async () => (await hits(path)).count).toBe(2);
  await sleep(1500); // past upstreamTimeoutMs: the slot must be free again
  const again = await get(path);
  expect([again.body, again.xVercelCache]).toEqual(['v1', 'STALE']);
  await expect.poll(async () => (await hits(path)).count, { timeout: 3000 }).toBe(3);
});

test('hard case 8 / R144: a foreground revalidation against a hanging origin times out into the stale-if-error copy', async () => {
  const path = await script(uniquePath('hard-hang-sie'), [
    { headers: { 'Cache-Control': 'max-age=5, stale-if-error=600' }, body: 'v{{hit}}' },
    { fail: 'hang' },
  ]);
  await get(path);
  await worker.setClockOffset(30 * SECOND);
  const herd = Promise.all(Array.from({ length: 5 }, () => get(path)));
  const settled = await settleWithin(herd, 5000);
  expect(settled).not.toBe('timed out');
  if (settled !== 'timed out') expect(settled.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 5 }, () => '200 v1'));
});
