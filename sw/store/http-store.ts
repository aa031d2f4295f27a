import { BodyCache } from './body-cache';
import type { PersistedEntry } from './db';
import { EntryIndex, type Slot } from './entry-index';
import { planHealing } from './heal';
import { withHotBodies } from './hot-bodies';
import { LayeredStore, type StoreBackend } from './layered-store';
import { withEarlyReads } from './early-reads';
import { createMemoryStoreFrom } from './memory-store';
import { MetaTable } from './meta-table';
import { StoreError, toStoreError } from './store-error';
import { resolveStoreOptions, type ResolvedStoreOptions } from './store-options';
import { LAYER_NAMES, type EntryMeta, type HttpStore, type LayerName, type StoreOptions } from './types';

/**
 * Opens the persistent HTTP store: metadata in IndexedDB (mirrored in memory, so the hit path reads
 * only the body), bodies in Cache Storage. On open it heals what a killed worker left behind and
 * trims each layer to its budget. It never rejects and never hangs because of storage: if IndexedDB
 * or Cache Storage is missing, throws, or the open is blocked past `openTimeoutMs`, the failure goes
 * to `onError` and an in-memory store serves this run (user-needs C3, C5).
 * Only bad options reject (TierCacheError 'invalid-options').
 */
export async function openHttpStore<R = unknown>(options?: StoreOptions): Promise<HttpStore<R>> {
  const resolved = resolveStoreOptions(options);
  try {
    return await openPersistent<R>(resolved);
  } catch (error) {
    resolved.onError(toStoreError(error, 'The HTTP store keeps entries in memory for this run.'));
    return createMemoryStoreFrom<R>(resolved);
  }
}

/**
 * As openHttpStore, but the store is returned at once: while it opens, a lookup is answered by a point
 * read of its key's records and of the body (early-reads.ts), so a cold start's first hit does not wait
 * for every body to be listed and every record loaded (issue 14). Writes and purges wait for the open.
 */
export function openHttpStoreEarly<R = unknown>(options?: StoreOptions): HttpStore<R> {
  // Without storage to read early (bad options, IndexedDB or Cache Storage missing) every operation
  // waits for openHttpStore, as it would without this wrapper: its error or its in-memory fallback.
  const withoutPointReads = () => withEarlyReads(() => openHttpStore<R>(options), { variants: unavailable, body: unavailable }, EARLY);
  let resolved: ResolvedStoreOptions;
  try {
    resolved = resolveStoreOptions(options);
  } catch {
    return withoutPointReads();
  }
  const { indexedDB: factory, caches } = resolved;
  if (!factory || !caches) return withoutPointReads();
  const storage = storageOf(resolved, factory, caches);
  storage.table.connect().catch(() => undefined); // at once: the first lookup needs it (a failure is retried and reported by the open)
  const open = () =>
    openPersistent<R>(resolved, storage).catch((error: unknown) => {
      resolved.onError(toStoreError(error, 'The HTTP store keeps entries in memory for this run.'));
      return createMemoryStoreFrom<R>(resolved);
    });
  return withEarlyReads(open, {
    variants: (primaryKey) => storage.table.variantsOf(primaryKey),
    body: (layer, url) => storage.bodies.blob(layer, url),
  }, EARLY);
}

/** Lookups of a burst (a page load) are point reads; the full open follows once they are quiet. */
const EARLY = { quietMs: 50, latestMs: 1000 };

interface Storage {
  table: MetaTable;
  bodies: BodyCache;
}

function storageOf(options: ResolvedStoreOptions, factory: IDBFactory, caches: CacheStorage): Storage {
  return {
    table: new MetaTable({ factory, name: options.dbName, timeoutMs: options.openTimeoutMs }),
    bodies: new BodyCache({ caches, prefix: options.cachePrefix }),
  };
}

function unavailable(): Promise<never> {
  return Promise.reject(new StoreError('storage-unavailable', 'IndexedDB or Cache Storage is missing.'));
}

async function openPersistent<R>(options: ResolvedStoreOptions, storage?: Storage): Promise<HttpStore<R>> {
  const { indexedDB: factory, caches } = options;
  if (!factory || !caches) throw new StoreError('storage-unavailable', 'IndexedDB or Cache Storage is missing.');
  const { table, bodies } = storage ?? storageOf(options, factory, caches);
  // The bodies are listed while the metadata is read (a cold start's first request waits for both; one
  // after the other cost it ~1 ms, bench/README.md). Nothing of this store is written before both are
  // done, so neither can miss a write of this run. A worker being replaced may still write meanwhile:
  // its new body is then at worst taken for an orphan or its metadata for one without a body, and
  // dropped, never served with another entry's metadata (a body URL is never reused).
  const [urls, loaded] = await Promise.all([Promise.all(LAYER_NAMES.map((layer) => bodies.urls(layer))), table.loadAll()]);
  const plan = planHealing(loaded, Object.fromEntries(LAYER_NAMES.map((l, i) => [l, urls[i] ?? []])) as Record<LayerName, string[]>);

  const index = new EntryIndex<R, string>();
  // Oldest use first, so the index's recency order matches the persisted lastUsed.
  for (const entry of plan.keep.sort((a, b) => a.lastUsed - b.lastUsed)) index.set(toSlot<R>(entry));
  // A budget lowered since the last run is enforced now, least recently used first.
  const overBudget = LAYER_NAMES.flatMap((l) => index.leastRecent(l, index.bytesOf(l) - options.budgets[l]));
  for (const slot of overBudget) index.remove(slot.meta.id);

  await table.apply([], [...plan.dropMeta, ...overBudget.map((slot) => slot.meta.id)]);
  await bodies.drop([...plan.dropBodies, ...overBudget.map((slot) => ({ layer: slot.meta.layer, url: slot.body }))]);
  if (plan.corrupt > 0) options.onError(new StoreError('corrupt-entry', `${plan.corrupt} malformed record(s) removed on open.`));

  const backend = persistentBackend<R>(table, bodies);
  return new LayeredStore<R, string>({
    backend: options.hot ? withHotBodies(backend, options.hot) : backend,
    index,
    budgets: options.budgets,
    now: options.now,
    onError: options.onError,
  });
}

/** Slots reference their body by its Cache Storage URL. */
function persistentBackend<R>(table: MetaTable, bodies: BodyCache): StoreBackend<R, string> {
  return {
    writeBody: async (meta, body, maxBytes) => {
      const { url, size } = await bodies.write(meta.layer, body, maxBytes);
      return { body: url, size };
    },
    readBody: (slot) => bodies.read(slot.meta.layer, slot.body),
    openBody: (slot) => bodies.blob(slot.meta.layer, slot.body),
    commit: ({ put = [], remove = [] }) =>
      table.apply(
        put.map((slot) => ({ ...slot.meta, bodyUrl: slot.body })),
        remove.map((slot) => slot.meta.id),
      ),
    dropBodies: (slots) => bodies.drop(slots.map((slot) => ({ layer: slot.meta.layer, url: slot.body }))),
  };
}

function toSlot<R>(entry: PersistedEntry): Slot<R, string> {
  const { bodyUrl, ...meta } = entry;
  return { meta: meta as EntryMeta<R>, body: bodyUrl };
}
