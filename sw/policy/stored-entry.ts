import { correctedInitialAge, parseAge } from './age.ts';
import { getHeader } from './headers.ts';
import { withoutHopByHop } from './hop-by-hop.ts';
import { responseDate } from './freshness.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { StorableDecision } from './storable.ts';
import { parseCacheTags } from './cache-tags.ts';
import { parseUrl } from './url.ts';
import type { HeaderMap, LayerName, PolicyHeaderName, RequestInfo, ResponseInfo } from './types.ts';
import { parseVary, varyValues } from './vary.ts';
import { readValidators } from './validators.ts';

/**
 * What a layer keeps about a stored response. Structured-clone and JSON safe (numbers are finite, no
 * Infinity). Freshness is precomputed as absolute times so the hit path only compares numbers.
 */
export interface StoredEntry {
  /** Shape version; bump on incompatible change. */
  readonly v: 1;
  readonly layer: LayerName;
  /** The primary cache key (cacheKey()); variants of one key differ in varyValues. */
  readonly key: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** Response headers as this layer received them (before its downstream rewrite). */
  readonly headers: Readonly<Record<string, string>>;
  readonly requestTime: number;
  readonly responseTime: number;
  /** Date header in ms, or the receipt time (R137); used to prefer the newest variant (R141). */
  readonly date: number;
  /** corrected_initial_age in seconds (R138). */
  readonly initialAge: number;
  /** Freshness lifetime in seconds. */
  readonly lifetime: number;
  /** Absolute ms: fresh while now < freshUntil (R136). */
  readonly freshUntil: number;
  /** Absolute ms: end of the stale-while-revalidate window (= freshUntil when none). */
  readonly staleWhileRevalidateUntil: number;
  /** Absolute ms: end of the stale-if-error window (= freshUntil when none). */
  readonly staleIfErrorUntil: number;
  readonly mustRevalidate: boolean;
  readonly noCache: boolean;
  /** `immutable` in a secure context (R146). */
  readonly immutable: boolean;
  /** Whether a request's max-stale may use this entry (not under must-revalidate/no-cache, not s-maxage in shared). */
  readonly maxStaleAllowed: boolean;
  readonly varyStar: boolean;
  /** Normalised request values of the headers named in Vary (R55), null = absent. */
  readonly varyValues: Readonly<Record<string, string | null>>;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /** Cache tags from Vercel-Cache-Tag (R70, R72–R74). */
  readonly tags: readonly string[];
  /** R78: the latest tag purge (invalidation or deletion) that reached the entry; it is then served
   *  stale once and revalidated. */
  readonly invalidatedAt: number | null;
  /** R79: set by a tag deletion; from this time the entry is treated as deleted. */
  readonly deleteAt: number | null;
  /** How many tag purges reached the entry (applyPurge); absent on entries no purge reached. A 304
   *  freshening the entry compares it to tell that a purge landed meanwhile (freshen-marks.ts). */
  readonly purges?: number;
  /** The header this layer obeyed (R1). */
  readonly selectedHeader: PolicyHeaderName | null;
  /** R48 static file at the edge. */
  readonly static: boolean;
}

export interface CreateEntryInput {
  readonly key: string;
  readonly request: RequestInfo;
  readonly response: ResponseInfo;
  /** The storable() decision for this response (must be storable: true). */
  readonly decision: StorableDecision;
  readonly requestTime: number;
  readonly responseTime: number;
}

/** Builds the record to persist for a response that storable() accepted. */
export function createStoredEntry(policy: LayerPolicy, input: CreateEntryInput): StoredEntry {
  const { response, request, decision } = input;
  const f = decision.freshness;
  const headers: HeaderMap = response.headers;
  const initialAge = correctedInitialAge({
    dateMs: responseDate({ response, responseTime: input.responseTime }),
    ageSeconds: parseAge(getHeader(headers, 'age')),
    requestTime: input.requestTime,
    responseTime: input.responseTime,
  });
  const freshUntil = input.responseTime + (f.lifetime - initialAge) * 1000;
  const vary = parseVary(getHeader(headers, 'vary'));
  const validators = readValidators(headers);
  const shared = policy.layer.kind === 'shared';
  const d = decision.selection.parsed.directives;
  return {
    v: 1,
    layer: policy.layer.name,
    key: input.key,
    method: request.method.toUpperCase(),
    url: request.url,
    status: response.status,
    headers: { ...withoutHopByHop(headers) }, // RFC 9111 §3.1
    requestTime: input.requestTime,
    responseTime: input.responseTime,
    date: responseDate({ response, responseTime: input.responseTime }),
    initialAge,
    lifetime: f.lifetime,
    freshUntil,
    staleWhileRevalidateUntil: freshUntil + f.staleWhileRevalidate * 1000,
    staleIfErrorUntil: freshUntil + f.staleIfError * 1000,
    mustRevalidate: f.mustRevalidate,
    noCache: f.noCache,
    immutable: f.immutable && isSecureUrl(request.url), // R146: secure contexts only
    maxStaleAllowed: !f.mustRevalidate && !f.noCache && !(shared && d.sMaxage !== undefined),
    varyStar: vary.star,
    varyValues: varyValues(vary.names, request.headers),
    etag: validators.etag,
    lastModified: validators.lastModified,
    tags: parseCacheTags(getHeader(headers, 'vercel-cache-tag')).tags,
    invalidatedAt: null,
    deleteAt: null,
    selectedHeader: decision.selection.header,
    static: decision.reason === 'static',
  };
}

/** RFC 8246 §2 / R146: https, or a loopback host (a secure context in browsers). */
export function isSecureUrl(url: string): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (u.scheme === 'https' || u.scheme === 'wss') return true;
  const host = u.authority.replace(/:\d+$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}
