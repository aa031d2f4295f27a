import { describe, expect, test } from 'vitest';
import {
  appendCacheStatus, cacheKey, conditionalMatches, createStoredEntry, currentAge, evaluate, notModifiedHeaders, planRequest, reportLayer,
  revalidationOutcome, rewriteForDownstream, storable, xVercelCache, type LayerPolicy, type RequestInfo, type ResponseInfo,
  type StoredEntry,
} from '../../../sw/policy/index.ts';
import { browser, edge, policy, req, res, seconds, store, T0 } from './fixtures.ts';

describe('edge → cdn chain', () => {
  // A fuzz finding (issue 14): u1's answer, stored by the cdn because the edge's R31 default said
  // `public`, was handed to u2 after a 304 from an origin whose ETag does not depend on the user.
  test('RFC 9111 §3.5: the cdn never stores the edge\'s answer to an Authorization request the origin did not allow to share', () => {
    const e = edge();
    const cdn = policy('cdn');
    const u1 = req({ headers: { authorization: 'Bearer u1' } });
    const origins: Record<string, string>[] = [{ etag: '"a"' }, { 'vercel-cdn-cache-control': 'max-age=60', etag: '"a"' }, { 'cache-control': 'stale-while-revalidate=9', etag: '"a"' }];
    for (const origin of origins) {
      const handed = rewriteForDownstream(e, { headers: origin, authorizedRequest: true }).headers;
      expect(storable(cdn, { request: u1, response: res(handed), responseTime: T0 })).toMatchObject({ storable: false });
    }
    // The origin allowed sharing (s-maxage): the cdn may keep it (RFC 9111 §3.5), as before.
    const shared = rewriteForDownstream(e, { headers: { 'cache-control': 's-maxage=60', etag: '"a"' }, authorizedRequest: true }).headers;
    expect(storable(cdn, { request: u1, response: res(shared), responseTime: T0 }).storable).toBe(true);
  });
});

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

/**
 * One layer as the worker runs it (sw/layers/cache-layer.ts), reduced to the policy calls: look up,
 * revalidate with the stored validators, merge a 304 (R149), answer the caller's own conditional with a
 * 304 (R151/R152), rewrite for downstream, append the layer's Cache-Status member.
 */
interface Layer { readonly policy: LayerPolicy; entry: StoredEntry | null }
type Upstream = (request: RequestInfo, now: number) => ResponseInfo;

function through(layer: Layer, upstream: Upstream): Upstream {
  return (request, now) => {
    const p = layer.policy;
    const plan = planRequest(p, request);
    const ev = evaluate(p, { entries: layer.entry, request, now });
    const finish = (headers: Record<string, string>, status: number, facts: Parameters<typeof reportLayer>[0]): ResponseInfo => {
      const report = reportLayer(facts);
      const out: Record<string, string> = { ...headers, 'cache-status': appendCacheStatus(headers['cache-status'], report.cacheStatus) };
      if (p.layer.name === 'edge' && report.xVercelCache) out['x-vercel-cache'] = report.xVercelCache.status;
      return { status, headers: out };
    };
    const serveStored = (entry: StoredEntry, facts: Parameters<typeof reportLayer>[0]): ResponseInfo => {
      const rewritten = rewriteForDownstream(p, { headers: entry.headers, ageSeconds: currentAge({ ...entry, now }) }).headers;
      const notModified = conditionalMatches(entry, request);
      return finish(notModified ? notModifiedHeaders(rewritten) : rewritten, notModified ? 304 : entry.status, facts);
    };
    if (ev.action === 'fresh') return serveStored(ev.entry, { layer: p.layer.name, plan, evaluation: ev });
    if (ev.action === 'revalidate') {
      const answer = upstream({ ...request, headers: { ...request.headers, ...ev.revalidation.headers } }, now);
      const outcome = revalidationOutcome(p, { entry: ev.entry, request, upstream: { response: answer }, requestTime: now, responseTime: now });
      if (outcome.action !== 'update') throw new Error(`unexpected ${outcome.action}`);
      layer.entry = outcome.entry;
      return serveStored(outcome.entry, { layer: p.layer.name, plan, evaluation: ev, upstreamStatus: 304, revalidation: outcome });
    }
    const answer = upstream(request, now);
    const storage = storable(p, { request, response: answer, responseTime: now });
    if (storage.storable) {
      layer.entry = createStoredEntry(p, { key: cacheKey(p, request), request, response: answer, decision: storage, requestTime: now, responseTime: now });
    }
    const rewritten = rewriteForDownstream(p, { headers: answer.headers, selection: storage.selection }).headers;
    return finish(rewritten, answer.status, { layer: p.layer.name, plan, evaluation: ev, upstreamStatus: answer.status, storage });
  };
}

const layersOf = (cacheStatus: string | undefined) => (cacheStatus ?? '').split(',').map((m) => m.trim().split(';')[0]);

describe('304s between layers (R149, R151, R152, RFC 9211)', () => {
  // DEFECTS 01:16 (fuzz seed 978995991): a page-side layer freshened through a 304 from the layer above
  // lost the upstream layers' Cache-Status members.
  test('RFC 9211/R149: browser ← cdn ← edge freshened by 304s at every hop keeps one Cache-Status member per layer', () => {
    const origin: Upstream = (request, now) => {
      const headers = { etag: '"r1"', 'cache-control': 'max-age=1, s-maxage=1', date: new Date(now).toUTCString() };
      return request.headers['if-none-match'] === '"r1"' ? res(headers, 304) : res(headers);
    };
    const chain = [{ policy: browser(), entry: null }, { policy: policy('cdn'), entry: null }, { policy: edge(), entry: null }] as Layer[];
    const page = chain.reduceRight<Upstream>((up, layer) => through(layer, up), origin);
    for (const at of [0, 10, 20]) {
      const seen = page(req(), T0 + seconds(at));
      expect(seen.status).toBe(200);
      expect(layersOf(seen.headers['cache-status'])).toEqual(['edge', 'cdn', 'browser']);
      expect(seen.headers['x-vercel-cache']).toBe('MISS'); // R60: cold, then expired and revalidated
    }
    expect(layersOf(chain[0]?.entry?.headers['cache-status'])).toEqual(['edge', 'cdn']); // what the browser keeps
  });

  test('R33/R157: a 304 from a fresh upstream store carries its Age, so the page-side copy ages from it', () => {
    const e = edge();
    // The edge's copy arrived with Age: 100 (an origin-side cache), so its Date understates its age.
    const headers = { etag: '"r1"', 'cache-control': 'max-age=600', 'cdn-cache-control': 'max-age=3600', date: new Date(T0).toUTCString(), age: '100' };
    const edgeLayer: Layer = { policy: e, entry: store(e, res(headers)) };
    const origin: Upstream = () => {
      throw new Error('the edge copy is fresh: the origin must not be asked');
    };
    const b: Layer = { policy: browser(), entry: null };
    const page = through(b, through(edgeLayer, origin));
    expect(page(req(), T0 + seconds(10)).headers['age']).toBe('110'); // fills the browser copy from the edge hit
    const seen = page(req(), T0 + seconds(1800)); // the browser copy expired at 490 s: revalidated, the edge answers 304
    expect(seen.status).toBe(200);
    expect(b.entry?.initialAge).toBe(1900);
    expect(seen.headers['age']).toBe('1900');
    expect(layersOf(seen.headers['cache-status'])).toEqual(['edge', 'browser']);
    expect(seen.headers['cache-status']).toContain('edge; hit');
  });
});
