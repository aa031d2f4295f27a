// The HttpStore contract suite (STORE-CONTRACT.md), run against every implementation, as undici runs
// one cacheStoreTests() against each of its stores. Each test gets a fresh store from the factory.
import { describe, expect, test } from 'vitest';
import { TierCacheError } from '../../../sdk/errors.ts';
import { StoreError, type HttpStore, type LayerName, type NewEntry, type StoreOptions } from '../../../sw/store/index.ts';

export type Rec = { status: number; etag?: string; stale?: boolean };
export type StoreFactory = (options: StoreOptions) => Promise<HttpStore<Rec>>;

/** A controllable clock, so recency and timestamps are deterministic. */
export function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export function entry(id: string, extra: Partial<NewEntry<Rec>> = {}): NewEntry<Rec> {
  return {
    id,
    layer: 'browser',
    primaryKey: extra.primaryKey ?? `pk:${id}`,
    url: `https://example.test/${id}`,
    tags: [],
    deployment: 'dpl_1',
    storedAt: 1_000_000,
    record: { status: 200 },
    ...extra,
  };
}

export function bytes(size: number, fill = 7): ArrayBuffer {
  return new Uint8Array(size).fill(fill).buffer;
}

export function text(body: ArrayBuffer): string {
  return new TextDecoder().decode(body);
}

/** A served body's text, whether the store handed out a Blob (Cache Storage) or bytes (hot tier). */
export function bodyText(body: Blob | ArrayBuffer | undefined): Promise<string> {
  return new Response(body).text();
}

export function utf8(value: string): ArrayBuffer {
  return new TextEncoder().encode(value).buffer;
}

const ids = (metas: { id: string }[]) => metas.map((m) => m.id).sort();

