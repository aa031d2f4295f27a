/**
 * The page ↔ worker protocol (types only). Messages only coordinate (purge, inspect, clock, visitor
 * location); data lives in IndexedDB (architecture.md "Boundaries"). Every request is answered on the
 * MessagePort transferred with it; decision records stream on a BroadcastChannel so every tab that
 * listens sees them, whichever worker instance served the request.
 */

import type { FeedMessage } from './feed-event.ts';

export type LayerName = 'browser' | 'cdn' | 'edge';
export type WorkerProfile = 'vercel' | 'rfc9111';

/** Name of the BroadcastChannel carrying DecisionMessage, ErrorMessage, ListeningMessage and
 *  WhoListensMessage values (types only: each side writes the literal, and the type checks it matches). */
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
  /** R48: a path prefix of static files (`staticPrefix`), or null when the build listed them (`staticFiles`). */
  staticPrefix: string | null;
  /** R48: the exact paths of the deployment's static files, from the build manifest (empty: none listed). */
  staticFiles: string[];
  /** R5: the route-config (vercel.json) header rules the edge applies under the origin's own headers. */
  headerRules: RouteHeaderRuleConfig[];
  include: string[];
  /** Other origins whose CORS requests go through the layers too (default none). */
  crossOrigins: string[];
  budgetBytes: number | undefined;
  /** The hot tier's byte bound (`hot=`): small bodies also held in the worker's memory; 0 turns it off. */
  hotBytes: number;
  /** Revalidations (foreground and background) are abandoned after this long (ms): a hung origin. */
  upstreamTimeoutMs: number;
  storeName: string;
  /** R24: the simulated region of the edge (`region=fra1`); part of the edge key. Undefined: no region. */
  region: string | undefined;
  /** The spec's flags for ambiguous cases (semantics.md §15), each at its DECIDED default unless set. */
  flags: WorkerFlags;
  /** `testHooks=1`: accept the injectStorageFault command (fault-injection tests only). */
  testHooks: boolean;
  scriptPath: string;
  issues: ConfigIssue[];
}

/** One `vercel.json` `headers` rule (R5) as the worker received it (matched by sw/policy/route-headers.ts). */
export interface RouteHeaderRuleConfig {
  source: string;
  headers: { key: string; value: string }[];
  has?: RouteConditionConfig[];
  missing?: RouteConditionConfig[];
}

export interface RouteConditionConfig {
  type: 'header' | 'query' | 'host' | 'cookie';
  key?: string;
  value?: string;
}

/**
 * The policy flags a user may flip through the script URL (`?edgeHonorsMaxAgeInCacheControl=1`), one
 * per ambiguity of semantics.md §15. Defaults are the spec's decisions.
 */
export interface WorkerFlags {
  /** A1/R3: parse targeted headers leniently (Cache-Control parser) instead of strict RFC 8941. Default false. */
  lenientTargetedParsing: boolean;
  /** A2/R9: the edge honours `max-age` in a Cache-Control-only policy (RFC 9111 shared cache). Default false. */
  edgeHonorsMaxAgeInCacheControl: boolean;
  /** A6/R29: when the edge strips `s-maxage`/`stale-while-revalidate` from Cache-Control. Default `cc-consumed`. */
  stripWhen: StripWhen;
  /** A12/R42: also veto edge storage on `private`/`no-cache`/`no-store` in Cache-Control. Default false. */
  criteriaReadCacheControlAlways: boolean;
  /** A8/R33: drop `Age` from what the edge hands down (age-penalty mitigation). Default false. */
  ageMitigation: boolean;
  /** A9/R34: forward `Vercel-Cache-Tag` to the page. Default false. */
  forwardCacheTagHeader: boolean;
  /** A11/R40: largest non-streamed body the Vercel edge stores (bytes). Default 10 MiB. */
  maxBodyBytes: number;
}

