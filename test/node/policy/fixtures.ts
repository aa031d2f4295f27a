import {
  createLayerPolicy, createStoredEntry, storable, type LayerName, type LayerPolicy, type PolicyFlags,
  type ProfileName, type RequestInfo, type ResponseInfo, type StoredEntry, cacheKey,
} from '../../../sw/policy/index.ts';

/** A fixed clock: 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const IMF_T0 = 'Thu, 01 Jan 2026 00:00:00 GMT';

export function policy(layer: LayerName, profile: ProfileName = 'vercel', flags: Partial<PolicyFlags> = {}): LayerPolicy {
  return createLayerPolicy({ layer, profile, flags });
}

export const edge = (flags: Partial<PolicyFlags> = {}): LayerPolicy => policy('edge', 'vercel', flags);
export const browser = (): LayerPolicy => policy('browser');

export function req(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return { method: 'GET', url: 'https://example.com/page', headers: {}, ...overrides };
}

export function res(headers: Record<string, string>, status = 200, extra: Partial<ResponseInfo> = {}): ResponseInfo {
  return { status, headers, ...extra };
}

/** Stores `response` in `layer` at time `at` (request and response at the same instant unless given). */
export function store(
  p: LayerPolicy,
  response: ResponseInfo,
  options: { request?: RequestInfo; at?: number; requestTime?: number } = {},
): StoredEntry {
  const request = options.request ?? req();
  const at = options.at ?? T0;
  const decision = storable(p, { request, response, responseTime: at });
  if (!decision.storable) throw new Error(`fixture not storable: ${decision.reason}`);
  return createStoredEntry(p, {
    key: cacheKey(p, request), request, response, decision, requestTime: options.requestTime ?? at, responseTime: at,
  });
}

export const seconds = (n: number): number => n * 1000;
