import { describe, expect, test } from 'vitest';
import { rewriteForDownstream, storable, type PolicyFlags } from '../../../sw/policy/index.ts';
import { browser, edge, req, res } from './fixtures.ts';

const decide = (headers: Record<string, string>, flags: Partial<PolicyFlags> = {}) =>
  storable(edge(flags), { request: req(), response: res(headers) });

describe('edge: directive handling, defaults, limits (semantics.md §2)', () => {
  test('R9: with only Cache-Control the edge needs s-maxage', () => {
    expect(decide({ 'cache-control': 'max-age=3600' })).toMatchObject({ storable: false, reason: 'no-s-maxage', rule: 'R9' });
    expect(decide({ 'cache-control': 'public, max-age=3600' }).storable).toBe(false);
    expect(decide({ 'cache-control': 's-maxage=10, stale-while-revalidate=5, stale-if-error=5' }).storable).toBe(true);
  });

  test('R9/A2: edgeHonorsMaxAgeInCacheControl switches to RFC 9111 shared-cache lifetime (max-age, Expires)', () => {
    expect(decide({ 'cache-control': 'max-age=3600' }, { edgeHonorsMaxAgeInCacheControl: true }).freshness.lifetime).toBe(3600);
    const expires = decide(
      { 'cache-control': 'public', date: 'Thu, 01 Jan 2026 00:00:00 GMT', expires: 'Thu, 01 Jan 2026 00:10:00 GMT' },
      { edgeHonorsMaxAgeInCacheControl: true },
    );
    expect(expires.freshness).toMatchObject({ lifetime: 600, source: 'expires' });
  });

  test.each([
    ['s-maxage=40000000', 's-maxage', 31536000],
    ['s-maxage=31536000', 's-maxage', 31536000],
    ['s-maxage=31536001', 's-maxage', 31536000],
  ])('R10: %s gives an edge lifetime of %s clamped to one year', (cc, _name, expected) => {
    expect(decide({ 'cache-control': cc }).freshness.lifetime).toBe(expected);
  });

  test('R10: max-age and stale-while-revalidate are clamped to one year too', () => {
    const d = decide({ 'cdn-cache-control': 'max-age=99999999, stale-while-revalidate=99999999' });
    expect(d.freshness).toMatchObject({ lifetime: 31536000, staleWhileRevalidate: 31536000 });
    expect(d.freshness.clamped).toEqual(['max-age', 'stale-while-revalidate']);
  });

  test('R10/A3: s-maxage=0 without a stale window is not stored; with SWR it is stored immediately stale', () => {
    expect(decide({ 'cache-control': 's-maxage=0' })).toMatchObject({ storable: false, reason: 'zero-lifetime' });
    expect(decide({ 'cache-control': 's-maxage=0, stale-while-revalidate=30' }).storable).toBe(true);
  });

  test('R12: stale-while-revalidate=Z opens a Z-second window after the fresh period', () => {
    expect(decide({ 'cache-control': 's-maxage=60, stale-while-revalidate=30' }).freshness).toMatchObject({ lifetime: 60, staleWhileRevalidate: 30 });
  });

  test('R13: bare stale-while-revalidate is one year at the edge and ignored by the browser', () => {
    expect(decide({ 'cache-control': 's-maxage=60, stale-while-revalidate' }).freshness.staleWhileRevalidate).toBe(31536000);
    const b = storable(browser(), { request: req(), response: res({ 'cache-control': 'max-age=60, stale-while-revalidate' }) });
    expect(b.freshness.staleWhileRevalidate).toBe(0);
  });

  test('R14: stale-if-error is ignored by the vercel edge (no window) and forwarded unchanged', () => {
    const d = decide({ 'cache-control': 's-maxage=60, stale-if-error=600' });
    expect(d.freshness.staleIfError).toBe(0);
    const forwarded = rewriteForDownstream(edge(), { headers: { 'cache-control': 'max-age=5, s-maxage=60, stale-if-error=600' } });
    expect(forwarded.headers['cache-control']).toBe('max-age=5, stale-if-error=600');
  });

  test('R15: proxy-revalidate is ignored at the edge and forwarded unchanged', () => {
    const d = decide({ 'cache-control': 's-maxage=60, stale-while-revalidate=30, proxy-revalidate' });
    expect(d.freshness).toMatchObject({ mustRevalidate: false, staleWhileRevalidate: 30 });
    expect(rewriteForDownstream(edge(), { headers: { 'cache-control': 'max-age=5, s-maxage=60, proxy-revalidate' } }).headers['cache-control']).toBe('max-age=5, proxy-revalidate');
  });

  test('R16: private is never stored by the edge but the browser may store it', () => {
    expect(decide({ 'cache-control': 'private, s-maxage=60' })).toMatchObject({ storable: false, reason: 'private' });
    expect(storable(browser(), { request: req(), response: res({ 'cache-control': 'private, max-age=60' }) }).storable).toBe(true);
  });

  test('R17: no-store or no-cache is not stored by the edge (no-cache deviates from RFC 9111)', () => {
    expect(decide({ 'cache-control': 'no-store, s-maxage=60' }).reason).toBe('no-store');
    expect(decide({ 'cache-control': 'no-cache, s-maxage=60' }).reason).toBe('no-cache');
    expect(decide({ 'cache-control': 'no-cache="set-cookie", s-maxage=60' }).reason).toBe('no-cache');
  });

  test('R18: no Cache-Control at all → not cached by the edge and browser gets public, max-age=0, must-revalidate', () => {
    expect(decide({}).storable).toBe(false);
    const forwarded = rewriteForDownstream(edge(), { headers: {} }).headers;
    expect(forwarded['cache-control']).toBe('public, max-age=0, must-revalidate');
    const b = storable(browser(), { request: req(), response: res(forwarded) });
    expect(b.freshness).toMatchObject({ lifetime: 0, mustRevalidate: true });
  });

  test('R19: must-revalidate in the edge-selected header disables SWR (and SIE) at the edge', () => {
    expect(decide({ 'cache-control': 's-maxage=60, stale-while-revalidate=30, must-revalidate' }).freshness).toMatchObject({
      staleWhileRevalidate: 0, staleIfError: 0, mustRevalidate: true,
    });
  });

  test('R20: immutable has no edge meaning and is forwarded', () => {
    const d = decide({ 'cache-control': 'max-age=31536000, s-maxage=60, immutable' });
    expect(d.freshness.immutable).toBe(false);
    expect(rewriteForDownstream(edge(), { headers: { 'cache-control': 'max-age=31536000, immutable' } }).headers['cache-control']).toBe('max-age=31536000, immutable');
  });

  test('R21: public does not make Cache-Control-only responses edge-cacheable without s-maxage, nor override Authorization', () => {
    expect(decide({ 'cache-control': 'public' }).storable).toBe(false);
    const auth = storable(edge(), { request: req({ headers: { authorization: 'Basic x' } }), response: res({ 'cache-control': 'public, s-maxage=60' }) });
    expect(auth).toMatchObject({ storable: false, reason: 'authorization' });
  });

  test('R22: unrecognised directives do not change the edge decision', () => {
    expect(decide({ 'cache-control': 's-maxage=60, x-foo=bar, community="UCI"' }).freshness.lifetime).toBe(60);
  });

  test('R23: conflicting directives → the most restrictive wins (no-cache beats s-maxage)', () => {
    expect(decide({ 'cache-control': 's-maxage=60, no-cache' }).storable).toBe(false);
  });

  test('R25: recommended presets: max-age=0, s-maxage=86400 and max-age=120, s-maxage=86400', () => {
    expect(decide({ 'cache-control': 'max-age=0, s-maxage=86400' }).freshness.lifetime).toBe(86400);
    expect(rewriteForDownstream(edge(), { headers: { 'cache-control': 'max-age=0, s-maxage=86400' } }).headers['cache-control']).toBe('max-age=0');
    expect(rewriteForDownstream(edge(), { headers: { 'cache-control': 'max-age=120, s-maxage=86400' } }).headers['cache-control']).toBe('max-age=120');
  });
});
