// The key-value contenders, each behind the same four calls. Misses read as null everywhere.
import { openDB } from 'idb';
import * as keyval from 'idb-keyval';
import * as tiercache from '../../dist/sdk.js';
import { TIERCACHE_TIMEOUT_MS } from './tiercache-options.js';
import { done, request } from './idb-promise.js';


/** Raw IndexedDB, one transaction per operation; a write resolves when its transaction commits. */
async function rawStore() {
  const open = indexedDB.open('bench-raw', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('kv');
  const db = await request(open);
  return {
    async set(key, value) {
      const tx = db.transaction('kv', 'readwrite');
      tx.objectStore('kv').put(value, key);
      await done(tx);
    },
    get: async (key) => (await request(db.transaction('kv', 'readonly').objectStore('kv').get(key))) ?? null,
    async delete(key) {
      const tx = db.transaction('kv', 'readwrite');
      tx.objectStore('kv').delete(key);
      await done(tx);
    },
  };
}

/**
 * The floor of tiercache's own IndexedDB work (issue 14): its schema (indexes `tags` multiEntry, `exp`,
 * `lru` [at, b]; string keys), its record (the value's JSON text, R98), its transactions (a write over
 * its three stores with relaxed durability; a read over entries and tag marks) and JSON.parse on read,
 * without any of its JavaScript (batching, mirror, coherence, timeouts, checks). tiercache ÷ this row
 * is what tiercache's own code costs; this row ÷ raw is what its storage format costs.
 */
async function floorStore() {
  const open = indexedDB.open('bench-floor', 1);
  open.onupgradeneeded = () => {
    const entries = open.result.createObjectStore('entries');
    entries.createIndex('tags', 'tags', { multiEntry: true });
    entries.createIndex('exp', 'exp');
    entries.createIndex('lru', ['at', 'b']);
    open.result.createObjectStore('tags', { keyPath: 'tag' });
    open.result.createObjectStore('meta');
  };
  const db = await request(open);
  const slot = (key) => `["bench",${JSON.stringify(key)}]bench$0`;
  return {
    async set(key, value) {
      const tx = db.transaction(['entries', 'tags', 'meta'], 'readwrite', { durability: 'relaxed' });
      const json = JSON.stringify(value);
      tx.objectStore('entries').put({ k: 'bench$0', json, tags: [], name: key, at: Date.now(), b: json.length }, slot(key));
      await done(tx);
    },
    async get(key) {
      const record = await request(db.transaction(['entries', 'tags'], 'readonly').objectStore('entries').get(slot(key)));
      return record ? JSON.parse(record.json) : null;
    },
    async delete(key) {
      const tx = db.transaction(['entries', 'tags', 'meta'], 'readwrite', { durability: 'relaxed' });
      tx.objectStore('entries').delete(slot(key));
      await done(tx);
    },
  };
}

async function idbStore() {
  const db = await openDB('bench-idb', 1, { upgrade: (d) => void d.createObjectStore('kv') });
  return {
    set: async (key, value) => void (await db.put('kv', value, key)),
    get: async (key) => (await db.get('kv', key)) ?? null,
    delete: (key) => db.delete('kv', key),
  };
}

async function keyvalStore() {
  const store = keyval.createStore('bench-keyval', 'kv');
  return {
    set: (key, value) => keyval.set(key, value, store),
    get: async (key) => (await keyval.get(key, store)) ?? null,
    delete: (key) => keyval.del(key, store),
  };
}

/** The upper bound: no persistence at all, only the copy a real store must make. */
async function mapStore() {
  const map = new Map();
  return {
    set: async (key, value) => void map.set(key, structuredClone(value)),
    get: async (key) => (map.has(key) ? structuredClone(map.get(key)) : null),
    delete: async (key) => void map.delete(key),
  };
}

/** What tiercache reported through onError (timeouts, quota…) since the last call: shown beside a failed check. */
const reported = [];
export const takeTiercacheReports = () => reported.splice(0).map((failure) => `${failure.kind}: ${failure.message}`);

async function tiercacheStore() {
  const cache = tiercache.getCache({ namespace: 'bench', timeoutMs: TIERCACHE_TIMEOUT_MS, onError: (failure) => void reported.push(failure) });
  return {
    set: (key, value) => cache.set(key, value),
    get: (key) => cache.get(key),
    delete: (key) => cache.delete(key),
  };
}

export const TIERCACHE_MISSING = typeof tiercache.getCache === 'function' ? null : 'dist/sdk.js does not export getCache yet';

/** @returns {Promise<Record<string, {set, get, delete}>>} every contender available in this build */
export async function openStores() {
  const stores = { raw: await rawStore(), floor: await floorStore(), idb: await idbStore(), 'idb-keyval': await keyvalStore(), map: await mapStore() };
  if (!TIERCACHE_MISSING) stores.tiercache = await tiercacheStore();
  // Open every database now, so no measured operation pays for the open.
  for (const store of Object.values(stores)) await store.get('bench:open');
  return stores;
}
