// Issue 7 "Faults" for the HTTP store: IndexedDB and Cache Storage throwing on open, read and write;
// quota exceeded (also inside an AbortError); a blocked upgrade; connections closed under the store.
// In each case the caller's promise settles, the failure is a StoreError (or goes to onError), and the
// store is consistent afterwards: nothing listed without a body, no body without metadata.
import { expect, test } from 'vitest';
import { isStoreError, openHttpStore, type StoreErrorCode, type StoreOptions } from '../../../sw/store/index.ts';
import {
  abortWrappingQuota,
  bodyUrls,
  failTimes,
  faultyCaches,
  faultyIndexedDB,
  holdConnection,
  quotaError,
  settleWithin,
  type Fault,
} from './fault-seams.ts';
import { bodyText, bytes, entry, manualClock, text, utf8, type Rec } from './store-contract.ts';

function names() {
  const name = `faults-${crypto.randomUUID()}`;
  return { dbName: name, cachePrefix: name };
}

function open(options: StoreOptions, errors: unknown[] = []) {
  return openHttpStore<Rec>({ onError: (error) => errors.push(error), ...options });
}

const ids = (metas: { id: string }[]) => metas.map((m) => m.id).sort();
const storeError = (code: StoreErrorCode) => (e: unknown) => isStoreError(e) && e.code === code;
const broken = () => new Error('injected storage failure');

/** A fault that fires exactly once, on the first call after arm(). */
function armable(error: () => Error) {
  let armed = false;
  let fired = false;
  const fault: Fault = () => {
    if (!armed) return undefined;
    armed = false;
    fired = true;
    return error();
  };
  return { fault, arm: () => (armed = true), fired: () => fired };
}

/** Bodies in Cache Storage and entries listed by a fresh start agree one to one. */
async function expectConsistentAfterRestart(n: { dbName: string; cachePrefix: string }, expected: string[]) {
  const restarted = await open(n);
  expect(ids(await restarted.list())).toEqual(expected);
  const urls = (await Promise.all(['browser', 'cdn', 'edge'].map((l) => bodyUrls(`${n.cachePrefix}-${l}`)))).flat();
  expect(urls).toHaveLength(expected.length);
}

test('IndexedDB throwing on open: memory-only store for this run, reported through onError', async () => {
  const errors: unknown[] = [];
  const { factory } = faultyIndexedDB({ open: () => new DOMException('IndexedDB is disabled', 'InvalidStateError') });
  const store = await open({ ...names(), indexedDB: factory }, errors);
  expect(errors).toEqual([expect.toSatisfy(storeError('storage-unavailable'))]);
  await store.put(entry('a'), utf8('from memory'));
  const hit = await store.get('a');
  expect(hit && text(hit.body)).toBe('from memory');
});

test('IndexedDB open failing asynchronously (a newer database version exists): memory fallback', async () => {
  const n = names();
  (await holdConnection(n.dbName, 7)).close();
  const errors: unknown[] = [];
  const store = await open(n, errors);
  expect(errors).toEqual([expect.toSatisfy(storeError('storage-unavailable'))]);
  await store.put(entry('a'), utf8('x'));
  expect(ids(await store.list())).toEqual(['a']);
  expect(await bodyUrls(`${n.cachePrefix}-browser`)).toEqual([]); // nothing half-persisted
});

test('Cache Storage throwing on open: memory fallback, reported', async () => {
  const errors: unknown[] = [];
  const store = await open({ ...names(), caches: faultyCaches({ open: broken, keys: broken }) }, errors);
  expect(errors).toHaveLength(1);
  expect(isStoreError(errors[0])).toBe(true);
  await store.put(entry('a'), utf8('x'));
  expect((await store.get('a'))?.meta.id).toBe('a');
});

test('C3: an upgrade blocked by an old connection does not hang; memory fallback; the late connection is released', async () => {
  const n = names();
  const old = await holdConnection(n.dbName, 1); // an old tab: no versionchange handler, never closes
  const { factory } = faultyIndexedDB({ versionBump: 1 }); // the store is the newer version
  const errors: unknown[] = [];
  const store = await settleWithin(open({ ...n, indexedDB: factory, openTimeoutMs: 300 }, errors), 5000);
  if (store === 'timed out') throw new Error('openHttpStore hung on a blocked upgrade');
  expect(errors).toEqual([expect.toSatisfy(storeError('storage-blocked'))]);
  await store.put(entry('a'), utf8('x'));
  expect((await store.get('a'))?.meta.id).toBe('a');

  // When the old tab goes away, the pending upgrade completes and its connection is closed at once,
  // so deleting the database is not blocked by a connection nobody uses.
  old.close();
  const blocked = await new Promise<boolean>((resolve) => {
    const request = indexedDB.deleteDatabase(n.dbName);
    request.onblocked = () => resolve(true);
    request.onsuccess = () => resolve(false);
  });
  expect(blocked).toBe(false);
});

