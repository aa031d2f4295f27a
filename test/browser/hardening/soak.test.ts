/**
 * Issue 7, soak: 10,000 requests through the three layers with a small byte budget, interleaved with
 * runtime-cache operations, clock advances and purges, 16 at a time. Every answer belongs to its
 * resource and variant; every 500 requests the layers stay within their byte budget and the worker's
 * entry count stays bounded (performance.memory does not exist in workers: inspect() is the measure);
 * the worker reports no failure and the page sees no unhandled rejection. The hit ratio is printed.
 */
import { afterAll, expect, test } from 'vitest';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import type { WorkerErrorReport } from '../../../sdk/worker/index.ts';
import { script, startWorker, stopWorkers, uniquePath } from './harness.ts';
import { members } from './fuzz-oracle.ts';

const REQUESTS = 10_000;
const CONCURRENCY = 16;
const BUDGET = 24_000;
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

test('10,000 mixed requests and runtime-cache operations across three layers within a small budget', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
  addEventListener('unhandledrejection', onUnhandled);
  const worker = await startWorker({ layers: 'browser,cdn,edge', budget: String(BUDGET) });
  const reports: WorkerErrorReport[] = [];
  const stopReports = worker.onError((report) => reports.push(report));
  const paths: { path: string; vary: boolean }[] = [];
  for (let i = 0; i < PATHS; i++) {
    const headers = HEADER_SETS[i % HEADER_SETS.length] as Record<string, string>;
    const path = uniquePath('soak');
    const id = path.split('/').pop() ?? path;
    // Sizes from 200 B to 4 KB: a few dozen entries fill a layer's 24 KB budget.
    await script(path, [{ headers, body: `${id}|{{hit}}|{{req.x-variant}}|${'x'.repeat(200 + ((i * 397) % 3800))}` }]);
    paths.push({ path, vary: 'Vary' in headers });
  }
  const runtime = getCache({ projectId: `soak-${Date.now()}`, timeoutMs: 5000 });
  const model = new Map<string, number>();
  const counts = { requests: 0, fromStore: 0, edgeServed: 0, edgeTotal: 0, runtimeOps: 0, runtimeHits: 0, purges: 0, maxEntries: 0, maxLayerBytes: 0 };
  let offset = 0;
  let next = 0;
  // A deterministic mix: hot paths (Zipf-like) so the LRU has something to keep.
  const pick = (n: number) => paths[Math.floor(PATHS * Math.pow((n * 7919) % 1000 / 1000, 2))] as (typeof paths)[number];

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
  const runtimeOp = async (n: number) => {
    counts.runtimeOps++;
    const key = `k${n % 300}`;
    if (n % 5 === 0) {
      await runtime.set(key, n, { tags: [`t${n % 7}`], ttl: 600 });
      model.set(key, n);
    } else if (n % 17 === 0) {
      await runtime.delete(key);
      model.delete(key);
    } else if (n % 97 === 0) {
      await runtime.expireTag(`t${n % 7}`);
      for (const [k, v] of model) if (v % 7 === n % 7) model.delete(k);
    } else {
      const seen = await runtime.get(key);
      if (seen !== null) counts.runtimeHits++;
      // One context, strictly sequential per key slot: read-your-writes must hold exactly.
      expect(seen).toBe(model.get(key) ?? null);
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

  // Runtime ops run in one sequential lane (the model needs order); requests run CONCURRENCY-wide.
  let runtimeN = 0;
  const runtimeLane = (async () => {
    while (next < REQUESTS) await runtimeOp(runtimeN++);
  })();
  const lanes = Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      const n = next++;
      await one(n);
      if (n % 500 === 499) await checkpoint();
      if (n % 1000 === 999) await worker.setClockOffset((offset += 45_000));
      if (n % 2500 === 2499) {
        counts.purges++;
        await worker.invalidateByTag(n % 5000 === 2499 ? 'soak-a' : 'soak-b');
      }
    }
  });
  await Promise.all([...lanes, runtimeLane]);
  await checkpoint();
  stopReports();
  removeEventListener('unhandledrejection', onUnhandled);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
  console.log(
    `[hardening] soak: ${JSON.stringify({ ...counts, hitRatioPercent: ratio(counts.fromStore, counts.requests), edgeHitRatioPercent: ratio(counts.edgeServed, counts.edgeTotal), runtimeHitRatioPercent: ratio(counts.runtimeHits, counts.runtimeOps), workerReports: reports.length })}`,
  );
  expect(counts.requests).toBe(REQUESTS);
  expect(reports).toEqual([]);
  expect(unhandled).toEqual([]);
  await worker.purgeAll();
}, 180_000);
