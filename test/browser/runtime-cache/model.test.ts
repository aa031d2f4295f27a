/**
 * Property: for any sequence of operations, issued in bursts without awaiting (so batching, the hot
 * mirror and cold reads all interleave), the IndexedDB backend answers every get exactly like the
 * in-memory backend. Keys include the R95 collision pair; tags, TTLs and clock jumps are random.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { getCache, type RuntimeCache, type RuntimeCacheFailure } from '../../../sdk/runtime-cache/index.ts';
import { uniqueProject } from './helpers.ts';

const key = fc.constantFrom('a', 'b', 'post:aaac6', 'post:aaaep');
const tags = fc.subarray(['t1', 't2', 't3']);
const op = fc.oneof(
  fc.record({ type: fc.constant('set' as const), key, value: fc.integer(), tags, ttl: fc.constantFrom(undefined, 0, 1, 5) }),
  fc.record({ type: fc.constant('delete' as const), key }),
  fc.record({ type: fc.constant('expire' as const), tags: tags.filter((t) => t.length > 0) }),
  fc.record({ type: fc.constant('get' as const), key }),
);
const program = fc.array(fc.record({ ops: fc.array(op, { minLength: 1, maxLength: 6 }), advance: fc.constantFrom(0, 900, 2_000, 6_000) }), { minLength: 1, maxLength: 8 });

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function issue(cache: RuntimeCache, o: Op): Promise<unknown> {
  switch (o.type) {
    case 'set':
      return cache.set(o.key, o.value, { tags: o.tags, ttl: o.ttl });
    case 'delete':
      return cache.delete(o.key);
    case 'expire':
      return cache.expireTag(o.tags);
    case 'get':
      return cache.get(o.key);
  }
}

test('the IndexedDB backend is observably equal to the in-memory one (R87–R108 together)', async () => {
  await fc.assert(
    fc.asyncProperty(program, async (bursts) => {
      let time = Date.now();
      const failures: RuntimeCacheFailure[] = [];
      const common = { now: () => time, onError: (f: RuntimeCacheFailure) => failures.push(f), timeoutMs: 5000 };
      const memory = getCache({ ...common, projectId: uniqueProject('model-mem'), storage: 'memory' });
      const projectId = uniqueProject('model-idb');
      const idb = getCache({ ...common, projectId });
      for (const burst of bursts) {
        const [expected, actual] = await Promise.all([
          Promise.all(burst.ops.map((o) => issue(memory, o))),
          Promise.all(burst.ops.map((o) => issue(idb, o))),
        ]);
        expect(actual).toEqual(expected);
        time += burst.advance;
      }
      const finalKeys = ['a', 'b', 'post:aaac6', 'post:aaaep'];
      const expected = await Promise.all(finalKeys.map((k) => memory.get(k)));
      expect(await Promise.all(finalKeys.map((k) => idb.get(k)))).toEqual(expected);
      // A fresh context (own connection, empty mirror) reads the same state from disk.
      const fresh = getCache({ ...common, projectId, indexedDB });
      expect(await Promise.all(finalKeys.map((k) => fresh.get(k)))).toEqual(expected);
      expect(failures).toEqual([]);
    }),
    { numRuns: 40 },
  );
});
