/**
 * The HTTP entry store contract shared by the worker's layers and the two store implementations
 * (see /work/team/STORE-CONTRACT.md). Everything here is structured-clone safe data.
 */
export type LayerName = 'browser' | 'cdn' | 'edge';

export const LAYER_NAMES: readonly LayerName[] = ['browser', 'cdn', 'edge'];

/** Everything about one stored response variant except its body. Structured-clone safe. */
export interface EntryMeta<R = unknown> {
  /** Unique per stored variant (the worker builds it: layer + cache key + variant key). */
  id: string;
  layer: LayerName;
  /** Cache key WITHOUT the Vary part: all variants of one resource share it. */
  primaryKey: string;
  /** Absolute request URL (informational; bodies are NOT looked up by it). */
  url: string;
  /** Vercel-Cache-Tag tags (edge), indexed for purges. */
  tags: string[];
  /** Deployment id that stored it (edge keys are deployment-scoped, R50). */
  deployment: string;
  /** Body bytes; the store sets it from the body it writes. */
  size: number;
  /** ms */
  storedAt: number;
  /** ms, LRU recency; the store updates it on get. */
  lastUsed: number;
  /** The policy engine's stored-response record; opaque to the store and treated as immutable. */
  record: R;
}

export interface StoredResponse<R = unknown> {
  meta: EntryMeta<R>;
  body: ArrayBuffer;
}

/** The body to serve: a Blob when it comes from Cache Storage (a handle to the stored bytes, nothing is
 *  copied, `new Response(blob)` streams them: performance.md), or the bytes the hot tier holds in
 *  memory (read-only: hand them to `new Response()`, which copies them). */
export interface StoredBody<R = unknown> {
  meta: EntryMeta<R>;
  body: Blob | ArrayBuffer;
}

export type NewEntry<R = unknown> = Omit<EntryMeta<R>, 'size' | 'lastUsed'>;

/**
 * A body to store: bytes at hand, or a stream the store reads to its end as it arrives (a response
 * passing through a layer is stored while the page reads it, never held whole).
 */
export type BodySource = ArrayBuffer | ReadableStream<Uint8Array>;

export interface PutOptions {
  /** The most body bytes this entry may have (the edge's R40 limit). A larger body is not stored:
   *  put() rejects with StoreError `entry-too-large`, and a stream is cancelled as soon as it passes
   *  the limit (the layer's own budget applies as well). */
  maxBytes?: number;
}

export interface HttpStore<R = unknown> {
  /** Metadata of every variant stored under primaryKey (served from memory: no IDB read on the hit path). */
  variants(primaryKey: string): Promise<EntryMeta<R>[]>;
  /** Body + metadata, or undefined. Never returns a body without its matching metadata. Updates lastUsed. */
  get(id: string): Promise<StoredResponse<R> | undefined>;
  /** As get(), with the same guarantees, but the body is not read or copied (the serve path). */
  getBody(id: string): Promise<StoredBody<R> | undefined>;
  /**
   * Stores (replacing a same-id entry), enforces the layer's byte budget by LRU eviction, evicts +
   * retries once on QuotaExceededError (also wrapped in AbortError), else throws a StoreError.
   * A streamed body is written atomically: the metadata is committed only once the whole body is in
   * the body store; a stream that errors, is cancelled or grows past the budget or `maxBytes` leaves
   * nothing behind (a quota error then evicts, but cannot retry: the stream is spent). While a stream
   * is being written, other operations are not held up; a delete, clear, retainDeployments or put
   * called meanwhile that covers the entry wins (the streamed write then stores nothing).
   */
  put(meta: NewEntry<R>, body: BodySource, options?: PutOptions): Promise<void>;
  /** Replaces only the metadata (304 freshen, tag marks) with `update`'s answer, given the current
   *  metadata (undefined: the entry is left as it is). No-op if the id is gone. */
  updateMeta(id: string, update: (meta: EntryMeta<R>) => EntryMeta<R> | undefined): Promise<void>;
  /**
   * A tag purge's marks: replaces the metadata of every entry carrying any of the tags (`'*'`: every
   * entry) with `update`'s answer (undefined: the entry is left as it is), after the mutations called
   * before it, and of every streamed put still being written that carries one: that entry is then
   * committed with the updated metadata. So it never waits for a body still arriving, and no entry
   * begun before it escapes it. An entry whose new metadata cannot be saved is dropped and reported
   * to onError (a mark is never lost). Resolves with the number of entries updated.
   */
  updateTagged(tags: readonly string[] | '*', update: (meta: EntryMeta<R>) => EntryMeta<R> | undefined): Promise<number>;
  delete(id: string): Promise<void>;
  /** Metadata of entries carrying any of the tags (tags matched exactly). */
  byTag(tags: readonly string[]): Promise<EntryMeta<R>[]>;
  /** All metadata (for inspect()), optionally one layer. */
  list(layer?: LayerName): Promise<EntryMeta<R>[]>;
  /** Removes every entry (of one layer, or all); used by purgeAll(). */
  clear(layer?: LayerName): Promise<void>;
  /** Removes entries whose deployment is not in `keep` (edge keys are deployment-scoped, R50). */
  retainDeployments(layer: LayerName, keep: readonly string[]): Promise<void>;
}

export interface StoreOptions {
  /** Per-layer byte budget for bodies; LRU eviction beyond it. Default 50 MiB per layer. */
  budgetBytes?: Partial<Record<LayerName, number>>;
  now?: () => number;
  /** Failures no caller sees (open, healing, background recency writes). Operation failures throw. */
  onError?: (error: unknown) => void;
  /** Names, for test isolation: IndexedDB database name and Cache Storage cache-name prefix. */
  dbName?: string;
  cachePrefix?: string;
  /** Injection seams for fault tests (default globalThis.indexedDB / globalThis.caches). */
  indexedDB?: IDBFactory;
  caches?: CacheStorage;
  /** How long opening the database may take (a blocked upgrade never settles) before falling back
   *  to memory. Default 3000 ms. */
  openTimeoutMs?: number;
  /** The hot tier (sw/store/hot-bodies.ts): small bodies also held in memory, so hits read no Cache
   *  Storage. Off unless given (the worker turns it on). */
  hot?: { maxBytes: number; maxEntryBytes: number };
}
