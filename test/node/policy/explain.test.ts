import { describe, expect, test } from 'vitest';
import { explain, PolicyError, createLayerPolicy, type LayerName } from '../../../sw/policy/index.ts';

const codes = (headers: Record<string, string>, info: Parameters<typeof explain>[1] = {}) => explain(headers, info).warnings.map((w) => w.code);

describe('explain() for the header playground', () => {
  test('walks the layers origin side first and feeds each one what the layer above forwarded', () => {
    const x = explain({ 'Cache-Control': 'max-age=10, s-maxage=60', 'CDN-Cache-Control': 'max-age=30', 'Vercel-CDN-Cache-Control': 'max-age=90' });
    expect(x.layers.map((l) => l.layer)).toEqual(['edge', 'cdn', 'browser']);
    const [edge, cdn, browser] = x.layers;
    expect(edge).toMatchObject({ winner: 'vercel-cdn-cache-control', winnerValue: 'max-age=90', ttl: 90, stored: true, removedHeaders: ['vercel-cdn-cache-control'] });
    expect(cdn).toMatchObject({ winner: 'cdn-cache-control', ttl: 30, stored: true });
    expect(cdn?.received['vercel-cdn-cache-control']).toBeUndefined();
    expect(browser).toMatchObject({ winner: 'cache-control', ttl: 10, stored: true, lifetimeSource: 'max-age' });
    expect(x.pageHeaders).toEqual({ 'cache-control': 'max-age=10, s-maxage=60', 'cdn-cache-control': 'max-age=30' });
  });

  test('reports the stripped directives, the default replacement and the not-stored reason', () => {
    const x = explain({ 'cache-control': 'max-age=0, s-maxage=60, stale-while-revalidate=30' }, { layers: ['browser', 'edge'] });
    expect(x.layers[0]).toMatchObject({ strippedDirectives: ['s-maxage', 'stale-while-revalidate'], replacedWithDefault: false, ttl: 60, staleWhileRevalidate: 30 });
    expect(x.layers[1]).toMatchObject({ stored: false, notStoredReason: 'zero-lifetime' });
  });

  test('R3: an unparsable targeted field is shown as ignored with a parse-error warning', () => {
    const x = explain({ 'CDN-Cache-Control': 'Max-Age=60', 'cache-control': 's-maxage=5' }, { layers: ['edge'] });
    expect(x.layers[0]?.ignored[0]).toMatchObject({ header: 'cdn-cache-control', reason: 'parse-error' });
    expect(x.warnings.map((w) => w.code)).toContain('targeted-parse-error');
  });

  test.each([
    [{ 'cache-control': 's-maxage=60, stale-while-revalidate' }, 'bare-stale-while-revalidate'],
    [{ 'cache-control': 's-maxage=40000000' }, 'lifetime-clamped'],
    [{ 'cache-control': 'max-age=60' }, 'max-age-ignored-at-edge'],
    [{ 'cache-control': 's-maxage=60, stale-if-error=10' }, 'stale-if-error-ignored-at-edge'],
    [{ 'cache-control': 's-maxage=60, stale-while-revalidate=5, must-revalidate' }, 'must-revalidate-disables-stale'],
    [{ 'cache-control': 's-maxage=60, max-age=1, max-age=2' }, 'duplicate-directive'],
    [{ 'cache-control': 'max-age=abc' }, 'invalid-directive-value'],
    [{ 'cache-control': 'max-age=99999999999' }, 'delta-seconds-overflow'],
    [{ 'cache-control': 'max-age=60, no-cache' }, 'conflicting-directives'],
    [{ 'cache-control': 'public, s-maxage=60', 'set-cookie': 'a=1' }, 'set-cookie-with-shared-caching'],
    [{ 'cache-control': 'private, s-maxage=60' }, 'private-with-s-maxage'],
    [{ 'cache-control': 's-maxage=60', vary: 'Cookie' }, 'vary-cookie'],
    [{ 'cache-control': 's-maxage=60', vary: '*' }, 'vary-star'],
    [{ expires: '0' }, 'invalid-expires'],
    [{ date: 'yesterday' }, 'invalid-date'],
  ])('warns about %j (%s)', (headers, code) => {
    expect(codes(headers)).toContain(code);
  });

  test('R146: immutable on an insecure URL is flagged', () => {
    expect(codes({ 'cache-control': 'max-age=60, immutable' }, { url: 'http://example.com/a.js' })).toContain('immutable-needs-secure-context');
    expect(codes({ 'cache-control': 'max-age=60, immutable' }, { url: 'http://localhost:5173/a.js' })).not.toContain('immutable-needs-secure-context');
  });

  test('R33: a long edge lifetime with a short browser max-age is flagged as an age penalty (not with ageMitigation)', () => {
    const headers = { 'cache-control': 'max-age=600', 'cdn-cache-control': 'max-age=3600' };
    expect(codes(headers)).toContain('age-penalty');
    expect(codes(headers, { flags: { ageMitigation: true } })).not.toContain('age-penalty');
  });

  test('R5: config headers are merged under the function headers', () => {
    const x = explain({ 'cache-control': 's-maxage=60' }, { configHeaders: { 'cdn-cache-control': 'max-age=120' }, layers: ['edge'] });
    expect(x.layers[0]).toMatchObject({ winner: 'cdn-cache-control', ttl: 120 });
  });

  test('the rfc9111 profile explains shared layers as plain RFC 9111 caches', () => {
    const x = explain({ 'cache-control': 'max-age=60' }, { profile: 'rfc9111', layers: ['edge'] });
    expect(x.layers[0]).toMatchObject({ rules: 'shared', stored: true, ttl: 60 });
  });

  test('invalid options throw PolicyError with a stable code', () => {
    expect(() => explain({}, { profile: 'nope' as 'vercel' })).toThrow(PolicyError);
    expect(() => createLayerPolicy({ layer: 'x' as LayerName })).toThrow(expect.objectContaining({ code: 'invalid-options' }));
    expect(() => createLayerPolicy({ layer: 'edge', flags: { stripWhen: 'never' as 'always' } })).toThrow(expect.objectContaining({ code: 'invalid-options' }));
    expect(() => createLayerPolicy({ layer: 'edge', flags: { maxBodyBytes: -1 } })).toThrow(expect.objectContaining({ code: 'invalid-options' }));
  });
});
