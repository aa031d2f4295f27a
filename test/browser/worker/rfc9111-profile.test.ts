/**
 * The `rfc9111` profile: shared layers behave as plain RFC 9111 / RFC 5861 caches (architecture.md
 * "Contracts"): max-age counts without s-maxage, nothing is stripped, 410 is stored, stale-if-error
 * is honoured (R14), no-cache responses are stored and revalidated.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'edge', profile: 'rfc9111' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

test('V11 (rfc9111): max-age alone is stored by the shared layer and Cache-Control is forwarded as sent', async () => {
  const path = await scripted('r-maxage', [{ headers: { 'Cache-Control': 'max-age=3600, s-maxage=7200' }, body: 'v{{hit}}' }]);
  const first = await get(path);
  expect(first.cacheControl).toBe('max-age=3600, s-maxage=7200');
  expect((await get(path)).xVercelCache).toBe('HIT');
  expect((await hits(path)).count).toBe(1);
});

test('V18 (rfc9111): a 410 with explicit freshness is stored', async () => {
  const path = await scripted('r-410', [{ status: 410, headers: { 'Cache-Control': 's-maxage=60' }, body: 'gone {{hit}}' }]);
  await get(path);
  const second = await get(path);
  expect([second.status, second.body, second.xVercelCache]).toEqual([410, 'gone 1', 'HIT']);
});

test('R14 (rfc9111): the shared layer serves stale on error inside the stale-if-error window', async () => {
  const path = await scripted('r-sie', [{ headers: { 'Cache-Control': 's-maxage=10, stale-if-error=600' }, body: 'good' }, { status: 502, body: 'bad' }]);
  await get(path);
  await worker.setClockOffset(60 * SECOND);
  const res = await get(path);
  expect([res.status, res.body, res.xVercelCache]).toEqual([200, 'good', 'STALE']);
});

test('R135 (rfc9111): a no-cache response is stored and revalidated', async () => {
  const path = await scripted('r-nocache', [{ headers: { 'Cache-Control': 'no-cache' }, etag: '"n"', body: 'v{{hit}}' }]);
  await get(path);
  const again = await get(path);
  expect(again.body).toBe('v1');
  expect((await hits(path)).requests[1]?.headers['if-none-match']).toBe('"n"');
});
