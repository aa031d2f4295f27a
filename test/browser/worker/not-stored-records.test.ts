/**
 * Issue 15's one deviation, closed where it can be: a layer decides to store a response when its
 * headers arrive (Cache-Status says so, and it is sent), and for a body without Content-Length only
 * learns later that the body is larger than it may keep (the edge's 10 MiB, R40; its budget) or that
 * the body or storage failed. The page still gets the whole body, nothing is stored, and the decision
 * record is corrected: the listener gets the same record again (same source and seq, `revision` 1)
 * with that layer's `stored` false and `notStored` saying why. Real Chromium, the built worker, the
 * scripted local origin streaming chunked bodies (demo/origin).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { DecisionMessage, ListeningMessage } from '../../../sdk/protocol.ts';
import type { CacheWorkerController, DecisionRecord, LayerDecision } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

const CACHEABLE = { 'Cache-Control': 'public, max-age=60, s-maxage=60' };
const MiB = 2 ** 20;
const EDGE_LIMIT = 10 * MiB; // R40 (A11: MiB), the default maxBodyBytes
/** Long enough for the worker to have posted a correction, were it going to. */
const SETTLE_MS = 400;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A chunked body (no Content-Length): a first part at once, the rest only after `gapMs`, so the
 * record (made right after the headers) is posted before the body passes any limit.
 */
function streamed(name: string, mebibytes: number, gapMs = 1000, extra: { cutOff?: boolean } = {}) {
  const rest = Array.from({ length: mebibytes }, (_, i) => ({ bytes: MiB, ...(i === 0 ? { delayMs: gapMs } : {}) }));
  return scripted(name, [{ headers: CACHEABLE, chunks: [{ body: 'first' }, ...rest], ...extra }]);
}

