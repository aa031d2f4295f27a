/**
 * A bounded LRU of recently used entries, so a warm `get` costs a Map lookup and a JSON.parse instead of
 * an IndexedDB transaction (performance.md). It is only a copy: every local write updates it at once
 * (read-your-writes) and remote writes drop entries through the coherence channel. Unbounded, it is
 * also the whole in-memory store (memory-store.ts), which bounds it per write by `maxBytes` (R119).
 */
/** The stored entry itself is kept (no copy): only these fields are read. */
export interface HotEntry {
  readonly json: string;
  readonly tags: readonly string[];
  readonly exp?: number | undefined;
}

export interface HotMirror {
  get(key: string): HotEntry | undefined;
  /** Stores, then drops the least recently used entries past the bounds (`limit`: chars, this call only). */
  put(key: string, entry: HotEntry, limit?: number): void;
  delete(key: string): void;
  dropTags(tags: readonly string[]): void;
  clear(): void;
}

export function createHotMirror(maxEntries = 1000, maxChars = 8 * 2 ** 20): HotMirror {
  const map = new Map<string, HotEntry>();
  let chars = 0;

  const remove = (key: string): void => {
    const old = map.get(key);
    if (old) {
      chars -= old.json.length;
      map.delete(key);
    }
  };

  return {
    get(key) {
      const entry = map.get(key);
      if (entry) {
        // Re-insert: Map iteration order is our recency order.
        map.delete(key);
        map.set(key, entry);
      }
      return entry;
    },
    put(key, entry, limit = maxChars) {
      remove(key);
      if (entry.json.length > maxChars / 8) return; // a few huge values must not flush the whole mirror
      map.set(key, entry);
      chars += entry.json.length;
      while (map.size > maxEntries || chars > limit) remove(map.keys().next().value as string);
    },
    delete: remove,
    dropTags(tags) {
      // Bounded by maxEntries, so the scan stays cheap; the database itself is never scanned.
      for (const [key, entry] of map) if (entry.tags.some((tag) => tags.includes(tag))) remove(key);
    },
    clear() {
      map.clear();
      chars = 0;
    },
  };
}
