// Issue 14: the hot tier (sw/store/hot-bodies.ts). With it on, the persistent store must keep its
// whole contract (same suite as without), and hits of small bodies must be answered from memory:
// Cache Storage reads are counted through a seam, so "from memory" is observed, not assumed.
import { expect, test } from 'vitest';
import { openHttpStore, type StoreOptions } from '../../../sw/store/index.ts';
import { faultyCaches } from './fault-seams.ts';
import { bodyText, bytes, entry, storeContract, utf8, type Rec, type StoreFactory } from './store-contract.ts';
import { streamedPutContract } from './streamed-put-contract.ts';

const HOT = { maxBytes: 1024 * 1024, maxEntryBytes: 64 * 1024 };

function names() {
  const name = `hot-${crypto.randomUUID()}`;
  return { dbName: name, cachePrefix: name };
}

const hotStore: StoreFactory = (options) =>
  openHttpStore<Rec>({
    ...options,
    ...names(),
    hot: HOT,
    onError: (error) => {
      throw error;
    },
  });

storeContract('IndexedDB + Cache Storage, hot tier on', hotStore);
streamedPutContract('IndexedDB + Cache Storage, hot tier on', hotStore);

const text = (stored: { body: ArrayBuffer } | undefined) => new TextDecoder().decode(stored?.body);

/** A store whose Cache Storage reads (Cache.match) are counted. */
async function countedStore(n: { dbName: string; cachePrefix: string }, extra: StoreOptions = {}) {
  let reads = 0;
  const caches = faultyCaches({
    match: () => {
      reads++;
      return undefined;
    },
  });
  const store = await openHttpStore<Rec>({ ...n, caches, hot: HOT, onError: (error) => { throw error; }, ...extra });
  return { store, reads: () => reads };
}

test('a small body just put is served from memory: no Cache Storage read on the hit', async () => {
  const { store, reads } = await countedStore(names());
  await store.put(entry('a'), utf8('hot body'));
  for (let i = 0; i < 3; i++) expect(await bodyText((await store.getBody('a'))?.body)).toBe('hot body');
  expect(text(await store.get('a'))).toBe('hot body');
  expect(reads()).toBe(0);
});

test('a hot hit hands over the Blob held since the put: its own copy, the same one every hit; get() answers fresh bytes', async () => {
  // A Blob body goes to respondWith() as the handle it is; an ArrayBuffer body would be registered as a
  // new blob with the browser process on every response (bench/README.md, issue 14).
  const { store, reads } = await countedStore(names());
  const buffer = utf8('hot body');
  await store.put(entry('a'), buffer);
  new Uint8Array(buffer).fill(0x21); // the caller reuses its buffer: what is served must not change
  const first = (await store.getBody('a'))?.body;
  expect(first).toBeInstanceOf(Blob);
  expect(await bodyText(first)).toBe('hot body');
  expect((await store.getBody('a'))?.body).toBe(first);
  const owned = (await store.get('a'))?.body;
  new Uint8Array(owned ?? new ArrayBuffer(0)).fill(0x21); // get()'s caller owns its bytes
  expect(text(await store.get('a'))).toBe('hot body');
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('hot body');
  expect(reads()).toBe(0);
});

test('after a restart the first read comes from Cache Storage and fills memory; later reads do not', async () => {
  const n = names();
  await (await openHttpStore<Rec>({ ...n })).put(entry('a'), utf8('persisted'));
  const { store, reads } = await countedStore(n);
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('persisted');
  expect(reads()).toBe(1);
  // The fill lands in the background; from then on a hit reads nothing from Cache Storage.
  await expect.poll(async () => {
    const before = reads();
    await store.getBody('a');
    return reads() - before;
  }).toBe(0);
  const filled = reads();
  for (let i = 0; i < 3; i++) expect(await bodyText((await store.getBody('a'))?.body)).toBe('persisted');
  expect(reads()).toBe(filled);
});

