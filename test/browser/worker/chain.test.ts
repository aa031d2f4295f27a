/**
 * All three layers stacked (page → browser → cdn → edge → origin): each layer obeys its own header
 * (R1, R7, R134, R162), hands the next one its rewrite (R26–R31), and reports its own Cache-Status
 * member, origin side first.
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

test('RFC 9211: one Cache-Status member per layer, origin side first; Age when served from a store', async () => {
  // A stored response keeps the members it was stored with (RFC 9211 §2: caches preserve the field),
  // so a cdn hit still shows how the edge handled the request that filled the cdn.
  const path = await scripted('members', [{ headers: { 'Cache-Control': 'max-age=0', 'CDN-Cache-Control': 'max-age=60' }, body: 'v{{hit}}' }]);
  const first = await get(path);
  expect(first.cacheStatus).toMatch(/^edge; fwd=uri-miss; fwd-status=200; ttl=\d+; stored, cdn; fwd=uri-miss; fwd-status=200; ttl=\d+; stored, browser; fwd=uri-miss; fwd-status=200; detail=zero-lifetime$/);
  expect(first.age).toBeNull();
  expect(first.xVercelCache).toBe('MISS');
  await worker.setClockOffset(10 * SECOND);
  const second = await get(path);
  expect(second.cacheStatus).toMatch(/^edge; fwd=uri-miss; fwd-status=200; ttl=\d+; stored, cdn; hit; ttl=\d+, browser; fwd=uri-miss; fwd-status=200; detail=zero-lifetime$/);
  expect(second.age).toBeGreaterThanOrEqual(10);
});

test('R7/R162: without Vercel-CDN-Cache-Control, CDN-Cache-Control drives both shared layers; with it, only the cdn', async () => {
  const path = await scripted('targets', [
    { headers: { 'Cache-Control': 'max-age=0', 'CDN-Cache-Control': 'max-age=120', 'Vercel-CDN-Cache-Control': 'max-age=10' }, body: 'v{{hit}}' },
  ]);
  await get(path);
  await worker.setClockOffset(60 * SECOND);
  // The edge (10 s) has expired but the cdn (120 s, it never saw Vercel-CDN-Cache-Control) answers.
  const res = await get(path);
  expect(res.cacheStatus).toMatch(/, cdn; hit; ttl=\d+, browser; /);
  expect(res.headers.get('vercel-cdn-cache-control')).toBeNull();
  expect((await hits(path)).count).toBe(1);
  await worker.setClockOffset(130 * SECOND);
  const both = await get(path);
  expect(both.cacheStatus).toMatch(/^edge; fwd=/);
  expect((await hits(path)).count).toBe(2);
});

test('R29/R134: the cdn sees what the edge forwards: s-maxage consumed, so only max-age reaches it', async () => {
  const path = await scripted('consumed', [{ headers: { 'Cache-Control': 'max-age=30, s-maxage=600' }, body: 'v{{hit}}' }]);
  const first = await get(path);
  expect(first.cacheControl).toBe('max-age=30');
  await worker.setClockOffset(45 * SECOND);
  // browser and cdn (max-age=30) are stale; the edge (s-maxage=600) still answers, with Age 45 the
  // layers below store it already stale (the R33 age penalty: negative ttl).
  const res = await get(path);
  expect(res.cacheStatus).toMatch(/^edge; hit; ttl=\d+, cdn; fwd=stale; fwd-status=200; ttl=-1\d; stored, browser; fwd=stale; fwd-status=200; ttl=-1\d; stored$/);
  expect((await hits(path)).count).toBe(1);
});

test('R56: a reload (cache: reload) reaches the edge as Pragma: no-cache and revalidates a stale entry there', async () => {
  const path = await scripted('pragma', [{ headers: { 'Cache-Control': 's-maxage=10, stale-while-revalidate=600' }, body: 'v{{hit}}' }]);
  await get(path);
  await worker.setClockOffset(30 * SECOND);
  const reloaded = await get(path, { cache: 'reload' });
  expect(reloaded.xVercelCache).toBe('REVALIDATED');
  expect(reloaded.body).toBe('v2');
  expect((await hits(path)).requests[1]?.headers.pragma).toBe('no-cache');
});
