import { currentAge } from './age.ts';
import { conditionalHeaders } from './conditional.ts';
import { layerCacheMode } from './cache-mode.ts';
import type { LayerPolicy } from './layer-policy.ts';
import { requestDirectives, type RequestDirectives } from './request-plan.ts';
import type { StoredEntry } from './stored-entry.ts';
import type { RequestInfo } from './types.ts';
import { varyMatches } from './vary.ts';

export type FreshReason = 'fresh' | 'immutable' | 'force-cache' | 'only-if-cached' | 'max-stale';
export type StaleReason = 'stale-time' | 'tag-invalidated' | 'tag-delete-deadline';
export type RevalidateReason =
  | 'stale' // past freshness and any stale-while-revalidate window (R60, R143)
  | 'no-cache' // response no-cache (R135)
  | 'request-no-cache' // request no-cache / cache mode no-cache / Pragma without Cache-Control (R156)
  | 'request-max-age' // request max-age exceeded (R156)
  | 'min-fresh' // request min-fresh not met (R156)
  | 'pragma-no-cache' // vercel edge: Pragma: no-cache on a stale entry (R56)
  | 'tag-invalidated'; // R78 under must-revalidate (R19): no stale serving
export type MissReason = 'no-entry' | 'method-mismatch' | 'vary-mismatch' | 'tag-deleted' | 'request-bypass';

/** Headers to add to the upstream request when revalidating (R148). */
export interface Revalidation {
  readonly headers: Readonly<Record<string, string>>;
}

/** What a layer may do with its stored entry for this request. Ages and TTLs in seconds. */
export type Evaluation =
  /** Serve the stored response without contacting upstream. `stale` is true for force-cache/max-stale. */
  | { readonly action: 'fresh'; readonly reason: FreshReason; readonly entry: StoredEntry; readonly age: number; readonly ttl: number; readonly stale: boolean }
  /** Serve the stored response now and revalidate in the background (one refresh per key). */
  | { readonly action: 'stale-while-revalidate'; readonly reason: StaleReason; readonly entry: StoredEntry; readonly age: number; readonly ttl: number; readonly revalidation: Revalidation }
  /**
   * Revalidate synchronously before answering. If that fails (5xx / network error), stale content may
   * be served until `staleIfErrorUntil` (ms; null = never); `mustRevalidate` makes a network failure a 504 (R142).
   */
  | { readonly action: 'revalidate'; readonly reason: RevalidateReason; readonly entry: StoredEntry; readonly age: number; readonly ttl: number; readonly revalidation: Revalidation; readonly staleIfErrorUntil: number | null; readonly mustRevalidate: boolean }
  /** Nothing usable: fetch upstream. `deleteEntry` asks the store to drop the record (R79). */
  | { readonly action: 'miss'; readonly reason: MissReason; readonly entry: StoredEntry | null; readonly deleteEntry: boolean }
  /** only-if-cached with nothing usable: answer 504 (RFC 9111 §5.2.1.7) / a network error (Fetch). */
  | { readonly action: 'unavailable'; readonly reason: 'only-if-cached' };

export interface EvaluateInput {
  /** The stored variants for the request's primary key (any order), one entry, or null when none. */
  readonly entries: StoredEntry | readonly StoredEntry[] | null;
  readonly request: RequestInfo;
  /** Current time in ms. */
  readonly now: number;
}

/**
 * Decides what the layer does with its stored response(s) for a request (R12, R19, R56, R60, R78, R79,
 * R136–R147, R156). Pure and cheap: it compares precomputed times and parses only request headers.
 */
export function evaluate(policy: LayerPolicy, input: EvaluateInput): Evaluation {
  const req = requestDirectives(policy, input.request);
  const list = input.entries === null ? [] : Array.isArray(input.entries) ? (input.entries as readonly StoredEntry[]) : [input.entries as StoredEntry];
  const method = input.request.method.toUpperCase();
  const sameMethod = list.filter((e) => e.method === method);
  const candidates = sameMethod.filter((e) => varyMatches(e, input.request.headers));
  if (candidates.length === 0) {
    if (req.onlyIfCached) return { action: 'unavailable', reason: 'only-if-cached' };
    const reason: MissReason = list.length === 0 ? 'no-entry' : sameMethod.length === 0 ? 'method-mismatch' : 'vary-mismatch';
    return { action: 'miss', reason, entry: null, deleteEntry: false };
  }
  // R141: with several matching variants, use the most recent one.
  const entry = candidates.reduce((a, b) => (b.date > a.date || (b.date === a.date && b.responseTime > a.responseTime) ? b : a));
  return evaluateEntry(policy, entry, input.request, input.now, req);
}