test('after a restart, a get() whose caller overwrites the bytes it was given does not change what memory serves later', async () => {
  const n = names();
  await (await openHttpStore<Rec>({ ...n })).put(entry('a'), utf8('persisted'));
  const { store, reads } = await countedStore(n);
  const first = await store.get('a'); // read from Cache Storage; memory is filled from the same read
  expect(text(first)).toBe('persisted');
  new Uint8Array(first?.body ?? new ArrayBuffer(0)).fill(0x21); // the caller owns its buffer
  await expect.poll(async () => {
    const before = reads();
    await store.getBody('a');
    return reads() - before;
  }).toBe(0);
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('persisted');
  expect(text(await store.get('a'))).toBe('persisted');
});

test('bodies above the per-entry bound are never held: each hit reads Cache Storage', async () => {
  const { store, reads } = await countedStore(names(), { hot: { maxBytes: 1024 * 1024, maxEntryBytes: 100 } });
  await store.put(entry('big'), bytes(101));
  await store.put(entry('small'), bytes(100));
  expect((await store.getBody('big'))?.meta.size).toBe(101);
  expect((await store.getBody('small'))?.meta.size).toBe(100);
  expect(reads()).toBe(1);
});

test('the byte bound holds: the least recently used body leaves memory and is read from Cache Storage again, intact', async () => {
  const { store, reads } = await countedStore(names(), { hot: { maxBytes: 100, maxEntryBytes: 100 } });
  await store.put(entry('a'), bytes(40, 1));
  await store.put(entry('b'), bytes(40, 2));
  await store.getBody('a'); // a is now the most recently used in memory
  await store.put(entry('c'), bytes(40, 3)); // 120 bytes > 100: b leaves memory
  expect(reads()).toBe(0);
  const b = await store.getBody('b');
  expect(new Uint8Array(await new Response(b?.body).arrayBuffer())).toEqual(new Uint8Array(40).fill(2));
  expect(reads()).toBe(1);
  await store.getBody('c'); // the most recent put is still held
  expect(reads()).toBe(1);
});

test('every mutation through the store reaches memory before the next read: replace, metadata update, delete, tag purge, clear, deployments', async () => {
  const { store } = await countedStore(names());
  await store.put(entry('a', { record: { status: 200, etag: '"1"' } }), utf8('one'));
  await store.getBody('a');
  await store.put(entry('a', { record: { status: 200, etag: '"2"' } }), utf8('two'));
  let hit = await store.getBody('a');
  expect([hit?.meta.record.etag, await bodyText(hit?.body)]).toEqual(['"2"', 'two']);
  await store.updateMeta('a', (meta) => ({ ...meta, record: { ...meta.record, stale: true } }));
  hit = await store.getBody('a');
  expect([hit?.meta.record.stale, await bodyText(hit?.body)]).toEqual([true, 'two']);
  await store.delete('a');
  expect(await store.getBody('a')).toBeUndefined();

  // Vary variants: two ids under one primary key stay apart.
  await store.put(entry('v|gzip', { primaryKey: 'pk', tags: ['t'] }), utf8('gzip body'));
  await store.put(entry('v|br', { primaryKey: 'pk', tags: ['u'], deployment: 'dpl_old', layer: 'edge' }), utf8('br body'));
  expect(await bodyText((await store.getBody('v|gzip'))?.body)).toBe('gzip body');
  expect(await bodyText((await store.getBody('v|br'))?.body)).toBe('br body');
  for (const meta of await store.byTag(['t'])) await store.delete(meta.id); // a tag purge
  expect(await store.getBody('v|gzip')).toBeUndefined();
  await store.retainDeployments('edge', ['dpl_new']);
  expect(await store.getBody('v|br')).toBeUndefined();
  await store.put(entry('z'), utf8('z'));
  await store.getBody('z');
  await store.clear();
  expect(await store.getBody('z')).toBeUndefined();
});

/** A stream of the given chunks. */
function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
}

