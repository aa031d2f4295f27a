// Fault injection through the store's `indexedDB` / `caches` option seams: thin wrappers over the real
// Chromium implementations that throw where a test says so. Everything not faulted is the real thing.

/** A fault: returns the error to throw for this call, or undefined to let the call through. */
export type Fault = () => Error | undefined;

/** Throws `error` on the first `times` calls, then lets calls through. */
export function failTimes(times: number, error: () => Error): Fault {
  let left = times;
  return () => (left-- > 0 ? error() : undefined);
}

export const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** How Dexie (and some Chromium paths) report quota: an AbortError whose inner error is the quota error. */
export const abortWrappingQuota = () =>
  Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quotaError() });

export interface CacheFaults {
  open?: Fault;
  put?: Fault;
  match?: Fault;
  keys?: Fault;
}

export function faultyCaches(faults: CacheFaults, real: CacheStorage = caches): CacheStorage {
  const check = (fault: Fault | undefined) => {
    const error = fault?.();
    if (error) throw error;
  };
  const wrapCache = (cache: Cache): Cache =>
    ({
      put: async (request: RequestInfo | URL, response: Response) => {
        check(faults.put);
        return cache.put(request, response);
      },
      match: async (request: RequestInfo | URL, options?: CacheQueryOptions) => {
        check(faults.match); // a read fails alike through caches.match and an opened Cache
        return cache.match(request, options);
      },
      delete: (request: RequestInfo | URL, options?: CacheQueryOptions) => cache.delete(request, options),
      keys: async (request?: RequestInfo | URL, options?: CacheQueryOptions) => {
        check(faults.keys);
        return cache.keys(request, options);
      },
    }) as Cache;
  return {
    open: async (name: string) => {
      check(faults.open);
      return wrapCache(await real.open(name));
    },
    match: async (request: RequestInfo | URL, options?: MultiCacheQueryOptions) => {
      check(faults.match);
      return real.match(request, options);
    },
    has: (name: string) => real.has(name),
    delete: (name: string) => real.delete(name),
    keys: () => real.keys(),
  };
}

export interface IndexedDBFaults {
  open?: Fault;
  /** Checked on every put/delete of a readwrite transaction. */
  write?: Fault;
  /** Checked when a read-only transaction is created. */
  read?: Fault;
  /** Added to the requested version: makes the store the "newer tab" whose upgrade an old connection blocks. */
  versionBump?: number;
}

export interface FaultyIndexedDB {
  factory: IDBFactory;
  /** Every connection opened through the factory (to close or terminate them under the store). */
  connections: IDBDatabase[];
}

export function faultyIndexedDB(faults: IndexedDBFaults, real: IDBFactory = indexedDB): FaultyIndexedDB {
  const connections: IDBDatabase[] = [];
  const checkWrite = () => {
    const error = faults.write?.();
    if (error) throw error;
  };
  const patchStore = (store: IDBObjectStore) => {
    const put = store.put.bind(store);
    const remove = store.delete.bind(store);
    store.put = (value: unknown, key?: IDBValidKey) => (checkWrite(), put(value, key));
    store.delete = (query: IDBValidKey | IDBKeyRange) => (checkWrite(), remove(query));
    return store;
  };
  const patchDb = (db: IDBDatabase) => {
    const transaction = db.transaction.bind(db);
    db.transaction = ((names: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) => {
      if (mode !== 'readwrite') {
        const error = faults.read?.();
        if (error) throw error;
      }
      const tx = transaction(names, mode, options);
      if (mode === 'readwrite') {
        const objectStore = tx.objectStore.bind(tx);
        tx.objectStore = (name: string) => patchStore(objectStore(name));
      }
      return tx;
    }) as IDBDatabase['transaction'];
  };
  const factory = {
    open(name: string, version?: number) {
      const error = faults.open?.();
      if (error) throw error;
      const request = real.open(name, version === undefined ? undefined : version + (faults.versionBump ?? 0));
      // Registered before the store's own listener, so the store only ever sees the patched connection.
      request.addEventListener('success', () => {
        connections.push(request.result);
        patchDb(request.result);
      });
      return request;
    },
    deleteDatabase: (name: string) => real.deleteDatabase(name),
    cmp: (a: unknown, b: unknown) => real.cmp(a, b),
    databases: () => real.databases(),
  };
  return { factory, connections };
}

/** Opens `name` at `version` with the raw API and keeps the connection (no versionchange handler). */
export function holdConnection(name: string, version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
}

/** Resolves with the outcome, or 'timed out' (a hang detector; not a performance assertion). */
export function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))]);
}

export async function bodyUrls(cacheName: string): Promise<string[]> {
  if (!(await caches.has(cacheName))) return [];
  return (await (await caches.open(cacheName)).keys()).map((request) => request.url).sort();
}
