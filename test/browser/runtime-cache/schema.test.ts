/** The database schema and its upgrade path: data written by the previous schema stays readable. */
import { expect, test } from 'vitest';
import { SCHEMA_VERSION } from '../../../sdk/runtime-cache/db.ts';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import { createKeyTransformer } from '../../../sdk/runtime-cache/key-transform.ts';
import { dbName, rawRecords, uniqueProject } from './helpers.ts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('failed'));
  });
}

/** Creates a schema-1 database exactly as the previous release did, with `records` written into it. */
async function writeSchema1(name: string, fill: (tx: IDBTransaction) => void): Promise<void> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    const entries = db.createObjectStore('entries', { keyPath: ['k', 'id'] });
    entries.createIndex('tags', 'tags', { multiEntry: true });
    entries.createIndex('exp', 'exp');
    entries.createIndex('at', 'at');
    db.createObjectStore('tags', { keyPath: 'tag' });
    db.createObjectStore('meta');
  };
  const db = await request(open);
  const tx = db.transaction(['entries', 'tags', 'meta'], 'readwrite');
  fill(tx);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

test('schema 1 → 2: entries stored under the old [k, id] key are read, expired and overwritten after the upgrade', async () => {
  const projectId = uniqueProject('upgrade');
  const name = dbName(projectId);
  const slot = createKeyTransformer({ namespace: 'n' });
  const now = Date.now();
  await writeSchema1(name, (tx) => {
    const entries = tx.objectStore('entries');
    entries.put({ ...slot('plain'), json: '{"a":[1]}', tags: [], name: 'plain', at: 1 });
    entries.put({ ...slot('tagged'), json: '2', tags: ['t', 'u'], seq: 5, at: 2 });
    entries.put({ ...slot('marked'), json: '3', tags: ['gone'], seq: 3, at: 3 }); // written before its tag's mark
    entries.put({ ...slot('ttl'), json: '4', tags: [], exp: now - 1000, at: 4 }); // R101: already expired
    tx.objectStore('tags').put({ tag: 'gone', seq: 4 });
    tx.objectStore('meta').put(5, 'seq');
  });

  const cache = getCache({ projectId, namespace: 'n' });
  expect(await cache.get('plain')).toEqual({ a: [1] });
  expect([await cache.get('tagged'), await cache.get('marked'), await cache.get('ttl')]).toEqual([2, null, null]);

  const db = await request(indexedDB.open(name));
  expect(db.version).toBe(SCHEMA_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['entries', 'meta', 'tags']); // the old store is gone
  const entries = db.transaction('entries').objectStore('entries');
  expect(entries.keyPath).toBeNull(); // out-of-line string keys
  expect([...entries.indexNames].sort()).toEqual(['exp', 'lru', 'tags']);
  db.close();
  const records = await rawRecords(name);
  const plain = records.find((r) => r.name === 'plain');
  expect(plain).toEqual({ key: slot('plain').id + slot('plain').k, k: slot('plain').k, json: '{"a":[1]}', tags: [], name: 'plain', at: 1, b: 9 });

  // The sequence continues from the migrated counter: expiring `u` reaches the migrated entry, and a
  // later set under the same tag is readable (its seq is newer than the mark), from a cold context too.
  await cache.expireTag('u');
  await cache.set('fresh', 5, { tags: ['u'] });
  const cold = getCache({ projectId, namespace: 'n', indexedDB }); // its own store and empty memory
  expect([await cold.get('tagged'), await cold.get('fresh'), await cold.get('plain')]).toEqual([null, 5, { a: [1] }]);
  await cache.set('plain', 'new');
  expect(await getCache({ projectId, namespace: 'n', indexedDB }).get('plain')).toBe('new');
  expect((await rawRecords(name)).filter((r) => r.name === 'plain')).toHaveLength(1); // overwritten, not duplicated
});
