/**
 * Issue 7, races: several tabs (same-origin iframes, each its own SDK instance, connection and mirror)
 * and the worker (tag purges reach the runtime cache, R77/R120) doing set / get / delete / expireTag on
 * the same keys and tags at once; gets during TTL sweeps; a new deployment while requests are in flight.
 * Final states must be explainable by some order of the operations that respects real time, and every
 * context must agree on them once the 300 ms propagation promise has passed (R82, R121).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RuntimeCache } from '../../../sdk/runtime-cache/index.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { nextTask, openContext, uniqueProject, type RuntimeCacheApi } from '../runtime-cache/helpers.ts';
import { get, hits, script, sleep, startWorker, stopWorkers, uniquePath } from './harness.ts';
import { explainingOrder, type Op, type Recorded } from './linearizable.ts';

const stats = { rounds: 0, operations: 0, ttlGets: 0, inFlightDuringUpdate: 0 };
let worker: CacheWorkerController;
let apis: RuntimeCacheApi[] = [];
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,edge' });
  apis = [(await openContext()).api, (await openContext()).api, (await openContext()).api];
});
afterAll(async () => {
  console.log(`[hardening] races: ${JSON.stringify(stats)}`);
  for (const frame of document.querySelectorAll('iframe')) frame.remove();
  await stopWorkers();
});

const clock = () => performance.timeOrigin + performance.now();

type Planned = { kind: 'set'; tags: number[] } | { kind: 'delete' } | { kind: 'expireTag'; tags: number[] } | { kind: 'get' };
const tagPick = fc.subarray([0, 1], { minLength: 1 });
const planned: fc.Arbitrary<Planned> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), tags: fc.subarray([0, 1]) }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('expireTag' as const), tags: tagPick }),
  fc.constant({ kind: 'get' as const }),
);
const round = fc.record({
  tabs: fc.tuple(...[0, 1, 2].map(() => fc.array(planned, { minLength: 1, maxLength: 3 }))),
  worker: fc.option(fc.record({ kind: fc.constantFrom('invalidateByTag' as const, 'dangerouslyDeleteByTag' as const), tag: fc.constantFrom(0, 1) }), { nil: undefined }),
});

test('R82/R105/R121: concurrent set/get/delete/expireTag from three tabs and the worker end in a state some real-time order explains, seen alike everywhere', async () => {
  let value = 0;
  await fc.assert(
    fc.asyncProperty(round, async (plan) => {
      stats.rounds++;
      const projectId = uniqueProject('race');
      const tag = (i: number) => `${projectId}-t${i}`;
      const caches: RuntimeCache[] = apis.map((api) => api.getCache({ projectId, timeoutMs: 5000 }));
      const history: Recorded[] = [];
      const record = async (context: string, op: () => Promise<Op>) => {
        const start = clock();
        const done = await op();
        history.push({ context, op: done, start, end: clock() });
      };
      const tabRuns = plan.tabs.map(async (ops, t) => {
        const cache = caches[t] as RuntimeCache;
        for (const p of ops) {
          stats.operations++;
          if (p.kind === 'set') {
            const v = ++value;
            const tags = p.tags.map(tag);
            await record(`tab${t}`, async () => (await cache.set('k', v, { tags }), { kind: 'set', value: v, tags }));
          } else if (p.kind === 'delete') await record(`tab${t}`, async () => (await cache.delete('k'), { kind: 'delete' }));
          else if (p.kind === 'expireTag') {
            const tags = p.tags.map(tag);
            await record(`tab${t}`, async () => (await cache.expireTag(tags), { kind: 'expireTag', tags }));
          } else {
            // Reads during the race may lag other tabs by the propagation window: checked for sanity only.
            const seen = await cache.get('k');
            if (seen !== null && (typeof seen !== 'number' || seen > value)) throw new Error(`a get returned ${JSON.stringify(seen)}`);
          }
        }
      });
      const workerRun = async () => {
        if (!plan.worker) return;
        stats.operations++;
        const tags = [tag(plan.worker.tag)];
        const kind = plan.worker.kind;
        await record('worker', async () => (await worker[kind](tags), { kind: 'expireTag', tags }));
      };
      await Promise.all([...tabRuns, workerRun()]);
      // After the propagation promise every context agrees, and an order explains what they agree on.
      await sleep(320);
      const finals = await Promise.all(caches.map((cache) => cache.get('k')));
      expect(new Set(finals.map((v) => JSON.stringify(v))).size, `contexts disagree: ${JSON.stringify(finals)}`).toBe(1);
      const at = clock();
      const complete = [...history, { context: 'final', op: { kind: 'get', result: finals[0] } as Op, start: at, end: at }];
      expect(explainingOrder(complete), `no order explains ${JSON.stringify(complete.map((h) => [h.context, h.op]))}`).not.toBeNull();
    }),
    { numRuns: 40, endOnFailure: true },
  );
}, 120_000);

test('R101/R103: gets from three tabs during TTL expiry and sweeps: the value until expiry, null after, and re-set keys survive the sweep', async () => {
  const T0 = Date.UTC(2030, 0, 1);
  let simulated = T0;
  const projectId = uniqueProject('ttl-race');
  const caches = apis.map((api) => api.getCache({ projectId, timeoutMs: 5000, now: () => simulated }));
  const [writer, ...readers] = caches as [RuntimeCache, RuntimeCache, RuntimeCache];
  const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
  await Promise.all(keys.map((key, i) => writer.set(key, i, { ttl: 10 })));
  const expiry = T0 + 10_000;
  const reSet = new Map<string, number>();
  let running = true;
  const violations: string[] = [];
  const hammer = async (cache: RuntimeCache) => {
    while (running) {
      for (const [i, key] of keys.entries()) {
        const before = simulated;
        const seen = await cache.get(key);
        const after = simulated;
        stats.ttlGets++;
        if (reSet.has(key)) continue;
        if (after <= expiry && seen !== i) violations.push(`${key} read ${JSON.stringify(seen)} before expiry`);
        if (before > expiry && seen !== null) violations.push(`${key} read ${JSON.stringify(seen)} after expiry`);
      }
      await nextTask(); // hot-mirror gets settle in microtasks: let timers (the clock, the sweeps) run
    }
  };
  const readersDone = Promise.all(readers.map(hammer));
  // The clock crosses the expiry while the first sweep (1 s after opening) runs in every tab.
  for (let step = 0; step < 40; step++) {
    simulated += 500;
    if (simulated === T0 + 8000) {
      for (const key of keys.slice(0, 10)) {
        reSet.set(key, 1000);
        await writer.set(key, 1000, { ttl: 100 });
        expect(await writer.get(key)).toBe(1000); // read-your-writes, whatever the sweeps do
      }
    }
    await sleep(60);
  }
  running = false;
  await readersDone;
  expect(violations.slice(0, 5)).toEqual([]);
  await sleep(320);
  for (const cache of caches) {
    for (const [i, key] of keys.entries()) expect(await cache.get(key)).toBe(i < 10 ? 1000 : null);
  }
}, 60_000);

test('a new deployment while requests are in flight: every in-flight request completes correctly and the new deployment starts cold (R50)', async () => {
  const store = `update-${Date.now().toString(36)}`;
  await startWorker({ layers: 'edge', deployment: 'dep-one', store });
  const warm = await script(uniquePath('update-warm'), [{ headers: { 'Cache-Control': 's-maxage=600' }, body: 'w{{hit}}' }]);
  const slow = await script(uniquePath('update-slow'), [{ headers: { 'Cache-Control': 's-maxage=600' }, body: 's{{hit}}', delayMs: 400 }]);
  expect((await get(warm)).body).toBe('w1');
  expect((await get(warm)).xVercelCache).toBe('HIT');
  const inFlight = Promise.all(Array.from({ length: 10 }, () => get(slow)));
  await sleep(50);
  const next = await startWorker({ layers: 'edge', deployment: 'dep-two', store });
  const finished = await inFlight;
  stats.inFlightDuringUpdate += finished.length;
  expect(finished.map((r) => `${r.status} ${r.body}`)).toEqual(Array.from({ length: 10 }, () => '200 s1'));
  const cold = await get(warm);
  expect([cold.body, cold.xVercelCache]).toEqual(['w2', 'MISS']);
  expect((await hits(warm)).count).toBe(2);
  // The page is controlled (clients.claim) before activate's clean-up has finished: it lands shortly after.
  await expect.poll(async () => (await next.inspect()).entries.filter((e) => e.deployment === 'dep-one').length, { timeout: 3000 }).toBe(0);
  const entries = (await next.inspect()).entries;
  expect(entries.filter((e) => e.url.endsWith(warm)).map((e) => e.deployment)).toEqual(['dep-two']);
});
