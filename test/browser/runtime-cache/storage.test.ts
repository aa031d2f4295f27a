/** What the IndexedDB backend stores and keeps: Vercel's key strings, isolation, persistence, purges. */
import { expect, test } from 'vitest';
import { getCache, purgeRuntimeTags, type RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';
import { dbName, putRawRecord, rawRecords, uniqueProject, waitUntilTrue, type RawRecord } from './helpers.ts';

test('R93/R94/R89: stored key strings equal Vercel\'s, and name defaults to the unhashed key', async () => {
  const projectId = uniqueProject('keys');
  await getCache({ projectId, namespace: 'test' }).set('key', 'v');
  await getCache({ projectId }).set('my-key', 'value');
  await getCache({ projectId, namespace: 'test', namespaceSeparator: ':' }).set('key', 'v2', { name: '' });
  await getCache({ projectId }).set('user:123', 1, { name: 'label' });
  const records = await rawRecords(dbName(projectId));
  const byKey = Object.fromEntries(records.map((r) => [r.k, r]));
  expect(Object.keys(byKey).sort()).toEqual(['57f938ab', '8d0276de', 'test$b876d32', 'test:b876d32']);
  expect(byKey['test$b876d32']?.name).toBe('key');
  expect(byKey['57f938ab']?.name).toBe('my-key'); // R89 test vector: ('57f938ab', 'value', { name: 'my-key' })
  expect(byKey['57f938ab']?.json).toBe('"value"');
  expect(byKey['test:b876d32']?.name).toBeUndefined(); // an explicit '' suppresses the label
  expect(byKey['8d0276de']?.name).toBe('label');
});

test('R95: colliding keys are two records under the same Vercel key cfe106f3', async () => {
  const projectId = uniqueProject('collide');
  const cache = getCache({ projectId });
  await cache.set('post:aaac6', 1);
  await cache.set('post:aaaep', 2);
  const records = await rawRecords(dbName(projectId));
  expect(records.map((r) => r.k)).toEqual(['cfe106f3', 'cfe106f3']);
  expect(records.map((r) => r.json).sort()).toEqual(['1', '2']);
});

test('R116: one database per project and environment; the environment defaults to production', async () => {
  const projectId = uniqueProject('isolation');
  await getCache({ projectId }).set('k', 'prod');
  await getCache({ projectId, environment: 'preview' }).set('k', 'preview');
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).toContain(dbName(projectId, 'production'));
  expect(names).toContain(dbName(projectId, 'preview'));
  expect((await rawRecords(dbName(projectId, 'preview'))).map((r) => r.json)).toEqual(['"preview"']);
});

test('R117: data survives a new context (a fresh store with its own connection and an empty mirror)', async () => {
  const projectId = uniqueProject('persist');
  let time = Date.now();
  await getCache({ projectId, now: () => time }).set('k', { deep: [1] }, { ttl: 60, tags: ['t'] });
  const reopened = getCache({ projectId, indexedDB, now: () => time }); // an injected factory gets its own store
  expect(await reopened.get('k')).toEqual({ deep: [1] });
  time += 61_000;
  expect(await getCache({ projectId, indexedDB, now: () => time }).get('k')).toBeNull(); // R101 on the cold path
});

test('R105 cold path: a fresh context sees a tag expiry written by another connection', async () => {
  const projectId = uniqueProject('cold-tags');
  const writer = getCache({ projectId });
  await writer.set('a', 1, { tags: ['x', 'y'] });
  await writer.set('b', 2, { tags: ['z'] });
  await writer.expireTag('y');
  const fresh = getCache({ projectId, indexedDB });
  expect([await fresh.get('a'), await fresh.get('b')]).toEqual([null, 2]);
  await writer.set('a', 3, { tags: ['y'] });
  expect(await getCache({ projectId, indexedDB }).get('a')).toBe(3); // set after expireTag is readable
});

test('expireTag costs one mark per tag: entries stay on disk until swept, yet read as misses', async () => {
  const projectId = uniqueProject('marks');
  const cache = getCache({ projectId });
  for (let i = 0; i < 20; i++) await cache.set(`k${i}`, i, { tags: ['many'] });
  await cache.expireTag('many');
  expect((await rawRecords(dbName(projectId))).length).toBe(20);
  expect(await getCache({ projectId, indexedDB }).get('k7')).toBeNull();
});

