/** Fault injection on real IndexedDB: nothing rejects, nothing hangs, every failure is reported. */
import { afterEach, expect, test } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../sdk/runtime-cache/db.ts';
import { getCache, RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';
import { dbName, openContext, rawRecords, uniqueProject } from './helpers.ts';

const restores: (() => void)[] = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
  for (const frame of document.querySelectorAll('iframe')) frame.remove();
});

function collect(): { failures: RuntimeCacheFailure[]; onError: (f: RuntimeCacheFailure) => void } {
  const failures: RuntimeCacheFailure[] = [];
  return { failures, onError: (f) => failures.push(f) };
}

/** Makes IDBObjectStore.prototype.put throw `error` for the next `times` calls (Infinity = always). */
function failPuts(error: () => Error, times: number): void {
  const proto = IDBObjectStore.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'put') as PropertyDescriptor;
  const put = original.value as (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) => IDBRequest<IDBValidKey>;
  let left = times;
  Object.defineProperty(proto, 'put', {
    ...original,
    value(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (left-- > 0) throw error();
      return put.apply(this, args);
    },
  });
  restores.push(() => Object.defineProperty(proto, 'put', original));
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('failed'));
  });
}

test('R112: IndexedDB.open throwing (private mode) → in-memory fallback, reported once, calls keep working', async () => {
  const { failures, onError } = collect();
  const broken = { open: () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); } } as unknown as IDBFactory;
  const cache = getCache({ projectId: uniqueProject('open-throws'), indexedDB: broken, onError });
  await expect(cache.set('k', 'v', { tags: ['t'] })).resolves.toBeUndefined();
  expect(await cache.get('k')).toBe('v');
  await cache.expireTag('t');
  expect(await cache.get('k')).toBeNull();
  expect(failures.map((f) => f.kind)).toEqual(['fallback']);
  expect((failures[0]?.cause as DOMException).name).toBe('InvalidStateError');
});

test('a database already upgraded by a newer deployment (VersionError) → fallback, no hang', async () => {
  const projectId = uniqueProject('newer');
  const newer = await request(indexedDB.open(dbName(projectId), SCHEMA_VERSION + 5));
  newer.close();
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  expect(await cache.get('k')).toBeNull();
  await cache.set('k', 1);
  expect(await cache.get('k')).toBe(1);
  expect(failures.map((f) => [f.kind, (f.cause as DOMException).name])).toEqual([['fallback', 'VersionError']]);
});

test('C2: a connection closed underneath is reopened transparently for reads and writes', async () => {
  const projectId = uniqueProject('closed');
  const connections: IDBDatabase[] = [];
  const spying = {
    open: (name: string, version?: number) => {
      const req = indexedDB.open(name, version);
      req.addEventListener('success', () => connections.push(req.result));
      return req;
    },
  } as unknown as IDBFactory;
  const { failures, onError } = collect();
  const cache = getCache({ projectId, indexedDB: spying, onError });
  await cache.set('a', 1);
  connections[0]?.close();
  expect(await cache.get('never-set')).toBeNull(); // a cold read on the closed connection
  await cache.set('b', 2);
  connections[1]?.close();
  await cache.set('c', 3);
  expect(connections).toHaveLength(3);
  const other = getCache({ projectId, indexedDB });
  expect([await other.get('a'), await other.get('b'), await other.get('c')]).toEqual([1, 2, 3]);
  expect(failures).toEqual([]);
});

test('C3: our connection makes way for a newer version at once; afterwards calls degrade, never hang', async () => {
  const projectId = uniqueProject('versionchange');
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  await cache.set('k', 1);
  let blocked = false;
  const upgrade = indexedDB.open(dbName(projectId), SCHEMA_VERSION + 1);
  upgrade.onblocked = () => (blocked = true);
  const newer = await request(upgrade);
  newer.close();
  expect(blocked).toBe(false);
  expect(await cache.get('k')).toBeNull(); // the mirror was dropped; reopening meets VersionError
  expect(failures.map((f) => f.kind)).toEqual(['fallback']);
});

