import { getHeader } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { RequestInfo } from './types.ts';
import { formatUrl, parseUrl, withoutFragment } from './url.ts';

/**
 * The primary cache key of a request in a layer (R49–R54). Variants that differ by Vary share it and are
 * told apart by StoredEntry.varyValues (R52, R55). The key is a JSON array string, so no delimiter in a
 * URL or header value can make two different requests collide.
 * - every layer: layer name, method (R54: GET and HEAD are separate), URL without fragment (exact query, A14);
 * - vercel edge: deployment id (R49, R50), region (R24), and the Accept and Accept-Encoding values
 *   (R51: always part of the key); static files ignore the query string (R48).
 */
export function cacheKey(policy: LayerPolicy, request: RequestInfo): string {
  const parsed = parseUrl(request.url);
  let url = parsed ? formatUrl(parsed) : withoutFragment(request.url);
  const parts: (string | null)[] = [policy.layer.name, request.method.toUpperCase()];
  if (policy.rules === 'vercel-edge') {
    if (parsed && isStaticRequest(policy, request.url)) url = formatUrl({ ...parsed, query: '' });
    parts.push(
      request.deploymentId ?? null,
      request.region ?? null,
      url,
      getHeader(request.headers, 'accept') ?? null,
      getHeader(request.headers, 'accept-encoding') ?? null,
    );
  } else {
    parts.push(url);
  }
  return JSON.stringify(parts);
}

/** The key of one variant: the primary key plus the request values the response varies on (R52, R55). */
export function variantKey(primaryKey: string, varyValues: Readonly<Record<string, string | null>>): string {
  const names = Object.keys(varyValues).sort();
  if (names.length === 0) return primaryKey;
  return `${primaryKey}${JSON.stringify(names.map((n) => [n, varyValues[n] ?? null]))}`;
}

/**
 * R48: a request is for a static file when its path is one of the build's `staticPaths` (the exact
 * output list an integration passes) or starts with one of the configured `staticPathPrefixes`.
 * Static files are always cached at the edge for the deployment's lifetime and their query string is
 * ignored in the edge key.
 */
export function isStaticRequest(policy: LayerPolicy, url: string): boolean {
  const { staticPathPrefixes: prefixes, staticPaths } = policy.flags;
  if (prefixes.length === 0 && staticPaths.size === 0) return false;
  const path = parseUrl(url)?.path;
  if (path === undefined) return false;
  return staticPaths.has(path) || prefixes.some((p) => p.length > 0 && path.startsWith(p));
}