test('a small streamed body is held once its write completed; a large one, or one that failed, is not', async () => {
  const { store, reads } = await countedStore(names(), { hot: { maxBytes: 1024 * 1024, maxEntryBytes: 10 } });
  await store.put(entry('small'), streamOf('hel', 'lo'));
  expect(await bodyText((await store.getBody('small'))?.body)).toBe('hello');
  expect(reads()).toBe(0);
  await store.put(entry('large'), streamOf('0123456', '789abc'));
  expect(await bodyText((await store.getBody('large'))?.body)).toBe('0123456789abc');
  expect(reads()).toBe(1);
  const failing = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('part'));
      controller.error(new Error('origin reset'));
    },
  });
  await expect(store.put(entry('small'), failing)).rejects.toThrow();
  // The earlier complete body stays what is served, from memory.
  expect(await bodyText((await store.getBody('small'))?.body)).toBe('hello');
  expect(reads()).toBe(1);
});

test('a body is not held when its entry is deleted while it is being read into memory', async () => {
  const n = names();
  await (await openHttpStore<Rec>({ ...n })).put(entry('a'), utf8('old'));
  const { store, reads } = await countedStore(n);
  const reading = store.getBody('a'); // starts the fill
  await store.delete('a');
  expect(await bodyText((await reading)?.body)).toBe('old'); // R12/R47: the read that began first answers
  await store.put(entry('a'), utf8('new'));
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('new');
  expect(reads()).toBe(1);
});

/**
 * Streams of the same chunk objects, as one response reaches the stores of every layer that keeps it
 * (sw/layers/split-body.ts hands each chunk to both branches uncopied).
 */
function sharedChunks(...parts: string[]): { chunks: Uint8Array[]; stream: (chunks?: Uint8Array[]) => ReadableStream<Uint8Array> } {
  const chunks: Uint8Array[] = parts.map((part) => new TextEncoder().encode(part));
  const stream = (list: Uint8Array[] = chunks) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of list) controller.enqueue(chunk);
        controller.close();
      },
    });
  return { chunks, stream };
}

test('the layers keeping one streamed response hold one Blob of it in memory, each entry served its bytes', async () => {
  const { store, reads } = await countedStore(names());
  const response = sharedChunks('one ', 'response');
  await Promise.all(
    (['browser', 'cdn', 'edge'] as const).map((layer) => store.put(entry(`${layer}:p`, { layer, primaryKey: `${layer}:p` }), response.stream())),
  );
  const bodies = await Promise.all(['browser', 'cdn', 'edge'].map(async (layer) => (await store.getBody(`${layer}:p`))?.body));
  expect(bodies[1]).toBe(bodies[0]);
  expect(bodies[2]).toBe(bodies[0]);
  expect(await bodyText(bodies[0])).toBe('one response');
  expect(reads()).toBe(0);
  // Each entry is still its own: removing one leaves the others served from memory.
  await store.delete('cdn:p');
  expect(await store.getBody('cdn:p')).toBeUndefined();
  expect(await bodyText((await store.getBody('edge:p'))?.body)).toBe('one response');
  expect(reads()).toBe(0);
});

test('a streamed body that shares only some chunks with an earlier one is held as its own bytes', async () => {
  const { store } = await countedStore(names());
  const first = sharedChunks('same start, ', 'first end');
  const [start] = first.chunks as [Uint8Array];
  await store.put(entry('a'), first.stream());
  // The same first chunk object, then other chunks; then fewer chunks: neither is the first body.
  await store.put(entry('b'), first.stream([start, new TextEncoder().encode('other end')]));
  await store.put(entry('c'), first.stream([start]));
  expect(await bodyText((await store.getBody('a'))?.body)).toBe('same start, first end');
  expect(await bodyText((await store.getBody('b'))?.body)).toBe('same start, other end');
  expect(await bodyText((await store.getBody('c'))?.body)).toBe('same start, ');
});
