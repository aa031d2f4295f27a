// The HttpStore contract for streamed bodies (put with a ReadableStream), run against every
// implementation like store-contract.ts: written as it arrives, committed atomically, never partial.
import { describe, expect, test } from 'vitest';
import { TierCacheError } from '../../../sdk/errors.ts';
import { StoreError } from '../../../sw/store/index.ts';
import { bodyText, entry, manualClock, text, type StoreFactory } from './store-contract.ts';

/** A body whose producer the test drives chunk by chunk; `cancelled` settles with the reason if the store cancels it. */
function producer() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: (reason: unknown) => void = () => {};
  const cancel = new Promise<unknown>((resolve) => (cancelled = resolve));
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: (reason) => cancelled(reason),
  });
  return {
    stream,
    push: (value: string | number) => controller.enqueue(typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value).fill(1)),
    close: () => controller.close(),
    fail: (error: Error) => controller.error(error),
    cancelled: cancel,
  };
}

/** Lets the store's reads and writes run (a streamed body's chunks are consumed asynchronously). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

const tooLarge = (e: unknown) => e instanceof StoreError && e.code === 'entry-too-large';

export function streamedPutContract(name: string, makeStore: StoreFactory): void {
  describe(`HttpStore contract, streamed bodies: ${name}`, () => {
    test('a streamed body is stored whole, its size counted from the bytes that arrived', async () => {
      const store = await makeStore({});
      const body = producer();
      const put = store.put(entry('a', { tags: ['t'] }), body.stream);
      body.push('hel');
      body.push('lo, ');
      body.push('world');
      body.close();
      await put;
      const hit = await store.get('a');
      expect(hit && text(hit.body)).toBe('hello, world');
      expect(hit?.meta).toMatchObject({ size: 12, tags: ['t'] });
      expect(await bodyText((await store.getBody('a'))?.body)).toBe('hello, world');
    });

    test('metadata is committed only once the whole body is in: no entry while it still arrives', async () => {
      const store = await makeStore({});
      const body = producer();
      const put = store.put(entry('a', { primaryKey: 'GET /p' }), body.stream);
      body.push('first chunk');
      await settle();
      expect(await store.variants('GET /p')).toEqual([]);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.list()).toEqual([]);
      body.push(', rest');
      body.close();
      await put;
      expect((await store.variants('GET /p')).map((m) => m.size)).toEqual([17]);
    });

    test('a body that errors midway (origin cut off) rejects and leaves nothing, an older copy kept', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { record: { status: 200, etag: '"old"' } }), new TextEncoder().encode('old').buffer);
      const body = producer();
      const put = store.put(entry('a', { record: { status: 200, etag: '"new"' } }), body.stream);
      body.push('partial');
      await settle();
      body.fail(new TypeError('connection reset'));
      await expect(put).rejects.toBeInstanceOf(Error);
      const hit = await store.get('a');
      expect([hit && text(hit.body), hit?.meta.record.etag]).toEqual(['old', '"old"']);
      expect((await store.list()).map((m) => m.size)).toEqual([3]);
    });

    test('R40: a body passing maxBytes is abandoned at once (source cancelled), entry-too-large, nothing stored', async () => {
      const store = await makeStore({});
      const body = producer();
      const put = store.put(entry('big', { layer: 'edge' }), body.stream, { maxBytes: 10 });
      body.push(6);
      body.push(6); // 12 > 10: the store stops reading here
      await expect(put).rejects.toSatisfy(tooLarge);
      expect(await body.cancelled).toBeDefined();
      expect(await store.list()).toEqual([]);
      // Exactly maxBytes is stored.
      const exact = producer();
      const fits = store.put(entry('exact', { layer: 'edge' }), exact.stream, { maxBytes: 10 });
      exact.push(10);
      exact.close();
      await fits;
      expect((await store.list()).map((m) => [m.id, m.size])).toEqual([['exact', 10]]);
    });

    test('a streamed body larger than the layer budget is refused with entry-too-large and nothing changes', async () => {
      const store = await makeStore({ budgetBytes: { cdn: 100 } });
      await store.put(entry('small', { layer: 'cdn' }), new Uint8Array(50).buffer);
      const body = producer();
      const put = store.put(entry('huge', { layer: 'cdn' }), body.stream);
      body.push(60);
      body.push(60);
      await expect(put).rejects.toSatisfy(tooLarge);
      expect((await store.list()).map((m) => m.id)).toEqual(['small']);
    });

    test('streamed writes of several layers finishing together each keep their own layer budget (least recent of that layer out)', async () => {
      const clock = manualClock();
      const store = await makeStore({ now: clock.now, budgetBytes: { browser: 100, cdn: 100, edge: 100 } });
      for (const layer of ['browser', 'cdn', 'edge'] as const) {
        await store.put(entry(`${layer}:old`, { layer }), new Uint8Array(60).buffer);
        clock.advance(1);
      }
      // One response's bodies, ending at the same moment in two layers' stores (their commits may be one).
      const bodies = (['browser', 'cdn'] as const).map((layer) => ({ layer, body: producer() }));
      const puts = bodies.map(({ layer, body }) => store.put(entry(`${layer}:new`, { layer }), body.stream));
      for (const { body } of bodies) body.push(60);
      for (const { body } of bodies) body.close();
      await Promise.all(puts);
      expect((await store.list()).map((m) => m.id).sort()).toEqual(['browser:new', 'cdn:new', 'edge:old']);
    });

    test('maxBytes applies to an ArrayBuffer body too', async () => {
      const store = await makeStore({});
      await expect(store.put(entry('a'), new Uint8Array(11).buffer, { maxBytes: 10 })).rejects.toSatisfy(tooLarge);
      await store.put(entry('b'), new Uint8Array(10).buffer, { maxBytes: 10 });
      expect((await store.list()).map((m) => m.id)).toEqual(['b']);
    });

    test('a body still arriving does not hold up other writes, reads and deletes', async () => {
      const store = await makeStore({});
      const body = producer();
      const slow = store.put(entry('slow'), body.stream);
      body.push('some');
      await store.put(entry('fast'), new TextEncoder().encode('quick').buffer);
      expect(await bodyText((await store.getBody('fast'))?.body)).toBe('quick');
      await store.delete('fast');
      body.push(' more');
      body.close();
      await slow;
      expect((await store.list()).map((m) => m.id)).toEqual(['slow']);
    });

    test('a delete, clear or newer put called while a body arrives wins: the streamed write stores nothing', async () => {
      const store = await makeStore({});
      const streamed = (id: string, extra = {}) => {
        const body = producer();
        const put = store.put(entry(id, extra), body.stream);
        body.push('streamed');
        return { put, finish: () => body.close() };
      };
      const deleted = streamed('d');
      const cleared = streamed('c', { layer: 'cdn' });
      const replaced = streamed('r');
      const otherLayer = streamed('kept', { layer: 'edge' });
      await settle();
      await store.delete('d');
      await store.clear('cdn');
      await store.put(entry('r'), new TextEncoder().encode('newer').buffer);
      for (const write of [deleted, cleared, replaced, otherLayer]) write.finish();
      await Promise.all([deleted.put, cleared.put, replaced.put, otherLayer.put]);
      expect((await store.list()).map((m) => m.id).sort()).toEqual(['kept', 'r']);
      expect(text((await store.get('r'))?.body ?? new ArrayBuffer(0))).toBe('newer');
    });

    test('R78: updateTagged resolves while a tagged body still arrives; that entry commits updated, stored and untagged ones as expected', async () => {
      const store = await makeStore({});
      await store.put(entry('stored', { tags: ['t'] }), new TextEncoder().encode('stored').buffer);
      const tagged = producer();
      const taggedPut = store.put(entry('tagged', { tags: ['x', 't'] }), tagged.stream);
      const untagged = producer();
      const untaggedPut = store.put(entry('untagged', { tags: ['other'] }), untagged.stream);
      tagged.push('part');
      untagged.push('part');
      await settle();
      // Resolves with both bodies still open: it never waits for a download.
      const marked = await store.updateTagged(['t'], (meta) => ({ ...meta, record: { ...meta.record, stale: true } }));
      expect(marked).toBe(2);
      expect((await store.get('stored'))?.meta.record).toEqual({ status: 200, stale: true });
      expect(await store.list()).toHaveLength(1); // the streamed entries are not committed yet
      for (const body of [tagged, untagged]) {
        body.push(' rest');
        body.close();
      }
      await Promise.all([taggedPut, untaggedPut]);
      const hit = await store.get('tagged');
      expect([hit?.meta.record, hit?.meta.size, text(hit?.body ?? new ArrayBuffer(0))]).toEqual([{ status: 200, stale: true }, 9, 'part rest']);
      expect((await store.get('untagged'))?.meta.record).toEqual({ status: 200 });
      // An update answering undefined leaves the entry alone; '*' reaches every entry.
      expect(await store.updateTagged('*', (meta) => (meta.id === 'untagged' ? { ...meta, record: { status: 299 } } : undefined))).toBe(1);
      expect((await store.get('untagged'))?.meta.record).toEqual({ status: 299 });
      expect((await store.get('tagged'))?.meta.record).toEqual({ status: 200, stale: true });
    });

    test('invalid streamed puts are programmer errors (TierCacheError invalid-argument)', async () => {
      const store = await makeStore({});
      const locked = producer();
      locked.stream.getReader();
      const bad = [
        store.put(entry('a'), locked.stream),
        store.put(entry('a'), producer().stream, { maxBytes: -1 }),
      ];
      for (const attempt of bad) {
        await expect(attempt).rejects.toSatisfy((e) => e instanceof TierCacheError && e.code === 'invalid-argument');
      }
      expect(await store.list()).toEqual([]);
    });
  });
}
