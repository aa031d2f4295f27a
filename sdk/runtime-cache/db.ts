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
 * Schema 2. `entries` is keyed out of line by slotKey() = id + k, one string: unambiguous (R95) and the
 * cheapest key for a cold get. `tags` holds `{ tag, seq }` marks (entries written before `seq` are
 * expired), `meta` the write sequence `'seq'` shared by every context. Fixed stores (C3, C4).
 */
export const SCHEMA_VERSION = 2;

function createEntries(db: IDBDatabase): IDBObjectStore {
  const entries = db.createObjectStore(ENTRIES);
  entries.createIndex('tags', 'tags', { multiEntry: true }); // background sweeps of expired tags
  entries.createIndex('exp', 'exp'); // TTL sweeps without a full scan; entries without exp are not indexed
  entries.createIndex('lru', ['at', 'b']); // [last use, size]: R119 and quota eviction read index keys only
  return entries;
}

/**
 * Schema 1 keyed `entries` by [k, id] (a cold get cost ~1.25x a string-key get): its records move, in
 * the upgrade transaction, to the schema-2 store under id + k, without `id`, with their size `b`.
 */
function fromSchema1(db: IDBDatabase, tx: IDBTransaction): void {
  const old = tx.objectStore(ENTRIES);
  old.name = 'entries-1';
  const entries = createEntries(db);
  const cursor = old.openCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (!at) return db.deleteObjectStore(old.name);
    const { id, ...record } = at.value as { id: string; k: string; json: string };
    entries.put({ ...record, b: record.json.length }, id + record.k);
    at.continue();
  };
}

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
      reject(new RuntimeCacheFailure('blocked', `${options.name}: open over ${options.deadlineMs} ms`));
    }, options.deadlineMs);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion === 1) fromSchema1(db, request.transaction as IDBTransaction);
      if (event.oldVersion) return; // tests play newer deployments with higher versions of schema 2
      createEntries(db);
      db.createObjectStore(TAGS, { keyPath: 'tag' });
      db.createObjectStore(META);
    };
    request.onblocked = () => options.onBlocked();
    request.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      reject(request.error!); // set whenever an error event fires
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
      // C3: make way for a newer schema instead of blocking it; closed by the browser (storage cleared,
      // backgrounded Safari): reopen on next use.
      db.onversionchange = db.onclose = gone;
      resolve(db);
    };
  });
}
