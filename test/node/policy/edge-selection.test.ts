import { describe, expect, test } from 'vitest';
import { mergeRouteHeaders, rewriteForDownstream, selectHeader, storable } from '../../../sw/policy/index.ts';
import { edge, policy, req, res } from './fixtures.ts';

const edgeTtl = (headers: Record<string, string>): number => storable(edge(), { request: req(), response: res(headers) }).freshness.lifetime;

describe('edge: which header wins (semantics.md §1)', () => {
  test.each([
    [{ 'vercel-cdn-cache-control': 'max-age=1', 'cdn-cache-control': 'max-age=2', 'cache-control': 's-maxage=3' }, 'vercel-cdn-cache-control'],
    [{ 'cdn-cache-control': 'max-age=2', 'cache-control': 's-maxage=3' }, 'cdn-cache-control'],
    [{ 'cache-control': 's-maxage=3' }, 'cache-control'],
    [{}, null],
  ])('R1: precedence Vercel-CDN-Cache-Control → CDN-Cache-Control → Cache-Control (%j)', (headers, winner) => {
    expect(selectHeader(edge(), headers).header).toBe(winner);
  });

  test('R2: Cache-Control: no-store + CDN-Cache-Control: max-age=600 is cached at the edge for 600 s', () => {
    const d = storable(edge(), { request: req(), response: res({ 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=600' }) });
    expect(d.storable).toBe(true);
    expect(d.freshness.lifetime).toBe(600);
  });

  test('R2: a targeted header makes the edge ignore Expires', () => {
    const headers = { 'cdn-cache-control': 'public', date: 'Thu, 01 Jan 2026 00:00:00 GMT', expires: 'Thu, 01 Jan 2026 01:00:00 GMT' };
    expect(edgeTtl(headers)).toBe(0);
  });

  test('R2: directives are never merged across headers', () => {
    const s = selectHeader(edge(), { 'cdn-cache-control': 'max-age=60', 'cache-control': 'stale-while-revalidate=99, s-maxage=5' });
    expect(s.parsed.directives.staleWhileRevalidate).toBeUndefined();
    expect(s.parsed.directives.sMaxage).toBeUndefined();
  });

  test('R4: the targeted lifetime is s-maxage if present, otherwise max-age', () => {
    expect(edgeTtl({ 'cdn-cache-control': 'max-age=60' })).toBe(60);
    expect(edgeTtl({ 'cdn-cache-control': 'max-age=60, s-maxage=90' })).toBe(90);
    expect(edgeTtl({ 'vercel-cdn-cache-control': 'public, s-maxage=3600' })).toBe(3600);
  });

  test('R5: function Cache-Control: s-maxage=60 + config Cache-Control: s-maxage=120 → 60 s', () => {
    expect(edgeTtl(mergeRouteHeaders({ 'Cache-Control': 's-maxage=60' }, { 'cache-control': 's-maxage=120' }))).toBe(60);
  });

  test('R5: function Cache-Control: s-maxage=60 + config CDN-Cache-Control: max-age=120 → 120 s', () => {
    expect(edgeTtl(mergeRouteHeaders({ 'cache-control': 's-maxage=60' }, { 'CDN-Cache-Control': 'max-age=120' }))).toBe(120);
  });

  test('R5: function CDN-Cache-Control: max-age=120 + config CC s-maxage=60 and V-CDN-CC max-age=300 → 300 s', () => {
    const merged = mergeRouteHeaders(
      { 'cdn-cache-control': 'max-age=120' },
      { 'cache-control': 's-maxage=60', 'vercel-cdn-cache-control': 'max-age=300' },
    );
    expect(edgeTtl(merged)).toBe(300);
  });

  test('R6: Vercel-CDN-Cache-Control from config still has top priority', () => {
    const merged = mergeRouteHeaders({ 'cdn-cache-control': 'max-age=10', 'cache-control': 's-maxage=20' }, { 'vercel-cdn-cache-control': 'max-age=30' });
    expect(edgeTtl(merged)).toBe(30);
  });

  test('R6/R26: Vercel-CDN-Cache-Control only controls the edge: the cdn layer does not read it, the edge removes it', () => {
    expect(policy('cdn').layer.targets).not.toContain('vercel-cdn-cache-control');
    const out = rewriteForDownstream(edge(), { headers: { 'vercel-cdn-cache-control': 'max-age=30', 'cache-control': 'max-age=5' } });
    expect(out.headers).toEqual({ 'cache-control': 'max-age=5' });
  });

  test('R7: without Vercel-CDN-Cache-Control, CDN-Cache-Control drives both the edge and the cdn layer', () => {
    const headers = { 'cdn-cache-control': 'max-age=60', 'cache-control': 'max-age=5' };
    expect(selectHeader(edge(), headers).header).toBe('cdn-cache-control');
    expect(selectHeader(policy('cdn'), headers).header).toBe('cdn-cache-control');
  });

  test('R7: with Vercel-CDN-Cache-Control, CDN-Cache-Control only matters downstream', () => {
    const headers = { 'vercel-cdn-cache-control': 'max-age=600', 'cdn-cache-control': 'max-age=60' };
    expect(edgeTtl(headers)).toBe(600);
    const forwarded = rewriteForDownstream(edge(), { headers }).headers;
    expect(storable(policy('cdn'), { request: req(), response: res(forwarded) }).freshness.lifetime).toBe(60);
  });

  test('R134: the browser ignores CDN-Cache-Control and Vercel-CDN-Cache-Control', () => {
    const s = selectHeader(policy('browser'), { 'cdn-cache-control': 'max-age=60', 'vercel-cdn-cache-control': 'max-age=1' });
    expect(s.header).toBeNull();
  });

  test('R35: route config cannot set reserved headers', () => {
    expect(mergeRouteHeaders({}, { server: 'x', 'x-matched-path': '/a', 'content-length': '3', 'x-ok': '1' })).toEqual({ 'x-ok': '1' });
  });
});
