/**
 * Storage failures never break a page's fetch (issue 3 "Storage and failure"): faults injected into
 * the real worker's HTTP store (testHooks=1), and LRU eviction under a small per-layer byte budget.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BackendFaultRule, StorageOperation } from '../../../sdk/protocol.ts';
import type { CacheWorkerController, DecisionRecord, WorkerErrorReport } from '../../../sdk/worker/index.ts';
import { command, get, hits, injectBackendFault, scripted, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  // The hot tier is off here: these tests inject faults into the storage reads a hit makes, and with it
  // on a small body's hit reads no storage at all (test/browser/store/http-store-hot.test.ts).
  worker = await startWorker({ layers: 'browser,edge', testHooks: '1', budget: '3000', hot: '0' });
});
afterAll(stopWorkers);

/** The next `failNext` store operations of these kinds reject inside the worker. */
async function injectFault(failNext: number, operations: StorageOperation[]): Promise<void> {
  expect(await command({ op: 'injectStorageFault', failNext, operations })).toMatchObject({ ok: true });
}

test('a failing lookup falls back to the network, reported in Cache-Status detail and the decision record', async () => {
  const path = await scripted('fault-lookup', [{ headers: { 'Cache-Control': 'max-age=60, s-maxage=60' }, body: 'v{{hit}}' }]);
  const records: DecisionRecord[] = [];
  const errors: WorkerErrorReport[] = [];
  const stop = worker.onDecision((r) => r.url.endsWith(path) && records.push(r));
  const stopErrors = worker.onError((e) => errors.push(e));
  await injectFault(1, ['variants']);
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.body).toBe('v1');
  expect(res.cacheStatus).toMatch(/browser; fwd=miss; fwd-status=200; detail=storage-error$/);
  await expect.poll(() => records.length, { timeout: 5000 }).toBe(1);
  await expect.poll(() => errors.map((e) => e.name), { timeout: 5000 }).toContain('InjectedStorageFault');
  stop();
  stopErrors();
  expect(records[0]?.layers[0]).toMatchObject({ layer: 'browser', outcome: 'error', reason: 'storage-error' });
  // The edge below was unaffected and stored the answer: the next request is an edge HIT.
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('a failing body read on a hit is served from the network instead', async () => {
  const path = await scripted('fault-get', [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'v{{hit}}' }]);
  await get(path);
  await injectFault(1, ['get']);
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.body).toBe('v2');
  expect(res.cacheStatus).toContain('detail=storage-error');
  expect(res.xVercelCache).toBe('MISS');
});

test('a failing write still answers from the network; nothing is stored', async () => {
  const path = await scripted('fault-put', [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'v{{hit}}' }]);
  await injectFault(1, ['put']);
  expect((await get(path)).body).toBe('v1');
  const next = await get(path);
  expect(next.body).toBe('v2');
  expect(next.xVercelCache).toBe('MISS');
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('a failing metadata update during a 304 still serves the stored body', async () => {
  const path = await scripted('fault-update', [{ headers: { 'Cache-Control': 'no-cache' }, etag: '"u"', body: 'stored' }]);
  await get(path);
  await injectFault(1, ['updateMeta']);
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.body).toBe('stored');
  expect((await hits(path)).count).toBe(2);
});

test('R11/R119: beyond the byte budget the least recently used entries are evicted', async () => {
  const body = { bodyBytes: 1200 };
  const a = await scripted('lru-a', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);
  const b = await scripted('lru-b', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);
  const c = await scripted('lru-c', [{ headers: { 'Cache-Control': 'max-age=600' }, ...body }]);
  await get(a);
  await get(b);
  await worker.inspect(); // stores land behind the responses: let b's write finish before using a
  await get(a); // a is now more recently used than b
  await get(c); // 3600 bytes > 3000: b goes
  const browser = (await worker.inspect()).entries.filter((e) => e.layer === 'browser' && /lru-/.test(e.url));
  expect(browser.map((e) => e.url.match(/lru-(\w)/)?.[1]).sort()).toEqual(['a', 'c']);
  expect(browser.reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(3000);
  await get(a);
  expect((await hits(a)).count).toBe(1);
  await get(b);
  expect((await hits(b)).count).toBe(2);
});

test('a QuotaExceededError from Cache Storage (also wrapped in AbortError) never reaches the page', async () => {
  const path = await scripted('quota', [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'v{{hit}}' }]);
  const before = await injectBackendFault([{ target: 'caches', on: 'write', kind: 'abort-quota', times: 5 }]);
  const res = await get(path);
  expect([res.status, res.body]).toEqual([200, 'v1']);
  await expect.poll(async () => (await injectBackendFault([{ target: 'caches', on: 'write', kind: 'abort-quota', times: 5 }])) > before, { timeout: 5000 }).toBe(true);
  const next = await get(path);
  expect(next.status).toBe(200);
  await injectBackendFault([]);
});

test('a failing IndexedDB read on the hit path is served from the network', async () => {
  const path = await scripted('idb-read', [{ headers: { 'Cache-Control': 's-maxage=60' }, body: 'v{{hit}}' }]);
  await get(path);
  await injectBackendFault([{ target: 'caches', on: 'read', kind: 'error', times: 1 }]);
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.cacheStatus).toContain('detail=storage-error');
  await injectBackendFault([]);
});

test('malformed backend fault rules are rejected as invalid-message', async () => {
  const reply = await command({ op: 'injectBackendFault', rules: [{ target: 'disk', on: 'read', kind: 'error', times: 1 } as unknown as BackendFaultRule] });
  expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
});
