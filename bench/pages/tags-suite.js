// expireTag vs the two ways a plain IndexedDB store could do it: a multiEntry index on tags
// (getAllKeys(tag) + delete each, one transaction) and a full scan with a cursor. Entries carry 1–5
// tags from a pool of 500; each round expires a fresh tag in every store. Samples are ms per expiry.
import * as tiercache from '../../dist/sdk.js';
import { TIERCACHE_TIMEOUT_MS } from './tiercache-options.js';
import { roundReport, rotate } from './report.js';
import { done, request } from './idb-promise.js';
import { rng } from './rng.js';

const POOL = 500;
const WRITE_BATCH = 1000;


function entries(size) {
  const random = rng(size);
  return Array.from({ length: size }, (_, i) => {
    const tags = new Set();
    const count = 1 + Math.floor(random() * 5);
    while (tags.size < count) tags.add(`t${Math.floor(random() * POOL)}`);
    return { k: `e${i}`, tags: [...tags], v: { i, note: 'tagged entry of the expireTag benchmark' } };
  });
}


async function openPeers(size, list) {
  const open = indexedDB.open(`bench-tags-${size}`, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('indexed', { keyPath: 'k' }).createIndex('tags', 'tags', { multiEntry: true });
    open.result.createObjectStore('scan', { keyPath: 'k' });
  };
  const db = await request(open);
  for (let start = 0; start < list.length; start += WRITE_BATCH) {
    const tx = db.transaction(['indexed', 'scan'], 'readwrite');
    for (const entry of list.slice(start, start + WRITE_BATCH)) {
      tx.objectStore('indexed').put(entry);
      tx.objectStore('scan').put(entry);
    }
    await done(tx);
  }
  return db;
}

async function expireIndexed(db, tag) {
  const tx = db.transaction('indexed', 'readwrite');
  const store = tx.objectStore('indexed');
  for (const key of await request(store.index('tags').getAllKeys(tag))) store.delete(key);
  await done(tx);
}

async function expireByScan(db, tag) {
  const tx = db.transaction('scan', 'readwrite');
  const cursorRequest = tx.objectStore('scan').openCursor();
  cursorRequest.onsuccess = () => {
    const cursor = cursorRequest.result;
    if (!cursor) return;
    if (cursor.value.tags.includes(tag)) cursor.delete();
    cursor.continue();
  };
  await done(tx);
}

/** Keys of `keys` still present in an object store. */
async function present(db, storeName, keys) {
  const tx = db.transaction(storeName, 'readonly');
  const found = await Promise.all(keys.map((key) => request(tx.objectStore(storeName).count(key))));
  return found.filter((count) => count > 0).length;
}

async function tiercachePresent(cache, keys) {
  let count = 0;
  for (const key of keys) if ((await cache.get(key)) !== null) count++;
  return count;
}

const reported = [];

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const haveTiercache = typeof tiercache.getCache === 'function';
  for (const size of params.get('sizes').split(',').map(Number)) {
    const list = entries(size);
    const db = await openPeers(size, list);
    const cache = haveTiercache ? tiercache.getCache({ namespace: `tags${size}`, timeoutMs: TIERCACHE_TIMEOUT_MS, onError: (failure) => void reported.push(failure) }) : null;
    if (cache) {
      for (let start = 0; start < list.length; start += WRITE_BATCH) {
        await Promise.all(list.slice(start, start + WRITE_BATCH).map((entry) => cache.set(entry.k, entry.v, { tags: entry.tags })));
      }
    }
    const expired = new Set();
    const expiredTags = new Set();
    for (let round = 0; round <= rounds; round++) {
      const report = roundReport('tags', round, round === 0);
      // A tag not expired yet that some entries carry (small quick-mode stores leave some tags unused).
      let tag = '';
      let tagged = [];
      for (let j = 0; tagged.length === 0 && j < POOL; j++) {
        tag = `t${(round * 97 + 13 + j) % POOL}`;
        if (!expiredTags.has(tag)) tagged = list.filter((entry) => entry.tags.includes(tag) && !expired.has(entry.k)).map((entry) => entry.k);
      }
      const untouched = list.filter((entry) => !entry.tags.includes(tag) && !entry.tags.some((t) => expiredTags.has(t))).slice(0, 20).map((entry) => entry.k);
      const methods = [
        ['multientry', () => expireIndexed(db, tag), () => present(db, 'indexed', tagged), () => present(db, 'indexed', untouched)],
        ['scan', () => expireByScan(db, tag), () => present(db, 'scan', tagged), () => present(db, 'scan', untouched)],
      ];
      if (cache) methods.push(['tiercache', () => cache.expireTag(tag), () => tiercachePresent(cache, tagged), () => tiercachePresent(cache, untouched)]);
      else report.unavailable(`tags.${size}.tiercache`, 'dist/sdk.js does not export getCache yet');
      for (const [name, expire, stillTagged, stillOthers] of rotate(methods, round)) {
        const row = `tags.${size}.${name}`;
        const start = performance.now();
        await expire();
        report.sample(row, performance.now() - start);
        const left = await stillTagged();
        report.check(row, left === 0 && tagged.length > 0, `${left} of ${tagged.length} entries tagged ${tag} still answer`);
        if (name === 'tiercache') {
          const failures = reported.splice(0);
          report.check(row, failures.length === 0, `onError reports: ${failures.map((f) => f.kind).join(', ') || 'none'}`);
        }
        const kept = await stillOthers();
        report.check(row, kept === untouched.length, `${kept} of ${untouched.length} entries without ${tag} still answer`);
      }
      for (const key of tagged) expired.add(key);
      expiredTags.add(tag);
      await report.send();
    }
    db.close();
  }
}
