/**
 * The one contract every runtime-cache backend must pass, observed only through the public API.
 * Run by test/node/runtime-cache/memory-store.test.ts (in-memory) and
 * test/browser/runtime-cache/indexeddb-contract.test.ts (real IndexedDB in Chromium).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { isTierCacheError } from '../../../sdk/errors.ts';
import type { CacheOptions, RuntimeCache, RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';

export type CacheFactory = (options: CacheOptions) => RuntimeCache;

interface Fixture {
  cache: RuntimeCache;
  /** Another cache object on the same project/environment, with its own options. */
  sibling: (options?: CacheOptions) => RuntimeCache;
  advance: (ms: number) => void;
  failures: RuntimeCacheFailure[];
}

let counter = 0;

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTierCacheError(error), `expected a TierCacheError ${code}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

export function runtimeCacheContract(label: string, make: CacheFactory): void {
  let reports: RuntimeCacheFailure[][] = [];
  // Only refusals the tests provoke on purpose may be reported: a timeout, storage error or silent
  // fallback to memory fails the test that caused it.
  afterEach(() => {
    const unexpected = reports.flat().filter((f) => f.kind !== 'limit' && f.kind !== 'unserializable');
    reports = [];
    expect(unexpected.map((f) => `${f.kind}: ${f.message}`)).toEqual([]);
  });

  const setup = (options: CacheOptions = {}): Fixture => {
    const projectId = `contract-${label}-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2)}`;
    let time = Date.now();
    const failures: RuntimeCacheFailure[] = [];
    reports.push(failures);
    const base: CacheOptions = { projectId, now: () => time, onError: (failure) => failures.push(failure) };
    return {
      cache: make({ ...base, ...options }),
      sibling: (more = {}) => make({ ...base, ...more }),
      advance: (ms) => (time += ms),
      failures,
    };
  };

  describe(`runtime cache contract: ${label}`, () => {
    test('R87: get on a miss resolves null', async () => {
      const { cache } = setup();
      expect(await cache.get('nothing-here')).toBeNull();
    });

    test('R98: values are JSON round-tripped, with every JSON effect', async () => {
      const { cache } = setup();
      const date = new Date('2026-11-22T00:00:00.000Z');
      const fn = (): number => 1;
      await cache.set('v', {
        date,
        map: new Map([[1, 2]]),
        set: new Set([1]),
        gone: undefined,
        fn,
        list: [1, undefined, fn, NaN, Infinity],
        nested: { n: -Infinity },
      });
      expect(await cache.get('v')).toEqual({ date: date.toISOString(), map: {}, set: {}, list: [1, null, null, null, null], nested: { n: null } });
      await cache.set('undef', undefined);
      expect(await cache.get('undef')).toBeNull();
      await cache.set('text', 'hello');
      expect(await cache.get('text')).toBe('hello');
      await cache.set('zero', 0);
      expect(await cache.get('zero')).toBe(0);
    });

    test('R98: a returned object is a copy; mutating it or the original never changes the cache', async () => {
      const { cache } = setup();
      const original = { list: [1] };
      await cache.set('obj', original);
      original.list.push(2);
      const first = (await cache.get('obj')) as { list: number[] };
      first.list.push(3);
      expect(await cache.get('obj')).toEqual({ list: [1] });
      expect(await cache.get('obj')).not.toBe(first);
    });

    test('R99: an unserializable value is reported, not thrown, and the older value is removed', async () => {
      const { cache, failures } = setup();
      await cache.set('big', 'old');
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(cache.set('big', 10n)).resolves.toBeUndefined();
      await expect(cache.set('cycle', cyclic)).resolves.toBeUndefined();
      expect(await cache.get('big')).toBeNull();
      expect(failures.map((f) => f.kind)).toEqual(['unserializable', 'unserializable']);
    });

    test('R101: ttl 60 is still served at +59 s and exactly at +60 s, gone at +61 s', async () => {
      const { cache, advance } = setup();
      await cache.set('ttl', 'v', { ttl: 60 });
      advance(59_000);
      expect(await cache.get('ttl')).toBe('v');
      advance(1_000);
      expect(await cache.get('ttl')).toBe('v');
      advance(1_000);
      expect(await cache.get('ttl')).toBeNull();
    });

    test('R101: fractional ttl is in seconds too (0.5 s)', async () => {
      const { cache, advance } = setup();
      await cache.set('half', 'v', { ttl: 0.5 });
      advance(500);
      expect(await cache.get('half')).toBe('v');
      advance(1);
      expect(await cache.get('half')).toBeNull();
    });

    test('R102: ttl 0 and an absent ttl never expire', async () => {
      const { cache, advance } = setup();
      await cache.set('zero', 'a', { ttl: 0 });
      await cache.set('absent', 'b');
      advance(10 * 365 * 86_400_000);
      expect(await cache.get('zero')).toBe('a');
      expect(await cache.get('absent')).toBe('b');
    });

    test('R88: set replaces the whole entry: value, TTL clock and tag set', async () => {
      const { cache, advance } = setup();
      await cache.set('k', 1, { ttl: 10, tags: ['old'] });
      await cache.set('k', 2, { tags: ['new'] });
      advance(11_000);
      expect(await cache.get('k')).toBe(2);
      await cache.expireTag('old');
      expect(await cache.get('k')).toBe(2);
      await cache.expireTag('new');
      expect(await cache.get('k')).toBeNull();
    });

    test('R88: set restarts the TTL clock', async () => {
      const { cache, advance } = setup();
      await cache.set('k', 1, { ttl: 10 });
      advance(9_000);
      await cache.set('k', 2, { ttl: 10 });
      advance(9_000);
      expect(await cache.get('k')).toBe(2);
    });

    test('R90: delete removes the key, and deleting a missing key resolves', async () => {
      const { cache } = setup();
      await cache.set('k', 'v');
      await cache.delete('k');
      expect(await cache.get('k')).toBeNull();
      await expect(cache.delete('never-set')).resolves.toBeUndefined();
    });

    test('R93: namespaces separate keys; the same namespace shares them (R113)', async () => {
      const { sibling } = setup();
      const a = sibling({ namespace: 'a' });
      const b = sibling({ namespace: 'b' });
      await a.set('k', 'from a');
      await b.set('k', 'from b');
      expect(await a.get('k')).toBe('from a');
      expect(await b.get('k')).toBe('from b');
      expect(await sibling({ namespace: 'a' }).get('k')).toBe('from a');
      expect(await sibling().get('k')).toBeNull();
    });

    test('R91: expireTag is not namespaced: expiring from one namespace reaches every namespace', async () => {
      const { sibling } = setup();
      const a = sibling({ namespace: 'a' });
      const b = sibling({ namespace: 'b', namespaceSeparator: ':' });
      await a.set('k', 1, { tags: ['shared'] });
      await b.set('k', 2, { tags: ['shared'] });
      await sibling().set('k', 3, { tags: ['shared'] });
      await b.expireTag('shared');
      expect([await a.get('k'), await b.get('k'), await sibling().get('k')]).toEqual([null, null, null]);
    });

    test('R95: keys whose djb2 hashes collide (post:aaac6, post:aaaep) never read or overwrite each other', async () => {
      const { cache } = setup();
      await cache.set('post:aaac6', 'first');
      expect(await cache.get('post:aaaep')).toBeNull();
      await cache.set('post:aaaep', 'second');
      expect(await cache.get('post:aaac6')).toBe('first');
      expect(await cache.get('post:aaaep')).toBe('second');
      await cache.delete('post:aaac6');
      expect(await cache.get('post:aaaep')).toBe('second');
    });

    test('R96: a custom keyHashFunction is used, and even a constant hash cannot alias keys', async () => {
      const { sibling } = setup();
      const constant = sibling({ keyHashFunction: () => 'same' });
      await constant.set('one', 1);
      await constant.set('two', 2);
      expect(await constant.get('one')).toBe(1);
      expect(await constant.get('two')).toBe(2);
    });

    test('namespace `a` + key `b$c` never aliases namespace `a$b` + key `c`', async () => {
      const { sibling } = setup();
      const identity = (key: string): string => key;
      const first = sibling({ namespace: 'a', keyHashFunction: identity });
      const second = sibling({ namespace: 'a$b', keyHashFunction: identity });
      await first.set('b$c', 'first');
      expect(await second.get('c')).toBeNull();
      await second.set('c', 'second');
      expect(await first.get('b$c')).toBe('first');
    });

    test('R105: expireTag removes entries with any of the tags; others and untagged entries stay', async () => {
      const { cache } = setup();
      await cache.set('a', 1, { tags: ['t1'] });
      await cache.set('b', 2, { tags: ['t2', 'x'] });
      await cache.set('c', 3, { tags: ['t3'] });
      await cache.set('d', 4);
      await cache.expireTag(['t1', 't2']);
      expect([await cache.get('a'), await cache.get('b'), await cache.get('c'), await cache.get('d')]).toEqual([null, null, 3, 4]);
      await cache.expireTag('unknown-tag');
      expect(await cache.get('c')).toBe(3);
    });

    test('R105: an entry with two tags goes when only one of them expires', async () => {
      const { cache } = setup();
      await cache.set('k', 'v', { tags: ['a', 'b'] });
      await cache.expireTag('b');
      expect(await cache.get('k')).toBeNull();
    });

    test('R106: commas split tags when storing and when expiring', async () => {
      const { cache } = setup();
      await cache.set('one', 1, { tags: ['a,b'] });
      await cache.set('two', 2, { tags: ['c'] });
      await cache.set('three', 3, { tags: ['d'] });
      await cache.expireTag('b');
      expect(await cache.get('one')).toBeNull();
      await cache.expireTag('c,d');
      expect([await cache.get('two'), await cache.get('three')]).toEqual([null, null]);
    });

    test('R106: other characters in tags are kept verbatim', async () => {
      const { cache } = setup();
      await cache.set('k', 1, { tags: ['a&b #c+d é'] });
      await cache.expireTag('a&b');
      expect(await cache.get('k')).toBe(1);
      await cache.expireTag('a&b #c+d é');
      expect(await cache.get('k')).toBeNull();
    });

    test('R108: tags match exactly and case-sensitively', async () => {
      const { cache } = setup();
      await cache.set('k', 1, { tags: ['product'] });
      await cache.expireTag(['Product', 'product ', 'produc']);
      expect(await cache.get('k')).toBe(1);
    });

    test('an entry set after expireTag of its tag is readable (B1 re-caching)', async () => {
      const { cache } = setup();
      await cache.set('k', 1, { tags: ['t'] });
      await cache.expireTag('t');
      await cache.set('k', 2, { tags: ['t'] });
      expect(await cache.get('k')).toBe(2);
      await cache.set('other', 3, { tags: ['t'] });
      expect(await cache.get('other')).toBe(3);
    });

    test('read-your-writes: operations issued without awaiting apply in call order', async () => {
      const { cache } = setup();
      const writes = [
        cache.set('a', 1, { tags: ['t'] }),
        cache.expireTag('t'),
        cache.set('b', 2, { tags: ['t'] }),
        cache.set('c', 3),
        cache.delete('c'),
      ];
      expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([null, 2, null]);
      await Promise.all(writes);
      expect([await cache.get('a'), await cache.get('b'), await cache.get('c')]).toEqual([null, 2, null]);
    });

    test('R118: ttl and tags stay as written by "deploy 1" until expiry or overwrite', async () => {
      const { sibling, advance } = setup();
      await sibling().set('K', 'v1', { ttl: 3600, tags: ['a'] });
      const deploy2 = sibling(); // would write ttl 60, tags [b], but only reads K
      advance(61_000);
      expect(await deploy2.get('K')).toBe('v1');
      await deploy2.expireTag('b');
      expect(await deploy2.get('K')).toBe('v1');
      await deploy2.expireTag('a');
      expect(await deploy2.get('K')).toBeNull();
    });

    test('R116: projects and environments are isolated', async () => {
      const { sibling } = setup();
      await sibling({ environment: 'production' }).set('k', 'prod');
      expect(await sibling({ environment: 'preview' }).get('k')).toBeNull();
      expect(await sibling({ environment: 'production' }).get('k')).toBe('prod');
      expect(await make({ projectId: `other-${Math.random()}`, environment: 'production' }).get('k')).toBeNull();
    });

    describe('R107 limits (A21: refused items are not stored, the older value is removed, set resolves)', () => {
      const MiB2 = 2 * 2 ** 20;

      test('an item of exactly 2 MiB of JSON is stored; one byte more is refused', async () => {
        const { cache, failures } = setup();
        const fits = 'a'.repeat(MiB2 - 2); // + 2 quotes = 2 MiB of JSON
        await cache.set('fits', fits);
        expect(await cache.get('fits')).toBe(fits);
        await cache.set('over', 'old');
        await expect(cache.set('over', `${fits}a`)).resolves.toBeUndefined();
        expect(await cache.get('over')).toBeNull();
        expect(failures.map((f) => f.kind)).toEqual(['limit']);
      });

      test('the size is UTF-8 bytes, not characters (3-byte €)', async () => {
        const { cache, failures } = setup();
        const euros = '€'.repeat(Math.floor(MiB2 / 3)); // 699,050 chars, 2,097,150 bytes + 2 quotes = 2 MiB
        await cache.set('exact', euros);
        expect(await cache.get('exact')).toBe(euros);
        await cache.set('over', `${euros}a`);
        expect(await cache.get('over')).toBeNull();
        expect(failures).toHaveLength(1);
      });

      test('128 tags are accepted, 129 refused (after comma splitting and de-duplication)', async () => {
        const { cache, failures } = setup();
        const tags = Array.from({ length: 128 }, (_, i) => `t${i}`);
        await cache.set('ok', 1, { tags: [...tags, 't0', 't1,t2'] });
        expect(await cache.get('ok')).toBe(1);
        await cache.set('over', 'old');
        await cache.set('over', 2, { tags: [...tags.slice(0, 127), 'x,y'] });
        expect(await cache.get('over')).toBeNull();
        expect(failures.map((f) => f.kind)).toEqual(['limit']);
      });

      test('a tag of 256 bytes is accepted, 257 bytes (or 86 three-byte characters) refused', async () => {
        const { cache, failures } = setup();
        await cache.set('ok', 1, { tags: ['t'.repeat(256)] });
        expect(await cache.get('ok')).toBe(1);
        await cache.set('long', 2, { tags: ['t'.repeat(257)] });
        await cache.set('wide', 3, { tags: ['€'.repeat(86)] });
        expect([await cache.get('long'), await cache.get('wide')]).toEqual([null, null]);
        expect(failures.map((f) => f.kind)).toEqual(['limit', 'limit']);
      });

      test('limits are configurable (A20: maxTagsPerItem 64)', async () => {
        const { cache } = setup({ limits: { maxTagsPerItem: 64 } });
        await cache.set('k', 1, { tags: Array.from({ length: 65 }, (_, i) => `t${i}`) });
        expect(await cache.get('k')).toBeNull();
      });
    });

    describe('programmer mistakes reject with a TierCacheError code', () => {
      test('a key that is not a string: invalid-key', async () => {
        const { cache } = setup();
        await expectCode(cache.get(1 as unknown as string), 'invalid-key');
        await expectCode(cache.set(undefined as unknown as string, 1), 'invalid-key');
        await expectCode(cache.delete({} as unknown as string), 'invalid-key');
      });

      test('a negative, non-finite or non-numeric ttl: invalid-ttl', async () => {
        const { cache } = setup();
        for (const ttl of [-1, NaN, Infinity, '60']) await expectCode(cache.set('k', 1, { ttl: ttl as number }), 'invalid-ttl');
        expect(await cache.get('k')).toBeNull();
      });

      test('tags that are not strings: invalid-tags', async () => {
        const { cache } = setup();
        await expectCode(cache.set('k', 1, { tags: 'a' as unknown as string[] }), 'invalid-tags');
        await expectCode(cache.set('k', 1, { tags: [1] as unknown as string[] }), 'invalid-tags');
        await expectCode(cache.expireTag(5 as unknown as string), 'invalid-tags');
        await expectCode(cache.expireTag([null] as unknown as string[]), 'invalid-tags');
      });

      test('a keyHashFunction that returns a non-string: invalid-options', async () => {
        const { sibling } = setup();
        await expectCode(sibling({ keyHashFunction: () => 42 as unknown as string }).set('k', 1), 'invalid-options');
      });

      test('bad getCache options throw invalid-options at once', () => {
        for (const options of [
          { namespace: 5 },
          { keyHashFunction: 'djb2' },
          { environment: 'staging' },
          { timeoutMs: -1 },
          { storage: 'disk' },
          { projectId: '' },
        ]) {
          expect(() => make(options as CacheOptions)).toThrow(expect.objectContaining({ code: 'invalid-options' }) as Error);
        }
      });
    });
  });
}
