import { describe, expect, test } from 'vitest';
import { evaluate, fetchModeHeaders, layerCacheMode, planRequest, storable, upstreamRequestHeaders } from '../../../sw/policy/index.ts';
import { IMF_T0, policy, req, res, seconds, store, T0 } from './fixtures.ts';

const cdn = () => policy('cdn');
const rfcEdge = () => policy('edge', 'rfc9111');

describe('shared layers as plain RFC 9111 / RFC 5861 caches (cdn layer; edge in the rfc9111 profile)', () => {
  test('R9 (rfc9111): max-age counts without s-maxage; s-maxage overrides max-age and Expires', () => {
    expect(storable(rfcEdge(), { request: req(), response: res({ 'cache-control': 'max-age=3600' }) }).freshness.lifetime).toBe(3600);
    const d = storable(cdn(), { request: req(), response: res({ 'cache-control': 'max-age=10, s-maxage=99', date: IMF_T0, expires: 'Thu, 01 Jan 2026 05:00:00 GMT' }) });
    expect(d.freshness).toMatchObject({ lifetime: 99, source: 's-maxage' });
  });

  test('R10 (rfc9111): no one-year clamp; R13: a bare stale-while-revalidate is ignored', () => {
    const d = storable(rfcEdge(), { request: req(), response: res({ 'cache-control': 's-maxage=40000000, stale-while-revalidate' }) });
    expect(d.freshness).toMatchObject({ lifetime: 40000000, staleWhileRevalidate: 0 });
  });

  test('R15 (rfc9111): proxy-revalidate binds shared caches like must-revalidate', () => {
    const d = storable(cdn(), { request: req(), response: res({ 'cache-control': 'max-age=10, proxy-revalidate, stale-while-revalidate=60' }) });
    expect(d.freshness).toMatchObject({ mustRevalidate: true, staleWhileRevalidate: 0 });
  });

  test('R12/R143 (rfc9111): s-maxage with stale-while-revalidate serves stale inside the window', () => {
    const e = store(cdn(), res({ 'cache-control': 's-maxage=10, stale-while-revalidate=20' }));
    expect(evaluate(cdn(), { entries: e, request: req(), now: T0 + seconds(15) })).toMatchObject({ action: 'stale-while-revalidate' });
  });

  test('R17 (rfc9111): no-cache responses are stored and revalidated on every use', () => {
    const e = store(rfcEdge(), res({ 'cache-control': 'no-cache, s-maxage=600', etag: '"1"' }));
    expect(evaluate(rfcEdge(), { entries: e, request: req(), now: T0 + 1 })).toMatchObject({ action: 'revalidate', reason: 'no-cache' });
  });

  test('R39 (rfc9111): any final status with explicit freshness is stored; errors need explicit freshness too', () => {
    expect(storable(rfcEdge(), { request: req(), response: res({ 'cache-control': 's-maxage=60' }, 201) }).storable).toBe(true);
    expect(storable(rfcEdge(), { request: req(), response: res({}, 201) }).reason).toBe('no-explicit-freshness');
  });

  test('R57 (rfc9111): plain shared caches honour request directives, but not fetch cache modes', () => {
    const e = store(cdn(), res({ 'cache-control': 'max-age=600' }));
    expect(evaluate(cdn(), { entries: e, request: req({ headers: { 'cache-control': 'no-cache' } }), now: T0 + 1 }).action).toBe('revalidate');
    expect(evaluate(cdn(), { entries: e, request: req({ cache: 'no-cache' }), now: T0 + 1 }).action).toBe('fresh');
  });

  test('R2/RFC 9213: a usable CDN-Cache-Control replaces Cache-Control and Expires at the cdn layer', () => {
    const d = storable(cdn(), { request: req(), response: res({ 'cdn-cache-control': 'max-age=30', 'cache-control': 'private, no-store', expires: '0' }) });
    expect(d).toMatchObject({ storable: true });
    expect(d.freshness.lifetime).toBe(30);
  });
});

