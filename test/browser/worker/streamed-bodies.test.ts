/**
 * Issue 15: a response a layer stores streams through it. The body reaches the page as the origin
 * sends it, while every layer writes it to its store; what a layer may not keep (its budget, R40) is
 * still delivered whole; a body cut off by the origin or cancelled by the page never leaves a partial
 * entry; collapsed requests (R59) get the whole body. The origin (demo/origin) sends scripted parts
 * with delays and records how many it has sent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

const CACHEABLE = { 'Cache-Control': 'public, max-age=60, s-maxage=60' };
/** Paths the worker handles start with this; others reach the origin without the worker. */
const VIA = 'sb-';
const MiB = 2 ** 20;

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<number> {
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

function textReader(res: Response): ReadableStreamDefaultReader<string> {
  if (!res.body) throw new Error('no body');
  return res.body.pipeThrough(new TextDecoderStream()).getReader();
}

/** The page's read of a body cut off by the origin: the error it rejects with. */
async function cutOffError(path: string): Promise<string> {
  const res = await fetch(path);
  const error = await res.arrayBuffer().then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof Error ? `${error.name}: ${error.message}` : `no error (${String(error)})`;
}

async function entriesOf(worker: CacheWorkerController, path: string) {
  return (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
}

const configs = [
  { layers: 'browser', profile: 'vercel' },
  { layers: 'cdn', profile: 'vercel' },
  { layers: 'edge', profile: 'vercel' },
  { layers: 'browser,cdn,edge', profile: 'vercel' },
  { layers: 'browser,cdn,edge', profile: 'rfc9111' },
];

describe.each(configs)('layers=$layers profile=$profile', ({ layers, profile }) => {
  let worker: CacheWorkerController;
  const layerNames = layers.split(',').sort();
  beforeAll(async () => {
    // A 1 MiB budget per layer, so an over-budget body is cheap to send.
    worker = await startWorker({ layers, profile, include: `/__origin/r/${VIA}`, budget: String(MiB) });
  });
  afterAll(stopWorkers);

  test('the first part reaches the page before the origin sends the rest, and the whole body is stored', async () => {
    const path = await scripted(`${VIA}first`, [{ headers: CACHEABLE, chunks: [{ body: '<p>first</p>' }, { body: '<p>rest</p>', delayMs: 1500 }] }]);
    const res = await fetch(path);
    const reader = textReader(res);
    const first = await reader.read();
    expect(first.value).toBe('<p>first</p>');
    expect((await hits(path)).requests[0]?.sent).toBe(1); // the origin has not sent the rest yet
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += part.value;
    expect(rest).toBe('<p>rest</p>');
    const again = await get(path);
    expect(again.body).toBe('<p>first</p><p>rest</p>');
    expect(again.cacheStatus).toMatch(/; hit/);
    expect((await hits(path)).count).toBe(1);
    expect((await entriesOf(worker, path)).map((e) => [e.layer, e.size]).sort()).toEqual(layerNames.map((l) => [l, 23]));
  });

  test('R59: a request collapsed onto a streaming one gets the whole body from the stored entry', async () => {
    const path = await scripted(`${VIA}collapse`, [{ headers: CACHEABLE, chunks: [{ body: 'a'.repeat(100) }, { body: 'b'.repeat(100), delayMs: 500 }] }]);
    const both = await Promise.all([get(path), get(path)]);
    expect(both.map((r) => r.body)).toEqual(['a'.repeat(100) + 'b'.repeat(100), 'a'.repeat(100) + 'b'.repeat(100)]);
    expect((await hits(path)).count).toBe(1);
    expect(both.filter((r) => r.cacheStatus?.includes('collapsed')).length).toBe(1);
  });

  test('a body larger than the budget is delivered in full and not kept', async () => {
    const path = await scripted(`${VIA}over`, [{ headers: CACHEABLE, chunks: Array.from({ length: 12 }, () => ({ bytes: 256 * 1024 })) }]);
    const res = await fetch(path);
    expect((await res.arrayBuffer()).byteLength).toBe(3 * MiB);
    expect(await entriesOf(worker, path)).toEqual([]);
    const again = await fetch(path);
    expect((await again.arrayBuffer()).byteLength).toBe(3 * MiB);
    expect((await hits(path)).count).toBe(2);
  });

  test('a body cut off by the origin reaches the page as the same error as without the worker; nothing is stored', async () => {
    const parts = { headers: CACHEABLE, chunks: [{ body: 'part' }, { bytes: 1000, delayMs: 100 }], cutOff: true };
    const direct = await scripted('direct-cut', [parts]);
    const via = await scripted(`${VIA}cut`, [parts]);
    const expected = await cutOffError(direct);
    expect(expected).toMatch(/^TypeError/);
    expect(await cutOffError(via)).toBe(expected);
    expect(await entriesOf(worker, via)).toEqual([]);
    await cutOffError(via);
    expect((await hits(via)).count).toBe(2);
  });

  test('a read the page cancels leaves no partial entry: the layers finish the download and keep it whole', async () => {
    const path = await scripted(`${VIA}cancel`, [{ headers: CACHEABLE, chunks: [{ body: 'x'.repeat(10) }, { body: 'y'.repeat(10), delayMs: 300 }] }]);
    const res = await fetch(path);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).value?.byteLength).toBe(10);
    await reader.cancel();
    await expect.poll(async () => (await hits(path)).requests[0]?.sent, { timeout: 5000 }).toBe(2);
    expect((await entriesOf(worker, path)).map((e) => [e.layer, e.size]).sort()).toEqual(layerNames.map((l) => [l, 20]));
    expect((await get(path)).body).toBe('x'.repeat(10) + 'y'.repeat(10));
    expect((await hits(path)).count).toBe(1);
  });
});

