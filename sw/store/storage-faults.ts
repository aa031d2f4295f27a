/**
 * Test-only fault injection BELOW the store: wrappers over the real IndexedDB factory and Cache
 * Storage (the store's `indexedDB` / `caches` option seams) that throw where an armed rule says so.
 * The worker installs them only with its `testHooks=1` knob, so fault tests exercise the store's own
 * handling (evict + retry on quota, AbortError-wrapped quota, memory fallback, healing) inside the
 * real worker. With nothing armed every call goes straight through.
 */

export type FaultTarget = 'indexedDB' | 'caches';
export type FaultPoint = 'open' | 'read' | 'write';
/**
 * `error`: UnknownError; `quota`: QuotaExceededError; `abort-quota`: an AbortError wrapping one (Dexie,
 * C5); `slow`: the call succeeds SLOW_MS late (Cache Storage only: storage on a loaded machine losing a
 * race with the network).
 */
export type FaultKind = 'error' | 'quota' | 'abort-quota' | 'slow';

const SLOW_MS = 200;

export interface FaultRule {
  target: FaultTarget;
  on: FaultPoint;
  kind: FaultKind;
  /** How many matching calls fail or are slowed (then the rule is spent). */
  times: number;
}

export interface StorageFaults {
  indexedDB: IDBFactory;
  caches: CacheStorage;
  /** Replaces the armed rules. */
  arm(rules: readonly FaultRule[]): void;
  /** How many calls failed so far (every rule). */
  injected(): number;
}

/** Why `rules` is not a valid list of FaultRule (for message validation), or undefined. */
export function checkFaultRules(rules: unknown): string | undefined {
  if (!Array.isArray(rules)) return 'rules must be an array';
  for (const rule of rules as Partial<FaultRule>[]) {
    if (typeof rule !== 'object' || rule === null) return 'each rule must be an object';
    if (rule.target !== 'indexedDB' && rule.target !== 'caches') return 'rule.target must be indexedDB or caches';
    if (rule.on !== 'open' && rule.on !== 'read' && rule.on !== 'write') return 'rule.on must be open, read or write';
    if (rule.kind !== 'error' && rule.kind !== 'quota' && rule.kind !== 'abort-quota' && rule.kind !== 'slow') return 'rule.kind must be error, quota, abort-quota or slow';
    if (rule.kind === 'slow' && rule.target !== 'caches') return 'slow applies to caches only';
    if (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 0) return 'rule.times must be a whole number ≥ 0';
  }
  return undefined;
}

/**
 * Rules from a script-URL knob, for faults that must be armed before the worker opens its store:
 * `testFaults=indexedDB.open.error.1,caches.write.quota.2` (target.on.kind.times). Malformed items
 * are skipped (a test knob never breaks the worker).
 */
export function parseFaultQuery(raw: string | null): FaultRule[] {
  if (!raw) return [];
  return raw.split(',').flatMap((item) => {
    const [target, on, kind, times] = item.trim().split('.');
    const rule = { target, on, kind, times: Number(times) };
    return checkFaultRules([rule]) === undefined ? [rule as FaultRule] : [];
  });
}

function errorOf(kind: FaultKind): Error {
  const quota = () => new DOMException('The quota has been exceeded (injected).', 'QuotaExceededError');
  if (kind === 'quota') return quota();
  if (kind === 'abort-quota') return Object.assign(new Error('Transaction aborted (injected)'), { name: 'AbortError', inner: quota() });
  return new DOMException('Injected storage failure.', 'UnknownError');
}

export function createStorageFaults(realIndexedDB: IDBFactory, realCaches: CacheStorage): StorageFaults {
  let rules: FaultRule[] = [];
  let count = 0;
  const armed = (target: FaultTarget, on: FaultPoint, slow: boolean) => {
    const rule = rules.find((r) => r.target === target && r.on === on && r.times > 0 && (r.kind === 'slow') === slow);
    if (!rule) return undefined;
    rule.times--;
    count++;
    return rule;
  };
  const check = (target: FaultTarget, on: FaultPoint) => {
    const rule = armed(target, on, false);
    if (rule) throw errorOf(rule.kind);
  };
  /** Cache Storage calls are async: they may also be slowed before they fail or go through. */
  const checkCaches = async (on: FaultPoint) => {
    if (armed('caches', on, true)) await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    check('caches', on);
  };

  const patchDb = (db: IDBDatabase) => {
    const transaction = db.transaction.bind(db);
    db.transaction = ((names: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) => {
      check('indexedDB', mode === 'readwrite' ? 'write' : 'read');
      return transaction(names, mode, options);
    }) as IDBDatabase['transaction'];
  };
  const indexedDB = {
    open(name: string, version?: number) {
      check('indexedDB', 'open');
      const request = realIndexedDB.open(name, version);
      // Registered before the store's own listener, so the store only ever sees the patched connection.
      request.addEventListener('success', () => patchDb(request.result));
      return request;
    },
    deleteDatabase: (name: string) => realIndexedDB.deleteDatabase(name),
    cmp: (a: unknown, b: unknown) => realIndexedDB.cmp(a, b),
    databases: () => realIndexedDB.databases(),
  };

  const wrapCache = (cache: Cache): Cache =>
    ({
      put: async (request: RequestInfo | URL, response: Response) => {
        await checkCaches('write');
        return cache.put(request, response);
      },
      match: async (request: RequestInfo | URL, options?: CacheQueryOptions) => {
        await checkCaches('read');
        return cache.match(request, options);
      },
      delete: (request: RequestInfo | URL, options?: CacheQueryOptions) => cache.delete(request, options),
      keys: async (request?: RequestInfo | URL, options?: CacheQueryOptions) => {
        check('caches', 'read');
        return cache.keys(request, options);
      },
    }) as Cache;
  const caches = {
    open: async (name: string) => {
      check('caches', 'open');
      return wrapCache(await realCaches.open(name));
    },
    match: async (request: RequestInfo | URL, options?: MultiCacheQueryOptions) => {
      await checkCaches('read'); // a body read by cache name (body-cache.ts) is slowed like one through a Cache
      return realCaches.match(request, options);
    },
    has: (name: string) => realCaches.has(name),
    delete: (name: string) => realCaches.delete(name),
    keys: () => realCaches.keys(),
  };

  return {
    indexedDB,
    caches,
    arm: (next) => {
      rules = next.map((rule) => ({ ...rule }));
    },
    injected: () => count,
  };
}
