// What the persistent store keeps across a worker restart (a second openHttpStore on the same names),
// and how it heals what a worker killed between its two writes leaves behind (user-needs hard case 7).
import { openDB } from 'idb';
import { expect, test } from 'vitest';
import { openHttpStore, type StoreOptions } from '../../../sw/store/index.ts';
import { bodyUrls } from './fault-seams.ts';
import { bodyText, bytes, entry, manualClock, text, utf8, type Rec } from './store-contract.ts';

function names() {
  const name = `persist-${crypto.randomUUID()}`;
  return { dbName: name, cachePrefix: name };
}

function open(options: StoreOptions, errors: unknown[] = []) {
  return openHttpStore<Rec>({ onError: (error) => errors.push(error), ...options });
}

const ids = (metas: { id: string }[]) => metas.map((m) => m.id).sort();

test('entries, variants, tags and bodies survive a restart', async () => {
  const n = names();
  const first = await open(n);
  await first.put(entry('v1', { primaryKey: 'GET /p', tags: ['blog'], layer: 'edge', record: { status: 200, etag: '"1"' } }), utf8('one'));
  await first.put(entry('v2', { primaryKey: 'GET /p', layer: 'edge' }), utf8('two'));

  const errors: unknown[] = [];
  const second = await open(n, errors);
  expect(errors).toEqual([]);
  expect(ids(await second.variants('GET /p'))).toEqual(['v1', 'v2']);
  expect(ids(await second.byTag(['blog']))).toEqual(['v1']);
  const hit = await second.get('v1');
  expect(hit && text(hit.body)).toBe('one');
  expect(hit?.meta).toMatchObject({ layer: 'edge', size: 3, record: { status: 200, etag: '"1"' } });
});

test('ids with non-ASCII, commas, quotes and percent signs round-trip through both storages', async () => {
  const n = names();
  const id = 'edge|GET|https://x.test/ü?q=€,"a"%20|accept=text/html;q=0.9';
  const first = await open(n);
  await first.put(entry(id, { layer: 'edge', primaryKey: id, tags: ['tag,with,commas', 'ünï'] }), utf8('ok'));
  const hit = await (await open(n)).get(id);
  expect(hit && text(hit.body)).toBe('ok');
  expect(hit?.meta.tags).toEqual(['tag,with,commas', 'ünï']);
});

test('bodies live under synthetic same-origin URLs, one cache per layer; a replaced body is deleted', async () => {
  const n = names();
  const store = await open(n);
  await store.put(entry('a', { layer: 'cdn' }), utf8('first'));
  await store.put(entry('a', { layer: 'cdn' }), utf8('second'));
  const urls = await bodyUrls(`${n.cachePrefix}-cdn`);
  expect(urls).toHaveLength(1);
  expect(urls[0]?.startsWith(`${location.origin}/__tiercache/body/cdn/`)).toBe(true);
  expect(await bodyUrls(`${n.cachePrefix}-browser`)).toEqual([]);
  await store.clear();
  expect(await bodyUrls(`${n.cachePrefix}-cdn`)).toEqual([]);
});

test('healing on open: an orphan body and metadata without a body are removed, consistent entries kept', async () => {
  const n = names();
  const first = await open(n);
  await first.put(entry('kept', { layer: 'cdn' }), utf8('kept'));
  await first.put(entry('lost-body', { layer: 'browser' }), utf8('gone'));
  // The body of 'lost-body' disappears (site data partly cleared, or evicted by the browser) ...
  const browserCache = await caches.open(`${n.cachePrefix}-browser`);
  for (const request of await browserCache.keys()) await browserCache.delete(request);
  // ... and a worker killed after writing a body but before its metadata left an orphan.
  const orphan = `${location.origin}/__tiercache/body/cdn/orphan-${crypto.randomUUID()}`;
  await (await caches.open(`${n.cachePrefix}-cdn`)).put(orphan, new Response('half-written'));

  const errors: unknown[] = [];
  const second = await open(n, errors);
  expect(errors).toEqual([]); // healing is expected work, not an error
  expect(ids(await second.list())).toEqual(['kept']);
  expect(await second.get('lost-body')).toBeUndefined();
  const cdnUrls = await bodyUrls(`${n.cachePrefix}-cdn`);
  expect(cdnUrls).toHaveLength(1);
  expect(cdnUrls).not.toContain(orphan);
  const kept = await second.get('kept');
  expect(kept && text(kept.body)).toBe('kept');
  // The metadata without body is gone from IndexedDB too: a third start finds the same state.
  expect(ids(await (await open(n)).list())).toEqual(['kept']);
});

test('hard case 7: a store opened while another instance keeps writing (a worker being replaced) never pairs a body with other metadata', async () => {
  const n = names();
  const old = await open(n);
  const ids = ['a', 'b', 'c', 'd'];
  const version = (id: string, round: number) => entry(id, { layer: id < 'c' ? 'browser' : 'cdn', record: { status: 200, etag: `"${round}"` } });
  for (const id of ids) await old.put(version(id, 0), utf8(`${id}@0`));
  // The old instance replaces every body over and over while new instances open: each lists the bodies
  // while it reads the metadata, so either may see a write the other does not.
  let writing = true;
  let rounds = 0;
  const writes = (async () => {
    while (writing) {
      rounds++;
      for (const id of ids) await old.put(version(id, rounds), utf8(`${id}@${rounds}`));
    }
  })();
  const opened: Awaited<ReturnType<typeof open>>[] = [];
  for (let i = 0; i < 6; i++) opened.push(await open(n));
  writing = false;
  await writes;
  let served = 0;
  for (const store of [...opened, old]) {
    for (const id of ids) {
      const hit = await store.get(id);
      if (!hit) continue; // an entry dropped by healing is a miss, never a wrong body
      served++;
      const etag = hit.meta.record.etag ?? '';
      expect(text(hit.body)).toBe(`${id}@${etag.slice(1, -1)}`);
    }
  }
  expect(served).toBeGreaterThan(0);
});

