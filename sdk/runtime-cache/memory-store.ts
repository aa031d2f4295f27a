/**
 * In-memory backend: used where IndexedDB is unavailable (R112 fallback) or when asked for
 * (`storage: 'memory'`). Expiry is eager here. expireTag walks this context's entries: a Map scan costs
 * microseconds per thousand entries, less than keeping a tag index current on every write.
 * With `maxBytes` (R119) the Map's insertion order is the recency order: a hit moves to the end.
 */
import type { OpContext } from './failure.ts';
import { slotKey, type Slot } from './key-transform.ts';
import type { RuntimeStore, StoredEntry } from './store.ts';

export function createMemoryStore(): RuntimeStore {
  const entries = new Map<string, StoredEntry>();
  let bytes = 0;

  const remove = (key: string): void => {
    bytes -= entries.get(key)?.json.length ?? 0;
    entries.delete(key);
  };

  return {
    get(slot: Slot, ctx: OpContext) {
      const key = slotKey(slot);
      const entry = entries.get(key);
      if (!entry || (entry.exp !== undefined && ctx.now() > entry.exp)) {
        remove(key); // R103: reading an expired entry deletes it
        return Promise.resolve(null);
      }
      if (ctx.maxBytes) {
        entries.delete(key);
        entries.set(key, entry);
      }
      return Promise.resolve(entry.json);
    },
    set(entry, ctx) {
      const key = slotKey(entry);
      remove(key); // R88: the whole entry is replaced, tags included
      entries.set(key, entry);
      bytes += entry.json.length;
      for (const oldest of entries.keys()) {
        if (bytes <= (ctx.maxBytes ?? Infinity)) break;
        remove(oldest); // R119: least recently used first
      }
      return Promise.resolve();
    },
    delete(slot) {
      remove(slotKey(slot));
      return Promise.resolve();
    },
    expireTags(tags) {
      for (const [key, entry] of entries) if (entry.tags.some((tag) => tags.includes(tag))) remove(key);
      return Promise.resolve();
    },
    clear() {
      entries.clear();
      bytes = 0;
      return Promise.resolve();
    },
  };
}
