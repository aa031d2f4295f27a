/**
 * Issue 7, soak: 10,000 operations — 5,000 requests through the three layers with a small byte budget,
 * each followed by a runtime-cache operation — with clock advances and purges, 16 lanes at a time. Every answer belongs to its
 * resource and variant; every 500 requests the layers stay within their byte budget and the worker's
 * entry count stays bounded (performance.memory does not exist in workers: inspect() is the measure);
 * the worker reports no failure and the page sees no unhandled rejection. The hit ratio is printed.
 */
import { afterAll, expect, test } from 'vitest';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import type { WorkerErrorReport } from '../../../sdk/worker/index.ts';
import { script, startWorker, stopWorkers, uniquePath } from './harness.ts';
import { members } from './fuzz-oracle.ts';

/** 5,000 requests through the worker plus one runtime-cache operation after each: 10,000 operations. */
const REQUESTS = Number(import.meta.env.VITE_SOAK_REQUESTS ?? 5_000);
const CONCURRENCY = 16;
const BUDGET = 64_000;
const PATHS = 150;

afterAll(stopWorkers);

const HEADER_SETS: Record<string, string>[] = [
  { 'Cache-Control': 'max-age=60, s-maxage=600', 'Vercel-Cache-Tag': 'soak-a' },
  { 'Cache-Control': 's-maxage=30, stale-while-revalidate=300', 'Vercel-Cache-Tag': 'soak-b' },
  { 'Cache-Control': 'max-age=120', 'CDN-Cache-Control': 'max-age=60' },
  { 'Cache-Control': 'private, max-age=60' },
  { 'Cache-Control': 'no-store' },
  { 'Cache-Control': 'max-age=30, s-maxage=30', Vary: 'X-Variant' },
];

