/**
 * The demo's side of the local origin (demo/origin/README.md): script a route from the header editor's
 * draft, ask how often it was reached. These control requests go to /__origin/script and
 * /__origin/hits, outside the worker's `include` prefix, so they never touch the cache layers.
 */
import type { RouteDraft } from '../types.ts';

export const ORIGIN_PREFIX = '/__origin/r/';

interface OriginResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyBytes?: number;
  fail?: 'network';
  etag?: string;
}

export interface OriginHits {
  count: number;
  requests: { method: string; url: string; headers: Record<string, string>; at: number }[];
}

/** Absolute URL of a route on this page's origin (where the worker intercepts it). */
export function routeUrl(path: string): string {
  return new URL(ORIGIN_PREFIX + path.replace(/^\/+/, ''), location.origin).href;
}

/** The response headers the draft makes the origin send (empty fields are left out). */
export function responseHeaders(draft: RouteDraft): Record<string, string> {
  const headers: Record<string, string> = {};
  const set = (name: string, value: string) => {
    if (value.trim() !== '') headers[name] = value.trim();
  };
  set('Cache-Control', draft.cacheControl);
  set('CDN-Cache-Control', draft.cdnCacheControl);
  set('Vercel-CDN-Cache-Control', draft.vercelCdnCacheControl);
  set('Vary', draft.vary);
  set('Vercel-Cache-Tag', draft.tags);
  set('x-demo-set-cookie', draft.setCookie);
  return headers;
}

/** A stable ETag per route, so revalidations of an unchanged response can get a 304. */
/**
 * The origin has one ETag per route, so it must not send it when the body depends on request headers
 * (a Vary'd body): the US copy's validator would then "match" the GB representation (RFC 9110 §8.8.3).
 */
export function sendsEtag(draft: RouteDraft): boolean {
  return draft.etag && draft.failure === 'none' && !/\{\{req\./.test(draft.body);
}

export function etagFor(draft: RouteDraft): string {
  let hash = 5381;
  for (const char of JSON.stringify(responseHeaders(draft)) + draft.path) hash = ((hash * 33) ^ char.charCodeAt(0)) >>> 0;
  return `"${hash.toString(16)}"`;
}

export function originScript(draft: RouteDraft, now: number): { path: string; responses: OriginResponse[] } {
  if (draft.failure === 'network') return { path: draft.path, responses: [{ fail: 'network' }] };
  if (draft.failure === '500') {
    return { path: draft.path, responses: [{ status: 500, body: 'Internal Server Error (scripted)', headers: { 'Cache-Control': 'no-store' } }] };
  }
  // The simulated origin's clock follows the worker's (time travel shifts the whole simulated world),
  // and its Date is rounded up to the next second: Date has 1 s resolution (RFC 9110 §5.6.7), and a
  // truncated Date would add up to a second of apparent age (RFC 9111 §4.2.3), eating most of a 1 s
  // lifetime such as the seed's s-maxage=1.
  const date = new Date(Math.ceil(now / 1000) * 1000).toUTCString();
  const response: OriginResponse = { status: draft.status, headers: { ...responseHeaders(draft), Date: date } };
  if (draft.bodyBytes !== undefined) response.bodyBytes = draft.bodyBytes;
  else response.body = draft.body;
  if (sendsEtag(draft)) response.etag = etagFor(draft);
  return { path: draft.path, responses: [response] };
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body), cache: 'no-store' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Makes the origin answer the draft's route as the draft says, from its next request on; `now` is the worker clock. */
export async function scriptRoute(draft: RouteDraft, now: number): Promise<void> {
  await postJson('/__origin/script', originScript(draft, now));
}

export async function originHits(path: string): Promise<OriginHits> {
  const response = await fetch(`/__origin/hits?path=${encodeURIComponent(path)}`, { cache: 'no-store' });
  return (await response.json()) as OriginHits;
}

/** Forgets every script and hit count (the "reset" button and the tests' clean start). */
export async function resetOrigin(): Promise<void> {
  await postJson('/__origin/reset', {});
}