test('C3: the store closes its connection when a newer version needs to upgrade, and keeps serving', async () => {
  const n = names();
  const store = await open(n);
  await store.put(entry('a'), utf8('still here'));
  const newer = await settleWithin(holdConnection(n.dbName, 2), 5000);
  if (newer === 'timed out') throw new Error('the store blocked the upgrade');
  // Reads come from the in-memory metadata and Cache Storage.
  const hit = await store.get('a');
  expect(hit && text(hit.body)).toBe('still here');
  // Writes can no longer be persisted by this (old) version: they fail cleanly, leaving no body behind.
  await expect(store.put(entry('b'), utf8('y'))).rejects.toSatisfy(storeError('storage-unavailable'));
  expect(ids(await store.list())).toEqual(['a']);
  expect(await bodyUrls(`${n.cachePrefix}-browser`)).toHaveLength(1);
  newer.close();
});

test('C2: a connection closed under the store (connection lost) is reopened and the write retried', async () => {
  const n = names();
  const seam = faultyIndexedDB({});
  const store = await open({ ...n, indexedDB: seam.factory });
  for (const db of seam.connections) db.close();
  await store.put(entry('a'), utf8('x'));
  expect(seam.connections).toHaveLength(2);
  await expectConsistentAfterRestart(n, ['a']);
});

test('C2: a terminated connection (close event) is reopened on the next write', async () => {
  const n = names();
  const seam = faultyIndexedDB({});
  const store = await open({ ...n, indexedDB: seam.factory });
  seam.connections[0]?.dispatchEvent(new Event('close'));
  await store.put(entry('a'), utf8('x'));
  expect(seam.connections).toHaveLength(2);
  await expectConsistentAfterRestart(n, ['a']);
});

test('the hit path reads no IndexedDB: with every IndexedDB read failing after open, lookups and gets work', async () => {
  const n = names();
  const first = await open(n);
  await first.put(entry('a', { primaryKey: 'GET /p', tags: ['t'], layer: 'edge' }), utf8('body'));
  let reads = 0;
  const seam = faultyIndexedDB({ read: () => (reads++ > 0 ? broken() : undefined) }); // the load at open only
  const errors: unknown[] = [];
  const store = await open({ ...n, indexedDB: seam.factory }, errors);
  expect(errors).toEqual([]);
  expect(ids(await store.variants('GET /p'))).toEqual(['a']);
  expect(ids(await store.byTag(['t']))).toEqual(['a']);
  const hit = await store.get('a');
  expect(hit && text(hit.body)).toBe('body');
  expect(reads).toBe(1);
});

test('Cache Storage throwing on write: put rejects storage-unavailable, nothing stored, next put works', async () => {
  const n = names();
  const store = await open({ ...n, caches: faultyCaches({ put: failTimes(1, broken) }) });
  await expect(store.put(entry('a'), utf8('x'))).rejects.toSatisfy(storeError('storage-unavailable'));
  expect(await store.list()).toEqual([]);
  await store.put(entry('b'), utf8('y'));
  await expectConsistentAfterRestart(n, ['b']);
});

test('Cache Storage throwing on read: get rejects storage-unavailable; the entry is served once it recovers', async () => {
  const n = names();
  let failing = false;
  const store = await open({ ...n, caches: faultyCaches({ match: () => (failing ? broken() : undefined) }) });
  await store.put(entry('a'), utf8('x'));
  failing = true;
  await expect(store.get('a')).rejects.toSatisfy(storeError('storage-unavailable'));
  failing = false;
  const hit = await store.get('a');
  expect(hit && text(hit.body)).toBe('x');
});

test('Cache Storage throwing on read: getBody rejects storage-unavailable, then serves again', async () => {
  const n = names();
  let failing = false;
  const store = await open({ ...n, caches: faultyCaches({ match: () => (failing ? broken() : undefined) }) });
  await store.put(entry('a'), utf8('x'));
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('x');
  failing = true;
  await expect(store.getBody('a')).rejects.toSatisfy(storeError('storage-unavailable'));
  failing = false;
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('x');
});

test('IndexedDB throwing on write: put rejects, its body is removed, the store stays consistent', async () => {
  const n = names();
  let failing = false;
  const seam = faultyIndexedDB({ write: () => (failing ? new DOMException('disk error', 'DataError') : undefined) });
  const store = await open({ ...n, indexedDB: seam.factory });
  await store.put(entry('kept'), utf8('x'));
  failing = true;
  await expect(store.put(entry('a'), utf8('y'))).rejects.toSatisfy(storeError('storage-unavailable'));
  expect(ids(await store.list())).toEqual(['kept']);
  expect(await bodyUrls(`${n.cachePrefix}-browser`)).toHaveLength(1);
  failing = false;
  await expectConsistentAfterRestart(n, ['kept']);
});