export type StripWhen = 'cc-consumed' | 'no-cdn-cache-control' | 'always';

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
  | { op: 'injectBackendFault'; rules: BackendFaultRule[] }
  // The leader tab hands server invalidations to the worker, which applies each once (sw/feed).
  | { op: 'applyFeed'; messages: FeedMessage[]; cursor?: string };

/** A fault below the HTTP store (sw/store storage-faults.ts FaultRule; testHooks=1 only). */
export interface BackendFaultRule {
  target: 'indexedDB' | 'caches';
  on: 'open' | 'read' | 'write';
  /** `slow`: the call succeeds 200 ms late (a loaded machine's storage; races with the network). */
  kind: 'error' | 'quota' | 'abort-quota' | 'slow';
  /** How many matching calls fail (or are slowed). */
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
  /** The last applied feed id (null: the worker never saw the feed). */
  applyFeed: { cursor: string | null };
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
  /** The runtime cache's (getCache()) entries of the project/environment the worker's tag purges reach. */
  runtime: RuntimeInspect;
}

export interface RuntimeInspect {
  /** The IndexedDB database listed (R116: `tiercache-runtime:<project>:<environment>`). */
  database: string;
  /** At most the first 500 entries, in key order… */
  entries: RuntimeInspectEntry[];
  /** …of this many. */
  total: number;
}

/** One getCache() entry as stored: still there until a sweep removes it, even when it no longer reads. */
export interface RuntimeInspectEntry {
  namespace: string;
  /** The key given to set(), before hashing (R93). */
  key: string;
  /** The key as Vercel stores it: `namespace$hash(key)` (R93, R94). */
  storedKey: string;
  tags: string[];
  /** When its ttl runs out (epoch ms on the runtime cache's clock, real time: time travel does not move it); undefined: no ttl (R102). */
  expiresAt: number | undefined;
  /** `expired`: past its ttl (R101); `tag-expired`: an expireTag / tag purge since its last set (R91, R120). Both read as misses. */
  status: 'live' | 'expired' | 'tag-expired';
  /** Its JSON's length (what maxBytes counts, R119). */
  size: number;
}

export type LayerOutcome = 'hit' | 'stale' | 'miss' | 'revalidated' | 'bypass' | 'error';

export interface LayerDecision {
  layer: LayerName;
  outcome: LayerOutcome;
  /** Machine-readable reason from the policy engine (e.g. `cold`, `collapsed`, `stale_time`, `not_storable:private`). */
  reason: string;
  /** Whether this layer forwarded the request towards the origin. */
  forwarded: boolean;
  /**
   * Whether this layer stored (or freshened) the response. Decided when the response's headers
   * arrive; a write abandoned later (the body grew past what the layer may keep, storage failed, the
   * origin cut the body off) turns it false, with `notStored` saying why (DecisionRecord.revision).
   */
  stored: boolean;
  /** Why this layer did not keep a response it set out to store (then `stored` is false). Added within tiercache/1. */
  notStored?: NotStored | undefined;
}

/**
 * A layer's write abandoned after its decision (and the response's headers, Cache-Status included)
 * had left: the body was still delivered in full (or failed as it would without the worker), and
 * nothing of it was stored (sw/README.md "Bodies stream through every layer").
 */
