import { describe, expect, test } from 'vitest';
import {
  appendCacheStatus, applyPurge, CACHE_SERVED_STATUSES, evaluate, planRequest, reportLayer, revalidationOutcome, storable,
  type LayerFacts, type StoredEntry,
} from '../../../sw/policy/index.ts';
import { browser, edge, req, res, seconds, store, T0 } from './fixtures.ts';

const p = edge();
const OK = res({ 'cache-control': 's-maxage=60, stale-while-revalidate=30' });
const lookup = (entry: StoredEntry | null, ms: number, headers: Record<string, string> = {}) =>
  evaluate(p, { entries: entry, request: req({ headers }), now: T0 + ms });
const facts = (f: Omit<LayerFacts, 'layer' | 'plan'> & { plan?: LayerFacts['plan'] }): LayerFacts => ({
  layer: 'edge', plan: f.plan ?? { action: 'lookup' }, ...f,
});

describe('x-vercel-cache statuses and reasons (semantics.md §7) and Cache-Status', () => {
  test('R62: HIT for a fresh entry, with a Cache-Status hit and ttl', () => {
    const r = reportLayer(facts({ evaluation: lookup(store(p, OK), seconds(10)) }));
    expect(r.xVercelCache).toEqual({ status: 'HIT', reason: null });
    expect(r.cacheStatus).toBe('edge; hit; ttl=50');
  });

  test('R62: MISS / cold for the first request of a cacheable key, with fwd=uri-miss and stored', () => {
    const storage = storable(p, { request: req(), response: OK });
    const r = reportLayer(facts({ evaluation: lookup(null, 0), upstreamStatus: 200, storage, ttl: 60 }));
    expect(r.xVercelCache).toEqual({ status: 'MISS', reason: 'cold' });
    expect(r.cacheStatus).toBe('edge; fwd=uri-miss; fwd-status=200; ttl=60; stored');
  });

  test('R62/R59: MISS / collapsed when the request waited for an in-flight fetch', () => {
    const storage = storable(p, { request: req(), response: OK });
    const r = reportLayer(facts({ evaluation: lookup(null, 0), upstreamStatus: 200, storage, collapsed: true }));
    expect(r.xVercelCache).toEqual({ status: 'MISS', reason: 'collapsed' });
    expect(r.cacheStatus).toContain('collapsed');
  });

  test('R62: MISS / error when the cache storage read failed', () => {
    const r = reportLayer(facts({ storageError: true, upstreamStatus: 200 }));
    expect(r.xVercelCache).toEqual({ status: 'MISS', reason: 'error' });
    expect(r.cacheStatus).toBe('edge; fwd=miss; fwd-status=200; detail=storage-error');
  });

  test('R62: MISS / error whenever the storage read failed, even after the lookup said fresh, stale or deleted (POLICY-REQUESTS 01:14)', () => {
    const e = store(p, OK);
    const deleted = applyPurge(e, { kind: 'delete', tags: '*', at: T0 }) as StoredEntry;
    for (const evaluation of [lookup(e, seconds(10)), lookup(e, seconds(70)), lookup(e, seconds(200)), lookup(deleted, seconds(1))]) {
      const r = reportLayer(facts({ evaluation, storageError: true, upstreamStatus: 200 }));
      expect(r.xVercelCache).toEqual({ status: 'MISS', reason: 'error' });
      expect(r.cacheStatus).toBe('edge; fwd=miss; fwd-status=200; detail=storage-error');
    }
    expect(lookup(e, seconds(10)).action).toBe('fresh'); // the case the worker used to work around
  });

  test('R62: STALE / stale_time inside the SWR window, STALE / stale_tag after a tag invalidation', () => {
    const e = store(p, OK);
    expect(reportLayer(facts({ evaluation: lookup(e, seconds(70)) })).xVercelCache).toEqual({ status: 'STALE', reason: 'stale_time' });
    const marked = applyPurge(e, { kind: 'invalidate', tags: '*', at: T0 + 1 }) as StoredEntry;
    const r = reportLayer(facts({ evaluation: lookup(marked, seconds(5)) }));
    expect(r.xVercelCache).toEqual({ status: 'STALE', reason: 'stale_tag' });
    expect(r.cacheStatus).toBe('edge; hit; ttl=55; detail=tag-invalidated');
  });

  test('R62/R58: STALE / stale_error when revalidation failed and stale content was served', () => {
    const revalidation = { action: 'serve-stale', reason: 'revalidation-error' } as const;
    const r = reportLayer(facts({ evaluation: lookup(store(p, OK), seconds(95)), upstreamStatus: 500, revalidation }));
    expect(r.xVercelCache).toEqual({ status: 'STALE', reason: 'stale_error' });
  });

  test('R62/R79: REVALIDATED after a tag deletion', () => {
    const marked = applyPurge(store(p, OK), { kind: 'delete', tags: '*', at: T0 }) as StoredEntry;
    const storage = storable(p, { request: req(), response: OK });
    const r = reportLayer(facts({ evaluation: lookup(marked, 1000), upstreamStatus: 200, storage }));
    expect(r.xVercelCache).toEqual({ status: 'REVALIDATED', reason: 'tag_deleted' });
    expect(r.cacheStatus).toContain('fwd=stale');
  });

  test('R56/R67: REVALIDATED when Pragma: no-cache forced a synchronous revalidation', () => {
    const ev = lookup(store(p, OK), seconds(70), { pragma: 'no-cache' });
    const r = reportLayer(facts({ evaluation: ev, upstreamStatus: 200, storage: storable(p, { request: req(), response: OK }) }));
    expect(r.xVercelCache).toEqual({ status: 'REVALIDATED', reason: 'forced' });
    expect(r.cacheStatus).toContain('fwd=request');
  });

  test('R60: MISS (expired, demo-only id) once the SWR window has elapsed', () => {
    const ev = lookup(store(p, OK), seconds(1000));
    const r = reportLayer(facts({ evaluation: ev, upstreamStatus: 200, storage: storable(p, { request: req(), response: OK }) }));
    expect(r.xVercelCache).toEqual({ status: 'MISS', reason: 'expired' });
    expect(r.cacheStatus).toContain('fwd=stale');
  });

  test('R63/R64: an unremarkable MISS on a dynamic response carries no reason', () => {
    const storage = storable(p, { request: req(), response: res({ 'cache-control': 'private' }) });
    const r = reportLayer(facts({ evaluation: lookup(null, 0), upstreamStatus: 200, storage }));
    expect(r.xVercelCache).toEqual({ status: 'MISS', reason: null });
    expect(r.cacheStatus).toBe('edge; fwd=uri-miss; fwd-status=200; detail=private');
  });

  test('R65: BYPASS only for the documented triggers', () => {
    for (const trigger of ['draft_mode', 'prerender_bypass', 'crawler'] as const) {
      expect(reportLayer(facts({ bypass: trigger, upstreamStatus: 200 })).xVercelCache).toEqual({ status: 'BYPASS', reason: trigger });
    }
  });

  test('R66: uncacheable requests (Authorization, Range) are MISS without reason; non-GET/HEAD get no header', () => {
    const auth = planRequest(p, req({ headers: { authorization: 'x' } }));
    expect(reportLayer(facts({ plan: auth, upstreamStatus: 200 })).xVercelCache).toEqual({ status: 'MISS', reason: null });
    const post = planRequest(p, req({ method: 'POST' }));
    const r = reportLayer(facts({ plan: post, upstreamStatus: 201 }));
    expect(r.xVercelCache).toBeNull();
    expect(r.cacheStatus).toBe('edge; fwd=method; fwd-status=201');
    expect(reportLayer(facts({ plan: planRequest(p, req({ method: 'OPTIONS' })) })).xVercelCache).toBeNull();
  });

  test('R62: PRERENDER when served from static/prerender storage', () => {
    expect(reportLayer(facts({ evaluation: lookup(store(p, OK), 1000), prerender: true })).xVercelCache?.status).toBe('PRERENDER');
  });

  test('R69: HIT, STALE and PRERENDER count as served from cache', () => {
    expect([...CACHE_SERVED_STATUSES].sort()).toEqual(['HIT', 'PRERENDER', 'STALE']);
  });

  test('RFC 9211: members are appended origin side first and use fwd=vary-miss / fwd=request', () => {
    const b = browser();
    const s = store(b, res({ 'cache-control': 'max-age=60', vary: 'X-A' }), { request: req({ headers: { 'x-a': '1' } }) });
    const vary = evaluate(b, { entries: s, request: req({ headers: { 'x-a': '2' } }), now: T0 });
    const member = reportLayer({ layer: 'browser', plan: { action: 'lookup' }, evaluation: vary, upstreamStatus: 200 }).cacheStatus;
    expect(member).toBe('browser; fwd=vary-miss; fwd-status=200');
    expect(appendCacheStatus('edge; hit', member)).toBe('edge; hit, browser; fwd=vary-miss; fwd-status=200');
    expect(appendCacheStatus(undefined, 'edge; hit')).toBe('edge; hit');
    const reload = planRequest(b, req({ cache: 'reload' }));
    expect(reportLayer({ layer: 'browser', plan: reload, upstreamStatus: 200 }).cacheStatus).toBe('browser; fwd=request; fwd-status=200; detail=reload');
  });

  test('RFC 9211: a 304 revalidation reports fwd=stale, fwd-status=304 and stored', () => {
    const b = browser();
    const e = store(b, res({ 'cache-control': 'max-age=1', etag: '"a"' }));
    const ev = evaluate(b, { entries: e, request: req(), now: T0 + seconds(5) });
    const revalidation = revalidationOutcome(b, { entry: e, request: req(), upstream: { response: res({ etag: '"a"', 'cache-control': 'max-age=60' }, 304) }, requestTime: T0 + seconds(5), responseTime: T0 + seconds(5) });
    const r = reportLayer({ layer: 'browser', plan: { action: 'lookup' }, evaluation: ev, upstreamStatus: 304, revalidation });
    expect(r.cacheStatus).toBe('browser; fwd=stale; fwd-status=304; stored');
    expect(r.reason).toBe('not-modified');
  });
});
