import { readLimited } from './body-stream';
import { EntryIndex, type Slot } from './entry-index';
import { LayeredStore, type StoreBackend } from './layered-store';
import { resolveStoreOptions, type ResolvedStoreOptions } from './store-options';
import type { BodySource, HttpStore, StoreOptions } from './types';

/**
 * The reference implementation: bodies and metadata in memory, nothing persisted. Also the fallback
 * when IndexedDB or Cache Storage cannot be opened (user-needs C5: private modes without storage).
 * Same budget and LRU rules as the persistent store, since both run on LayeredStore.
 */
export function createMemoryStore<R = unknown>(options?: StoreOptions): HttpStore<R> {
  return createMemoryStoreFrom<R>(resolveStoreOptions(options));
}

/** The memory store for options already resolved (the persistent store's fallback). */
export function createMemoryStoreFrom<R>(resolved: ResolvedStoreOptions): HttpStore<R> {
  return new LayeredStore<R, ArrayBuffer>({
    backend: memoryBackend<R>(),
    index: new EntryIndex<R, ArrayBuffer>(),
    budgets: resolved.budgets,
    now: resolved.now,
    onError: resolved.onError,
  });
}

/** Bodies are copied in and out, as Cache Storage would: callers may reuse or transfer their buffers. */
function memoryBackend<R>(): StoreBackend<R, ArrayBuffer> {
  return {
    writeBody: async (_meta, body: BodySource, maxBytes: number) => {
      const bytes = body instanceof ArrayBuffer ? body.slice(0) : await readLimited(body, maxBytes);
      return { body: bytes, size: bytes.byteLength };
    },
    readBody: (slot: Slot<R, ArrayBuffer>) => Promise.resolve(slot.body.slice(0)),
    openBody: (slot: Slot<R, ArrayBuffer>) => Promise.resolve(new Blob([slot.body])), // a Blob snapshots its parts
    commit: () => Promise.resolve(),
    dropBodies: () => Promise.resolve(),
  };
}
