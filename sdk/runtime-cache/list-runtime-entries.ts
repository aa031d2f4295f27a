/**
 * The runtime cache's stored entries, for inspection (the worker's inspect(), shown by the devtools):
 * namespace, key, tags, expiry, size and whether they still read. Kept off the getCache() path (this
 * module is imported by the worker only), so the SDK's size does not change. It opens the database through
 * its schema owner (db.ts), reads in one readonly transaction and closes again, so it never holds a
 * connection that could block another context's upgrade (user-needs C3). Never rejects.
 */
import type { RuntimeInspect } from '../protocol.ts';
import { defaultEnvironment, type RuntimeEnvironment } from './cache-options.ts';
import { openDatabase } from './db.ts';
import { asFailure, type RuntimeCacheFailure } from './failure.ts';
import { listEntries } from './idb-transactions.ts';
import { parseSlotKey } from './key-transform.ts';
import { databaseName } from './store-registry.ts';

/** Enough for a page of rows; a devtools panel asks once a second. */
const LIMIT = 500;

export interface ListRuntimeEntriesOptions {
  /** Defaults match getCache() and purgeRuntimeTags(): project `'default'`, environment from getEnv(). */
  projectId?: string;
  environment?: RuntimeEnvironment;
  onError?: (failure: RuntimeCacheFailure) => void;
}

export async function listRuntimeEntries(options: ListRuntimeEntriesOptions = {}): Promise<RuntimeInspect> {
  const database = databaseName({ projectId: options.projectId ?? 'default', environment: options.environment ?? defaultEnvironment() });
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) return { database, entries: [], total: 0 };
  let db: IDBDatabase | undefined;
  try {
    db = await openDatabase({ name: database, factory, deadlineMs: 2000, onBlocked: () => undefined, onGone: () => undefined });
    const { entries, total } = await listEntries(db, LIMIT);
    const now = Date.now(); // getCache()'s default clock
    return {
      database,
      total,
      entries: entries.map(({ slot, record, tagExpired }) => {
        const pair = parseSlotKey(slot);
        const expired = record.exp !== undefined && now > record.exp; // R101
        return {
          namespace: pair?.namespace ?? '',
          key: pair?.key ?? slot,
          storedKey: record.k,
          tags: record.tags,
          expiresAt: record.exp,
          status: expired ? 'expired' : tagExpired ? 'tag-expired' : 'live',
          size: record.b,
        };
      }),
    };
  } catch (error) {
    (options.onError ?? ((failure) => console.error(failure)))(asFailure(error));
    return { database, entries: [], total: 0 };
  } finally {
    db?.close();
  }
}
