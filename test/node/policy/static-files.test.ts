import { describe, expect, test } from 'vitest';
import { cacheKey, evaluate, isStaticRequest, storable } from '../../../sw/policy/index.ts';
import { edge, req, res, seconds, store, T0 } from './fixtures.ts';

/** A build's exact static-file list (what tiercache/vite passes the worker), not a guessed prefix. */
const built = () => edge({ staticPaths: new Set(['/', '/index.html', '/assets/index-1a2b.js']) });
const url = (path: string) => `https://example.com${path}`;

describe('R48: the exact static files of a build', () => {
  test('R48: listed paths are static files, others (even under the same folder) are not', () => {
    expect(isStaticRequest(built(), url('/assets/index-1a2b.js'))).toBe(true);
    expect(isStaticRequest(built(), url('/'))).toBe(true);
    expect(isStaticRequest(built(), url('/assets/other.js'))).toBe(false);
    expect(isStaticRequest(built(), url('/api/products'))).toBe(false);
  });

  test('R48: a listed file is stored whatever its headers; the query is ignored in its edge key', () => {
    const decision = storable(built(), { request: req({ url: url('/assets/index-1a2b.js') }), response: res({ 'cache-control': 'no-store' }) });
    expect(decision).toMatchObject({ storable: true, reason: 'static', rule: 'R48' });
    expect(cacheKey(built(), req({ url: url('/assets/index-1a2b.js?v=2') }))).toBe(cacheKey(built(), req({ url: url('/assets/index-1a2b.js') })));
    expect(cacheKey(built(), req({ url: url('/api/products?v=2') }))).not.toBe(cacheKey(built(), req({ url: url('/api/products') })));
  });

  test('R48: a static file served with Cache-Control: no-cache is still fresh at the edge a day later (no bypass)', () => {
    const request = req({ url: url('/assets/index-1a2b.js') });
    const entry = store(built(), res({ 'cache-control': 'no-cache', etag: '"a"' }), { request });
    expect(evaluate(built(), { entries: entry, request, now: T0 + seconds(86_400) }).action).toBe('fresh');
  });
});
