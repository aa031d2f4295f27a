/**
 * The plain data shapes the policy engine works on. Everything here is structured-clone safe (no
 * functions, classes, Maps or Infinity), so the worker can persist it in IndexedDB and post it to pages.
 * Header names are always lowercase; several field lines of one name are combined with ", "
 * (use normalizeHeaders() to get there from any header list).
 */

/** Response or request headers: lowercase names, one combined value per name. */
export type HeaderMap = Readonly<Record<string, string>>;

/** The three standard layers, page side first: browser → cdn → edge → origin. */
export type LayerName = 'browser' | 'cdn' | 'edge';

/** RFC 9111 §1: a private cache serves one user; a shared cache serves many. */
export type LayerKind = 'private' | 'shared';

/** `vercel` = the spec's Vercel behaviour (default); `rfc9111` = shared layers as plain RFC 9111/5861 caches. */
export type ProfileName = 'vercel' | 'rfc9111';

/** The header fields a layer may obey (RFC 9213 target list plus Cache-Control), lowercase. */
export type PolicyHeaderName = 'vercel-cdn-cache-control' | 'cdn-cache-control' | 'cache-control';

/** WHATWG Fetch `request.cache` modes (R156). Only the browser layer reads them. */
export type RequestCacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';

/** What the engine needs to know about a request. */
export interface RequestInfo {
  /** Uppercase or not; compared case-insensitively where RFC 9110 allows. */
  readonly method: string;
  /** Absolute URL, e.g. `https://example.com/a?b=1`. Fragments are ignored. */
  readonly url: string;
  readonly headers: HeaderMap;
  /** Fetch cache mode; default `default`. */
  readonly cache?: RequestCacheMode | undefined;
  /** Deployment id, part of the edge key (R49, R50). */
  readonly deploymentId?: string | undefined;
  /** Simulated region, part of the edge key when set (R24). */
  readonly region?: string | undefined;
}

/** What the engine needs to know about a response. */
export interface ResponseInfo {
  readonly status: number;
  readonly headers: HeaderMap;
  /** Body size in bytes when known (Content-Length or buffered length); R40. */
  readonly bodySize?: number | undefined;
  /** True for streamed function responses (R40 allows 20 MiB instead of 10 MiB). */
  readonly streamed?: boolean | undefined;
}

/** One machine-readable warning, shown by explain() and the demo. */
export interface PolicyWarning {
  readonly code: WarningCode;
  /** The spec rule or RFC section the warning is about, e.g. `R13`. */
  readonly rule: string;
  readonly message: string;
}

export type WarningCode =
  | 'targeted-parse-error'
  | 'invalid-directive-value'
  | 'duplicate-directive'
  | 'conflicting-directives'
  | 'bare-stale-while-revalidate'
  | 'lifetime-clamped'
  | 'delta-seconds-overflow'
  | 'stale-if-error-ignored-at-edge'
  | 'max-age-ignored-at-edge'
  | 'must-revalidate-disables-stale'
  | 'set-cookie-with-shared-caching'
  | 'private-with-s-maxage'
  | 'vary-cookie'
  | 'vary-star'
  | 'age-penalty'
  | 'invalid-expires'
  | 'invalid-date'
  | 'immutable-needs-secure-context';
