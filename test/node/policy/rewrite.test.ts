import { describe, expect, test } from 'vitest';
import { rewriteForDownstream, type PolicyFlags } from '../../../sw/policy/index.ts';
import { edge, policy } from './fixtures.ts';

const forward = (headers: Record<string, string>, flags: Partial<PolicyFlags> = {}, ageSeconds?: number) =>
  rewriteForDownstream(edge(flags), { headers, ageSeconds });

describe('what the browser receives (semantics.md §3)', () => {
  test('R26: Vercel-CDN-Cache-Control is removed', () => {
    const out = forward({ 'vercel-cdn-cache-control': 'max-age=60', 'cache-control': 'max-age=10' });
    expect(out.headers).toEqual({ 'cache-control': 'max-age=10' });
    expect(out.removed).toContain('vercel-cdn-cache-control');
  });

  test('R27: CDN-Cache-Control is forwarded unchanged', () => {
    expect(forward({ 'cdn-cache-control': 'max-age=120, x="y"', 'cache-control': 'max-age=1' }).headers['cdn-cache-control']).toBe('max-age=120, x="y"');
  });

  test('R28: with a targeted header, Cache-Control is forwarded exactly as sent, s-maxage included', () => {
    const out = forward({ 'cache-control': 's-maxage=60', 'cdn-cache-control': 'max-age=120' });
    expect(out.headers).toEqual({ 'cache-control': 's-maxage=60', 'cdn-cache-control': 'max-age=120' });
    expect(out.strippedDirectives).toEqual([]);
  });

  test('R29: strips s-maxage and stale-while-revalidate when Cache-Control was consumed', () => {
    const out = forward({ 'cache-control': 'max-age=10, s-maxage=60, stale-while-revalidate=30' });
    expect(out.headers['cache-control']).toBe('max-age=10');
    expect(out.strippedDirectives).toEqual(['s-maxage', 'stale-while-revalidate']);
  });

  test('R29: stale-if-error and other directives survive, as written', () => {
    expect(forward({ 'cache-control': 'Max-Age=10, S-MAXAGE=60, no-transform, stale-if-error=5, x-ext="a, b"' }).headers['cache-control'])
      .toBe('Max-Age=10, no-transform, stale-if-error=5, x-ext="a, b"');
  });

  test('R29: the rfc9111 profile rewrites nothing but Age', () => {
    const p = policy('edge', 'rfc9111');
    const headers = { 'cache-control': 'max-age=10, s-maxage=60', 'vercel-cdn-cache-control': 'max-age=5', 'vercel-cache-tag': 'a' };
    expect(rewriteForDownstream(p, { headers, ageSeconds: 3.7 }).headers).toEqual({ ...headers, age: '3' });
  });

  test('R29/A6: stripWhen=cc-consumed does not strip when only Vercel-CDN-Cache-Control is usable', () => {
    const headers = { 'vercel-cdn-cache-control': 'max-age=60', 'cache-control': 'max-age=10, s-maxage=30' };
    expect(forward(headers).headers['cache-control']).toBe('max-age=10, s-maxage=30');
  });

  test('R29/A6: stripWhen=no-cdn-cache-control strips when CDN-Cache-Control is absent even if Vercel-CDN-Cache-Control won', () => {
    const headers = { 'vercel-cdn-cache-control': 'max-age=60', 'cache-control': 'max-age=10, s-maxage=30' };
    expect(forward(headers, { stripWhen: 'no-cdn-cache-control' }).headers['cache-control']).toBe('max-age=10');
    expect(forward({ ...headers, 'cdn-cache-control': 'max-age=5' }, { stripWhen: 'no-cdn-cache-control' }).headers['cache-control']).toBe('max-age=10, s-maxage=30');
  });

  test('R29/A6: stripWhen=always strips even when a targeted header won', () => {
    const headers = { 'cdn-cache-control': 'max-age=60', 'cache-control': 'max-age=10, s-maxage=30, stale-while-revalidate=5' };
    expect(forward(headers, { stripWhen: 'always' }).headers['cache-control']).toBe('max-age=10');
  });

  test('R29/A6: an unparsable targeted header does not count: Cache-Control was consumed', () => {
    expect(forward({ 'cdn-cache-control': 'max-age=60,', 'cache-control': 'max-age=1, s-maxage=9' }).headers['cache-control']).toBe('max-age=1');
  });

  test.each([
    ['s-maxage=60', 'public, max-age=0, must-revalidate'],
    ['s-maxage=60, stale-while-revalidate=10, public', 'public, max-age=0, must-revalidate'],
    ['s-maxage=60, must-revalidate', 'public, max-age=0, must-revalidate'],
    ['s-maxage=60, private', 'private'],
    ['s-maxage=60, no-store', 'no-store'],
    ['s-maxage=60, no-cache', 'no-cache'],
    ['s-maxage=60, max-age=0', 'max-age=0'],
  ])('R30: %j → browser gets %j (never private turned public)', (cc, expected) => {
    const out = forward({ 'cache-control': cc });
    expect(out.headers['cache-control']).toBe(expected);
    expect(out.replacedWithDefault).toBe(expected === 'public, max-age=0, must-revalidate');
  });

  test('R31: no Cache-Control at all → public, max-age=0, must-revalidate', () => {
    const out = forward({ 'content-type': 'text/html' });
    expect(out.headers).toEqual({ 'content-type': 'text/html', 'cache-control': 'public, max-age=0, must-revalidate' });
  });

  // A fuzz finding (issue 14): the default's `public` let a cdn in front of the edge store one user's
  // answer to an Authorization request and hand it to another user after a 304 (RFC 9111 §3.5).
  test.each([
    [{}, 'private, max-age=0, must-revalidate'],
    [{ 'cache-control': 'stale-while-revalidate=30' }, 'private, max-age=0, must-revalidate'],
    [{ 'vercel-cdn-cache-control': 'max-age=60' }, 'private, max-age=0, must-revalidate'],
    [{ 'cache-control': 's-maxage=60' }, 'public, max-age=0, must-revalidate'],
    [{ 'cache-control': 'public, stale-while-revalidate=30' }, 'public, max-age=0, must-revalidate'],
    [{ 'cache-control': 'must-revalidate, stale-while-revalidate=30' }, 'public, max-age=0, must-revalidate'],
    [{ 'cache-control': 'max-age=60' }, 'max-age=60'],
  ])('R30/R31 + RFC 9111 §3.5: answering an Authorization request, %j → %j (the default grants no sharing the origin did not)', (headers, expected) => {
    const out = rewriteForDownstream(edge(), { headers, authorizedRequest: true });
    expect(out.headers['cache-control']).toBe(expected);
  });

  test('R33: Age is emitted in whole seconds when serving from the store', () => {
    expect(forward({ 'cache-control': 's-maxage=60' }, {}, 1800.9).headers['age']).toBe('1800');
    expect(forward({ 'cache-control': 's-maxage=60' }).headers['age']).toBeUndefined();
  });

  test('R33/A8: ageMitigation drops Age from what the edge forwards', () => {
    const out = forward({ 'cache-control': 's-maxage=60', age: '40' }, { ageMitigation: true }, 100);
    expect(out.headers['age']).toBeUndefined();
    expect(out.removed).toContain('age');
  });

  test('R34: Vercel-Cache-Tag is not forwarded by default; forwardCacheTagHeader keeps it', () => {
    expect(forward({ 'cache-control': 's-maxage=1', 'vercel-cache-tag': 'a,b' }).headers['vercel-cache-tag']).toBeUndefined();
    expect(forward({ 'cache-control': 's-maxage=1', 'vercel-cache-tag': 'a,b' }, { forwardCacheTagHeader: true }).headers['vercel-cache-tag']).toBe('a,b');
  });

  test('R162: targeted fields not on a layer\'s list pass the cdn and browser layers untouched', () => {
    const headers = { 'cdn-cache-control': 'max-age=60', 'vercel-cdn-cache-control': 'max-age=1', 'cache-control': 's-maxage=5' };
    expect(rewriteForDownstream(policy('cdn'), { headers }).headers).toEqual(headers);
    expect(rewriteForDownstream(policy('browser'), { headers }).headers).toEqual(headers);
  });

  test('R145: no layer ever adds a Warning header', () => {
    for (const p of [edge(), policy('cdn'), policy('browser')]) {
      expect(rewriteForDownstream(p, { headers: { 'cache-control': 's-maxage=1' }, ageSeconds: 99999 }).headers['warning']).toBeUndefined();
    }
  });

  test('R29/R157: every hit of one stored response gets the same rewrite in a fresh header object; the stored headers stay as stored', () => {
    const stored = Object.freeze({
      'cache-control': 'public, max-age=0, s-maxage=3600, stale-while-revalidate=60', 'vercel-cache-tag': 'a,b',
      'vercel-cdn-cache-control': 'max-age=90', 'content-type': 'text/html', etag: '"v1"',
    });
    const first = forward(stored, {}, 10); // frozen: any write to the stored headers would throw
    first.headers['x-changed-by-caller'] = '1';
    const second = forward(stored, {}, 20);
    expect(second.headers).toEqual({ 'cache-control': 'public, max-age=0, s-maxage=3600, stale-while-revalidate=60', 'content-type': 'text/html', etag: '"v1"', age: '20' });
    expect(second.removed).toEqual(['vercel-cdn-cache-control', 'vercel-cache-tag']);
    const consumed = forward({ 'cache-control': 'public, max-age=0, s-maxage=3600, stale-while-revalidate=60' }, {}, 5);
    expect(consumed.headers).toEqual({ 'cache-control': 'public, max-age=0', age: '5' });
    expect(forward({ 'cache-control': 'public, max-age=0, s-maxage=3600, stale-while-revalidate=60' }, {}, 6)).toEqual({ ...consumed, headers: { 'cache-control': 'public, max-age=0', age: '6' } });
  });

  test('R26/A8: removed headers come out in a stable order; a field named __proto__ stays an ordinary header', () => {
    const headers = JSON.parse('{"__proto__":"x","age":"7","vercel-cache-tag":"t","vercel-cdn-cache-control":"max-age=1","cache-control":"max-age=1"}') as Record<string, string>;
    const out = forward(headers, { ageMitigation: true }, 9);
    expect(out.removed).toEqual(['vercel-cdn-cache-control', 'vercel-cache-tag', 'age']);
    expect(Object.keys(out.headers)).toEqual(['__proto__', 'cache-control']);
    expect(Object.getPrototypeOf(out.headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.headers, '__proto__')?.value).toBe('x');
  });
});
