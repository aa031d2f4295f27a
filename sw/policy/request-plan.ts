import { parseCacheControl } from './cache-control.ts';
import { fetchModeHeaders, layerCacheMode } from './cache-mode.ts';
import { EMPTY_DIRECTIVES, type Directives } from './directives.ts';
import { getHeader, hasHeader } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { RequestInfo, ResponseInfo } from './types.ts';
import { formatUrl, originOf, parseUrl, resolveUrl } from './url.ts';

/** Why a layer forwards a request without consulting its store. */
export type BypassReason =
  | 'method' // safe but not cacheable (OPTIONS, TRACE…)
  | 'range' // R37; partial content is never stored or served (P4)
  | 'authorization' // R38 at the vercel edge
  | 'request-no-store' // R156: request no-store / cache mode no-store
  | 'reload'; // R156: cache mode reload (store the result)

/** What a layer does with a request before any lookup. */
export type RequestPlan =
  | { readonly action: 'lookup' }
  /** Forward without lookup; store the upstream response only when `store` is true. */
  | { readonly action: 'bypass'; readonly reason: BypassReason; readonly store: boolean }
  /** R153–R155: unsafe method: forward, then invalidate invalidationTargets() on 2xx/3xx. */
  | { readonly action: 'write-through'; readonly reason: 'unsafe-method' };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Decides whether the layer looks the request up, bypasses its store, or writes it through. */
export function planRequest(policy: LayerPolicy, request: RequestInfo): RequestPlan {
  const method = request.method.toUpperCase();
  if (!SAFE.has(method)) return { action: 'write-through', reason: 'unsafe-method' };
  if (method !== 'GET' && method !== 'HEAD') return { action: 'bypass', reason: 'method', store: false };
  if (hasHeader(request.headers, 'range')) return { action: 'bypass', reason: 'range', store: false };
  if (policy.rules === 'vercel-edge') {
    return hasHeader(request.headers, 'authorization') ? { action: 'bypass', reason: 'authorization', store: false } : { action: 'lookup' };
  }
  const mode = layerCacheMode(policy, request);
  if (mode === 'no-store' || requestDirectives(policy, request).noStore) {
    return { action: 'bypass', reason: 'request-no-store', store: false };
  }
  if (mode === 'reload') return { action: 'bypass', reason: 'reload', store: true };
  return { action: 'lookup' };
}

/** Request directives as this layer honours them (R156; the vercel edge ignores them, R57). */
export interface RequestDirectives extends Directives {
  /** `Pragma: no-cache` was sent (counted as no-cache only when Cache-Control is absent, R156). */
  readonly pragmaNoCache: boolean;
}

/** Reads the request's cache directives for this layer, folding in the fetch cache mode (R156). */
export function requestDirectives(policy: LayerPolicy, request: RequestInfo): RequestDirectives {
  const pragma = getHeader(request.headers, 'pragma');
  const pragmaNoCache = pragma !== undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(pragma);
  const cc = policy.rules === 'vercel-edge' ? undefined : getHeader(request.headers, 'cache-control');
  const mode = layerCacheMode(policy, request);
  // The hit path calls this on every request: the common "nothing asked" cases share constants.
  if (cc === undefined && mode === 'default' && (policy.rules === 'vercel-edge' || !pragmaNoCache)) {
    return pragmaNoCache ? PRAGMA_ONLY : NOTHING_ASKED;
  }
  const d = cc === undefined ? EMPTY_DIRECTIVES : parseCacheControl(cc).directives;
  return {
    ...d,
    noCache: d.noCache || mode === 'no-cache' || (cc === undefined && pragmaNoCache),
    noStore: d.noStore || mode === 'no-store',
    onlyIfCached: d.onlyIfCached || mode === 'only-if-cached',
    pragmaNoCache,
  };
}

const NOTHING_ASKED: RequestDirectives = Object.freeze({ ...EMPTY_DIRECTIVES, pragmaNoCache: false });
// At the vercel edge Pragma is only a signal (R56); request directives are ignored there (R57).
const PRAGMA_ONLY: RequestDirectives = Object.freeze({ ...EMPTY_DIRECTIVES, pragmaNoCache: true });

/**
 * Headers the private layer adds when it forwards a request upstream, as the Fetch standard's
 * HTTP-network-or-cache fetch does (fetchModeHeaders). Shared layers add none: the mode is not theirs.
 */
export function upstreamRequestHeaders(policy: LayerPolicy, request: RequestInfo): Record<string, string> {
  return policy.layer.kind === 'private' ? fetchModeHeaders(request) : {};
}

/**
 * R153–R155 / RFC 9111 §4.4: the URLs whose stored responses (every method, every variant) must be
 * invalidated after an unsafe request. A 2xx/3xx answer to an unsafe method invalidates the target URI,
 * and the same-origin `Location` / `Content-Location` URIs (R154); errors and safe methods invalidate
 * nothing (R155). URLs are absolute, without fragment, de-duplicated.
 */
export function invalidationTargets(request: RequestInfo, response: ResponseInfo): string[] {
  if (SAFE.has(request.method.toUpperCase())) return [];
  if (response.status < 200 || response.status > 399) return [];
  const target = parseUrl(request.url);
  if (!target) return [];
  const targetUrl = formatUrl(target);
  const origin = originOf(targetUrl);
  const out = [targetUrl];
  for (const name of ['location', 'content-location']) {
    const value = getHeader(response.headers, name);
    if (value === undefined || value.trim() === '') continue;
    const resolved = resolveUrl(value, targetUrl);
    // R154: only when the URI shares the target's origin (prevents cross-origin cache-busting attacks).
    if (resolved !== null && originOf(resolved) === origin && !out.includes(resolved)) out.push(resolved);
  }
  return out;
}