async function bodyBytes(path: string): Promise<{ bytes: number; cacheStatus: string | null }> {
  const res = await fetch(path);
  return { bytes: (await res.arrayBuffer()).byteLength, cacheStatus: res.headers.get('cache-status') };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function recordedWorker(query: Record<string, string>) {
  const worker = await startWorker(query);
  const records: DecisionRecord[] = [];
  cleanups.push(worker.onDecision((record) => records.push(record)), stopWorkers);
  return { worker, of: (path: string) => records.filter((r) => r.url.endsWith(path)) };
}

const layer = (record: DecisionRecord | undefined, name: string): LayerDecision | undefined => record?.layers.find((d) => d.layer === name);

async function entriesOf(worker: CacheWorkerController, path: string): Promise<string[]> {
  return (await worker.inspect()).entries.filter((e) => e.url.endsWith(path)).map((e) => e.layer).sort();
}

describe('R40: a body over the edge’s 10 MiB limit, without Content-Length', () => {
  test('layers=edge: the page gets all of it, nothing is stored (the next request is a MISS), and the record is corrected to not stored', async () => {
    const { worker, of } = await recordedWorker({ layers: 'edge' });
    const path = await streamed('edge-over', 11);
    const first = await bodyBytes(path);
    expect(first.bytes).toBe(5 + 11 * MiB);
    // Cache-Status left with the headers, before the body passed the limit: it still says stored.
    expect(first.cacheStatus).toMatch(/edge; fwd=uri-miss; fwd-status=200; ttl=\d+; stored/);
    await expect.poll(() => of(path).length, { timeout: 5000 }).toBe(2);
    const [made, corrected] = of(path);
    // As first posted (the headers had just arrived): stored.
    expect(layer(made, 'edge')).toMatchObject({ outcome: 'miss', stored: true });
    expect(made?.revision).toBeUndefined();
    // The correction: the same record (source, seq), revision 1, the edge not stored and why.
    expect(corrected).toMatchObject({ seq: made?.seq, source: made?.source, revision: 1, at: made?.at, cacheStatus: first.cacheStatus });
    const edge = layer(corrected, 'edge');
    expect(edge).toMatchObject({ outcome: 'miss', stored: false, notStored: { reason: 'too-large', limit: EDGE_LIMIT } });
    expect(edge?.notStored?.bytes).toBeGreaterThan(EDGE_LIMIT);
    expect(edge?.notStored?.detail).toMatch(/^StoreError: /);
    expect(await entriesOf(worker, path)).toEqual([]);
    const again = await get(path);
    expect(again.xVercelCache).toBe('MISS');
    expect(again.body.length).toBe(5 + 11 * MiB);
    expect((await hits(path)).count).toBe(2);
    await pause(SETTLE_MS);
    expect(of(path).filter((r) => r.seq === made?.seq)).toHaveLength(2); // corrected once, delivered once each
  });

  test('layers=browser,cdn,edge: only the edge’s decision is corrected; the browser and cdn keep it and the next request is a browser hit', async () => {
    const { worker, of } = await recordedWorker({ layers: 'browser,cdn,edge' });
    const path = await streamed('three-over', 11);
    expect((await bodyBytes(path)).bytes).toBe(5 + 11 * MiB);
    await expect.poll(() => of(path).at(-1)?.revision, { timeout: 5000 }).toBe(1);
    const corrected = of(path).at(-1);
    expect(corrected?.layers.map((d) => [d.layer, d.stored, d.notStored?.reason])).toEqual([
      ['browser', true, undefined],
      ['cdn', true, undefined],
      ['edge', false, 'too-large'],
    ]);
    await expect.poll(() => entriesOf(worker, path), { timeout: 5000 }).toEqual(['browser', 'cdn']);
    const again = await bodyBytes(path);
    expect(again.bytes).toBe(5 + 11 * MiB);
    expect(again.cacheStatus).toMatch(/browser; hit/);
    expect((await hits(path)).count).toBe(1);
  });
});

describe('a body over a layer’s budget (budget=1 MiB), without Content-Length', () => {
  test('layers=browser: delivered in full, not kept (the next request is a MISS), the record corrected to over-budget', async () => {
    const { worker, of } = await recordedWorker({ layers: 'browser', budget: String(MiB) });
    const path = await streamed('budget-over', 3);
    expect((await bodyBytes(path)).bytes).toBe(5 + 3 * MiB);
    await expect.poll(() => of(path).at(-1)?.revision, { timeout: 5000 }).toBe(1);
    const [made, corrected] = of(path);
    expect(layer(made, 'browser')).toMatchObject({ stored: true });
    expect(layer(corrected, 'browser')).toMatchObject({ stored: false, notStored: { reason: 'over-budget', limit: MiB } });
    expect(layer(corrected, 'browser')?.notStored?.bytes).toBeGreaterThan(MiB);
    expect(await entriesOf(worker, path)).toEqual([]);
    const again = await bodyBytes(path);
    expect(again.cacheStatus).toMatch(/^browser; fwd=uri-miss/); // a MISS: nothing was kept
    expect((await hits(path)).count).toBe(2);
  });

  test('a body over the budget sent at once: whether the correction comes before or after the record is posted, the listener ends with it not stored', async () => {
    const { of } = await recordedWorker({ layers: 'browser', budget: String(MiB) });
    const path = await scripted('budget-at-once', [{ headers: CACHEABLE, chunks: Array.from({ length: 3 }, () => ({ bytes: MiB })) }]);
    expect((await bodyBytes(path)).bytes).toBe(3 * MiB);
    await expect.poll(() => layer(of(path).at(-1), 'browser')?.notStored?.reason, { timeout: 5000 }).toBe('over-budget');
    await pause(SETTLE_MS);
    // One record, delivered once or twice (made, then corrected), never a stored one after the correction.
    expect(new Set(of(path).map((r) => r.seq)).size).toBe(1);
    expect(of(path).map((r) => r.revision ?? 0)).toEqual([...new Set(of(path).map((r) => r.revision ?? 0))].sort());
    expect(layer(of(path).at(-1), 'browser')?.stored).toBe(false);
  });
});

test('a body cut off by the origin after the record was posted: the page’s read fails, nothing is stored, the record is corrected to body-error', async () => {
  const { worker, of } = await recordedWorker({ layers: 'browser,edge' });
  const path = await scripted('cut-after', [{ headers: CACHEABLE, chunks: [{ body: 'first' }, { bytes: 1000, delayMs: 1000 }], cutOff: true }]);
  const res = await fetch(path);
  await expect(res.arrayBuffer()).rejects.toThrow(TypeError);
  await expect.poll(() => of(path).at(-1)?.layers.filter((d) => d.notStored).length, { timeout: 5000 }).toBe(2);
  const corrected = of(path).at(-1);
  expect(corrected?.layers.map((d) => [d.layer, d.stored, d.notStored?.reason])).toEqual([
    ['browser', false, 'body-error'],
    ['edge', false, 'body-error'],
  ]);
  expect(corrected?.revision).toBe(2); // one correction per layer
  expect(await entriesOf(worker, path)).toEqual([]);
});

test('a correction made while nobody listens is replayed to a lease whose listening began before the record (same seq, producedAt of the record)', async () => {
  const worker = await startWorker({ layers: 'browser', budget: String(MiB) });
  cleanups.push(stopWorkers);
  const channel = new BroadcastChannel('tiercache:decisions');
  cleanups.push(() => channel.close());
  const posted: DecisionMessage[] = [];
  channel.onmessage = (event: MessageEvent<DecisionMessage>) => {
    if (event.data.kind === 'decision') posted.push(event.data);
  };
  const path = await streamed('replayed', 3, 1500);
  const of = () => posted.filter((m) => m.record.url.endsWith(path));
  const since = Date.now();
  const lease: ListeningMessage = { tag: 'tiercache/1', kind: 'listening', context: `amend-${since}`, since, until: since + 10_000 };
  channel.postMessage(lease);
  await pause(50); // the lease reaches the worker before the fetch
  const res = await fetch(path);
  await expect.poll(() => of().length, { timeout: 5000 }).toBe(1);
  expect(of()[0]?.record.layers[0]?.stored).toBe(true);
  channel.postMessage({ ...lease, until: 0 }); // nobody listens while the body passes the budget
  await pause(50);
  expect((await res.arrayBuffer()).byteLength).toBe(5 + 3 * MiB);
  await pause(SETTLE_MS);
  expect(of()).toHaveLength(1);
  channel.postMessage({ ...lease, until: Date.now() + 10_000 });
  await expect.poll(() => of().length, { timeout: 5000 }).toBe(2);
  const [made, corrected] = of();
  expect(corrected).toMatchObject({ source: made?.source, producedAt: made?.producedAt, record: { seq: made?.record.seq, revision: 1 } });
  expect(corrected?.record.layers[0]).toMatchObject({ stored: false, notStored: { reason: 'over-budget' } });
  channel.postMessage({ ...lease, until: 0 });
  expect(await entriesOf(worker, path)).toEqual([]);
});

test('R12: a background refresh whose new body passes the budget publishes its record with the layer not stored (refresh outcome not-stored)', async () => {
  const { worker, of } = await recordedWorker({ layers: 'edge', budget: String(MiB) });
  const swr = { 'Cache-Control': 'max-age=0, s-maxage=10, stale-while-revalidate=600' };
  const path = await scripted('refresh-over', [
    { headers: swr, body: 'small' },
    { headers: swr, chunks: [{ body: 'first' }, ...Array.from({ length: 3 }, () => ({ bytes: MiB }))] },
  ]);
  expect((await get(path)).body).toBe('small');
  await worker.setClockOffset(15_000);
  const stale = await get(path);
  expect([stale.body, stale.xVercelCache]).toEqual(['small', 'STALE']);
  await expect.poll(() => of(path).filter((r) => r.background).length, { timeout: 10_000 }).toBeGreaterThan(0);
  await pause(SETTLE_MS);
  const refreshes = of(path).filter((r) => r.background);
  expect(refreshes.at(-1)?.background).toEqual({ layer: 'edge', trigger: 'stale-time', outcome: 'not-stored' });
  expect(refreshes.at(-1)?.layers.map((d) => [d.layer, d.stored, d.notStored?.reason, d.notStored?.limit])).toEqual([['edge', false, 'over-budget', MiB]]);
  expect((await hits(path)).count).toBe(2);
});
