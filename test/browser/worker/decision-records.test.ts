/**
 * The worker posts decision records only while a page listens (a lease the SDK announces, renews and
 * releases: sw/README.md "Decision records"), and no record a listener should get is lost: not for a
 * fetch racing the announcement, not after the browser stopped and restarted the worker, not in a
 * second context. Observed with the public onDecision() and with a raw BroadcastChannel that holds no
 * lease (it sees what the worker posts).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { DecisionMessage, ErrorMessage, ListeningMessage } from '../../../sdk/protocol.ts';
import type { CacheWorkerController, DecisionRecord, WorkerErrorReport } from '../../../sdk/worker/index.ts';
import { command, get, scripted, startWorker, stopIdleWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser', testHooks: '1' });
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
afterAll(stopWorkers);

const cached = (name: string) => scripted(name, [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for the worker to have made (and, were it posting, posted) a record after the response. */
const SETTLE_MS = 400;

/** What the worker posts on the decisions channel, seen by a channel that announces no lease. */
function watchChannel() {
  const channel = new BroadcastChannel('tiercache:decisions');
  const decisions: DecisionMessage[] = [];
  const errors: ErrorMessage[] = [];
  channel.onmessage = (event: MessageEvent<DecisionMessage | ErrorMessage>) => {
    if (event.data.kind === 'decision') decisions.push(event.data);
    if (event.data.kind === 'error') errors.push(event.data);
  };
  cleanups.push(() => channel.close());
  const posted = (path: string) => decisions.filter((m) => m.record.url.endsWith(path));
  return { channel, decisions, errors, posted };
}

function listen(controller: CacheWorkerController = worker) {
  const records: DecisionRecord[] = [];
  const stop = controller.onDecision((record) => records.push(record));
  cleanups.push(stop);
  return { records, stop, of: (path: string) => records.filter((r) => r.url.endsWith(path)) };
}

test('decision records: a fetch issued right after onDecision() is delivered, once (20 fresh paths, hits and misses)', async () => {
  for (let i = 0; i < 20; i++) {
    const path = await cached(`right-after-${i}`);
    if (i % 2 === 1) await get(path); // odd rounds: the measured fetch is a hit, the fastest record there is
    await pause(50); // the warming fetch's record is made before the listener subscribes
    const listener = listen();
    const seen = get(path); // no await between subscribing and fetching
    expect((await seen).body).toBe('v1');
    await expect.poll(() => listener.of(path).length, { timeout: 5000 }).toBeGreaterThan(0);
    await pause(50);
    expect(listener.of(path).map((r) => r.layers[0]?.outcome)).toEqual([i % 2 === 1 ? 'hit' : 'miss']);
    listener.stop();
  }
});

test('decision records: a lease that arrives after a record was made replays it once, and only records made since', async () => {
  const raw = watchChannel();
  const [early, late] = [await cached('replay-early'), await cached('replay-late')];
  await get(early);
  await pause(50);
  const since = Date.now();
  await get(late);
  await pause(SETTLE_MS); // both records are made, neither posted: nobody listens yet
  expect([raw.posted(early), raw.posted(late)]).toEqual([[], []]);
  // What a listener that subscribed at `since` announces when its lease reaches the worker late (a
  // fetch racing the announcement, or the answer to a restarted worker's who-listens).
  const lease: ListeningMessage = { tag: 'tiercache/1', kind: 'listening', context: `replay-${since}`, since, until: Date.now() + 5000 };
  raw.channel.postMessage(lease);
  await expect.poll(() => raw.posted(late).length, { timeout: 5000 }).toBe(1);
  raw.channel.postMessage({ ...lease, until: Date.now() + 5000 }); // a renewal replays nothing again
  await pause(SETTLE_MS);
  expect(raw.posted(late)).toHaveLength(1);
  expect(raw.posted(early)).toEqual([]);
  expect(raw.posted(late)[0]?.producedAt).toBeGreaterThanOrEqual(since);
  raw.channel.postMessage({ ...lease, until: 0 });
});

