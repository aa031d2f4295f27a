import { describe, expect, test } from 'vitest';
import { applyPurge, evaluate, revalidationOutcome, type StoredEntry } from '../../../sw/policy/index.ts';
import { edge, policy, req, res, seconds, store, T0 } from './fixtures.ts';

const SWR = { 'cache-control': 's-maxage=60, stale-while-revalidate=30', etag: '"v1"' };
const at = (entry: StoredEntry, ms: number, headers: Record<string, string> = {}) =>
  evaluate(edge(), { entries: entry, request: req({ headers }), now: T0 + ms });

describe('edge revalidation mechanics (semantics.md §6) and tag marks', () => {
  test('R12: fresh → HIT; within the SWR window → serve stale and refresh in the background; after → synchronous', () => {
    const e = store(edge(), res(SWR));
    expect(at(e, seconds(59))).toMatchObject({ action: 'fresh', reason: 'fresh' });
    const stale = at(e, seconds(60));
    expect(stale).toMatchObject({ action: 'stale-while-revalidate', reason: 'stale-time' });
    expect(stale.action === 'stale-while-revalidate' && stale.revalidation.headers).toEqual({ 'if-none-match': '"v1"' });
    expect(at(e, seconds(89))).toMatchObject({ action: 'stale-while-revalidate' });
    expect(at(e, seconds(90))).toMatchObject({ action: 'revalidate', reason: 'stale' });
  });

  test('R12: the first request for a key is a synchronous miss', () => {
    expect(evaluate(edge(), { entries: null, request: req(), now: T0 })).toMatchObject({ action: 'miss', reason: 'no-entry' });
    expect(evaluate(edge(), { entries: [], request: req(), now: T0 })).toMatchObject({ action: 'miss', reason: 'no-entry' });
  });

  test('R56: Pragma: no-cache makes the edge revalidate a stale entry synchronously', () => {
    expect(at(store(edge(), res(SWR)), seconds(70), { pragma: 'no-cache' })).toMatchObject({ action: 'revalidate', reason: 'pragma-no-cache' });
  });

  test('R56/A15: Pragma: no-cache leaves a fresh edge entry a HIT', () => {
    expect(at(store(edge(), res(SWR)), seconds(10), { pragma: 'no-cache' })).toMatchObject({ action: 'fresh' });
  });

  test('R57: request Cache-Control directives are ignored at the edge', () => {
    const e = store(edge(), res(SWR));
    for (const cc of ['no-cache', 'max-age=0', 'no-store', 'min-fresh=9999', 'only-if-cached']) {
      expect(at(e, seconds(10), { 'cache-control': cc })).toMatchObject({ action: 'fresh', reason: 'fresh' });
    }
  });

  test('R58: a failed background refresh keeps the last good copy (Revalidation error)', () => {
    const e = store(edge(), res(SWR));
    for (const upstream of [{ response: res({}, 500) }, { networkError: true as const }]) {
      const o = revalidationOutcome(edge(), { entry: e, request: req(), upstream, requestTime: T0 + seconds(61), responseTime: T0 + seconds(61), background: true });
      expect(o).toEqual({ action: 'serve-stale', reason: 'revalidation-error' });
    }
  });

  test('R60: once the SWR window has elapsed, the edge fetches synchronously', () => {
    expect(at(store(edge(), res(SWR)), seconds(1000))).toMatchObject({ action: 'revalidate', reason: 'stale', staleIfErrorUntil: null });
  });

  test('R61/R14: a foreground error with no usable stale entry passes through unstored (vercel edge has no SIE)', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=60, stale-if-error=600' }));
    const o = revalidationOutcome(edge(), { entry: e, request: req(), upstream: { response: res({}, 503) }, requestTime: T0 + seconds(70), responseTime: T0 + seconds(70) });
    expect(o).toEqual({ action: 'forward-error', reason: 'error-response' });
    const n = revalidationOutcome(edge(), { entry: e, request: req(), upstream: { networkError: true }, requestTime: T0 + seconds(70), responseTime: T0 + seconds(70) });
    expect(n).toEqual({ action: 'forward-error', reason: 'network-error' });
  });

  test('R47/A13: a revalidation that returns a non-storable response deletes the old entry', () => {
    const e = store(edge(), res(SWR));
    const o = revalidationOutcome(edge(), { entry: e, request: req(), upstream: { response: res({ 'cache-control': 'private' }) }, requestTime: T0, responseTime: T0 + seconds(100) });
    expect(o).toMatchObject({ action: 'delete', reason: 'not-storable' });
  });

  test('R19: must-revalidate at the edge means no stale serving even inside an SWR window', () => {
    const e = store(edge(), res({ 'cdn-cache-control': 'max-age=60, stale-while-revalidate=30, must-revalidate' }));
    expect(at(e, seconds(65))).toMatchObject({ action: 'revalidate', reason: 'stale', mustRevalidate: true });
  });

  test('R78: invalidateByTag makes the next request STALE with a background refresh, even without SWR', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 'product, Home' }));
    const marked = applyPurge(e, { kind: 'invalidate', tags: ['product'], at: T0 + seconds(10) });
    expect(marked).not.toBeNull();
    expect(at(marked as StoredEntry, seconds(11))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
  });

  // Fuzz finding (issue 14), cdn layer (rfc9111): `s-maxage=0, stale-while-revalidate=60`, 400 s old,
  // then invalidateByTag: the mark made a long-expired copy servable again (content 400 s old served).
  test('R78/R60: a tag mark never makes an entry past its stale window servable again: it is revalidated synchronously', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=60', 'vercel-cache-tag': 't' }));
    const markedLate = applyPurge(e, { kind: 'invalidate', tags: ['t'], at: T0 + seconds(100) }) as StoredEntry;
    expect(at(markedLate, seconds(101))).toMatchObject({ action: 'revalidate', reason: 'stale' });
    const markedFresh = applyPurge(e, { kind: 'invalidate', tags: ['t'], at: T0 + seconds(10) }) as StoredEntry;
    expect(at(markedFresh, seconds(11))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
    expect(at(markedFresh, seconds(61))).toMatchObject({ action: 'revalidate', reason: 'stale' });
    const withSwr = store(policy('cdn'), res({ 'cdn-cache-control': 'max-age=0, s-maxage=0, stale-while-revalidate=60', 'vercel-cache-tag': 't' }));
    const cdnMarked = applyPurge(withSwr, { kind: 'invalidate', tags: ['t'], at: T0 + seconds(400) }) as StoredEntry;
    expect(evaluate(policy('cdn'), { entries: cdnMarked, request: req(), now: T0 + seconds(401) })).toMatchObject({ action: 'revalidate', reason: 'stale' });
    const cdnInWindow = applyPurge(withSwr, { kind: 'invalidate', tags: ['t'], at: T0 + seconds(30) }) as StoredEntry;
    expect(evaluate(policy('cdn'), { entries: cdnInWindow, request: req(), now: T0 + seconds(31) })).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
    // R79 with a deadline: within it, stale only while the copy is still servable by time.
    const deleting = applyPurge(e, { kind: 'delete', tags: ['t'], revalidationDeadlineSeconds: 30, at: T0 + seconds(50) }) as StoredEntry;
    expect(at(deleting, seconds(55))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-delete-deadline' });
    expect(at(deleting, seconds(65))).toMatchObject({ action: 'revalidate', reason: 'stale' });
  });

  test('R78: a purge does not touch entries stored after it, nor entries without the tag (tags are case-sensitive, R72)', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 'product' }), { at: T0 + seconds(20) });
    expect(applyPurge(e, { kind: 'invalidate', tags: ['product'], at: T0 + seconds(10) })).toBeNull();
    expect(applyPurge(e, { kind: 'invalidate', tags: ['Product'], at: T0 + seconds(30) })).toBeNull();
    expect(applyPurge(e, { kind: 'invalidate', tags: '*', at: T0 + seconds(30) })).not.toBeNull();
  });

  test('R78/R19: a tag-invalidated entry under must-revalidate is revalidated synchronously', () => {
    const e = store(edge(), res({ 'cdn-cache-control': 'max-age=600, must-revalidate', 'vercel-cache-tag': 't' }));
    const marked = applyPurge(e, { kind: 'invalidate', tags: ['t'], at: T0 + 1 }) as StoredEntry;
    expect(at(marked, seconds(5))).toMatchObject({ action: 'revalidate', reason: 'tag-invalidated' });
  });

  test('R78, RFC 9111 §5.2.1.4: a marked copy is never the answer to a no-cache request (a layer below refreshing its own purged copy) nor one whose response said no-cache (R135)', () => {
    const cdnEntry = store(policy('cdn'), res({ 'cache-control': 'max-age=3600, s-maxage=3600', 'vercel-cache-tag': 't' }));
    const marked = applyPurge(cdnEntry, { kind: 'invalidate', tags: ['t'], at: T0 + 1 }) as StoredEntry;
    const cdnAt = (entry: StoredEntry, headers: Record<string, string>) => evaluate(policy('cdn'), { entries: entry, request: req({ headers }), now: T0 + seconds(5) });
    expect(cdnAt(marked, {})).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
    expect(cdnAt(marked, { 'cache-control': 'no-cache', pragma: 'no-cache' })).toMatchObject({ action: 'revalidate', reason: 'request-no-cache' });
    const noCache = store(policy('cdn'), res({ 'cache-control': 's-maxage=3600, no-cache', 'vercel-cache-tag': 't', etag: '"a"' }));
    const markedNoCache = applyPurge(noCache, { kind: 'invalidate', tags: ['t'], at: T0 + 1 }) as StoredEntry;
    expect(cdnAt(markedNoCache, {})).toMatchObject({ action: 'revalidate', reason: 'no-cache' });
    // R57: the edge still ignores request directives, purged copy or not.
    const edgeMarked = applyPurge(store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 't' })), { kind: 'invalidate', tags: ['t'], at: T0 + 1 }) as StoredEntry;
    expect(at(edgeMarked, seconds(5), { 'cache-control': 'no-cache' })).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-invalidated' });
  });

  test('R79: dangerouslyDeleteByTag with deadline 0 → the next request waits for the origin (entry deleted)', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 't' }));
    const marked = applyPurge(e, { kind: 'delete', tags: ['t'], at: T0 + seconds(1) }) as StoredEntry;
    expect(at(marked, seconds(1))).toMatchObject({ action: 'miss', reason: 'tag-deleted', deleteEntry: true });
  });

  test('R79: with a deadline N, requests within N seconds get stale content, after N the entry is deleted', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 't' }));
    const marked = applyPurge(e, { kind: 'delete', tags: ['t'], at: T0 + seconds(10), revalidationDeadlineSeconds: 30 }) as StoredEntry;
    expect(at(marked, seconds(20))).toMatchObject({ action: 'stale-while-revalidate', reason: 'tag-delete-deadline' });
    expect(at(marked, seconds(40))).toMatchObject({ action: 'miss', reason: 'tag-deleted' });
  });

  test('R79: a later purge never extends an earlier deletion deadline', () => {
    const e = store(edge(), res({ 'cache-control': 's-maxage=600', 'vercel-cache-tag': 't' }));
    const first = applyPurge(e, { kind: 'delete', tags: ['t'], at: T0 + seconds(10), revalidationDeadlineSeconds: 5 }) as StoredEntry;
    const second = applyPurge(first, { kind: 'delete', tags: ['t'], at: T0 + seconds(11), revalidationDeadlineSeconds: 100 }) as StoredEntry;
    expect(second.deleteAt).toBe(T0 + seconds(15));
  });
});