test('10,000 mixed operations (5,000 requests, 5,000 runtime-cache operations) across three layers within a small budget', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
  addEventListener('unhandledrejection', onUnhandled);
  // Purges wait for the writes in flight, which a saturated 2-core CI machine can take seconds to drain.
  const worker = await startWorker({ layers: 'browser,cdn,edge', budget: String(BUDGET) }, { commandTimeoutMs: 30_000 });
  const reports: WorkerErrorReport[] = [];
  const stopReports = worker.onError((report) => reports.push(report));
  const paths: { path: string; vary: boolean }[] = [];
  for (let i = 0; i < PATHS; i++) {
    const headers = HEADER_SETS[i % HEADER_SETS.length] as Record<string, string>;
    const path = uniquePath('soak');
    const id = path.split('/').pop() ?? path;
    // Sizes from 200 B to 2.2 KB: about fifty entries fill a layer's 64 KB budget (150 paths × variants do not fit).
    await script(path, [{ headers, body: `${id}|{{hit}}|{{req.x-variant}}|${'x'.repeat(200 + ((i * 397) % 2000))}` }]);
    paths.push({ path, vary: 'Vary' in headers });
  }
  const runtime = getCache({ projectId: `soak-${Date.now()}`, timeoutMs: 5000 });
  // One model per lane: each lane works on its own keys and tags, strictly in order, so read-your-writes
  // must hold exactly while all lanes (and the worker's requests) run at once.
  const models = Array.from({ length: CONCURRENCY }, () => new Map<string, { value: number; tag: string }>());
  const counts = { requests: 0, fromStore: 0, edgeServed: 0, edgeTotal: 0, runtimeOps: 0, runtimeHits: 0, purges: 0, maxEntries: 0, maxLayerBytes: 0 };
  let offset = 0;
  let next = 0;
  // A deterministic mix: hot paths (Zipf-like) so the LRU has something to keep.
  const pick = (n: number) => paths[Math.floor(PATHS * Math.pow(((n * 7919) % 1000) / 1000, 3))] as (typeof paths)[number];

  const one = async (n: number) => {
    const p = pick(n);
    const variant = n % 3 === 0 ? 'a' : n % 3 === 1 ? 'b' : null;
    const res = await fetch(p.path, variant ? { headers: { 'x-variant': variant } } : {});
    const body = await res.text();
    const [id, , servedVariant] = body.split('|');
    if (res.status !== 200 || id !== p.path.split('/').pop()) throw new Error(`request ${n}: ${res.status} ${body.slice(0, 40)} for ${p.path}`);
    if (p.vary && servedVariant !== (variant ?? '')) throw new Error(`request ${n}: variant ${servedVariant} served to ${variant}`);
    counts.requests++;
    const pageFirst = [...members(res.headers.get('cache-status'))].reverse();
    const servedFrom = pageFirst.findIndex((m) => m.hit || m.fwdStatus === 304);
    if (servedFrom >= 0) counts.fromStore++;
    // R69: HIT/STALE count as served from the edge cache, MISS/REVALIDATED as origin (only when the
    // edge was asked, i.e. no page-side layer answered first).
    if (servedFrom === -1 || servedFrom === 2) {
      counts.edgeTotal++;
      if (['HIT', 'STALE'].includes(res.headers.get('x-vercel-cache') ?? '')) counts.edgeServed++;
    }
  };
  const runtimeOp = async (lane: number, n: number) => {
    counts.runtimeOps++;
    const model = models[lane] as Map<string, { value: number; tag: string }>;
    // Each key is written on every 4th operation and read, deleted or expired on the three after it.
    const key = `L${lane}-k${Math.floor(n / 4) % 12}`;
    const tag = `L${lane}-t${Math.floor(n / 4) % 5}`;
    if (n % 4 === 0) {
      await runtime.set(key, n, { tags: [tag], ttl: 3600 });
      model.set(key, { value: n, tag });
    } else if (n % 23 === 0) {
      await runtime.delete(key);
      model.delete(key);
    } else if (n % 31 === 0) {
      await runtime.expireTag(tag);
      for (const [k, entry] of model) if (entry.tag === tag) model.delete(k);
    } else {
      const seen = await runtime.get(key);
      if (seen !== null) counts.runtimeHits++;
      expect(seen).toBe(model.get(key)?.value ?? null);
    }
  };
  const checkpoint = async () => {
    const { entries } = await worker.inspect();
    counts.maxEntries = Math.max(counts.maxEntries, entries.length);
    for (const layer of ['browser', 'cdn', 'edge'] as const) {
      const bytes = entries.filter((e) => e.layer === layer).reduce((sum, e) => sum + e.size, 0);
      counts.maxLayerBytes = Math.max(counts.maxLayerBytes, bytes);
      expect(bytes, `${layer} within its budget`).toBeLessThanOrEqual(BUDGET);
    }
    // Bounded: at most budget / smallest body per layer (200 B bodies + headers of the id).
    expect(entries.length).toBeLessThanOrEqual((3 * BUDGET) / 200);
  };

  const started = performance.now();
  // Every lane alternates a request and a runtime-cache operation. Purges run between bursts: under full
  // saturation a purge queues one metadata update per tagged entry behind every write in flight.
  let barrier: Promise<unknown> = Promise.resolve();
  const lanes = Array.from({ length: CONCURRENCY }, async (_, lane) => {
    let own = 0;
    while (next < REQUESTS) {
      await barrier;
      const n = next++;
      await one(n);
      await runtimeOp(lane, own++);
      if (n % 500 === 499) await checkpoint();
      if (n % 1000 === 999) await worker.setClockOffset((offset += 45_000));
      if (n % 1250 === 1249) {
        counts.purges++;
        barrier = worker.invalidateByTag(n % 2500 === 1249 ? 'soak-a' : 'soak-b');
        await barrier;
      }
    }
  });
  await Promise.all(lanes);
  await checkpoint();
  stopReports();
  removeEventListener('unhandledrejection', onUnhandled);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `[hardening] soak (${seconds.toFixed(1)} s): ${JSON.stringify({ ...counts, hitRatioPercent: ratio(counts.fromStore, counts.requests), edgeHitRatioPercent: ratio(counts.edgeServed, counts.edgeTotal), runtimeHitRatioPercent: ratio(counts.runtimeHits, counts.runtimeOps), workerReports: reports.length })}`,
  );
  expect(counts.requests).toBe(REQUESTS);
  expect(reports).toEqual([]);
  expect(unhandled).toEqual([]);
  await worker.purgeAll();
}, 180_000);
