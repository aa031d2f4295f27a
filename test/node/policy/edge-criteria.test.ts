import { describe, expect, test } from 'vitest';
import { storable, type PolicyFlags, type RequestInfo, type ResponseInfo } from '../../../sw/policy/index.ts';
import { edge, req, res } from './fixtures.ts';

const OK = { 'cache-control': 's-maxage=60' };
const decide = (request: RequestInfo, response: ResponseInfo, flags: Partial<PolicyFlags> = {}) => storable(edge(flags), { request, response });

describe('edge cacheability criteria (semantics.md §4)', () => {
  test.each([['GET', true], ['HEAD', true], ['POST', false], ['PUT', false], ['DELETE', false], ['OPTIONS', false]])(
    'R36: method %s → stored %s',
    (method, expected) => {
      expect(decide(req({ method }), res(OK)).storable).toBe(expected);
    },
  );

  test('R37: a request with Range is not stored', () => {
    expect(decide(req({ headers: { range: 'bytes=0-10' } }), res(OK)).reason).toBe('range');
  });

  test('R38: a request with Authorization is not stored even with public, s-maxage', () => {
    expect(decide(req({ headers: { authorization: 'Bearer t' } }), res({ 'cache-control': 'public, s-maxage=60' })).reason).toBe('authorization');
  });

  test.each([
    [200, true], [404, true], [301, true], [302, true], [307, true], [308, true],
    [410, false], [203, false], [204, false], [201, false], [303, false], [400, false], [206, false],
  ])('R39: status %i → stored %s (seed list, A10)', (status, expected) => {
    expect(decide(req(), res(OK, status)).storable).toBe(expected);
  });

  test('R40: non-streamed bodies over 10 MiB and streamed bodies over 20 MiB are not stored', () => {
    const mib = 2 ** 20;
    expect(decide(req(), res(OK, 200, { bodySize: 10 * mib })).storable).toBe(true);
    expect(decide(req(), res(OK, 200, { bodySize: 10 * mib + 1 })).reason).toBe('too-large');
    expect(decide(req(), res(OK, 200, { bodySize: 15 * mib, streamed: true })).storable).toBe(true);
    expect(decide(req(), res(OK, 200, { bodySize: 20 * mib + 1, streamed: true })).reason).toBe('too-large');
    expect(decide(req(), res({ ...OK, 'content-length': String(11 * mib) })).reason).toBe('too-large');
    expect(decide(req(), res(OK, 200, { bodySize: 2000 }), { maxBodyBytes: 1000 }).reason).toBe('too-large');
  });

  test('R41/P1: Set-Cookie (or the synthetic x-demo-set-cookie) prevents storage', () => {
    expect(decide(req(), res({ ...OK, 'set-cookie': 'a=1' })).reason).toBe('set-cookie');
    expect(decide(req(), res({ ...OK, 'x-demo-set-cookie': 'a=1' })).reason).toBe('set-cookie');
  });

  test.each([['private', 'private'], ['no-cache', 'no-cache'], ['no-store', 'no-store']])(
    'R42: %s in the selected header prevents storage',
    (directive, reason) => {
      expect(decide(req(), res({ 'cache-control': `s-maxage=60, ${directive}` })).reason).toBe(reason);
      expect(decide(req(), res({ 'cdn-cache-control': `max-age=60, ${directive}` })).reason).toBe(reason);
    },
  );

  test('R42/A12: Cache-Control: private + CDN-Cache-Control: max-age=60 is stored; criteriaReadCacheControlAlways vetoes it', () => {
    const response = res({ 'cache-control': 'private', 'cdn-cache-control': 'max-age=60' });
    expect(decide(req(), response).storable).toBe(true);
    expect(decide(req(), response, { criteriaReadCacheControlAlways: true }).reason).toBe('private');
  });

  test('R43: Vary: * is not stored', () => {
    expect(decide(req(), res({ ...OK, vary: 'Accept, *' })).reason).toBe('vary-star');
  });

  test('R44: Vary listing Cookie is not stored; other Vary values behave as before', () => {
    expect(decide(req(), res({ ...OK, vary: 'Accept-Language, cookie' })).reason).toBe('vary-cookie');
    expect(decide(req(), res({ ...OK, vary: 'Accept-Language' })).storable).toBe(true);
  });

  test('R45: failing the criteria is a decision value, never an exception', () => {
    expect(() => decide(req({ method: 'POST', headers: { authorization: 'x', range: 'y' } }), res({ 'set-cookie': 'a' }, 999))).not.toThrow();
  });

  test.each([500, 502, 503, 504])('R46: error status %i is never stored', (status) => {
    expect(decide(req(), res(OK, status)).reason).toBe('status');
  });

  test('R48: static files under a prefix are always stored at the edge, whatever their headers', () => {
    const flags = { staticPathPrefixes: ['/_next/static/'] };
    const d = decide(req({ url: 'https://example.com/_next/static/app.js?v=1' }), res({ 'cache-control': 'no-store' }), flags);
    expect(d).toMatchObject({ storable: true, reason: 'static', rule: 'R48' });
    expect(d.freshness.source).toBe('static');
    expect(decide(req({ url: 'https://example.com/page' }), res({ 'cache-control': 'no-store' }), flags).storable).toBe(false);
  });
});