describe('large bodies, default budget (50 MiB per layer)', () => {
  let worker: CacheWorkerController;
  beforeAll(async () => {
    worker = await startWorker({ layers: 'browser,cdn,edge', include: `/__origin/r/${VIA}` });
  });
  afterAll(stopWorkers);

  test('R40: a 30 MiB body streams through all three layers in full; the edge (10 MiB limit) does not keep it, the others do', async () => {
    const path = await scripted(`${VIA}large`, [{ headers: CACHEABLE, chunks: Array.from({ length: 30 }, () => ({ bytes: MiB })) }]);
    const res = await fetch(path);
    expect(await readAll((res.body as ReadableStream<Uint8Array>).getReader())).toBe(30 * MiB);
    // Each copy is committed once its whole body is written, which may outlast inspect()'s bounded wait
    // for writes (WRITE_WAIT_MS) on a loaded machine: 60 MiB go into Cache Storage after the page's read.
    const stored = async () => (await entriesOf(worker, path)).map((e) => [e.layer, e.size]).sort();
    await expect.poll(stored, { timeout: 20_000 }).toEqual([['browser', 30 * MiB], ['cdn', 30 * MiB]]);
    const again = await fetch(path);
    expect((await again.arrayBuffer()).byteLength).toBe(30 * MiB);
    expect(again.headers.get('cache-status')).toMatch(/browser; hit/);
    expect((await hits(path)).count).toBe(1);
  });

  test('Content-Length and Age of a body stored while it streamed are what they were before, on the miss and on the hit', async () => {
    const path = await scripted(`${VIA}length`, [{ headers: { ...CACHEABLE, Age: '5' }, bodyBytes: 3 * MiB }]);
    const miss = await fetch(path);
    expect(miss.headers.get('content-length')).toBe(String(3 * MiB));
    expect((await miss.arrayBuffer()).byteLength).toBe(3 * MiB);
    // The hit is read once every copy is written (a lookup waits for a write in progress only so long).
    await expect.poll(async () => (await entriesOf(worker, path)).length, { timeout: 20_000 }).toBe(3);
    const hit = await fetch(path);
    expect(hit.headers.get('cache-status')).toMatch(/browser; hit/);
    expect(hit.headers.get('content-length')).toBe(String(3 * MiB));
    expect(Number(hit.headers.get('age'))).toBeGreaterThanOrEqual(5);
    expect((await hit.arrayBuffer()).byteLength).toBe(3 * MiB);
    expect((await hits(path)).count).toBe(1);
  });

  test('a request for a key whose body is still streaming waits at most a bounded time, then fetches for itself', async () => {
    const path = await scripted(`${VIA}slow`, [{ headers: CACHEABLE, chunks: [{ body: 'head' }, { body: 'tail', delayMs: 5000 }] }]);
    const first = await fetch(path);
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const second = await get(path); // does not wait for the first one's last part (5 s away)
    expect(second.body).toBe('headtail');
    expect((await hits(path)).count).toBe(2);
    expect(await readAll(reader)).toBe(4);
  });
});