function evaluateEntry(policy: LayerPolicy, entry: StoredEntry, request: RequestInfo, now: number, req: RequestDirectives): Evaluation {
  const mode = layerCacheMode(policy, request);
  if (mode === 'no-store' || mode === 'reload' || req.noStore) {
    return { action: 'miss', reason: 'request-bypass', entry, deleteEntry: false };
  }
  if (entry.deleteAt !== null && now >= entry.deleteAt) {
    return { action: 'miss', reason: 'tag-deleted', entry, deleteEntry: true }; // R79
  }
  const age = currentAge({ initialAge: entry.initialAge, responseTime: entry.responseTime, now });
  const ttl = entry.lifetime - age;
  const fresh = now < entry.freshUntil; // R136
  const base = { entry, age, ttl };
  // R156: only-if-cached and force-cache use any stored response, whatever its staleness.
  if (req.onlyIfCached) return { action: 'fresh', reason: 'only-if-cached', ...base, stale: !fresh };
  if (mode === 'force-cache') return { action: 'fresh', reason: 'force-cache', ...base, stale: !fresh };
  const revalidation = { headers: conditionalHeaders(entry) };
  const revalidate = (reason: RevalidateReason): Evaluation => ({
    action: 'revalidate', reason, ...base, revalidation,
    staleIfErrorUntil: staleIfErrorUntil(entry, req), mustRevalidate: entry.mustRevalidate,
  });
  // A tag mark only ever makes an entry staler (cache-tags.ts): a copy already past its stale window is
  // revalidated synchronously like any other (R60, R143), never served again because of the mark.
  const tagged = entry.invalidatedAt !== null && (fresh || now < entry.staleWhileRevalidateUntil);
  if (fresh && !tagged) {
    const reloadAsked = req.noCache || (req.maxAge !== undefined && age > req.maxAge);
    // R146: a fresh immutable response is not revalidated on reload (secure contexts only, see StoredEntry).
    if (reloadAsked && entry.immutable && !entry.noCache) return { action: 'fresh', reason: 'immutable', ...base, stale: false };
    if (entry.noCache) return revalidate('no-cache'); // R135
    if (req.noCache) return revalidate('request-no-cache');
    if (req.maxAge !== undefined && age > req.maxAge) return revalidate('request-max-age');
    if (req.minFresh !== undefined && ttl < req.minFresh) return revalidate('min-fresh');
    return { action: 'fresh', reason: 'fresh', ...base, stale: false }; // A15: Pragma leaves fresh edge entries alone
  }
  if (policy.rules === 'vercel-edge' && req.pragmaNoCache) return revalidate('pragma-no-cache'); // R56
  if (tagged) {
    // R78/R79: serve stale once and refresh in the background, even without an SWR window; R19 wins.
    if (entry.mustRevalidate) return revalidate('tag-invalidated');
    // A mark only ever makes a copy staler: what must be revalidated untagged still is. The response's
    // no-cache (R135, R142), and the request's (RFC 9111 §5.2.1.4): a layer below refreshing its own
    // purged copy asks end to end (background-refresh.ts), and must not get this purged copy back.
    if (entry.noCache) return revalidate('no-cache');
    if (req.noCache) return revalidate('request-no-cache');
    const reason: StaleReason = entry.deleteAt !== null ? 'tag-delete-deadline' : 'tag-invalidated';
    return { action: 'stale-while-revalidate', reason, ...base, revalidation };
  }
  if (entry.noCache) return revalidate('no-cache'); // R142
  if (req.noCache) return revalidate('request-no-cache');
  const staleness = (now - entry.freshUntil) / 1000;
  if (req.maxStale !== undefined && entry.maxStaleAllowed && staleness <= req.maxStale) {
    return { action: 'fresh', reason: 'max-stale', ...base, stale: true }; // RFC 9111 §5.2.1.2
  }
  if (now < entry.staleWhileRevalidateUntil) {
    return { action: 'stale-while-revalidate', reason: 'stale-time', ...base, revalidation }; // R12, R143
  }
  return revalidate('stale'); // R60, R143
}

/** R144: the later of the response's stale-if-error window and the request's own stale-if-error. */
function staleIfErrorUntil(entry: StoredEntry, req: RequestDirectives): number | null {
  if (entry.mustRevalidate || entry.noCache) return null; // R142
  const fromRequest = req.staleIfError === undefined ? entry.freshUntil : entry.freshUntil + req.staleIfError * 1000;
  const until = Math.max(entry.staleIfErrorUntil, fromRequest);
  return until > entry.freshUntil ? until : null;
}
