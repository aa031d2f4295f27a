import { describe, expect, test } from 'vitest';
import { storable } from '../../../sw/policy/index.ts';
import { browser, policy, req, res } from './fixtures.ts';

const decide = (headers: Record<string, string>, status = 200, request = req()) => storable(browser(), { request, response: res(headers, status) });

describe('browser layer: storing (RFC 9111 §3)', () => {
  test('R133: GET and HEAD are stored, other methods are not', () => {
    expect(decide({ 'cache-control': 'max-age=60' }).storable).toBe(true);
    expect(decide({ 'cache-control': 'max-age=60' }, 200, req({ method: 'HEAD' })).storable).toBe(true);
    expect(decide({ 'cache-control': 'max-age=60' }, 200, req({ method: 'POST' })).reason).toBe('method');
  });

  test('R133: only final statuses are stored; 206 (partial) and 304 never as new entries', () => {
    expect(decide({ 'cache-control': 'max-age=60' }, 103).reason).toBe('status');
    expect(decide({ 'cache-control': 'max-age=60' }, 206).reason).toBe('partial-content');
    expect(decide({ 'cache-control': 'max-age=60' }, 304).reason).toBe('status');
  });

  test('R133: no-store in the response or the request prevents storage', () => {
    expect(decide({ 'cache-control': 'max-age=60, no-store' }).reason).toBe('no-store');
    expect(decide({ 'cache-control': 'max-age=60' }, 200, req({ headers: { 'cache-control': 'no-store' } })).reason).toBe('request-no-store');
    expect(decide({ 'cache-control': 'max-age=60' }, 200, req({ cache: 'no-store' })).reason).toBe('request-no-store');
  });

  test('R133: explicit freshness, public/private or a heuristically cacheable status is needed', () => {
    expect(decide({ expires: 'Thu, 01 Jan 2099 00:00:00 GMT' }).storable).toBe(true);
    expect(decide({ 'cache-control': 'max-age=60' }, 201).storable).toBe(true);
    expect(decide({ 'last-modified': 'Thu, 01 Jan 2020 00:00:00 GMT', date: 'Thu, 01 Jan 2026 00:00:00 GMT' }, 201).reason).toBe('no-explicit-freshness');
    expect(decide({ 'cache-control': 'public', 'last-modified': 'Thu, 01 Jan 2020 00:00:00 GMT', date: 'Thu, 01 Jan 2026 00:00:00 GMT' }, 201).storable).toBe(true);
  });

  test('R133: a private cache may store private responses and responses to Authorization requests', () => {
    expect(decide({ 'cache-control': 'private, max-age=60' }).storable).toBe(true);
    expect(decide({ 'cache-control': 'max-age=60' }, 200, req({ headers: { authorization: 'Bearer x' } })).storable).toBe(true);
  });

  test('R133 (shared, rfc9111): Authorization is stored only with public, s-maxage or must-revalidate; private never', () => {
    const shared = policy('cdn');
    const auth = req({ headers: { authorization: 'Bearer x' } });
    expect(storable(shared, { request: auth, response: res({ 'cache-control': 'max-age=60' }) }).reason).toBe('authorization');
    expect(storable(shared, { request: auth, response: res({ 'cache-control': 'public, max-age=60' }) }).storable).toBe(true);
    expect(storable(shared, { request: auth, response: res({ 'cache-control': 's-maxage=60' }) }).storable).toBe(true);
    expect(storable(shared, { request: req(), response: res({ 'cache-control': 'private, max-age=60' }) }).reason).toBe('private');
  });

  test('R134: the browser ignores s-maxage and proxy-revalidate', () => {
    const d = decide({ 'cache-control': 'max-age=10, s-maxage=600, proxy-revalidate, stale-while-revalidate=5' });
    expect(d.freshness).toMatchObject({ lifetime: 10, source: 'max-age', mustRevalidate: false, staleWhileRevalidate: 5 });
    expect(decide({ 'cache-control': 's-maxage=600' }).storable).toBe(false);
  });

  test('R135: no-cache (qualified or not) is stored but always revalidated', () => {
    for (const cc of ['no-cache, max-age=60', 'no-cache="set-cookie", max-age=60']) {
      const d = decide({ 'cache-control': cc, etag: '"x"' });
      expect(d.storable).toBe(true);
      expect(d.freshness.noCache).toBe(true);
    }
  });

  test('R135/rfc9111: the shared rfc9111 profile stores no-cache responses too (revalidated on use)', () => {
    const d = storable(policy('edge', 'rfc9111'), { request: req(), response: res({ 'cache-control': 'no-cache, s-maxage=60', etag: '"x"' }) });
    expect(d.storable).toBe(true);
  });

  test('P2: Vary: Cookie is never stored because the worker cannot see Cookie; Vary: * neither', () => {
    expect(decide({ 'cache-control': 'max-age=60', vary: 'Cookie' }).reason).toBe('vary-cookie');
    expect(decide({ 'cache-control': 'max-age=60', vary: '*' }).reason).toBe('vary-star');
    expect(decide({ 'cache-control': 'max-age=60', vary: 'Accept-Encoding' }).storable).toBe(true);
  });

  test('a response that can never be reused without a full fetch is not stored (no validators, zero lifetime)', () => {
    expect(decide({ 'cache-control': 'public, max-age=0, must-revalidate' }).reason).toBe('zero-lifetime');
    expect(decide({ 'cache-control': 'public, max-age=0, must-revalidate', etag: '"v"' }).storable).toBe(true);
    expect(decide({ 'cache-control': 'max-age=0, stale-if-error=60' }).storable).toBe(true);
  });

  test('shared layers never store Set-Cookie responses (deviation, both profiles); the browser may', () => {
    expect(storable(policy('cdn'), { request: req(), response: res({ 'cache-control': 'max-age=60', 'set-cookie': 'a=1' }) }).reason).toBe('set-cookie');
    expect(decide({ 'cache-control': 'max-age=60', 'set-cookie': 'a=1' }).storable).toBe(true);
  });
});