export function storeContract(name: string, makeStore: StoreFactory): void {
  describe(`HttpStore contract: ${name}`, () => {
    test('put then get returns the body and the metadata, size set from the body', async () => {
      const clock = manualClock();
      const store = await makeStore({ now: clock.now });
      await store.put(entry('a', { tags: ['t1'], record: { status: 200, etag: '"x"' } }), utf8('hello'));
      const hit = await store.get('a');
      expect(hit && text(hit.body)).toBe('hello');
      expect(hit?.meta).toMatchObject({ id: 'a', layer: 'browser', size: 5, tags: ['t1'], record: { status: 200, etag: '"x"' } });
      expect(await store.get('missing')).toBeUndefined();
    });

    test('get updates lastUsed to the store clock', async () => {
      const clock = manualClock();
      const store = await makeStore({ now: clock.now });
      await store.put(entry('a'), utf8('x'));
      expect((await store.list())[0]?.lastUsed).toBe(1_000_000);
      clock.advance(5000);
      expect((await store.get('a'))?.meta.lastUsed).toBe(1_005_000);
      expect((await store.list())[0]?.lastUsed).toBe(1_005_000);
    });

    test('variants lists every variant of one primary key and nothing else', async () => {
      const store = await makeStore({});
      await store.put(entry('v1', { primaryKey: 'GET /p' }), utf8('one'));
      await store.put(entry('v2', { primaryKey: 'GET /p' }), utf8('two'));
      await store.put(entry('other', { primaryKey: 'GET /q' }), utf8('three'));
      expect(ids(await store.variants('GET /p'))).toEqual(['v1', 'v2']);
      expect(await store.variants('GET /none')).toEqual([]);
    });

    test('put replaces a same-id entry: new body and metadata, one variant', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { primaryKey: 'GET /p', record: { status: 200 } }), utf8('old'));
      await store.put(entry('a', { primaryKey: 'GET /p', record: { status: 203 } }), utf8('newer'));
      const hit = await store.get('a');
      expect(hit && text(hit.body)).toBe('newer');
      expect(hit?.meta).toMatchObject({ size: 5, record: { status: 203 } });
      expect(ids(await store.variants('GET /p'))).toEqual(['a']);
    });

    test('replacing an entry frees its old bytes (no eviction of others)', async () => {
      const store = await makeStore({ budgetBytes: { browser: 100 } });
      await store.put(entry('b'), bytes(30));
      await store.put(entry('a'), bytes(60));
      await store.put(entry('a'), bytes(70));
      expect(ids(await store.list())).toEqual(['a', 'b']);
      expect((await store.list()).reduce((sum, m) => sum + m.size, 0)).toBe(100);
    });

    test('updateMeta replaces the metadata, keeps body, id and size; no-op for a missing id or an undefined answer', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { tags: ['x'] }), utf8('body'));
      await store.updateMeta('a', (m) => ({ ...m, id: 'hijack', size: 1, tags: ['y'], record: { status: 200, stale: true } }));
      const hit = await store.get('a');
      expect(hit && text(hit.body)).toBe('body');
      expect(hit?.meta).toMatchObject({ id: 'a', size: 4, tags: ['y'], record: { stale: true } });
      expect(ids(await store.byTag(['y']))).toEqual(['a']);
      expect(await store.byTag(['x'])).toEqual([]);
      await store.updateMeta('gone', (m) => ({ ...m, record: { status: 500 } }));
      expect(ids(await store.list())).toEqual(['a']);
      await store.updateMeta('a', () => undefined); // the caller saw the entry is not the one it meant
      expect((await store.get('a'))?.meta).toMatchObject({ tags: ['y'], record: { stale: true } });
    });

    test('delete removes the entry from get, variants, byTag and list', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { primaryKey: 'P', tags: ['t'] }), utf8('x'));
      await store.put(entry('b', { primaryKey: 'P', tags: ['t'] }), utf8('y'));
      await store.delete('a');
      await store.delete('never-stored');
      expect(await store.get('a')).toBeUndefined();
      expect(ids(await store.variants('P'))).toEqual(['b']);
      expect(ids(await store.byTag(['t']))).toEqual(['b']);
      expect(ids(await store.list())).toEqual(['b']);
    });

    test('byTag matches any of the tags, exactly (case, commas, non-ASCII)', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { tags: ['post-1', 'blog'] }), utf8('a'));
      await store.put(entry('b', { tags: ['blog'], layer: 'edge' }), utf8('b'));
      await store.put(entry('c', { tags: ['Blog', 'a,b', 'café'] }), utf8('c'));
      expect(ids(await store.byTag(['blog']))).toEqual(['a', 'b']);
      expect(ids(await store.byTag(['post-1', 'café']))).toEqual(['a', 'c']);
      expect(ids(await store.byTag(['a,b']))).toEqual(['c']);
      expect(await store.byTag(['a'])).toEqual([]);
      expect(await store.byTag([])).toEqual([]);
    });

    test('list filters by layer; clear(layer) empties one layer, clear() all', async () => {
      const store = await makeStore({});
      await store.put(entry('b1'), utf8('1'));
      await store.put(entry('c1', { layer: 'cdn' }), utf8('2'));
      await store.put(entry('e1', { layer: 'edge' }), utf8('3'));
      expect(ids(await store.list('cdn'))).toEqual(['c1']);
      await store.clear('cdn');
      expect(ids(await store.list())).toEqual(['b1', 'e1']);
      expect(await store.get('c1')).toBeUndefined();
      await store.clear();
      expect(await store.list()).toEqual([]);
      expect(await store.get('b1')).toBeUndefined();
    });

    test('R50: retainDeployments removes one layer\'s entries of other deployments only', async () => {
      const store = await makeStore({});
      await store.put(entry('old', { layer: 'edge', deployment: 'dpl_1' }), utf8('1'));
      await store.put(entry('new', { layer: 'edge', deployment: 'dpl_2' }), utf8('2'));
      await store.put(entry('browser-old', { deployment: 'dpl_1' }), utf8('3'));
      await store.retainDeployments('edge', ['dpl_2']);
      expect(ids(await store.list())).toEqual(['browser-old', 'new']);
      expect(await store.get('old')).toBeUndefined();
    });

    test('LRU eviction under the byte budget respects recency and stays within the layer', async () => {
      const clock = manualClock();
      const store = await makeStore({ now: clock.now, budgetBytes: { browser: 100 } });
      await store.put(entry('other-layer', { layer: 'cdn' }), bytes(90));
      await store.put(entry('a'), bytes(40));
      clock.advance(1);
      await store.put(entry('b'), bytes(40));
      clock.advance(1);
      await store.get('a'); // a is now more recent than b
      clock.advance(1);
      await store.put(entry('c'), bytes(40));
      expect(ids(await store.list('browser'))).toEqual(['a', 'c']);
      expect(await store.get('b')).toBeUndefined();
      expect(ids(await store.list('cdn'))).toEqual(['other-layer']);
      clock.advance(1);
      await store.put(entry('big'), bytes(100));
      expect(ids(await store.list('browser'))).toEqual(['big']);
    });

    test('a body larger than the budget is refused with entry-too-large and nothing changes', async () => {
      const store = await makeStore({ budgetBytes: { edge: 10 } });
      await store.put(entry('small', { layer: 'edge' }), bytes(10));
      await expect(store.put(entry('huge', { layer: 'edge' }), bytes(11))).rejects.toSatisfy(
        (e) => e instanceof StoreError && e.code === 'entry-too-large',
      );
      expect(ids(await store.list())).toEqual(['small']);
    });

    test('invalid put arguments are programmer errors (TierCacheError invalid-argument)', async () => {
      const store = await makeStore({});
      const bad = [
        store.put(entry('a'), 'text' as unknown as ArrayBuffer),
        store.put(entry('a', { layer: 'origin' as LayerName }), bytes(1)),
        store.put(entry('a', { tags: [1] as unknown as string[] }), bytes(1)),
      ];
      for (const attempt of bad) {
        await expect(attempt).rejects.toSatisfy((e) => e instanceof TierCacheError && e.code === 'invalid-argument');
      }
      expect(await store.list()).toEqual([]);
    });

    test('returned metadata and bodies are copies: mutating them changes nothing stored', async () => {
      const store = await makeStore({});
      const input = new Uint8Array([1, 2, 3]);
      const tags = ['t'];
      await store.put(entry('a', { tags }), input.buffer);
      input[0] = 9;
      tags.push('sneaky');
      const hit = await store.get('a');
      if (!hit) throw new Error('expected a hit');
      new Uint8Array(hit.body)[1] = 9;
      hit.meta.tags.push('mutated');
      hit.meta.size = 1;
      const again = await store.get('a');
      expect(again && [...new Uint8Array(again.body)]).toEqual([1, 2, 3]);
      expect(again?.meta).toMatchObject({ tags: ['t'], size: 3 });
      expect(await store.byTag(['sneaky', 'mutated'])).toEqual([]);
    });

    test('a delete issued after a put wins, even before the put settled', async () => {
      const store = await makeStore({});
      const put = store.put(entry('a'), utf8('x'));
      const removed = store.delete('a');
      await Promise.all([put, removed]);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    test('gets racing replacements and deletes never pair a body with another version\'s metadata', async () => {
      const store = await makeStore({});
      const version = (n: number) => store.put(entry('a', { record: { status: 200, etag: `"${n}"` } }), utf8(String(n)));
      await version(0);
      const reads: Promise<Awaited<ReturnType<typeof store.get>>>[] = [];
      for (let n = 1; n <= 20; n++) {
        reads.push(store.get('a'));
        void version(n);
        reads.push(store.get('a'));
        if (n % 5 === 0) void store.delete('a');
        reads.push(store.get('a'));
      }
      const results = await Promise.all(reads);
      for (const hit of results) if (hit) expect(`"${text(hit.body)}"`).toBe(hit.meta.record.etag);
      expect(results.some((hit) => hit !== undefined)).toBe(true);
      await store.clear();
      expect(await store.list()).toEqual([]);
    });

    test('getBody returns the stored body (a Blob, or bytes held in memory) with its metadata, and updates lastUsed', async () => {
      const clock = manualClock();
      const store = await makeStore({ now: clock.now });
      await store.put(entry('a', { tags: ['t1'], record: { status: 203, etag: '"x"' } }), utf8('hello'));
      clock.advance(5000);
      const hit = await store.getBody('a');
      expect(hit?.body instanceof Blob || hit?.body instanceof ArrayBuffer).toBe(true);
      expect(await bodyText(hit?.body)).toBe('hello');
      expect(hit?.meta).toMatchObject({ id: 'a', size: 5, tags: ['t1'], lastUsed: 1_005_000, record: { status: 203, etag: '"x"' } });
      expect((await store.list())[0]?.lastUsed).toBe(1_005_000);
      // Served as a page would get it: the Blob streams into a Response, twice if need be.
      expect(await new Response(hit?.body).text()).toBe('hello');
      expect(await store.getBody('missing')).toBeUndefined();
    });

    test('getBody after a replacement or delete: the new body, or nothing; the buffer put is not shared', async () => {
      const store = await makeStore({});
      const input = new Uint8Array([1, 2, 3]);
      await store.put(entry('a', { record: { status: 200 } }), input.buffer);
      input[0] = 9;
      const first = await store.getBody('a');
      expect(first && [...new Uint8Array(await new Response(first.body).arrayBuffer())]).toEqual([1, 2, 3]);
      await store.put(entry('a', { record: { status: 201 } }), utf8('newer'));
      const second = await store.getBody('a');
      expect([second?.meta.record.status, await bodyText(second?.body)]).toEqual([201, 'newer']);
      await store.delete('a');
      expect(await store.getBody('a')).toBeUndefined();
    });

    test('R12/R47: a getBody that began before a delete still answers with the entry it began reading', async () => {
      const store = await makeStore({});
      await store.put(entry('a', { record: { status: 200, etag: '"old"' } }), utf8('stale copy'));
      // A stale answer reads its body while the background refresh deletes the entry (404 no-store).
      const reading = store.getBody('a');
      await store.delete('a');
      const served = await reading;
      expect(served?.meta.record.etag).toBe('"old"');
      expect(await bodyText(served?.body)).toBe('stale copy');
      // The delete itself stands: nothing is left for the next request.
      expect(await store.getBody('a')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    test('getBody racing replacements and deletes never pairs a body with another version\'s metadata', async () => {
      const store = await makeStore({});
      const version = (n: number) => store.put(entry('a', { record: { status: 200, etag: `"${n}"` } }), utf8(String(n)));
      await version(0);
      const reads: Promise<Awaited<ReturnType<typeof store.getBody>>>[] = [];
      for (let n = 1; n <= 20; n++) {
        reads.push(store.getBody('a'));
        void version(n);
        reads.push(store.getBody('a'));
        if (n % 5 === 0) void store.delete('a');
        reads.push(store.getBody('a'));
      }
      const results = await Promise.all(reads);
      for (const hit of results) if (hit) expect(`"${await bodyText(hit.body)}"`).toBe(hit.meta.record.etag);
      expect(results.some((hit) => hit !== undefined)).toBe(true);
      await store.clear();
      expect(await store.list()).toEqual([]);
    });

    test('concurrent puts of many entries keep totals exact and the layer within budget', async () => {
      const store = await makeStore({ budgetBytes: { cdn: 1000 } });
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.put(entry(`e${i}`, { layer: 'cdn' }), bytes(100))));
      const listed = await store.list('cdn');
      expect(listed.reduce((sum, m) => sum + m.size, 0)).toBe(1000);
      // The ten most recently stored survive.
      expect(ids(listed)).toEqual(Array.from({ length: 10 }, (_, i) => `e${30 + i}`).sort());
    });
  });
}
