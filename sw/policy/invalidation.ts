import { getHeader } from './headers.ts';
import type { RequestInfo, ResponseInfo } from './types.ts';
import { formatUrl, originOf, parseUrl, resolveUrl } from './url.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

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
