// Floor row of the cold-start suite (issue 14): the storage work tiercache's format needs to answer a
// hit, and nothing else. tiercache keeps an entry's metadata (status, headers, freshness, tags) in
// IndexedDB and its body in Cache Storage (sw/store/db.ts, body-cache.ts), so a worker started by a
// fetch must open the database, read the URL's record, then match the body: sequential waits where
// Workbox `CacheFirst` has one `caches.match`. This worker does exactly those, as tiercache does them:
// the database is opened eagerly at script start (not in the fetch); one object store, one record per
// URL (written during the warm-up), read with one `get`; the body matched by URL in a named cache with
// `caches.match(url, { cacheName })` and answered as a Blob (`blob()`, as tiercache answers a stored
// body) in a new Response carrying the record's status and headers. No policy, no freshness check, no
// layers, no saved state, no listing: any cost above this row is tiercache's code, not its format.
const DB_NAME = 'cold-floor';
const ENTRIES = 'entries';
const BODIES = 'cold-floor-bodies';

/** @param {IDBRequest} request */
const settled = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const opening = indexedDB.open(DB_NAME, 1);
opening.onupgradeneeded = () => opening.result.createObjectStore(ENTRIES, { keyPath: 'url' });
const database = settled(opening);

async function answer(request) {
  const db = await database;
  const record = await settled(db.transaction(ENTRIES, 'readonly').objectStore(ENTRIES).get(request.url));
  if (record) {
    const stored = await caches.match(request.url, { cacheName: BODIES });
    if (stored) return new Response(await stored.blob(), { status: record.status, headers: record.headers });
  }
  return store(db, request);
}

/** A miss (the warm-up): fetch, then answer only once the body and the record are both stored, so the
 *  runner can stop the worker right after without losing either. */
async function store(db, request) {
  const response = await fetch(request);
  const bytes = await response.arrayBuffer();
  const headers = [...response.headers];
  await (await caches.open(BODIES)).put(request.url, new Response(bytes, { status: response.status, headers }));
  const transaction = db.transaction(ENTRIES, 'readwrite');
  transaction.objectStore(ENTRIES).put({ url: request.url, status: response.status, headers, storedAt: Date.now(), bodyUrl: request.url });
  await new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = transaction.onabort = () => reject(transaction.error);
  });
  return new Response(bytes, { status: response.status, headers });
}

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname.startsWith('/res/')) event.respondWith(answer(event.request));
});
