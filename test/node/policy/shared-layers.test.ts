import { describe, expect, test } from 'vitest';
import { evaluate, storable } from '../../../sw/policy/index.ts';
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
