/**
 * In-memory backend: used where IndexedDB is unavailable (R112 fallback) or when asked for
 * (`storage: 'memory'`). Expiry is eager here; a tag index keeps expireTag proportional to the matches.
 */
import type { OpContext } from './failure.ts';
import { slotKey, type Slot } from './key-transform.ts';
import type { RuntimeStore, StoredEntry } from './store.ts';

export function createMemoryStore(): RuntimeStore {
  const entries = new Map<string, StoredEntry>();
  const byTag = new Map<string, Set<string>>();

  const remove = (key: string): void => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    for (const tag of old.tags) byTag.get(tag)?.delete(key);
  };

  return {
    get(slot: Slot, ctx: OpContext) {
      const key = slotKey(slot);
      const entry = entries.get(key);
      if (entry?.exp !== undefined && ctx.now() > entry.exp) {
        remove(key); // R103: reading an expired entry deletes it
        return Promise.resolve(null);
      }
      return Promise.resolve(entry ? entry.json : null);
    },
    set(entry) {
      const key = slotKey(entry);
      remove(key); // R88: the whole entry is replaced, tags included
      entries.set(key, entry);
      for (const tag of entry.tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return Promise.resolve();
    },
    delete(slot) {
      remove(slotKey(slot));
      return Promise.resolve();
    },
    expireTags(tags) {
      for (const tag of tags) {
        for (const key of byTag.get(tag) ?? []) remove(key);
        byTag.delete(tag);
      }
      return Promise.resolve();
    },
    clear() {
      entries.clear();
      byTag.clear();
      return Promise.resolve();
    },
  };
}