test('a body that vanishes while running is never served and its metadata is forgotten', async () => {
  const n = names();
  const store = await open(n);
  await store.put(entry('a'), utf8('x'));
  await caches.delete(`${n.cachePrefix}-browser`);
  expect(await store.get('a')).toBeUndefined();
  expect(await store.list()).toEqual([]);
});

test('getBody: a body cache deleted by name after reads (site data cleared) is never served from; new entries are', async () => {
  const n = names();
  const store = await open(n);
  await store.put(entry('a'), utf8('x'));
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('x'); // the store now holds the layer's Cache open
  await caches.delete(`${n.cachePrefix}-browser`);
  await store.put(entry('b'), utf8('after'));
  expect(await bodyText((await store.getBody('b'))?.body)).toBe('after');
  expect(await store.getBody('a')).toBeUndefined();
  expect(ids(await store.list())).toEqual(['b']);
});

test('malformed metadata records are removed on open and reported as corrupt-entry', async () => {
  const n = names();
  const first = await open(n);
  await first.put(entry('good'), utf8('fine'));
  const db = await openDB(n.dbName);
  await db.put('entries', { id: 'bad-1', layer: 'nowhere' });
  await db.put('entries', { id: 'bad-2', layer: 'edge', tags: 'not-an-array', bodyUrl: 42 });
  db.close();

  const errors: unknown[] = [];
  const second = await open(n, errors);
  expect(ids(await second.list())).toEqual(['good']);
  expect(errors).toEqual([expect.objectContaining({ name: 'StoreError', code: 'corrupt-entry' })]);
  const check = await openDB(n.dbName);
  expect((await check.getAllKeys('entries')).sort()).toEqual(['good']);
  check.close();
});

test('LRU recency survives a restart: the least recently read entry is evicted first', async () => {
  const n = names();
  const clock = manualClock();
  const first = await open({ ...n, now: clock.now });
  await first.put(entry('a'), bytes(40));
  clock.advance(10);
  await first.put(entry('b'), bytes(40));
  clock.advance(10);
  await first.get('a');
  await first.delete('nothing'); // queued after the batched recency write, so it is committed

  const second = await open({ ...n, now: clock.now, budgetBytes: { browser: 100 } });
  clock.advance(10);
  await second.put(entry('c'), bytes(40));
  expect(ids(await second.list())).toEqual(['a', 'c']);
});

test('R119: the recency of a read lands in IndexedDB on its own, without a later write, and orders eviction after a restart', async () => {
  const n = names();
  const clock = manualClock();
  const first = await open({ ...n, now: clock.now });
  await first.put(entry('a'), bytes(40));
  clock.advance(10);
  await first.put(entry('b'), bytes(40));
  clock.advance(10);
  const readAt = clock.now();
  expect((await first.getBody('a'))?.body).toMatchObject({ size: 40 }); // the hit path's read; nothing is written after it

  const db = await openDB(n.dbName);
  const persisted = async () => ((await db.get('entries', 'a')) as { lastUsed: number } | undefined)?.lastUsed;
  await expect.poll(persisted, { timeout: 5000, interval: 100 }).toBe(readAt);
  db.close();

  const second = await open({ ...n, now: clock.now, budgetBytes: { browser: 100 } });
  clock.advance(10);
  await second.put(entry('c'), bytes(40));
  expect(ids(await second.list())).toEqual(['a', 'c']);
});

test('a budget lowered between runs is enforced on open, least recently used first', async () => {
  const n = names();
  const clock = manualClock();
  const first = await open({ ...n, now: clock.now });
  for (const id of ['a', 'b', 'c', 'd']) {
    clock.advance(10);
    await first.put(entry(id, { layer: 'edge' }), bytes(50));
  }
  const second = await open({ ...n, now: clock.now, budgetBytes: { edge: 120 } });
  expect(ids(await second.list('edge'))).toEqual(['c', 'd']);
  expect(await bodyUrls(`${n.cachePrefix}-edge`)).toHaveLength(2);
});

test('a streamed body that errors, passes maxBytes or is superseded leaves no body in Cache Storage; a whole one survives a restart', async () => {
  const n = names();
  const store = await open(n);
  const stream = (chunks: number[], end: 'close' | 'error') =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const size of chunks) controller.enqueue(new Uint8Array(size).fill(1));
        if (end === 'close') controller.close();
        else controller.error(new TypeError('connection reset'));
      },
    });
  await expect(store.put(entry('cut', { layer: 'edge' }), stream([1000, 1000], 'error'))).rejects.toBeInstanceOf(Error);
  await expect(store.put(entry('big', { layer: 'edge' }), stream([1000, 1000], 'close'), { maxBytes: 1500 })).rejects.toMatchObject({ code: 'entry-too-large' });
  const superseded = store.put(entry('gone', { layer: 'edge' }), stream([10], 'close'));
  await store.delete('gone');
  await superseded;
  expect(await bodyUrls(`${n.cachePrefix}-edge`)).toEqual([]);
  await store.put(entry('whole', { layer: 'edge' }), stream([1000, 1000], 'close'), { maxBytes: 2000 });
  expect(await bodyUrls(`${n.cachePrefix}-edge`)).toHaveLength(1);
  const hit = await (await open(n)).get('whole');
  expect(hit?.meta.size).toBe(2000);
  expect(hit?.body.byteLength).toBe(2000);
});
