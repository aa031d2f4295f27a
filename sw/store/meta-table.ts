import { ENTRIES, openHttpStoreDb, type HttpStoreDb, type PersistedEntry } from './db';

export interface MetaTableOptions {
  factory: IDBFactory;
  name: string;
  timeoutMs: number;
}

export interface LoadedEntries {
  /** Primary keys, in the same order as `values` (so malformed records can still be deleted). */
  keys: string[];
  values: unknown[];
}

/**
 * The persisted metadata: one lazily (re)opened connection and short, self-contained transactions.
 * - Each write is one readwrite transaction with durability 'relaxed' (cache data; user-needs C6),
 *   built synchronously with no foreign await inside it (user-needs C1).
 * - `blocking` (another context upgrades) closes the connection; `terminated` and a connection found
 *   closing (InvalidStateError: WebKit backgrounding, user-needs C2) are reopened on the next write,
 *   which is retried once on a fresh connection.
 */
export class MetaTable {
  private connection: Promise<HttpStoreDb> | undefined;
  /** The open connection, once `connection` resolved (checked synchronously by `forget`). */
  private connected: HttpStoreDb | undefined;

  constructor(private readonly options: MetaTableOptions) {}

  async loadAll(): Promise<LoadedEntries> {
    return this.withConnection(async (db) => {
      const tx = db.transaction(ENTRIES, 'readonly');
      const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll(), tx.done]);
      return { keys, values };
    });
  }

  /**
   * The records whose id is `primaryKey` or `primaryKey` followed by a variant's JSON part (ids are
   * built so: sw/policy `variantKey`): a cold start's first lookup, one transaction, before the whole
   * table is loaded. Two key ranges, not a prefix range: a key that is a prefix of others ("/" of
   * "/a") reads only its own records. The caller checks each record's primaryKey.
   */
  async variantsOf(primaryKey: string): Promise<unknown[]> {
    return this.withConnection(async (db) => {
      const tx = db.transaction(ENTRIES, 'readonly');
      // '[' opens the JSON array of a variant id; '\\' is the code unit after it.
      const [plain, varied] = await Promise.all([
        tx.store.getAll(IDBKeyRange.only(primaryKey)),
        tx.store.getAll(IDBKeyRange.bound(`${primaryKey}[`, `${primaryKey}\\`, false, true)),
        tx.done,
      ]);
      return [...plain, ...varied];
    });
  }

  /** Deletes `remove` and writes `put` atomically. */
  async apply(put: readonly PersistedEntry[], remove: readonly string[]): Promise<void> {
    if (put.length === 0 && remove.length === 0) return;
    await this.withConnection(async (db) => {
      const tx = db.transaction(ENTRIES, 'readwrite', { durability: 'relaxed' });
      const requests: Promise<unknown>[] = [];
      try {
        for (const id of remove) requests.push(tx.store.delete(id));
        for (const entry of put) requests.push(tx.store.put(entry));
      } catch (error) {
        // All or nothing: a request that throws aborts the whole change, and every pending promise
        // is observed so the abort does not surface as an unhandled rejection.
        void Promise.allSettled([...requests, tx.done]);
        tx.abort();
        throw error;
      }
      await Promise.all([...requests, tx.done]);
    });
  }

  private async withConnection<T>(operation: (db: HttpStoreDb) => Promise<T>): Promise<T> {
    const db = await this.connect();
    try {
      return await operation(db);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      this.forget(db);
      return operation(await this.connect());
    }
  }

  /** The connection, opened once (reopened after it was lost). */
  connect(): Promise<HttpStoreDb> {
    if (this.connection) return this.connection;
    const opening = openHttpStoreDb({
      factory: this.options.factory,
      name: this.options.name,
      timeoutMs: this.options.timeoutMs,
      onBlocking: (db) => this.forget(db),
      onTerminated: (db) => this.forget(db),
    }).then(
      (db) => (this.connected = db),
      (error: unknown) => {
        // A failed open is not remembered: the next operation tries again.
        if (this.connection === opening) this.connection = undefined;
        throw error;
      },
    );
    this.connection = opening;
    return opening;
  }

  private forget(db: HttpStoreDb): void {
    db.close();
    if (this.connected !== db) return;
    this.connected = undefined;
    this.connection = undefined;
  }
}

/** The connection was closed under us: "The database connection is closing", "Connection lost". */
function isConnectionLost(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'InvalidStateError' || name === 'UnknownError';
}