export interface NotStored {
  /**
   * - `too-large`: the body passed the largest body the layer stores (the edge's `maxBodyBytes`, R40);
   * - `over-budget`: the body passed the layer's byte budget (`budget=`);
   * - `storage-error`: the store failed (quota, IndexedDB/Cache Storage, a stalled write; `detail`);
   * - `body-error`: the body failed on its way (cut off by the origin): the page's read failed too.
   */
  reason: 'too-large' | 'over-budget' | 'storage-error' | 'body-error';
  /** too-large / over-budget: the bytes the layer may keep. */
  limit?: number | undefined;
  /** too-large / over-budget: the bytes that had arrived when the write stopped (more than `limit`;
   *  the body's whole size is not known then: it goes on to the page). */
  bytes?: number | undefined;
  /** The error the worker reported to onError (`name: message`). */
  detail: string;
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
  /**
   * Set on the record of a background refresh (R12 stale-while-revalidate, R78 tag invalidation): no
   * page request waited for it. `layers` then holds the layers the refresh went through, page side
   * first starting with the refreshing layer; `status`, `cacheStatus` and `xVercelCache` describe the
   * upstream answer it got (0, '' and undefined when the origin was unreachable).
   */
  background?: BackgroundRefresh | undefined;
  /**
   * Set by the worker when it publishes the record: increases by one per record within one worker
   * instance (a restarted worker starts again), so a listener can tell a replayed record it already has.
   */
  seq?: number | undefined;
  /** Set by the worker when it publishes the record: the publishing worker instance (DecisionMessage.source).
   *  `source` + `seq` identify a record. Added within tiercache/1. */
  source?: string | undefined;
  /**
   * Absent (or 0): the record as first made. n >= 1: the record corrected n times after it was handed
   * to the outbox, re-published with the same `source` and `seq`: a layer's write was abandoned after
   * the response's headers left (its decision now says `stored: false` with `notStored`). Everything
   * else, `cacheStatus` and `xVercelCache` included, is what the page received and never changes: a
   * header already sent cannot be amended (RFC 9211 has no trailer form used here). A listener may
   * get a record first at a revision >= 1 (when it was corrected before it was posted). Added within
   * tiercache/1: a page of an older SDK drops it as a record it already has.
   */
  revision?: number | undefined;
  /** The response headers as the origin sent them, when this request reached the origin (a background
   *  refresh's record has none): what the devtools' "why" runs the policy's explain() on. */
  originHeaders?: Record<string, string> | undefined;
}

/** What a background refresh did to the refreshing layer's stale copy. */
export interface BackgroundRefresh {
  /** The layer whose stale copy was refreshed. */
  layer: LayerName;
  /** Why the copy was stale (the policy's reason): `stale-time` (R12), `tag-invalidated` (R78),
   *  `tag-delete-deadline` (R79). */
  trigger: string;
  /**
   * - `updated`: a 304 freshened the copy (RFC 9111 §4.3.4);
   * - `stored`: a full response replaced it;
   * - `deleted`: the new answer may not be stored, the old copy is gone (R47);
   * - `not-stored`: the full response was not storable (nothing new kept);
   * - `failed`: the origin was unreachable or answered an error; the stale copy is kept (R58).
   */
  outcome: 'updated' | 'stored' | 'deleted' | 'not-stored' | 'failed';
}

/** A record, or (record.revision >= 1) a corrected one replacing the record with the same source and seq. */
export interface DecisionMessage {
  tag: ProtocolTag;
  kind: 'decision';
  record: DecisionRecord;
  /** The publishing worker instance (random per start); with `record.seq` it identifies a record. */
  source?: string | undefined;
  /** When the worker produced the record (real ms since the epoch, no clock offset): a listener only
   *  gets records produced after it subscribed, whether posted live or replayed. A corrected record
   *  keeps the time of the record it corrects. */
  producedAt?: number | undefined;
}

/**
 * A page context with decision listeners holds a lease (sw/README.md "Decision records"): the worker
 * posts decision records only while some lease is live, and on receiving one replays the records it
 * produced since `since` but did not post. Sent on the decisions channel when the first listener is
 * added, renewed while any is subscribed, answered to `who-listens`, and sent with `until: 0` to release.
 */
export interface ListeningMessage {
  tag: ProtocolTag;
  kind: 'listening';
  /** Random per subscription period of one page context. */
  context: string;
  /** Real ms since the epoch when that context began listening. */
  since: number;
  /** Real ms since the epoch the lease lasts until (0: released). */
  until: number;
}

/** Posted by a worker instance when it starts (its leases were lost with the previous instance). */
export interface WhoListensMessage {
  tag: ProtocolTag;
  kind: 'who-listens';
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
