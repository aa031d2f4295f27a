import { describe, expect, test } from 'vitest';
import { explain, reportLayer, planRequest, rewriteForDownstream, storable, type PolicyFlags } from '../../../sw/policy/index.ts';
import { browser, edge, policy, req, res } from './fixtures.ts';

interface Vector {
  id: string;
  title: string;
  headers: Record<string, string>;
  status?: number;
  request?: Record<string, string>;
  flags?: Partial<PolicyFlags>;
  stored: boolean;
  lifetime?: number;
  swr?: number;
  sie?: number;
  browserGets: Record<string, string>;
}

const DEFAULT = 'public, max-age=0, must-revalidate';

// semantics.md §14, verbatim: GET, no Authorization/Range, status 200, no Set-Cookie, default flags.
const vectors: Vector[] = [
  { id: 'V1', title: 'Cache-Control: s-maxage=60', headers: { 'cache-control': 's-maxage=60' }, stored: true, lifetime: 60, swr: 0, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V2', title: 'max-age=10, s-maxage=60, stale-while-revalidate=30', headers: { 'cache-control': 'max-age=10, s-maxage=60, stale-while-revalidate=30' }, stored: true, lifetime: 60, swr: 30, browserGets: { 'cache-control': 'max-age=10' } },
  {
    id: 'V3', title: 'all three headers with s-maxage',
    headers: { 'cache-control': 'public, s-maxage=1', 'cdn-cache-control': 'public, s-maxage=60', 'vercel-cdn-cache-control': 'public, s-maxage=3600' },
    stored: true, lifetime: 3600, browserGets: { 'cache-control': 'public, s-maxage=1', 'cdn-cache-control': 'public, s-maxage=60' },
  },
  {
    id: 'V4', title: 'all three headers with max-age',
    headers: { 'cache-control': 'max-age=10', 'cdn-cache-control': 'max-age=60', 'vercel-cdn-cache-control': 'max-age=3600' },
    stored: true, lifetime: 3600, browserGets: { 'cache-control': 'max-age=10', 'cdn-cache-control': 'max-age=60' },
  },
  { id: 'V5', title: 'no cache headers', headers: {}, stored: false, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V6', title: 'private, max-age=300', headers: { 'cache-control': 'private, max-age=300' }, stored: false, browserGets: { 'cache-control': 'private, max-age=300' } },
  { id: 'V7', title: 'Vercel-CDN-Cache-Control only', headers: { 'vercel-cdn-cache-control': 'max-age=3600' }, stored: true, lifetime: 3600, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V8', title: 'Vary: *', headers: { 'cache-control': 's-maxage=60', vary: '*' }, stored: false, browserGets: { 'cache-control': DEFAULT, vary: '*' } },
  { id: 'V9', title: 'Vary: Cookie', headers: { 'cache-control': 's-maxage=60', vary: 'Cookie' }, stored: false, browserGets: { 'cache-control': DEFAULT, vary: 'Cookie' } },
  { id: 'V10', title: 's-maxage=60, no-cache', headers: { 'cache-control': 's-maxage=60, no-cache' }, stored: false, browserGets: { 'cache-control': 'no-cache' } },
  { id: 'V11', title: 'max-age=3600 (default flags)', headers: { 'cache-control': 'max-age=3600' }, stored: false, browserGets: { 'cache-control': 'max-age=3600' } },
  { id: 'V11', title: 'max-age=3600 with edgeHonorsMaxAgeInCacheControl', headers: { 'cache-control': 'max-age=3600' }, flags: { edgeHonorsMaxAgeInCacheControl: true }, stored: true, lifetime: 3600, browserGets: { 'cache-control': 'max-age=3600' } },
  {
    id: 'V12', title: 'unparsable CDN-Cache-Control falls through to Cache-Control',
    headers: { 'cdn-cache-control': 'Max-Age=60', 'cache-control': 's-maxage=5' },
    stored: true, lifetime: 5, browserGets: { 'cdn-cache-control': 'Max-Age=60', 'cache-control': DEFAULT },
  },
  { id: 'V13', title: 's-maxage above one year is clamped', headers: { 'cache-control': 's-maxage=40000000' }, stored: true, lifetime: 31536000, browserGets: { 'cache-control': DEFAULT } },
  {
    id: 'V14', title: 'Cache-Control: no-store with CDN-Cache-Control: max-age=600',
    headers: { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=600' },
    stored: true, lifetime: 600, browserGets: { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=600' },
  },
  {
    id: 'V15', title: 'stale-if-error is not an edge window in the vercel profile',
    headers: { 'cache-control': 'max-age=604800, s-maxage=604800, stale-if-error=86400' },
    stored: true, lifetime: 604800, sie: 0, browserGets: { 'cache-control': 'max-age=604800, stale-if-error=86400' },
  },
  { id: 'V16', title: 'bare stale-while-revalidate', headers: { 'cache-control': 's-maxage=60, stale-while-revalidate' }, stored: true, lifetime: 60, swr: 31536000, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V17', title: 'status 500', headers: { 'cache-control': 's-maxage=60' }, status: 500, stored: false, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V18', title: 'status 410 (vercel profile)', headers: { 'cache-control': 's-maxage=60' }, status: 410, stored: false, browserGets: { 'cache-control': DEFAULT } },
  { id: 'V19', title: 'request with Authorization', headers: { 'cache-control': 'public, s-maxage=60' }, request: { authorization: 'Bearer x' }, stored: false, browserGets: { 'cache-control': DEFAULT } },
];

describe('semantics.md §14 vectors (edge decision and forwarded headers)', () => {
  test.each(vectors)('$id: $title', (v) => {
    const p = edge(v.flags ?? {});
    const request = req({ headers: v.request ?? {} });
    const response = res(v.headers, v.status ?? 200);
    const decision = storable(p, { request, response });
    expect(decision.storable).toBe(v.stored);
    if (v.lifetime !== undefined) expect(decision.freshness.lifetime).toBe(v.lifetime);
    if (v.swr !== undefined) expect(decision.freshness.staleWhileRevalidate).toBe(v.swr);
    if (v.sie !== undefined) expect(decision.freshness.staleIfError).toBe(v.sie);
    const forwarded = rewriteForDownstream(p, { headers: response.headers, selection: decision.selection });
    expect(forwarded.headers).toEqual(v.browserGets);
    // explain() gives the same answer as the building blocks.
    const explained = explain(v.headers, { status: v.status, requestHeaders: v.request, layers: ['browser', 'edge'], flags: v.flags });
    expect(explained.layers[0]?.layer).toBe('edge');
    expect(explained.layers[0]?.stored).toBe(v.stored);
    expect(explained.pageHeaders).toEqual(v.browserGets);
  });

  test('V6: the BROWSER keeps private, max-age=300 for 300 s', () => {
    const d = storable(browser(), { request: req(), response: res({ 'cache-control': 'private, max-age=300' }) });
    expect(d.storable).toBe(true);
    expect(d.freshness.lifetime).toBe(300);
  });

  test('V9: the miss is reported as MISS with reason vary_key_denied:cookie', () => {
    const p = edge();
    const request = req();
    const storage = storable(p, { request, response: res({ 'cache-control': 's-maxage=60', vary: 'Cookie' }) });
    const report = reportLayer({ layer: 'edge', plan: planRequest(p, request), upstreamStatus: 200, storage });
    expect(report.xVercelCache).toEqual({ status: 'MISS', reason: 'vary_key_denied:cookie' });
  });

  test('V18: status 410 is stored by the edge in the rfc9111 profile', () => {
    const d = storable(policy('edge', 'rfc9111'), { request: req(), response: res({ 'cache-control': 's-maxage=60' }, 410) });
    expect(d.storable).toBe(true);
    expect(d.freshness.lifetime).toBe(60);
  });
});
