/**
 * The spec's edge vectors (semantics.md §14) through the real worker with only the edge layer on, so
 * the page sees exactly what Vercel's edge hands the browser. Each vector asserts the statuses over a
 * sequence of requests, the headers received, and how often the origin was reached.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

const DEFAULT_CC = 'public, max-age=0, must-revalidate';
let worker: CacheWorkerController;

beforeAll(async () => {
  worker = await startWorker({ layers: 'edge' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

/** Two requests in a row: the second tells whether the edge stored the first. */
async function twice(headers: Record<string, string>, options: { status?: number; init?: RequestInit } = {}) {
  const path = await scripted('vector', [{ status: options.status ?? 200, headers, body: 'v{{hit}}' }]);
  const first = await get(path, options.init);
  const second = await get(path, options.init);
  return { path, first, second, origin: (await hits(path)).count };
}

describe('stored at the edge', () => {
  test('V1: Cache-Control s-maxage=60 is stored 60 s; the browser gets the default Cache-Control', async () => {
    const { path, first, second, origin } = await twice({ 'Cache-Control': 's-maxage=60' });
    expect([first.xVercelCache, second.xVercelCache]).toEqual(['MISS', 'HIT']);
    expect(origin).toBe(1);
    expect(first.cacheControl).toBe(DEFAULT_CC);
    expect(second.cacheControl).toBe(DEFAULT_CC);
    expect(second.body).toBe('v1');
    await worker.setClockOffset(61 * SECOND);
    const expired = await get(path);
    expect(expired.xVercelCache).toBe('MISS');
    expect(expired.body).toBe('v2');
  });

  test('V2: s-maxage=60 + SWR 30 are consumed; the browser gets max-age=10; stale inside the window, MISS after', async () => {
    const { path, first, second, origin } = await twice({ 'Cache-Control': 'max-age=10, s-maxage=60, stale-while-revalidate=30' });
    expect(first.cacheControl).toBe('max-age=10');
    expect([first.xVercelCache, second.xVercelCache, origin]).toEqual(['MISS', 'HIT', 1]);
    await worker.setClockOffset(75 * SECOND);
    const stale = await get(path);
    expect(stale.xVercelCache).toBe('STALE');
    expect(stale.body).toBe('v1');
    await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
    await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
    await worker.setClockOffset(75 * SECOND + 95 * SECOND);
    const expired = await get(path);
    expect(expired.xVercelCache).toBe('MISS');
    expect(expired.body).toBe('v3');
  });

  test('V3: Vercel-CDN-Cache-Control wins (3600 s); CDN-Cache-Control and Cache-Control are forwarded as sent', async () => {
    const { path, first, origin } = await twice({
      'Cache-Control': 'public, s-maxage=1',
      'CDN-Cache-Control': 'public, s-maxage=60',
      'Vercel-CDN-Cache-Control': 'public, s-maxage=3600',
    });
    expect(origin).toBe(1);
    expect(first.cacheControl).toBe('public, s-maxage=1');
    expect(first.headers.get('cdn-cache-control')).toBe('public, s-maxage=60');
    expect(first.headers.get('vercel-cdn-cache-control')).toBeNull();
    await worker.setClockOffset(3500 * SECOND);
    expect((await get(path)).xVercelCache).toBe('HIT');
    await worker.setClockOffset(3601 * SECOND);
    expect((await get(path)).xVercelCache).toBe('MISS');
  });

  test('V4: max-age inside the targeted headers; Vercel-CDN-Cache-Control max-age=3600 drives the edge', async () => {
    const { path, first, origin } = await twice({
      'Cache-Control': 'max-age=10',
      'CDN-Cache-Control': 'max-age=60',
      'Vercel-CDN-Cache-Control': 'max-age=3600',
    });
    expect(origin).toBe(1);
    expect(first.cacheControl).toBe('max-age=10');
    expect(first.headers.get('cdn-cache-control')).toBe('max-age=60');
    expect(first.headers.get('vercel-cdn-cache-control')).toBeNull();
    await worker.setClockOffset(3000 * SECOND);
    expect((await get(path)).xVercelCache).toBe('HIT');
  });

  test('V7: Vercel-CDN-Cache-Control alone is stored; the browser gets the default and no targeted header', async () => {
    const { first, second, origin } = await twice({ 'Vercel-CDN-Cache-Control': 'max-age=3600' });
    expect([second.xVercelCache, origin]).toEqual(['HIT', 1]);
    expect(first.cacheControl).toBe(DEFAULT_CC);
    expect(first.headers.get('vercel-cdn-cache-control')).toBeNull();
    expect(first.headers.get('cdn-cache-control')).toBeNull();
  });

  test('V12: an unparsable CDN-Cache-Control is ignored: Cache-Control s-maxage=5 drives the edge and is consumed', async () => {
    const { path, first, second, origin } = await twice({ 'CDN-Cache-Control': 'Max-Age=60', 'Cache-Control': 's-maxage=5' });
    expect([second.xVercelCache, origin]).toEqual(['HIT', 1]);
    expect(first.headers.get('cdn-cache-control')).toBe('Max-Age=60');
    expect(first.cacheControl).toBe(DEFAULT_CC);
    await worker.setClockOffset(6 * SECOND);
    expect((await get(path)).xVercelCache).toBe('MISS');
  });

  test('V13: s-maxage above one year is clamped to 31 536 000 s', async () => {
    const { path, second } = await twice({ 'Cache-Control': 's-maxage=40000000' });
    expect(second.xVercelCache).toBe('HIT');
    const entry = (await worker.inspect()).entries.find((e) => e.url.endsWith(path));
    expect(entry?.ttl).toBe(31536000);
    await worker.setClockOffset((31536000 - 100) * SECOND);
    expect((await get(path)).xVercelCache).toBe('HIT');
    await worker.setClockOffset((31536000 + 100) * SECOND);
    expect((await get(path)).xVercelCache).toBe('MISS');
  });

  test('V14: Cache-Control no-store + CDN-Cache-Control max-age=600 is stored 600 s; both headers unchanged (R2)', async () => {
    const { path, first, second, origin } = await twice({ 'Cache-Control': 'no-store', 'CDN-Cache-Control': 'max-age=600' });
    expect([second.xVercelCache, origin]).toEqual(['HIT', 1]);
    expect(first.cacheControl).toBe('no-store');
    expect(first.headers.get('cdn-cache-control')).toBe('max-age=600');
    await worker.setClockOffset(590 * SECOND);
    expect((await get(path)).xVercelCache).toBe('HIT');
  });

  test('V15: stale-if-error is forwarded and ignored at the vercel edge: an expired entry passes the 500 on', async () => {
    const path = await scripted('v15', [
      { headers: { 'Cache-Control': 'max-age=604800, s-maxage=604800, stale-if-error=86400' }, body: 'good' },
      { status: 500, body: 'boom' },
    ]);
    const first = await get(path);
    expect(first.cacheControl).toBe('max-age=604800, stale-if-error=86400');
    expect((await get(path)).xVercelCache).toBe('HIT');
    await worker.setClockOffset((604800 + 10) * SECOND);
    const failed = await get(path);
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('boom');
    expect((await hits(path)).count).toBe(2);
  });

  test('V16: a bare stale-while-revalidate means one year at the edge (R13)', async () => {
    const { path, first, second } = await twice({ 'Cache-Control': 's-maxage=60, stale-while-revalidate' });
    expect(first.cacheControl).toBe(DEFAULT_CC);
    expect(second.xVercelCache).toBe('HIT');
    await worker.setClockOffset(200 * 24 * 3600 * SECOND);
    const stale = await get(path);
    expect(stale.xVercelCache).toBe('STALE');
    expect(stale.body).toBe('v1');
    await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
  });
});

