import { describe, expect, test } from 'vitest';
import {
  cacheKey, createStoredEntry, evaluate, planRequest, reportLayer, rewriteForDownstream, storable, xVercelCache,
} from '../../../sw/policy/index.ts';
import { browser, edge, req, res, seconds, store, T0 } from './fixtures.ts';

describe('edge → browser chain', () => {
  test('R33: stored with max-age=600 and CDN-Cache-Control max-age=3600, served at age 1800 → BROWSER treats it as stale on arrival', () => {
    const e = edge();
    const stored = store(e, res({ 'cache-control': 'max-age=600', 'cdn-cache-control': 'max-age=3600' }));
    const now = T0 + seconds(1800);
    const hit = evaluate(e, { entries: stored, request: req(), now });
    expect(hit.action).toBe('fresh');
    if (hit.action !== 'fresh') return;
    const forwarded = rewriteForDownstream(e, { headers: stored.headers, ageSeconds: hit.age });
    expect(forwarded.headers['age']).toBe('1800');
    const b = browser();
    const response = res(forwarded.headers);
    const decision = storable(b, { request: req(), response, responseTime: now });
    const entry = createStoredEntry(b, { key: cacheKey(b, req()), request: req(), response, decision, requestTime: now, responseTime: now });
    expect(evaluate(b, { entries: entry, request: req(), now }).action).toBe('revalidate');
  });

  test('R33/A8: with ageMitigation the browser gets its full max-age', () => {
    const e = edge({ ageMitigation: true });
    const stored = store(e, res({ 'cache-control': 'max-age=600', 'cdn-cache-control': 'max-age=3600' }));
    const now = T0 + seconds(1800);
    const forwarded = rewriteForDownstream(e, { headers: stored.headers, ageSeconds: 1800 });
    const b = browser();
    const response = res(forwarded.headers);
    const decision = storable(b, { request: req(), response, responseTime: now });
    const entry = createStoredEntry(b, { key: cacheKey(b, req()), request: req(), response, decision, requestTime: now, responseTime: now });
    expect(evaluate(b, { entries: entry, request: req(), now: now + seconds(599) }).action).toBe('fresh');
  });

  test('R32: the edge reports x-vercel-cache for GET/HEAD responses', () => {
    const e = edge();
    for (const method of ['GET', 'HEAD']) {
      const request = req({ method });
      const storage = storable(e, { request, response: res({ 'cache-control': 's-maxage=5' }) });
      expect(xVercelCache({ layer: 'edge', plan: planRequest(e, request), upstreamStatus: 200, storage })?.status).toBe('MISS');
    }
  });

  test('R59: the report of a collapsed request says so in both headers', () => {
    const e = edge();
    const storage = storable(e, { request: req(), response: res({ 'cache-control': 's-maxage=5' }) });
    const r = reportLayer({ layer: 'edge', plan: { action: 'lookup' }, upstreamStatus: 200, storage, collapsed: true });
    expect(r.xVercelCache?.reason).toBe('collapsed');
    expect(r.cacheStatus).toBe('edge; fwd=uri-miss; fwd-status=200; stored; collapsed');
  });
});
