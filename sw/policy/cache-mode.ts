import { hasHeader } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { RequestCacheMode, RequestInfo } from './types.ts';

/**
 * The fetch cache mode as this layer sees it (R156). The mode is an instruction to the browser's own
 * HTTP cache, so only the private (browser) layer honours it. A shared layer (CDN, edge) is a remote
 * cache that only receives request headers: for it every request is `default`, and what the mode means
 * upstream is carried by the headers of fetchModeHeaders().
 */
export function layerCacheMode(policy: LayerPolicy, request: RequestInfo): RequestCacheMode {
  return policy.layer.kind === 'private' ? (request.cache ?? 'default') : 'default';
}

/**
 * The request headers the Fetch standard's HTTP-network-or-cache fetch adds for a cache mode, the only
 * form in which the mode leaves the browser: `no-store`/`reload` add `Pragma: no-cache` and
 * `Cache-Control: no-cache`, `no-cache` adds `Cache-Control: max-age=0`; headers already present are
 * kept. (A reload thus reaches the edge as `Pragma: no-cache`, R56.)
 */
export function fetchModeHeaders(request: Pick<RequestInfo, 'cache' | 'headers'>): Record<string, string> {
  const out: Record<string, string> = {};
  const mode = request.cache ?? 'default';
  if (mode === 'no-store' || mode === 'reload') {
    if (!hasHeader(request.headers, 'pragma')) out['pragma'] = 'no-cache';
    if (!hasHeader(request.headers, 'cache-control')) out['cache-control'] = 'no-cache';
  } else if (mode === 'no-cache' && !hasHeader(request.headers, 'cache-control')) {
    out['cache-control'] = 'max-age=0';
  }
  return out;
}