describe('not stored at the edge (MISS every time)', () => {
  const cases: [string, Record<string, string>, { status?: number; init?: RequestInit; cc: string | null; extra?: (h: Headers) => void }][] = [
    ['V5: no Cache-Control at all', {}, { cc: DEFAULT_CC }],
    ['V6: private, max-age=300', { 'Cache-Control': 'private, max-age=300' }, { cc: 'private, max-age=300' }],
    ['V8: Vary: *', { 'Cache-Control': 's-maxage=60', Vary: '*' }, { cc: DEFAULT_CC, extra: (h) => expect(h.get('vary')).toBe('*') }],
    ['V9: Vary: Cookie (vary_key_denied:cookie)', { 'Cache-Control': 's-maxage=60', Vary: 'Cookie' }, { cc: DEFAULT_CC, extra: (h) => expect(h.get('vary')).toBe('Cookie') }],
    ['V10: s-maxage with no-cache', { 'Cache-Control': 's-maxage=60, no-cache' }, { cc: 'no-cache' }],
    ['V11: max-age=3600 alone (A2: s-maxage required)', { 'Cache-Control': 'max-age=3600' }, { cc: 'max-age=3600' }],
    ['V17: status 500', { 'Cache-Control': 's-maxage=60' }, { status: 500, cc: DEFAULT_CC }],
    ['V18: status 410 in the vercel profile (A10)', { 'Cache-Control': 's-maxage=60' }, { status: 410, cc: DEFAULT_CC }],
    ['V19: the request carries Authorization (R38)', { 'Cache-Control': 'public, s-maxage=60' }, { init: { headers: { Authorization: 'Bearer x' } }, cc: DEFAULT_CC }],
  ];
  test.each(cases)('%s', async (_name, headers, expected) => {
    const { first, second, origin } = await twice(headers, expected);
    expect([first.xVercelCache, second.xVercelCache]).toEqual(['MISS', 'MISS']);
    expect(origin).toBe(2);
    expect(second.body).toBe('v2');
    expect(first.cacheControl).toBe(expected.cc);
    expected.extra?.(first.headers);
    expect(first.cacheStatus).toMatch(/^edge; fwd=/);
  });
});
