import { MAX_DELTA_SECONDS, ONE_YEAR_SECONDS, type Directives } from './directives.ts';
import { getHeader } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { HeaderSelection } from './select-header.ts';
import type { ResponseInfo } from './types.ts';

/** RFC 9110 §15.1 heuristically cacheable status codes (R140). */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]);

/** Where a freshness lifetime came from. `none` = no explicit or heuristic lifetime (0 s). */
export type LifetimeSource = 's-maxage' | 'max-age' | 'expires' | 'heuristic' | 'static' | 'none';

/** A layer's reading of a response's freshness, all in whole seconds ≥ 0 (never NaN). */
export interface Freshness {
  readonly lifetime: number;
  readonly source: LifetimeSource;
  /** Stale-while-revalidate window after expiry; 0 when none or disabled (R19, R142). */
  readonly staleWhileRevalidate: number;
  /** Stale-if-error window after expiry; 0 when none, disabled, or ignored (A4 at the vercel edge). */
  readonly staleIfError: number;
  /** Stale content must never be served (must-revalidate; proxy-revalidate in shared caches). */
  readonly mustRevalidate: boolean;
  /** Every reuse needs validation (response no-cache, R135). */
  readonly noCache: boolean;
  /** `immutable` present (R146; the stored entry also requires a secure context). */
  readonly immutable: boolean;
  /** Directives whose values were lowered to the one-year ceiling (R10). */
  readonly clamped: readonly string[];
}

export interface FreshnessInput {
  readonly selection: HeaderSelection;
  readonly response: ResponseInfo;
  /** Receipt time in ms, used as the date when `Date` is missing or invalid (R137). */
  readonly responseTime: number;
  /** R48: a static file at the edge. */
  readonly isStatic?: boolean | undefined;
}

/** Computes the freshness lifetime and stale windows for one layer (R4, R9, R10, R13, R14, R19, R137–R140). */
export function computeFreshness(policy: LayerPolicy, input: FreshnessInput): Freshness {
  const d = input.selection.parsed.directives;
  if (policy.rules === 'vercel-edge') return edgeFreshness(policy, input, d);
  const shared = policy.rules === 'shared';
  const explicit = explicitLifetime(d, input, shared);
  const lifetime = explicit ?? heuristicLifetime(d, input);
  const mustRevalidate = d.mustRevalidate || (shared && d.proxyRevalidate);
  const noCache = d.noCache;
  const stale = mustRevalidate || noCache;
  return {
    lifetime: lifetime.seconds,
    source: lifetime.source,
    // R13: a bare stale-while-revalidate is invalid per RFC 5861 and ignored outside the vercel edge.
    staleWhileRevalidate: stale ? 0 : (d.staleWhileRevalidate ?? 0),
    staleIfError: stale ? 0 : (d.staleIfError ?? 0), // R144
    mustRevalidate,
    noCache,
    immutable: !shared && d.immutable,
    clamped: [],
  };
}

function edgeFreshness(policy: LayerPolicy, input: FreshnessInput, d: Directives): Freshness {
  const base = { staleIfError: 0, noCache: d.noCache, immutable: false } as const;
  if (input.isStatic) {
    // R48: static files live for the deployment; the deployment id in the key ends them (R50). Their
    // headers cannot shorten that ("cache bypass for static files is impossible"): a `no-cache` the
    // file server sends (vite preview does) is for browsers, not a revalidation order for the edge.
    return { ...base, noCache: false, lifetime: MAX_DELTA_SECONDS, source: 'static', staleWhileRevalidate: 0, mustRevalidate: false, clamped: [] };
  }
  const clamped: string[] = [];
  const cap = (name: string, seconds: number): number => {
    if (seconds <= ONE_YEAR_SECONDS) return seconds;
    clamped.push(name);
    return ONE_YEAR_SECONDS; // R10: values above one year are clamped (A3)
  };
  let lifetime = { seconds: 0, source: 'none' as LifetimeSource };
  const targeted = input.selection.header !== null && !input.selection.consumedCacheControl;
  if (d.sMaxage !== undefined) lifetime = { seconds: cap('s-maxage', d.sMaxage), source: 's-maxage' };
  else if (targeted || policy.flags.edgeHonorsMaxAgeInCacheControl) {
    // R4: inside a targeted header max-age counts; in Cache-Control only with the A2 flag (R9).
    const explicit = targeted
      ? d.maxAge === undefined ? null : { seconds: d.maxAge, source: 'max-age' as const }
      : explicitLifetime(d, input, true);
    if (explicit) lifetime = { seconds: cap(explicit.source, explicit.seconds), source: explicit.source };
  }
  // R161: no-store / no-cache neutralise max-age in a targeted field.
  if (d.noStore || d.noCache) lifetime = { seconds: 0, source: lifetime.source };
  // R13: bare stale-while-revalidate gets Vercel's one-year fallback; R19: must-revalidate disables it.
  const swr = d.staleWhileRevalidateBare ? ONE_YEAR_SECONDS : (d.staleWhileRevalidate ?? 0);
  const staleWhileRevalidate = d.mustRevalidate ? 0 : cap('stale-while-revalidate', swr);
  // R14/A4: the seed's edge does not support stale-if-error; R15: proxy-revalidate is ignored.
  return { ...base, lifetime: lifetime.seconds, source: lifetime.source, staleWhileRevalidate, mustRevalidate: d.mustRevalidate, clamped };
}

/** RFC 9111 §4.2.1 (R137): s-maxage (shared only), max-age, then Expires − Date. */
function explicitLifetime(
  d: Directives,
  input: FreshnessInput,
  shared: boolean,
): { seconds: number; source: LifetimeSource } | null {
  if (shared && d.sMaxage !== undefined) return { seconds: d.sMaxage, source: 's-maxage' };
  if (d.maxAge !== undefined) return { seconds: d.maxAge, source: 'max-age' };
  // R2: a targeted field replaces Cache-Control and Expires entirely.
  if (!input.selection.consumedCacheControl && input.selection.header !== null) return null;
  const expiresText = getHeader(input.response.headers, 'expires');
  if (expiresText === undefined) return null;
  const expires = parseHttpDate(expiresText);
  // R137: an invalid Expires (e.g. "0") means already expired.
  if (expires === null) return { seconds: 0, source: 'expires' };
  return { seconds: toSeconds(expires - responseDate(input)), source: 'expires' };
}

/** R140: 10% of (Date − Last-Modified) for heuristically cacheable statuses (or `public`). */
function heuristicLifetime(d: Directives, input: FreshnessInput): { seconds: number; source: LifetimeSource } {
  if (!HEURISTICALLY_CACHEABLE.has(input.response.status) && !d.public) return { seconds: 0, source: 'none' };
  const lastModified = parseHttpDate(getHeader(input.response.headers, 'last-modified'));
  if (lastModified === null) return { seconds: 0, source: 'none' };
  return { seconds: toSeconds((responseDate(input) - lastModified) / 10), source: 'heuristic' };
}

/** The response's Date in ms, or the receipt time when missing/invalid (R137). */
export function responseDate(input: { readonly response: ResponseInfo; readonly responseTime: number }): number {
  return parseHttpDate(getHeader(input.response.headers, 'date')) ?? input.responseTime;
}

function toSeconds(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(Math.floor(ms / 1000), MAX_DELTA_SECONDS);
}
