import { parseCacheControl } from './cache-control.ts';
import { isStaticRequest } from './cache-key.ts';
import { layerCacheMode } from './cache-mode.ts';
import { computeFreshness, HEURISTICALLY_CACHEABLE, type Freshness } from './freshness.ts';
import { getHeader, hasHeader } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import { selectHeader, type HeaderSelection } from './select-header.ts';
import type { RequestInfo, ResponseInfo } from './types.ts';
import { parseVary } from './vary.ts';

/** Why a layer does not store a response. Each maps to the rule that decides it. */
export type NotStorableReason =
  | 'method' // R36, R133
  | 'range' // R37
  | 'authorization' // R38; RFC 9111 §3.5 in rfc9111 shared layers
  | 'status' // R39, R46, R133
  | 'partial-content' // 206: no partial storage (P4)
  | 'too-large' // R40
  | 'set-cookie' // R41 (P1: also `x-demo-set-cookie`)
  | 'no-store' // R17, R42, R133
  | 'request-no-store' // R133, R156
  | 'private' // R16, R42; shared caches
  | 'no-cache' // R17, R42 (vercel edge only; elsewhere no-cache is stored and revalidated, R135)
  | 'vary-star' // R43, R147
  | 'vary-cookie' // R44 (vercel edge, `vary_key_denied:cookie`); P2 elsewhere
  | 'no-s-maxage' // R9: Cache-Control-only edge policy without s-maxage
  | 'no-explicit-freshness' // R133/R140: nothing allows storage
  | 'zero-lifetime'; // R10: lifetime 0 with no usable stale window or validator

export const NOT_STORABLE_RULE: Readonly<Record<NotStorableReason, string>> = {
  method: 'R36', range: 'R37', authorization: 'R38', status: 'R39', 'partial-content': 'R133',
  'too-large': 'R40', 'set-cookie': 'R41', 'no-store': 'R42', 'request-no-store': 'R133', private: 'R16',
  'no-cache': 'R17', 'vary-star': 'R43', 'vary-cookie': 'R44', 'no-s-maxage': 'R9',
  'no-explicit-freshness': 'R133', 'zero-lifetime': 'R10',
};

/** The storage decision, with what it was computed from so callers never re-parse. */
export type StorableDecision =
  | { readonly storable: true; readonly reason: 'storable' | 'static'; readonly rule: string; readonly selection: HeaderSelection; readonly freshness: Freshness }
  | { readonly storable: false; readonly reason: NotStorableReason; readonly rule: string; readonly selection: HeaderSelection; readonly freshness: Freshness };

export interface StorableInput {
  readonly request: RequestInfo;
  readonly response: ResponseInfo;
  /** Receipt time (ms); only used for Date-less Expires/heuristics. Default 0 is fine for a yes/no. */
  readonly responseTime?: number | undefined;
}

/** The status codes RFC 9110 §15 defines (the ones this cache understands, RFC 9111 §5.2.2.3). */
const UNDERSTOOD_STATUSES = new Set([
  200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408,
  409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500, 501, 502, 503, 504, 505,
]);

const EDGE_STATUSES = new Set([200, 404, 301, 302, 307, 308]); // R39 (seed list, A10: no 410)

/** Decides whether this layer may store the response (R36–R47 at the vercel edge, RFC 9111 §3 elsewhere). */
export function storable(policy: LayerPolicy, input: StorableInput): StorableDecision {
  const selection = selectHeader(policy, input.response.headers);
  const isStatic = policy.rules === 'vercel-edge' && isStaticRequest(policy, input.request.url);
  const freshness = computeFreshness(policy, {
    selection, response: input.response, responseTime: input.responseTime ?? 0, isStatic,
  });
  const reason = policy.rules === 'vercel-edge'
    ? edgeVeto(policy, input, selection, freshness, isStatic)
    : rfcVeto(policy, input, selection, freshness);
  if (reason !== null) return { storable: false, reason, rule: NOT_STORABLE_RULE[reason], selection, freshness };
  return isStatic
    ? { storable: true, reason: 'static', rule: 'R48', selection, freshness }
    : { storable: true, reason: 'storable', rule: policy.rules === 'vercel-edge' ? 'R36' : 'R133', selection, freshness };
}

function commonVeto(policy: LayerPolicy, input: StorableInput): NotStorableReason | null {
  const method = input.request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return 'method';
  if (hasHeader(input.request.headers, 'range')) return 'range';
  const status = input.response.status;
  if (status === 206) return 'partial-content';
  if (status < 200 || status > 599 || status === 304) return 'status';
  if (policy.layer.kind === 'shared' && (hasHeader(input.response.headers, 'set-cookie') || hasHeader(input.response.headers, 'x-demo-set-cookie'))) {
    // Deviation: RFC 9111 shared caches may store Set-Cookie responses; tiercache never does (user-needs A7).
    return 'set-cookie';
  }
  return null;
}