describe('R156: the fetch cache mode is the browser layer\'s alone (conformance defect)', () => {
  const noStoreRequest = () => req({ cache: 'no-store', headers: { pragma: 'foo', 'cache-control': 'nothing-to-see-here' } });
  const fresh = res({ 'cache-control': 'max-age=3600' });

  test('R156: a shared layer stores and reuses the answer to a page fetch with cache: no-store', () => {
    for (const shared of [cdn(), rfcEdge(), policy('edge')]) {
      expect(planRequest(shared, noStoreRequest())).toEqual({ action: 'lookup' });
      expect(storable(shared, { request: noStoreRequest(), response: res({ 'cache-control': 's-maxage=3600' }) }).storable).toBe(true);
      const entry = store(shared, res({ 'cache-control': 's-maxage=3600' }));
      expect(evaluate(shared, { entries: entry, request: noStoreRequest(), now: T0 + seconds(1) }).action).toBe('fresh');
    }
  });

  test('R156: the browser layer still bypasses its store for cache: no-store, and says so upstream', () => {
    const b = policy('browser');
    expect(planRequest(b, noStoreRequest())).toMatchObject({ action: 'bypass', reason: 'request-no-store' });
    expect(storable(b, { request: noStoreRequest(), response: fresh })).toMatchObject({ storable: false, reason: 'request-no-store' });
    expect(upstreamRequestHeaders(b, req({ cache: 'no-store' }))).toEqual({ pragma: 'no-cache', 'cache-control': 'no-cache' });
    expect(upstreamRequestHeaders(cdn(), req({ cache: 'no-store' }))).toEqual({});
  });

  test('R156: upstream a cache mode exists only as the headers Fetch adds (existing ones kept)', () => {
    expect(fetchModeHeaders({ cache: 'no-store', headers: {} })).toEqual({ pragma: 'no-cache', 'cache-control': 'no-cache' });
    expect(fetchModeHeaders({ cache: 'reload', headers: { pragma: 'foo' } })).toEqual({ 'cache-control': 'no-cache' });
    expect(fetchModeHeaders({ cache: 'no-cache', headers: {} })).toEqual({ 'cache-control': 'max-age=0' });
    expect(fetchModeHeaders({ cache: 'force-cache', headers: {} })).toEqual({});
    expect(layerCacheMode(cdn(), req({ cache: 'only-if-cached' }))).toBe('default');
    expect(layerCacheMode(policy('browser'), req({ cache: 'only-if-cached' }))).toBe('only-if-cached');
  });
});

describe('stored header fields and statuses (conformance defects)', () => {
  test('RFC 9111 §3.1 (R133): Connection, the fields it names and other hop-by-hop fields are not stored', () => {
    for (const p of [policy('browser'), cdn(), rfcEdge()]) {
      const entry = store(p, res({
        'cache-control': 'max-age=3600', connection: 'a, B', a: '1', b: '2', c: '3', 'keep-alive': 'timeout=5', upgrade: 'h2c', te: 'trailers',
      }));
      expect(entry.headers).toEqual({ 'cache-control': 'max-age=3600', c: '3' });
    }
  });

  test('R133: must-understand stores only a status this cache understands (RFC 9111 §5.2.2.3)', () => {
    for (const p of [policy('browser'), cdn(), rfcEdge()]) {
      expect(storable(p, { request: req(), response: res({ 'cache-control': 'max-age=3600, must-understand' }, 599) })).toMatchObject({ storable: false, reason: 'status' });
      expect(storable(p, { request: req(), response: res({ 'cache-control': 'max-age=3600' }, 599) }).storable).toBe(true);
      expect(storable(p, { request: req(), response: res({ 'cache-control': 'max-age=3600, must-understand' }, 200) }).storable).toBe(true);
    }
  });

  test('R138/R139: a response with an invalid Age is stale on arrival; a valid one is not', () => {
    const p = policy('browser');
    for (const age of ['abc', '-7200', '7200.0', '0, 0', '3600, 3600', '7200;foo=bar', '7200;foo=111']) {
      const entry = store(p, res({ 'cache-control': 'max-age=10000', date: IMF_T0, age }));
      expect(evaluate(p, { entries: entry, request: req(), now: T0 + seconds(1) }).action, age).not.toBe('fresh');
    }
    const ok = store(p, res({ 'cache-control': 'max-age=10000', date: IMF_T0, age: '60' }));
    expect(evaluate(p, { entries: ok, request: req(), now: T0 + seconds(1) }).action).toBe('fresh');
  });
});
