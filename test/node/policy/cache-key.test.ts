import { describe, expect, test } from 'vitest';
import { cacheKey, evaluate, variantKey } from '../../../sw/policy/index.ts';
import { browser, edge, req, res, store, T0 } from './fixtures.ts';

const key = (overrides: Parameters<typeof req>[0], flags = {}) => cacheKey(edge(flags), req(overrides));

describe('edge cache key, Vary, deployments (semantics.md §5)', () => {
  test('R49: the key contains method, scheme, host, URL and deployment', () => {
    const base = key({ deploymentId: 'dpl_1' });
    expect(key({ deploymentId: 'dpl_1' })).toBe(base);
    expect(key({ deploymentId: 'dpl_1', url: 'http://example.com/page' })).not.toBe(base);
    expect(key({ deploymentId: 'dpl_1', url: 'https://other.example/page' })).not.toBe(base);
    expect(key({ deploymentId: 'dpl_1', url: 'https://example.com/other' })).not.toBe(base);
  });

  test('R49: default ports, host case and fragments do not change the key', () => {
    expect(key({ url: 'https://EXAMPLE.com:443/page#x' })).toBe(key({ url: 'https://example.com/page' }));
  });

  test('R50: a new deployment starts with an empty cache (different key)', () => {
    expect(key({ deploymentId: 'dpl_1' })).not.toBe(key({ deploymentId: 'dpl_2' }));
  });

  test('R24: the optional region is part of the edge key', () => {
    expect(key({ region: 'iad1' })).not.toBe(key({ region: 'cdg1' }));
  });

  test('R51: Accept and Accept-Encoding are always part of the edge key', () => {
    expect(key({ headers: { accept: 'text/html' } })).not.toBe(key({ headers: { accept: 'application/json' } }));
    expect(key({ headers: { 'accept-encoding': 'gzip' } })).not.toBe(key({ headers: { 'accept-encoding': 'br' } }));
    expect(cacheKey(browser(), req({ headers: { accept: 'a' } }))).toBe(cacheKey(browser(), req({ headers: { accept: 'b' } })));
  });

  test('R52: request values named in Vary tell variants apart', () => {
    const a = store(edge(), res({ 'cache-control': 's-maxage=60', vary: 'Accept-Language, X-Theme' }), { request: req({ headers: { 'accept-language': 'en' } }) });
    expect(a.varyValues).toEqual({ 'accept-language': 'en', 'x-theme': null });
    const b = store(edge(), res({ 'cache-control': 's-maxage=60', vary: 'Accept-Language' }), { request: req({ headers: { 'accept-language': 'fr' } }) });
    expect(variantKey(a.key, a.varyValues)).not.toBe(variantKey(b.key, b.varyValues));
    expect(variantKey(a.key, {})).toBe(a.key);
    const ev = evaluate(edge(), { entries: [a, b], request: req({ headers: { 'accept-language': 'fr' } }), now: T0 + 1000 });
    expect(ev.action === 'fresh' && ev.entry).toBe(b);
  });

  test('R54/A14: the exact query string is kept and GET and HEAD are separate entries', () => {
    expect(key({ url: 'https://example.com/p?a=1&b=2' })).not.toBe(key({ url: 'https://example.com/p?b=2&a=1' }));
    expect(key({ method: 'GET' })).not.toBe(key({ method: 'HEAD' }));
    const get = store(edge(), res({ 'cache-control': 's-maxage=60' }));
    expect(evaluate(edge(), { entries: [get], request: req({ method: 'HEAD' }), now: T0 }).action).toBe('miss');
  });

  test('R48: static files ignore the query string in the edge key', () => {
    const flags = { staticPathPrefixes: ['/assets/'] };
    expect(key({ url: 'https://example.com/assets/a.js?v=1' }, flags)).toBe(key({ url: 'https://example.com/assets/a.js?v=2' }, flags));
    expect(key({ url: 'https://example.com/page?v=1' }, flags)).not.toBe(key({ url: 'https://example.com/page?v=2' }, flags));
  });

  test('keys cannot collide through delimiters in URLs or header values', () => {
    expect(key({ headers: { accept: 'a","b' } })).not.toBe(key({ headers: { accept: 'a', 'accept-encoding': 'b' } }));
  });
});