function edgeVeto(
  policy: LayerPolicy, input: StorableInput, selection: HeaderSelection, f: Freshness, isStatic: boolean,
): NotStorableReason | null {
  const common = commonVeto(policy, input);
  if (common !== null) return common;
  if (hasHeader(input.request.headers, 'authorization')) return 'authorization'; // R38, R21
  if (!EDGE_STATUSES.has(input.response.status)) return 'status'; // R39, R46
  if (tooLarge(policy, input)) return 'too-large';
  if (isStatic) return null; // R48: static files are always cached
  const d = selection.parsed.directives;
  // R42/A12: the vetoes are read from the selected header (and Cache-Control too with the flag).
  const cc = policy.flags.criteriaReadCacheControlAlways
    ? parseCacheControl(getHeader(input.response.headers, 'cache-control')).directives
    : d;
  if (d.noStore || cc.noStore) return 'no-store';
  if (d.private || cc.private) return 'private';
  if (d.noCache || cc.noCache) return 'no-cache';
  const vary = parseVary(getHeader(input.response.headers, 'vary'));
  if (vary.star) return 'vary-star'; // R43
  if (vary.names.includes('cookie')) return 'vary-cookie'; // R44
  if (f.source === 'none' && (selection.header === null || selection.consumedCacheControl)) {
    return policy.flags.edgeHonorsMaxAgeInCacheControl ? 'no-explicit-freshness' : 'no-s-maxage'; // R9
  }
  // R10/A3: a zero lifetime is stored only when a stale window can use it.
  if (f.lifetime === 0 && f.staleWhileRevalidate === 0) return 'zero-lifetime';
  return null;
}

function rfcVeto(policy: LayerPolicy, input: StorableInput, selection: HeaderSelection, f: Freshness): NotStorableReason | null {
  const common = commonVeto(policy, input);
  if (common !== null) return common;
  const d = selection.parsed.directives;
  // RFC 9111 §5.2.2.3: must-understand allows storage only for a status whose caching rules this cache
  // implements; here, the statuses RFC 9110 defines.
  if (d.mustUnderstand && !UNDERSTOOD_STATUSES.has(input.response.status)) return 'status';
  const request = parseCacheControl(getHeader(input.request.headers, 'cache-control')).directives;
  if (d.noStore) return 'no-store';
  if (request.noStore || layerCacheMode(policy, input.request) === 'no-store') return 'request-no-store'; // R156
  const shared = policy.layer.kind === 'shared';
  if (shared && d.private) return 'private'; // RFC 9111 §5.2.2.7
  if (shared && hasHeader(input.request.headers, 'authorization') && !(d.public || d.mustRevalidate || d.sMaxage !== undefined)) {
    return 'authorization'; // RFC 9111 §3.5
  }
  const vary = parseVary(getHeader(input.response.headers, 'vary'));
  if (vary.star) return 'vary-star'; // R147, P4
  // P2: a worker cannot see the Cookie request header, so a Cookie variant can never be matched safely.
  if (vary.names.includes('cookie')) return 'vary-cookie';
  const explicit = f.source !== 'none' && f.source !== 'heuristic';
  if (!explicit && !d.public && !(d.private && !shared) && !HEURISTICALLY_CACHEABLE.has(input.response.status)) {
    return 'no-explicit-freshness'; // R133
  }
  const validators = hasHeader(input.response.headers, 'etag') || hasHeader(input.response.headers, 'last-modified');
  const staleUsable = !f.mustRevalidate && !f.noCache && (f.staleWhileRevalidate > 0 || f.staleIfError > 0);
  // Storing is pointless when the entry can never be reused without a full fetch.
  if (!validators && (f.noCache || f.lifetime === 0) && !staleUsable) return 'zero-lifetime';
  return null;
}

function tooLarge(policy: LayerPolicy, input: StorableInput): boolean {
  const size = input.response.bodySize ?? Number(getHeader(input.response.headers, 'content-length') ?? NaN);
  if (!Number.isFinite(size)) return false;
  return size > (input.response.streamed ? policy.flags.maxStreamedBodyBytes : policy.flags.maxBodyBytes);
}

/**
 * R40/A11: the most body bytes this layer may keep of a response whose length it learns only while
 * streaming it (no Content-Length): the Vercel edge's limit, none elsewhere (the store's budget still
 * applies). A body that grows past it is still delivered, just not kept.
 */
export function maxStoredBodyBytes(policy: LayerPolicy): number | undefined {
  return policy.rules === 'vercel-edge' ? policy.flags.maxBodyBytes : undefined;
}
