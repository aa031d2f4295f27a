import type { Slot } from './entry-index';
import type { EntryMeta } from './types';

/** A change to persisted metadata, applied atomically (one IndexedDB transaction). */
export interface MetaChange<R, B> {
  put?: readonly Slot<R, B>[];
  remove?: readonly Slot<R, B>[];
}

/**
 * Where a LayeredStore keeps bodies and (optionally) persists metadata. The in-memory backend holds
 * bodies as ArrayBuffers; the persistent one holds them in Cache Storage and metadata in IndexedDB.
 * Every method may reject with the raw platform error; LayeredStore decides what it means.
 */
export interface StoreBackend<R, B> {
  /** Writes the body (first: the metadata pointing to it is committed after, never before). */
  writeBody(meta: EntryMeta<R>, body: ArrayBuffer): Promise<Slot<R, B>>;
  /** The body, or undefined when it is gone (cleared externally, replaced concurrently). */
  readBody(slot: Slot<R, B>): Promise<ArrayBuffer | undefined>;
  /** Persists a metadata change; must not resolve before it is durable enough to survive a restart. */
  commit(change: MetaChange<R, B>): Promise<void>;
  /** Deletes bodies whose metadata is already gone (never the other way round). */
  dropBodies(slots: readonly Slot<R, B>[]): Promise<void>;
}
