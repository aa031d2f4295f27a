/**
 * The page ↔ worker protocol (types only). Messages only coordinate (purge, inspect, clock, visitor
 * location); data lives in IndexedDB (architecture.md "Boundaries"). Every request is answered on the
 * MessagePort transferred with it; decision records stream on a BroadcastChannel so every tab that
 * listens sees them, whichever worker instance served the request.
 */

export type LayerName = 'browser' | 'cdn' | 'edge';
export type WorkerProfile = 'vercel' | 'rfc9111';

/** Name of the BroadcastChannel carrying DecisionMessage values from the worker (types only: each side
 *  writes the literal, and the type checks it matches). */
export type DecisionChannelName = 'tiercache:decisions';
/** Marker on every message of this protocol, so foreign messages are ignored. */
export type ProtocolTag = 'tiercache/1';

export interface ConfigIssue {
  param: string;
  value: string;
  message: string;
}

export interface WorkerConfig {
  /** Page side first. */
  layers: LayerName[];
  profile: WorkerProfile;
  deployment: string;
  staticPrefix: string;
  include: string[];
  /** Other origins whose CORS requests go through the layers too (default none). */
  crossOrigins: string[];
  budgetBytes: number | undefined;
  /** Revalidations (foreground and background) are abandoned after this long (ms): a hung origin. */
  upstreamTimeoutMs: number;
  storeName: string;
  /** `testHooks=1`: accept the injectStorageFault command (fault-injection tests only). */
  testHooks: boolean;
  scriptPath: string;
  issues: ConfigIssue[];
}

/** Simulated visitor location the edge turns into x-vercel-ip-* request headers (all optional). */
export interface VisitorLocation {
  country?: string;
  countryRegion?: string;
  city?: string;
  latitude?: string;
  longitude?: string;
  postalCode?: string;
  /** Vercel region id used in x-vercel-id, e.g. `fra1` (default `dev1`). */
  region?: string;
  ipAddress?: string;
}

export type WorkerCommand =
  | { op: 'ping' }
  | { op: 'purgeAll' }
  | { op: 'invalidateByTag'; tags: string[] }
  | { op: 'dangerouslyDeleteByTag'; tags: string[]; revalidationDeadlineSeconds: number }
  | { op: 'inspect' }
  | { op: 'setClockOffset'; ms: number }
  | { op: 'setVisitorLocation'; location: VisitorLocation | null }
  | { op: 'injectStorageFault'; failNext: number; operations?: StorageOperation[] }
  | { op: 'injectBackendFault'; rules: BackendFaultRule[] };

/** A fault below the HTTP store (sw/store storage-faults.ts FaultRule; testHooks=1 only). */
export interface BackendFaultRule {
  target: 'indexedDB' | 'caches';
  on: 'open' | 'read' | 'write';
  kind: 'error' | 'quota' | 'abort-quota';
  /** How many matching calls fail. */
  times: number;
}

/** HTTP-store operations a fault-injection test can make fail. */
export type StorageOperation = 'get' | 'put' | 'variants' | 'updateMeta' | 'delete';

export interface PurgeResult {
  /** Entries affected per layer. */
  entries: number;
}

export interface WorkerResults {
  ping: { scriptURL: string };
  purgeAll: PurgeResult;
  invalidateByTag: PurgeResult;
  dangerouslyDeleteByTag: PurgeResult;
  inspect: InspectResult;
  setClockOffset: { clockOffsetMs: number };
  setVisitorLocation: { location: VisitorLocation | null };
  injectStorageFault: { failNext: number };
  /** Calls failed by backend faults so far. */
  injectBackendFault: { injected: number };
}

export interface CommandMessage {
  tag: ProtocolTag;
  id: string;
  command: WorkerCommand;
}

export type ReplyMessage =
  | { tag: ProtocolTag; id: string; ok: true; result: unknown }
  | { tag: ProtocolTag; id: string; ok: false; error: { code: string; message: string } };

export interface InspectEntry {
  layer: LayerName;
  /** Cache key without the Vary part. */
  key: string;
  /** The Vary-selected request header values of this variant (`{}` when the response has no Vary). */
  variant: Record<string, string>;
  url: string;
  status: 'fresh' | 'stale';
  /** Seconds. */
  age: number;
  /** Freshness lifetime in seconds. */
  ttl: number;
  staleWhileRevalidate: number;
  staleIfError: number;
  tags: string[];
  size: number;
  deployment: string;
  /** Tag purge marks (R78/R79), when any. */
  invalidated: boolean;
  deleteAt: number | undefined;
}

export interface InspectResult {
  config: WorkerConfig;
  clockOffsetMs: number;
  /** Worker clock (ms, offset included). */
  now: number;
  visitor: VisitorLocation | null;
  entries: InspectEntry[];
}

export type LayerOutcome = 'hit' | 'stale' | 'miss' | 'revalidated' | 'bypass' | 'error';

export interface LayerDecision {
  layer: LayerName;
  outcome: LayerOutcome;
  /** Machine-readable reason from the policy engine (e.g. `cold`, `collapsed`, `stale_time`, `not_storable:private`). */
  reason: string;
  /** Whether this layer forwarded the request towards the origin. */
  forwarded: boolean;
  /** Whether this layer stored (or freshened) the response. */
  stored: boolean;
}

export interface DecisionRecord {
  url: string;
  method: string;
  at: number;
  status: number;
  /** Page side first, only the layers the request went through. */
  layers: LayerDecision[];
  originContacted: boolean;
  cacheStatus: string;
  xVercelCache: string | undefined;
  error: string | undefined;
}

export interface DecisionMessage {
  tag: ProtocolTag;
  kind: 'decision';
  record: DecisionRecord;
}

/** A storage or policy failure the worker absorbed (the request itself was still answered). */
export interface WorkerErrorReport {
  name: string;
  message: string;
  /** StoreError / TierCacheError code when there is one. */
  code: string | undefined;
  at: number;
}

/** Sent on the same channel as decisions. */
export interface ErrorMessage {
  tag: ProtocolTag;
  kind: 'error';
  error: WorkerErrorReport;
}