test('R120/A22: purgeRuntimeTags invalidate → misses until re-set; delete → the records are removed', async () => {
  const projectId = uniqueProject('purge');
  const failures: RuntimeCacheFailure[] = [];
  const a = getCache({ projectId, namespace: 'a' });
  const b = getCache({ projectId, namespace: 'b' });
  await a.set('k', 1, { tags: ['product'] });
  await b.set('k', 2, { tags: ['product', 'other'] });
  await a.set('keep', 3, { tags: ['other'] });
  await purgeRuntimeTags(['product'], { mode: 'invalidate', projectId, onError: (f) => failures.push(f) });
  expect([await a.get('k'), await b.get('k'), await a.get('keep')]).toEqual([null, null, 3]);
  await a.set('k', 4, { tags: ['product'] });
  expect(await a.get('k')).toBe(4);

  await purgeRuntimeTags(['other'], { mode: 'delete', projectId, onError: (f) => failures.push(f) });
  expect(await a.get('keep')).toBeNull();
  await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).every((r) => !r.tags.includes('other')));
  expect((await rawRecords(dbName(projectId))).map((r) => r.json)).toEqual(['4']);
  expect(failures).toEqual([]);
});

test('a tag sweep runs in bounded slices (one short transaction each), and writes made meanwhile stay', async () => {
  const projectId = uniqueProject('slices');
  const cache = getCache({ projectId });
  await Promise.all(Array.from({ length: 100 }, (_, i) => cache.set(`k${i}`, i, { tags: ['bulk'] })));
  // Count the sweep's readwrite transactions ([entries, tags]; a write batch also scopes `meta`).
  const proto = IDBDatabase.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'transaction') as PropertyDescriptor;
  const transaction = original.value as IDBDatabase['transaction'];
  let slices = 0;
  Object.defineProperty(proto, 'transaction', {
    ...original,
    value(this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const [stores, mode] = args;
      if (mode === 'readwrite' && Array.isArray(stores) && stores.join() === 'entries,tags') slices++;
      return transaction.apply(this, args);
    },
  });
  try {
    await purgeRuntimeTags(['bulk'], { mode: 'delete', projectId });
    await cache.set('during', 'kept', { tags: ['bulk'] }); // newer than the mark: the sweep must leave it
    await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).length === 1, 10_000);
  } finally {
    Object.defineProperty(proto, 'transaction', original);
  }
  expect(slices).toBeGreaterThanOrEqual(4); // 100 deletions, at most 32 per transaction
  expect(await getCache({ projectId, indexedDB }).get('during')).toBe('kept');
});

test('TTL-expired entries are swept from disk through the expiry index after the store opens', async () => {
  const projectId = uniqueProject('sweep');
  let time = Date.now();
  const cache = getCache({ projectId, now: () => time });
  await cache.set('short', 1, { ttl: 1 });
  await cache.set('forever', 2);
  time += 2_000;
  await waitUntilTrue(async () => (await rawRecords(dbName(projectId))).length === 1, 5000);
  expect((await rawRecords(dbName(projectId))).map((r) => r.json)).toEqual(['2']);
});

test('warm reads come from memory; a resumed page (broadcasts missed while frozen) re-reads IndexedDB', async () => {
  const projectId = uniqueProject('resume');
  const cache = getCache({ projectId });
  await cache.set('k', 1);
  expect(await cache.get('k')).toBe(1);
  // Rewrite the record behind the cache's back: no broadcast, as if sent while this page was frozen.
  const [record] = await rawRecords(dbName(projectId));
  await putRawRecord(dbName(projectId), { ...(record as RawRecord), json: '2' });
  expect(await cache.get('k')).toBe(1); // served from the hot mirror, no IndexedDB read
  window.dispatchEvent(new Event('resume'));
  expect(await cache.get('k')).toBe(2);
});

test('R83/R77: a `*` purge removes every runtime entry of the project, and other contexts drop their hot copies', async () => {
  const projectId = uniqueProject('purge-all');
  const cache = getCache({ projectId, namespace: 'n' });
  const other = getCache({ projectId, namespace: 'n', indexedDB }); // its own store, mirror and channel
  await cache.set('tagged', 1, { tags: ['a'] });
  await cache.set('plain', 2);
  expect([await other.get('tagged'), await other.get('plain')]).toEqual([1, 2]); // now hot in `other`
  await purgeRuntimeTags(['x', '*'], { mode: 'invalidate', projectId });
  expect(await rawRecords(dbName(projectId))).toEqual([]);
  expect([await cache.get('tagged'), await cache.get('plain')]).toEqual([null, null]);
  await waitUntilTrue(async () => (await other.get('plain')) === null);
  await cache.set('plain', 3);
  expect(await cache.get('plain')).toBe(3);
});

test('R87: a record corrupted behind our back reads as a miss and is reported, never thrown', async () => {
  const projectId = uniqueProject('corrupt');
  const failures: RuntimeCacheFailure[] = [];
  await getCache({ projectId }).set('k', 1);
  const [record] = await rawRecords(dbName(projectId));
  await putRawRecord(dbName(projectId), { ...(record as RawRecord), json: '{not json' });
  const fresh = getCache({ projectId, indexedDB, onError: (f) => failures.push(f) });
  expect(await fresh.get('k')).toBeNull();
  expect(failures.map((f) => f.kind)).toEqual(['storage']);
});
