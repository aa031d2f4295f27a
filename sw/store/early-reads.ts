import type { PersistedEntry } from './db';
import { isPersistedEntry } from './heal';
import { toStoreError } from './store-error';
import type { EntryMeta, HttpStore, LayerName } from './types';

export interface EarlyReadOptions {
  /** The full open begins once no lookup has come for this long (from the store's creation on)... */
  quietMs: number;
  /** ...and at the latest this long after the store's creation. */
  latestMs: number;
}

/** Point reads of the persisted store, answered before it has finished opening. */
export interface PointReader {
  /** The persisted records of one primary key (unchecked: they come straight from IndexedDB). */
  variants(primaryKey: string): Promise<unknown[]>;
  /** The body in Cache Storage, or undefined when it is gone. */
  body(layer: LayerName, url: string): Promise<Blob | undefined>;
}

/**
 * The store usable at once (issue 14, the cold first hit): until `opening` resolves, `variants` and
 * `getBody` are answered by point reads (one key's records, one body) instead of waiting for every
 * body to be listed and every record loaded; everything else (writes, purges, eviction, listing)
 * waits for the opened store, as before. The guarantees of the opened store hold for these reads:
 * - a body is only ever read through a record that points to it (an orphan body is never served);
 * - a record whose body is gone is a miss (healing removes it once the store is open);
 * - purge marks, tag invalidations and deletions are on the persisted records themselves
 *   (LayeredStore commits them before it answers), so a point read sees them as the open would.
 * A point read does not move the entry's recency (lastUsed) nor fill the hot tier: only the lookups
 * before the open, at most the first second of a run.
 * A point read that fails falls back to the opened store (which may be the in-memory fallback).
 */
export function withEarlyReads<R>(open: () => Promise<HttpStore<R>>, reader: PointReader, options: EarlyReadOptions): HttpStore<R> {
  let opening: Promise<HttpStore<R>> | undefined;
  let opened: HttpStore<R> | undefined;
  // The full open (every record, every body listed) begins once lookups have been quiet for a while:
  // begun at once, the point reads queued behind getAll() and cache.keys(), and begun right after the
  // first hit, the page's read of that hit's body did (bench/README.md "Issue 14: the cold first hit").
  // Any other operation, or a miss (its write will need it), begins it at once.
  const start = (): Promise<HttpStore<R>> => {
    if (opening) return opening;
    clearTimeout(timer);
    opening = open();
    opening.then((store) => (opened = store), () => undefined);
    return opening;
  };
  const since = performance.now();
  let timer = setTimeout(start, options.quietMs);
  // Lookups that never pause (steady traffic) do not put it off past latestMs: until it has opened,
  // hits fill no hot tier and move no recency.
  const quiet = () => {
    if (opening) return;
    clearTimeout(timer);
    timer = setTimeout(start, Math.max(0, Math.min(options.quietMs, since + options.latestMs - performance.now())));
  };
  /** What the point reads found, by id: getBody() pairs a body only with the record that names it. */
  const found = new Map<string, PersistedEntry>();
  /** Set by the first mutation: from then on every read waits for the opened store, so a read never
   *  misses a purge, deletion or write called before it (they are applied by the opened store only). */
  let mutated = false;
  const later = <T>(operation: (store: HttpStore<R>) => Promise<T>): Promise<T> => (opened ? operation(opened) : start().then(operation));
  const mutation = <T>(operation: (store: HttpStore<R>) => Promise<T>): Promise<T> => {
    mutated = true;
    return later(operation);
  };
  return {
    variants: (primaryKey) => {
      // Once open, the hit path goes straight to the opened store.
      if (opened) return opened.variants(primaryKey);
      if (mutated) return later((store) => store.variants(primaryKey));
      quiet();
      return reader.variants(primaryKey).then(
        (records) => {
          const entries = records.filter((record): record is PersistedEntry => isPersistedEntry(record) && record.primaryKey === primaryKey);
          for (const entry of entries) found.set(entry.id, entry);
          if (entries.length === 0) void start(); // a miss: its write will need the opened store
          return entries.map((entry) => toMeta<R>(entry));
        },
        () => later((store) => store.variants(primaryKey)),
      );
    },
    getBody: async (id) => {
      if (opened) return opened.getBody(id);
      const entry = found.get(id);
      if (mutated || !entry) return later((store) => store.getBody(id));
      const body = await reader.body(entry.layer, entry.bodyUrl).then(
        (blob) => {
          quiet();
          return blob;
        },
        (error: unknown) => {
          void start();
          throw toStoreError(error, 'Reading a body failed.');
        },
      );
      return body ? { meta: toMeta<R>(entry), body } : undefined;
    },
    get: (id) => later((store) => store.get(id)),
    put: (entry, body, options) => mutation((store) => store.put(entry, body, options)),
    updateMeta: (id, update) => mutation((store) => store.updateMeta(id, update)),
    updateTagged: (tags, update) => mutation((store) => store.updateTagged(tags, update)),
    delete: (id) => mutation((store) => store.delete(id)),
    byTag: (tags) => later((store) => store.byTag(tags)),
    list: (layer) => later((store) => store.list(layer)),
    clear: (layer) => mutation((store) => store.clear(layer)),
    retainDeployments: (layer, keep) => mutation((store) => store.retainDeployments(layer, keep)),
  };
}

/** A fresh copy for each caller, as the opened store gives (callers may not change the record). */
function toMeta<R>(entry: PersistedEntry): EntryMeta<R> {
  const { bodyUrl: _bodyUrl, ...meta } = entry;
  return { ...meta, tags: [...meta.tags] } as EntryMeta<R>;
}