for (const [where, seam] of [
  ['Cache Storage (QuotaExceededError)', (fault: Fault) => ({ caches: faultyCaches({ put: fault }) })],
  ['IndexedDB (AbortError wrapping QuotaExceededError)', (fault: Fault) => ({ indexedDB: faultyIndexedDB({ write: fault }).factory })],
] as const) {
  test(`A6/C5: quota exceeded once in ${where}: evicts the least recently used entry (any layer) and retries once`, async () => {
    const n = names();
    const clock = manualClock();
    const quota = armable(where.startsWith('Cache') ? quotaError : abortWrappingQuota);
    const store = await open({ ...n, now: clock.now, ...seam(quota.fault) });
    await store.put(entry('old', { layer: 'cdn' }), bytes(100));
    clock.advance(10);
    await store.put(entry('recent'), bytes(100));
    clock.advance(10);
    quota.arm();
    await store.put(entry('new'), bytes(100));
    expect(quota.fired()).toBe(true);
    expect(ids(await store.list())).toEqual(['new', 'recent']);
    await expectConsistentAfterRestart(n, ['new', 'recent']);
  });
}

test('A6: quota exceeded again after evicting: put rejects quota-exceeded; nothing half-stored', async () => {
  const n = names();
  const clock = manualClock();
  let quota = false;
  const store = await open({ ...n, now: clock.now, caches: faultyCaches({ put: () => (quota ? quotaError() : undefined) }) });
  await store.put(entry('a'), bytes(100));
  clock.advance(10);
  await store.put(entry('b'), bytes(100));
  quota = true;
  await expect(store.put(entry('c'), bytes(100))).rejects.toSatisfy(storeError('quota-exceeded'));
  // One retry only; the least recently used entry was given up to make room.
  expect(ids(await store.list())).toEqual(['b']);
  await expectConsistentAfterRestart(n, ['b']);
});

test('updateMeta that cannot be saved drops the entry (an invalidation mark is never lost)', async () => {
  const n = names();
  let failing = false;
  const seam = faultyIndexedDB({ write: () => (failing ? new DOMException('disk error', 'DataError') : undefined) });
  const store = await open({ ...n, indexedDB: seam.factory });
  await store.put(entry('a', { tags: ['t'] }), utf8('x'));
  failing = true;
  await expect(store.updateMeta('a', (m) => ({ ...m, record: { ...m.record, stale: true } }))).rejects.toSatisfy(
    storeError('storage-unavailable'),
  );
  expect(await store.get('a')).toBeUndefined();
  failing = false;
  await expectConsistentAfterRestart(n, []);
});

test('a purge whose metadata delete fails still takes effect now and after a restart', async () => {
  const n = names();
  let failing = false;
  const seam = faultyIndexedDB({ write: () => (failing ? new DOMException('disk error', 'DataError') : undefined) });
  const store = await open({ ...n, indexedDB: seam.factory });
  await store.put(entry('a', { layer: 'edge', tags: ['t'] }), utf8('x'));
  await store.put(entry('b', { layer: 'edge' }), utf8('y'));
  failing = true;
  await expect(store.delete('a')).rejects.toSatisfy(storeError('storage-unavailable'));
  expect(await store.get('a')).toBeUndefined();
  failing = false;
  await expectConsistentAfterRestart(n, ['b']);
});

test('streamed writes of three layers finishing together: a failed metadata commit rejects each write it carried and removes its body', async () => {
  const n = names();
  // The first metadata write after arming fails: one layer's commit, or the one shared by those whose
  // bodies were in together (LayeredStore commits them in one transaction).
  const once = armable(() => new DOMException('disk error', 'DataError'));
  const seam = faultyIndexedDB({ write: once.fault });
  const store = await open({ ...n, indexedDB: seam.factory });
  await store.put(entry('kept'), utf8('x'));
  once.arm();
  const layers = ['browser', 'cdn', 'edge'] as const;
  const chunk = new TextEncoder().encode('one response');
  const settled = await Promise.allSettled(
    layers.map((layer) =>
      store.put(
        entry(`${layer}:p`, { layer }),
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(chunk);
            controller.close();
          },
        }),
      ),
    ),
  );
  expect(once.fired()).toBe(true);
  const stored = layers.filter((_, i) => settled[i]?.status === 'fulfilled').map((layer) => `${layer}:p`);
  const failed = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  expect(failed.length).toBeGreaterThan(0);
  for (const { reason } of failed) expect(reason).toSatisfy(storeError('storage-unavailable'));
  expect(ids(await store.list())).toEqual(['kept', ...stored].sort());
  await expectConsistentAfterRestart(n, ['kept', ...stored].sort());
});
