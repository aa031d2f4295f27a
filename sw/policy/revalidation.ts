import { DELIVERY_FIELDS } from './conditional.ts';
import { hasHeader, setField } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import { storable, type StorableDecision } from './storable.ts';
import { createStoredEntry, type StoredEntry } from './stored-entry.ts';
import type { RequestInfo, ResponseInfo } from './types.ts';

/** What came back from upstream: a response, or a network failure (R14, R144: errors include both). */
export type UpstreamResult = { readonly response: ResponseInfo } | { readonly networkError: true };

/** What a layer does with the upstream answer to a revalidation (R47, R58, R61, R142, R144, R149, R150). */
export type RevalidationOutcome =
  /** 304 merged (R149): serve `entry.status` + stored body with `entry.headers`; persist `entry` if `keep`, else delete. */
  | { readonly action: 'update'; readonly reason: 'not-modified'; readonly entry: StoredEntry; readonly keep: boolean }
  /** R150: a full response that is storable replaces the entry (createStoredEntry with `decision`); serve it. */
  | { readonly action: 'replace'; readonly reason: 'full-response'; readonly decision: StorableDecision }
  /** R47/A13: the new response is not storable: serve it and delete the old entry. */
  | { readonly action: 'delete'; readonly reason: 'not-storable'; readonly decision: StorableDecision }
  /** R144 (or R58 for a background refresh): serve/keep the stale entry; do not store the error. */
  | { readonly action: 'serve-stale'; readonly reason: 'stale-if-error' | 'revalidation-error' }
  /** R61/R46: pass the error through, unstored; the entry is kept (a later request retries, R58). */
  | { readonly action: 'forward-error'; readonly reason: 'error-response' | 'network-error' }
  /** R142: must-revalidate and upstream unreachable: answer 504. */
  | { readonly action: 'gateway-timeout'; readonly reason: 'must-revalidate' };

export interface RevalidationInput {
  readonly entry: StoredEntry;
  /** The client request being served (not the conditional upstream request). */
  readonly request: RequestInfo;
  readonly upstream: UpstreamResult;
  readonly requestTime: number;
  readonly responseTime: number;
  /** True for a stale-while-revalidate background refresh (the client was already answered). */
  readonly background?: boolean | undefined;
}

/** RFC 5861 §4 / R144: what counts as an error for stale-if-error. */
const SIE_ERRORS = new Set([500, 502, 503, 504]);

/** Decides what to do with the answer to a revalidation or background refresh. */
export function revalidationOutcome(policy: LayerPolicy, input: RevalidationInput): RevalidationOutcome {
  const { entry, upstream } = input;
  if (!('response' in upstream) || upstream.response.status >= 500) {
    const status = 'response' in upstream ? upstream.response.status : null;
    if (input.background) return { action: 'serve-stale', reason: 'revalidation-error' }; // R58
    if (status === null && entry.mustRevalidate) return { action: 'gateway-timeout', reason: 'must-revalidate' }; // R142
    const sieError = status === null || SIE_ERRORS.has(status);
    const sieOpen = !entry.mustRevalidate && !entry.noCache && input.responseTime < entry.staleIfErrorUntil;
    if (sieError && sieOpen) return { action: 'serve-stale', reason: 'stale-if-error' }; // R14 (rfc9111), R144
    return { action: 'forward-error', reason: status === null ? 'network-error' : 'error-response' };
  }
  const response = upstream.response;
  if (response.status === 304) {
    const merged = mergeNotModified(policy, { ...input, response });
    return { action: 'update', reason: 'not-modified', entry: merged.entry, keep: merged.keep };
  }
  const decision = storable(policy, { request: input.request, response, responseTime: input.responseTime });
  return decision.storable
    ? { action: 'replace', reason: 'full-response', decision }
    : { action: 'delete', reason: 'not-storable', decision };
}

/**
 * Header fields a 304 must not overwrite (RFC 9111 §3.2: Content-Length, processed and hop-by-hop
 * fields), and the fields that describe the stored body's bytes, which a 304 does not change: its
 * validator (ETag) and digest (Content-MD5).
 */
const NOT_UPDATED = new Set([
  'content-length', 'content-encoding', 'content-range', 'content-md5', 'etag', 'transfer-encoding', 'connection',
  'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade',
]);

/**
 * R149 / RFC 9111 §3.2, §4.3.4: merges a 304 into the stored response. The 304 answers the conditional
 * request this layer sent for this very entry (its own ETag / Last-Modified, R148), so it freshens that
 * entry whatever validators it carries. Decision (conformance): RFC 9111 §4.3.4 selects the entries to
 * freshen by the 304's validators, which matters when a cache holds several; a layer here validates one
 * entry at a time, and a 304 whose ETag differs only keeps the stored ETag, which still names the stored
 * body (as browsers do). The new Cache-Control replaces the old one as a whole field, so e.g.
 * `immutable` does not stick; freshness is recomputed from the new request/response times.
 */
export function mergeNotModified(
  policy: LayerPolicy,
  input: { entry: StoredEntry; request: RequestInfo; response: ResponseInfo; requestTime: number; responseTime: number },
): { entry: StoredEntry; keep: boolean } {
  const { entry, response } = input;
  const headers: Record<string, string> = { ...entry.headers };
  // Age, Cache-Status and x-vercel-cache describe the response that freshened the entry: taken from
  // the 304 or not at all (an old Age would add the stored response's age to the new one, R138).
  for (const name of DELIVERY_FIELDS) delete headers[name];
  for (const [name, value] of Object.entries(response.headers)) {
    if (!NOT_UPDATED.has(name)) setField(headers, name, value);
  }
  // R137/R138: a 304 without Date is dated by its receipt time, exactly: the stored Date described the
  // old response, so it goes, and createStoredEntry falls back to responseTime (apparent age 0).
  // Deviation: RFC 9110 §6.6.1 would append a Date, but an HTTP-date has whole seconds only, and
  // counting the truncated part as age (up to 0.999 s here and again in every layer below) eats short
  // lifetimes such as s-maxage=1. A response stored on a miss keeps no added Date either.
  if (!hasHeader(response.headers, 'date')) delete headers['date'];
  const full: ResponseInfo = { status: entry.status, headers };
  const request: RequestInfo = { ...input.request, method: entry.method, url: entry.url };
  const decision = storable(policy, { request, response: full, responseTime: input.responseTime });
  const rebuilt = createStoredEntry(policy, {
    key: entry.key, request, response: full, decision, requestTime: input.requestTime, responseTime: input.responseTime,
  });
  // Vary values describe the request that produced the stored body, not this one.
  return { entry: { ...rebuilt, varyValues: entry.varyValues, varyStar: entry.varyStar }, keep: decision.storable };
}
