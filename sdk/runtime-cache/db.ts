/**
 * The one module that opens the runtime-cache database and owns its schema (architecture: one schema
 * owner per database). Nothing here may hang: a blocked or stuck open is abandoned after a deadline
 * (user-needs C2, C3), and a connection asked to make way for a newer version closes at once.
 */
import { RuntimeCacheFailure } from './failure.ts';

export const ENTRIES = 'entries';
export const TAGS = 'tags';
export const META = 'meta';

/**
 * Numbered upgrades: step N turns a version-N database into version N+1. Keep the schema fixed; add a
 * step, never edit one (C3, C4: one database, fixed stores, namespaces live in the key).
 */
const upgrades: ((db: IDBDatabase) => void)[] = [
  (db) => {
    // R95: Vercel's key plus the (namespace, key) identity; a hash collision is a different slot.
    const entries = db.createObjectStore(ENTRIES, { keyPath: ['k', 'id'] });
    entries.createIndex('tags', 'tags', { multiEntry: true }); // background sweeps of expired tags
    entries.createIndex('exp', 'exp'); // TTL sweeps without a full scan; entries without exp are not indexed
    entries.createIndex('at', 'at'); // write time: the eviction order on quota errors
    db.createObjectStore(TAGS, { keyPath: 'tag' }); // { tag, seq }: entries written before seq are expired
    db.createObjectStore(META); // 'seq': the write sequence shared by every context
  },
];

export const SCHEMA_VERSION = upgrades.length;

export interface OpenOptions {
  name: string;
  factory: IDBFactory;
  /** How long an open may stay blocked or pending before it is abandoned. */
  deadlineMs: number;
  /** Called when the connection goes away (versionchange, or closed by the browser). */
  onGone: (db: IDBDatabase) => void;
  onBlocked: () => void;
  /** Tests use a higher version to play a newer deployment; the store always opens SCHEMA_VERSION. */
  version?: number;
}

export function openDatabase(options: OpenOptions): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let abandoned = false;
    const request = options.factory.open(options.name, options.version ?? SCHEMA_VERSION);
    const timer = setTimeout(() => {
      abandoned = true;
      reject(new RuntimeCacheFailure('blocked', `Opening IndexedDB "${options.name}" did not finish in ${options.deadlineMs} ms.`));
    }, options.deadlineMs);
    request.onupgradeneeded = (event) => {
      for (let step = event.oldVersion; step < upgrades.length; step++) upgrades[step]?.(request.result);
    };
    request.onblocked = () => options.onBlocked();
    request.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(request.error ?? new Error('IndexedDB open failed'));
    };
    request.onsuccess = () => {
      const db = request.result;
      clearTimeout(timer);
      // An open that completes after we gave up must not keep a connection that blocks other contexts.
      if (abandoned) return db.close();
      const gone = (): void => {
        db.close();
        options.onGone(db);
      };
      db.onversionchange = gone; // C3: make way for a newer schema instead of blocking it
      db.onclose = gone; // browser closed it (storage cleared, backgrounded Safari): reopen on next use
      resolve(db);
    };
  });
}
