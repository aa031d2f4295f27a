/**
 * `getCache()` with exactly the `@vercel/functions` surface (R85, R86): get / set / delete / expireTag,
 * all returning promises. Arguments are checked here (typed errors), values JSON round-tripped (R98),
 * limits enforced (R107); the store behind it is resolved on first use, not at getCache() (R92).
 */
import { assertKey, readSetOptions, readTags, type SetOptions } from './arguments.ts';
import { readCacheOptions, type CacheOptions } from './cache-options.ts';
import { RuntimeCacheFailure, type OpContext } from './failure.ts';
import { decodeValue, encodeValue } from './json-codec.ts';
import { createKeyTransformer } from './key-transform.ts';
import { findLimitViolation } from './limits.ts';
import { resolveStore } from './store-registry.ts';
import type { RuntimeStore, StoredEntry } from './store.ts';

export interface RuntimeCache {
  /** The value, or null on a miss, an expired entry or any storage failure (R87). */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  delete(key: string): Promise<void>;
  expireTag(tag: string | string[]): Promise<void>;
}

export function getCache(options?: CacheOptions): RuntimeCache {
  const resolved = readCacheOptions(options);
  const toSlot = createKeyTransformer(resolved);
  const ctx: OpContext = {
    now: resolved.now,
    timeoutMs: resolved.timeoutMs,
    maxBytes: resolved.maxBytes,
    report: (failure) => {
      try {
        resolved.onError(failure);
      } catch {
        // A throwing onError must not turn a report into a rejection.
      }
    },
  };
  let store: RuntimeStore | undefined;
  const backend = (): RuntimeStore => (store ??= resolveStore(resolved, ctx));

  return {
    async get(key) {
      assertKey(key);
      const json = await backend().get(toSlot(key), ctx);
      try {
        return decodeValue(json); // null parses as null
      } catch (error) {
        ctx.report(new RuntimeCacheFailure('storage', `bad JSON at "${key}"`, error));
        return null; // R87: any error reads as a miss
      }
    },

    async set(key, value, setOptions) {
      assertKey(key);
      const { ttl, tags, name } = readSetOptions(setOptions);
      const slot = toSlot(key);
      let json = '';
      let refused: RuntimeCacheFailure | undefined;
      try {
        json = encodeValue(value);
        const violation = findLimitViolation(json, tags, resolved.limits);
        if (violation) refused = new RuntimeCacheFailure('limit', `"${key}" not cached: ${violation}`);
      } catch (error) {
        refused = new RuntimeCacheFailure('unserializable', `"${key}" not cached: no JSON`, error);
      }
      if (refused) {
        ctx.report(refused);
        return backend().delete(slot, ctx); // R99, R107 + A21: the older value must not outlive this set
      }
      const entry: StoredEntry = { ...slot, json, tags };
      // R101/R102: ttl in seconds, 0 or absent = no expiry.
      if (ttl) entry.exp = resolved.now() + ttl * 1000;
      // R89: the label defaults to the unhashed key; an explicit '' suppresses it.
      const label = name ?? key;
      if (label) entry.name = label;
      await backend().set(entry, ctx); // await, not return: a returned promise costs two more ticks
    },

    async delete(key) {
      assertKey(key);
      await backend().delete(toSlot(key), ctx);
    },

    async expireTag(tag) {
      // R91: tags are neither hashed nor namespaced; R106: commas split them.
      const tags = readTags(tag, true);
      if (tags.length) return backend().expireTags(tags, 'expire', ctx);
    },
  };
}

/** R85: the 2.0.3 name, kept as a deprecated alias. */
export const getRuntimeCache = getCache;