test('decision records: nothing is posted after the last listener stopped; a new listener gets only later records', async () => {
  const raw = watchChannel();
  const [a, b, c] = [await cached('stop-a'), await cached('stop-b'), await cached('stop-c')];
  const first = listen();
  await get(a);
  await expect.poll(() => first.of(a).length, { timeout: 5000 }).toBe(1);
  expect(raw.posted(a)).toHaveLength(1);
  first.stop();
  await pause(50); // the release reaches the worker
  await get(b);
  await get(b);
  await pause(SETTLE_MS);
  expect(raw.posted(b)).toEqual([]);
  // b's records are still replayable, but were made before this listener subscribed.
  const second = listen();
  await get(c);
  await expect.poll(() => second.of(c).length, { timeout: 5000 }).toBe(1);
  await pause(SETTLE_MS);
  expect(second.of(b)).toEqual([]);
  expect(raw.posted(b)).toEqual([]);
  expect(raw.posted(c).map((m) => m.record.seq)).toEqual(second.of(c).map((r) => r.seq));
});

test('decision records: a lease that is not renewed expires and the worker stops posting', async () => {
  const raw = watchChannel();
  const [during, after] = [await cached('lease-during'), await cached('lease-after')];
  const now = Date.now();
  const lease: ListeningMessage = { tag: 'tiercache/1', kind: 'listening', context: `test-${now}`, since: now, until: now + 1000 };
  raw.channel.postMessage(lease);
  await get(during);
  await expect.poll(() => raw.posted(during).length, { timeout: 5000 }).toBe(1);
  await pause(Math.max(0, lease.until - Date.now()) + 100);
  await get(after);
  await pause(SETTLE_MS);
  expect(raw.posted(after)).toEqual([]);
});

test('decision records: error reports are posted even when nobody listens for decisions', async () => {
  const raw = watchChannel();
  const errors: WorkerErrorReport[] = [];
  cleanups.push(worker.onError((error) => errors.push(error)));
  const path = await cached('error-unlistened');
  expect(await command({ op: 'injectStorageFault', failNext: 1, operations: ['variants'] })).toMatchObject({ ok: true });
  const seen = await get(path);
  expect(seen.cacheStatus).toMatch(/detail=storage-error$/);
  await expect.poll(() => errors.map((e) => e.name), { timeout: 5000 }).toContain('InjectedStorageFault');
  expect(raw.errors.map((m) => m.error.name)).toContain('InjectedStorageFault');
  await pause(SETTLE_MS);
  expect(raw.posted(path)).toEqual([]);
});

test('decision records: after the browser stops the worker, the fetch that restarts it is still delivered', async () => {
  const raw = watchChannel();
  const listener = listen();
  const path = await cached('restart');
  await get(path);
  await expect.poll(() => listener.of(path).length, { timeout: 5000 }).toBe(1);
  // The browser stopping an idle worker (DevTools' "Stop"): its in-memory leases are gone.
  await stopIdleWorker(worker);
  expect((await get(path)).body).toBe('v1');
  await expect.poll(() => listener.of(path).length, { timeout: 5000 }).toBe(2);
  expect(listener.of(path).map((r) => r.layers[0]?.outcome)).toEqual(['miss', 'hit']);
  // A new worker instance posted the hit's record (its own source): the restart did happen.
  await expect.poll(() => raw.posted(path).length, { timeout: 5000 }).toBe(2);
  expect(new Set(raw.posted(path).map((m) => m.source)).size).toBe(2);
}, 20_000);

test('decision records: two contexts (this page and an iframe) both get every record while either listens', async () => {
  const iframe = document.createElement('iframe');
  document.body.append(iframe);
  cleanups.push(() => iframe.remove());
  const frame = iframe.contentWindow as Window & typeof globalThis;
  // The SDK loaded in the iframe's own realm: its own module instance, its own lease.
  const load = new frame.Function('url', 'return import(url)') as (url: string) => Promise<typeof import('../../../sdk/worker/controller.ts')>;
  const sdk = await load(`${location.origin}/sdk/worker/controller.ts`);
  // Commands are not used here: the iframe's controller only listens.
  const other = sdk.createController({ registration: worker.registration, scriptURL: worker.scriptURL, commandTimeoutMs: 5000 });
  const [both, iframeOnly] = [await cached('two-both'), await cached('two-iframe-only')];
  const here = listen();
  const there = listen(other);
  await get(both);
  await expect.poll(() => [here.of(both).length, there.of(both).length], { timeout: 5000 }).toEqual([1, 1]);
  // This page stops; the iframe's lease alone keeps the worker posting.
  here.stop();
  await pause(50);
  await get(iframeOnly);
  await expect.poll(() => there.of(iframeOnly).length, { timeout: 5000 }).toBe(1);
  expect(here.of(iframeOnly)).toEqual([]);
});
