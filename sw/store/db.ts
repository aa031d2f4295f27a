import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { StoreError, toStoreError } from './store-error';
import type { EntryMeta } from './types';

/**
 * The one owner of the HTTP-store database: its schema, its version and its upgrades
 * (architecture.md: each IndexedDB database has exactly one module that opens it).
 *
 * Schema v1: one object store `entries` keyed by entry id, holding the metadata plus the URL of the
 * body in Cache Storage. No indexes: the store answers every lookup (primary key, tag, layer, LRU)
 * from its in-memory mirror, loaded once with getAll() at open; before that, a lookup reads its key's
 * records by primary-key range (early-reads.ts).
 */
export const DB_VERSION = 1;
export const ENTRIES = 'entries';

/** The persisted form of an entry: its metadata and where its body lives in Cache Storage. */
export interface PersistedEntry extends EntryMeta<unknown> {
  bodyUrl: string;
}

export interface HttpStoreSchema extends DBSchema {
  entries: { key: string; value: PersistedEntry };
}

export type HttpStoreDb = IDBPDatabase<HttpStoreSchema>;

export interface OpenHttpStoreDbOptions {
  factory: IDBFactory;
  name: string;
  /** A blocked upgrade fires `blocked` once and then never settles (user-needs C3): give up after this. */
  timeoutMs: number;
  /** A newer version wants to upgrade: this connection has been closed so it can. */
  onBlocking: (db: HttpStoreDb) => void;
  /** The browser closed this connection abnormally (site data cleared, WebKit backgrounding). */
  onTerminated: (db: HttpStoreDb) => void;
}

/**
 * Opens the database through the given factory (the fault-injection seam), never hanging: the
 * promise rejects with StoreError('storage-blocked') after `timeoutMs`, and a connection that
 * arrives after that is closed at once so it blocks nobody.
 */
export function openHttpStoreDb(options: OpenHttpStoreDbOptions): Promise<HttpStoreDb> {
  return new Promise<HttpStoreDb>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new StoreError('storage-blocked', `Database "${options.name}" did not open within ${options.timeoutMs} ms.`)),
      options.timeoutMs,
    );
    let request: IDBOpenDBRequest;
    try {
      request = options.factory.open(options.name, DB_VERSION);
    } catch (error) {
      // Private modes have thrown synchronously here (user-needs C5).
      fail(toStoreError(error, 'indexedDB.open threw.'));
      return;
    }
    request.addEventListener('upgradeneeded', () => upgrade(request.result));
    request.addEventListener('error', () => fail(toStoreError(request.error, 'indexedDB.open failed.')));
    request.addEventListener('success', () => {
      const db = request.result;
      if (settled) {
        db.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      const wrapped = wrap(db) as unknown as HttpStoreDb;
      db.addEventListener('versionchange', () => {
        db.close();
        options.onBlocking(wrapped);
      });
      db.addEventListener('close', () => options.onTerminated(wrapped));
      resolve(wrapped);
    });
  });
}

/** Idempotent: creates what is missing, so a database left half-created is completed, not broken. */
function upgrade(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: 'id' });
}
