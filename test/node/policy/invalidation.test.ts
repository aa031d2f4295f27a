import { describe, expect, test } from 'vitest';
import { invalidationTargets, planRequest, resolveUrl } from '../../../sw/policy/index.ts';
import { browser, edge, req, res } from './fixtures.ts';

const URL = 'https://example.com/items/1?x=1';
const targets = (method: string, status: number, headers: Record<string, string> = {}) =>
  invalidationTargets(req({ method, url: URL }), res(headers, status));

describe('invalidation on unsafe methods (RFC 9111 §4.4)', () => {
  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'PURGE'])('R153: a 2xx/3xx answer to %s invalidates the target URI', (method) => {
    expect(targets(method, 200)).toEqual([URL]);
    expect(targets(method, 303)).toEqual([URL]);
  });

  test('R153: safe methods never invalidate', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE']) expect(targets(method, 200)).toEqual([]);
  });

  test('R154: same-origin Location and Content-Location are invalidated too, resolved against the target', () => {
    expect(targets('POST', 201, { location: '/items/2', 'content-location': '../list?page=1#frag' })).toEqual([
      URL, 'https://example.com/items/2', 'https://example.com/list?page=1',
    ]);
  });

  test('R154: cross-origin Location / Content-Location are not invalidated', () => {
    expect(targets('POST', 201, { location: 'https://evil.example/items/1', 'content-location': '//other.example/x' })).toEqual([URL]);
  });

  test('R155: error responses (4xx/5xx) trigger nothing', () => {
    for (const status of [400, 404, 409, 500, 503]) expect(targets('POST', status, { location: '/x' })).toEqual([]);
  });

  test('R155: unsafe requests are always written through, at the edge too', () => {
    expect(planRequest(browser(), req({ method: 'POST' }))).toEqual({ action: 'write-through', reason: 'unsafe-method' });
    expect(planRequest(edge(), req({ method: 'DELETE' }))).toEqual({ action: 'write-through', reason: 'unsafe-method' });
  });

  test.each([
    ['g', 'https://a.example/b/c/g'],
    ['./g', 'https://a.example/b/c/g'],
    ['../g', 'https://a.example/b/g'],
    ['../../../g', 'https://a.example/g'],
    ['/g', 'https://a.example/g'],
    ['?y', 'https://a.example/b/c/d;p?y'],
    ['', 'https://a.example/b/c/d;p?q'],
    ['//g.example/x', 'https://g.example/x'],
    ['HTTPS://A.EXAMPLE:443/z', 'https://a.example/z'],
  ])('RFC 3986 §5: resolves %j', (ref, expected) => {
    expect(resolveUrl(ref, 'https://a.example/b/c/d;p?q')).toBe(expected);
  });
});