test('C3: an upgrade blocked by an old connection in another context is abandoned at the deadline, then succeeds', async () => {
  const name = dbName(uniqueProject('blocked'));
  const { frame } = await openContext();
  const other = frame.contentWindow as Window & typeof globalThis;
  const old = await request(other.indexedDB.open(name, SCHEMA_VERSION)); // no versionchange handler: it never closes
  let blockedReports = 0;
  const started = performance.now();
  const attempt = openDatabase({
    name,
    factory: indexedDB,
    version: SCHEMA_VERSION + 1,
    deadlineMs: 300,
    onBlocked: () => blockedReports++,
    onGone: () => undefined,
  });
  const error: unknown = await attempt.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuntimeCacheFailure);
  expect((error as RuntimeCacheFailure).kind).toBe('blocked');
  expect(performance.now() - started).toBeLessThan(2000);
  expect(blockedReports).toBe(1);
  old.close();
  const upgraded = await openDatabase({ name, factory: indexedDB, version: SCHEMA_VERSION + 2, deadlineMs: 2000, onBlocked: () => undefined, onGone: () => undefined });
  expect(upgraded.version).toBe(SCHEMA_VERSION + 2);
  upgraded.close();
});

test('R110/C2: an open that never completes → get is a miss and set resolves after timeoutMs, both reported', async () => {
  const hanging = { open: () => ({}) as IDBOpenDBRequest } as unknown as IDBFactory;
  const { failures, onError } = collect();
  const cache = getCache({ projectId: uniqueProject('hang'), indexedDB: hanging, timeoutMs: 100, onError });
  expect(await cache.get('k')).toBeNull();
  await expect(cache.set('k', 1)).resolves.toBeUndefined();
  expect(failures.map((f) => f.kind)).toEqual(['timeout', 'timeout']);
});

test('C5: QuotaExceededError → the least recently written quarter is evicted and the write retried once', async () => {
  const projectId = uniqueProject('quota-once');
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  for (let i = 0; i < 8; i++) await cache.set(`old${i}`, i);
  failPuts(() => new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 1);
  await cache.set('new', 'fits after eviction');
  const fresh = getCache({ projectId, indexedDB });
  expect(await fresh.get('new')).toBe('fits after eviction');
  expect([await fresh.get('old0'), await fresh.get('old1'), await fresh.get('old2')]).toEqual([null, null, 2]);
  expect((await rawRecords(dbName(projectId))).length).toBe(7);
  expect(failures).toEqual([]);
});

test('C5: a QuotaExceededError wrapped in an AbortError is recognised too', async () => {
  const projectId = uniqueProject('quota-wrapped');
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  await cache.set('old', 0);
  failPuts(() => Object.assign(new DOMException('The transaction was aborted.', 'AbortError'), { cause: new DOMException('Quota exceeded', 'QuotaExceededError') }), 1);
  await cache.set('new', 1);
  expect(await getCache({ projectId, indexedDB }).get('new')).toBe(1);
  expect(failures).toEqual([]);
});

test('C5: quota still exceeded after the retry → reported, and the older value of that key is removed', async () => {
  const projectId = uniqueProject('quota-always');
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  await cache.set('k', 'old');
  await cache.set('unrelated', 'x');
  failPuts(() => new DOMException('The quota has been exceeded.', 'QuotaExceededError'), Infinity);
  await expect(cache.set('k', 'new')).resolves.toBeUndefined();
  expect(await cache.get('k')).toBeNull();
  expect(failures.map((f) => f.kind)).toEqual(['quota']);
  expect(await getCache({ projectId, indexedDB }).get('k')).toBeNull();
});

test('C5: the clean-up after a failed set never removes a later set of the same key', async () => {
  const projectId = uniqueProject('quota-order');
  const { failures, onError } = collect();
  const cache = getCache({ projectId, onError });
  await cache.set('k', 'old');
  failPuts(() => new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 2); // the batch and its retry
  const failing = cache.set('k', 'lost');
  await new Promise((resolve) => setTimeout(resolve, 0)); // the first batch is in flight now
  const later = cache.set('k', 'later');
  await Promise.all([failing, later]);
  expect(failures.map((f) => f.kind)).toEqual(['quota']);
  expect(await cache.get('k')).toBe('later');
  expect(await getCache({ projectId, indexedDB }).get('k')).toBe('later');
});
