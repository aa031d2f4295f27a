import { describe, expect, test } from 'vitest';
import {
  compileRouteRules, mergeRouteHeaders, routeHeadersFor, storable, type RouteHeaderRule, type RouteRequest,
} from '../../../sw/policy/index.ts';
import { edge, req, res } from './fixtures.ts';

const at = (path: string, extra: Partial<RouteRequest> = {}): RouteRequest => ({ path, query: '', host: 'example.com', headers: {}, ...extra });
const rule = (source: string, headers: Record<string, string>, extra: Partial<RouteHeaderRule> = {}): RouteHeaderRule => ({
  source, headers: Object.entries(headers).map(([key, value]) => ({ key, value })), ...extra,
});
/** The config headers vercel.json `rules` give `request`. */
const configFor = (rules: RouteHeaderRule[], request: RouteRequest) => routeHeadersFor(compileRouteRules(rules), request);
/** The edge lifetime of a function response once the route's config headers are merged under it (R5, R1). */
function edgeTtl(functionHeaders: Record<string, string>, rules: RouteHeaderRule[]): number {
  const merged = mergeRouteHeaders(functionHeaders, configFor(rules, at('/api/products')));
  return storable(edge(), { request: req({ url: 'https://example.com/api/products' }), response: res(merged) }).freshness.lifetime;
}

describe('R5: vercel.json header rules merge under the function headers, per name', () => {
  test('R5: function Cache-Control: s-maxage=60 + config Cache-Control: s-maxage=120 → EDGE TTL 60 s', () => {
    expect(edgeTtl({ 'cache-control': 's-maxage=60' }, [rule('/api/(.*)', { 'Cache-Control': 's-maxage=120' })])).toBe(60);
  });

  test('R5: function Cache-Control: s-maxage=60 + config CDN-Cache-Control: max-age=120 → EDGE TTL 120 s', () => {
    expect(edgeTtl({ 'cache-control': 's-maxage=60' }, [rule('/api/:path*', { 'CDN-Cache-Control': 'max-age=120' })])).toBe(120);
  });

  test('R5: function CDN-Cache-Control: max-age=120 + config Cache-Control: s-maxage=60 and Vercel-CDN-Cache-Control: max-age=300 → EDGE TTL 300 s', () => {
    const rules = [rule('/api/products', { 'Cache-Control': 's-maxage=60', 'Vercel-CDN-Cache-Control': 'max-age=300' })];
    expect(edgeTtl({ 'cdn-cache-control': 'max-age=120' }, rules)).toBe(300);
  });

  test('R5: a rule that does not match the path adds nothing', () => {
    expect(edgeTtl({ 'cache-control': 's-maxage=60' }, [rule('/blog/:slug', { 'Vercel-CDN-Cache-Control': 'max-age=300' })])).toBe(60);
  });
});

describe('R5: source patterns match as Vercel compiles them (path-to-regexp, strict, case-sensitive)', () => {
  test.each([
    ['/api/(.*)', '/api/products', true],
    ['/api/(.*)', '/api', false],
    ['/:path*', '/', false], // strict: the optional group includes its `/` prefix; `/(.*)` is the catch-all
    ['/:path*', '/a/b/c', true],
    ['/api/:path*', '/api', true],
    ['/api/:path+', '/api', false],
    ['/api/:path+', '/api/a/b', true],
    ['/blog/:slug', '/blog/hello', true],
    ['/blog/:slug', '/blog/hello/more', false],
    ['/blog/:slug', '/blog/hello/', false], // strict: no implicit trailing slash
    ['/blog/:slug?', '/blog', true],
    ['/Blog/:slug', '/blog/hello', false], // sensitive
    ['/files/:name.:ext', '/files/report.pdf', true],
    ['/v/:id(\\d+)', '/v/42', true],
    ['/v/:id(\\d+)', '/v/abc', false],
    ['/about.js', '/about.js', true],
    ['/about.js', '/aboutXjs', false], // a literal dot is a dot
    ['/((?!api/).*)', '/page', true],
    ['/((?!api/).*)', '/api/x', false],
  ])('R5: %s on %s → %s', (source, path, matches) => {
    expect('x-rule' in configFor([rule(source, { 'X-Rule': '1' })], at(path))).toBe(matches);
  });

  test('R5: every matching rule applies in file order; a later rule wins for the same name', () => {
    const rules = [rule('/(.*)', { 'Cache-Control': 'max-age=1', 'X-Frame-Options': 'DENY' }), rule('/api/(.*)', { 'Cache-Control': 'max-age=2' })];
    expect(configFor(rules, at('/api/x'))).toEqual({ 'cache-control': 'max-age=2', 'x-frame-options': 'DENY' });
  });

  test('R5: a parameter named in a value is replaced by its match', () => {
    expect(configFor([rule('/blog/:slug', { 'X-Slug': ':slug' })], at('/blog/hello'))).toEqual({ 'x-slug': 'hello' });
  });

  test('R5: has and missing conditions on headers, query and host', () => {
    const rules = [
      rule('/(.*)', { 'X-Has': '1' }, { has: [{ type: 'header', key: 'X-Flag', value: 'on|yes' }, { type: 'query', key: 'page' }] }),
      rule('/(.*)', { 'X-Missing': '1' }, { missing: [{ type: 'host', value: 'example\\.com' }] }),
    ];
    expect(configFor(rules, at('/a', { headers: { 'x-flag': 'yes' }, query: 'page=2' }))).toEqual({ 'x-has': '1' });
    expect(configFor(rules, at('/a', { headers: { 'x-flag': 'yess' }, query: 'page=2' }))).toEqual({});
    expect(configFor(rules, at('/a', { headers: { 'x-flag': 'on' } }))).toEqual({});
    expect(configFor(rules, at('/a', { host: 'other.dev' }))).toEqual({ 'x-missing': '1' });
  });

  test('R5: rules the emulation cannot express are skipped with a reason, never half-applied', () => {
    const { rules, skipped } = compileRouteRules([
      rule('/(.*)', { A: '1' }, { has: [{ type: 'cookie', key: 'session' }] }),
      rule('/{a}', { B: '1' }),
      rule('/*', { C: '1' }),
      rule('api', { D: '1' }),
      rule('/v/:id([)', { E: '1' }),
      rule('/ok', { F: '1' }),
    ]);
    expect(rules.map((r) => r.index)).toEqual([5]);
    expect(skipped.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(skipped[0]?.reason).toMatch(/cookie/);
  });
});
