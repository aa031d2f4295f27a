/**
 * In-memory backend: used where IndexedDB is unavailable (R112 fallback) or when asked for
 * (`storage: 'memory'`). The hot mirror's LRU map, unbounded but for `maxBytes` (R119: its insertion
 * order is the recency order, a hit moves to the end). Expiry is eager here. expireTag walks this
 * context's entries: a Map scan costs microseconds per thousand entries, less than keeping a tag
 * index current on every write.
 */
import { createHotMirror, type HotEntry } from './hot-mirror.ts';
import { slotKey } from './key-transform.ts';
import type { RuntimeStore } from './store.ts';

export function createMemoryStore(): RuntimeStore {
  const entries = createHotMirror(Infinity, Infinity);
  const done = <T>(value: T): Promise<T> => Promise.resolve(value);
  return {
    get(slot, ctx) {
      const key = slotKey(slot);
      const entry: HotEntry | undefined = entries.get(key);
      if (entry && (entry.exp === undefined || ctx.now() <= entry.exp)) return done(entry.json);
      entries.delete(key); // R103: reading an expired entry deletes it
      return done(null);
    },
    // R88: the whole entry is replaced, tags included; R119: least recently used first past maxBytes.
    set: (entry, ctx) => done(entries.put(slotKey(entry), entry, ctx.maxBytes)),
    delete: (slot) => done(entries.delete(slotKey(slot))),
    expireTags: (tags) => done(entries.dropTags(tags)),
    clear: () => done(entries.clear()),
  };
}
