import { describe, expect, test } from 'vitest';
import { evaluate, planRequest, rewriteForDownstream, upstreamRequestHeaders, type StoredEntry } from '../../../sw/policy/index.ts';
import { browser, policy, req, res, seconds, store, T0 } from './fixtures.ts';

const at = (entry: StoredEntry | null, ms: number, overrides: Parameters<typeof req>[0] = {}) =>
  evaluate(browser(), { entries: entry, request: req(overrides), now: T0 + ms });
const entry = () => store(browser(), res({ 'cache-control': 'max-age=100', etag: '"e"' }));

describe('request directives and fetch cache modes (R156)', () => {
  test('R156: request no-store bypasses the cache and does not store', () => {
    expect(planRequest(browser(), req({ headers: { 'cache-control': 'no-store' } }))).toEqual({ action: 'bypass', reason: 'request-no-store', store: false });
    expect(at(entry(), 1, { headers: { 'cache-control': 'no-store' } })).toMatchObject({ action: 'miss', reason: 'request-bypass' });
  });

  test('R156: request no-cache and max-age=0 force validation of a fresh entry', () => {
    expect(at(entry(), seconds(5), { headers: { 'cache-control': 'no-cache' } })).toMatchObject({ action: 'revalidate', reason: 'request-no-cache' });
    expect(at(entry(), seconds(5), { headers: { 'cache-control': 'max-age=0' } })).toMatchObject({ action: 'revalidate', reason: 'request-max-age' });
    expect(at(entry(), seconds(5), { headers: { 'cache-control': 'max-age=10' } })).toMatchObject({ action: 'fresh' });
  });

  test('R156: min-fresh requires the entry to stay fresh that long', () => {
    expect(at(entry(), seconds(50), { headers: { 'cache-control': 'min-fresh=60' } })).toMatchObject({ action: 'revalidate', reason: 'min-fresh' });
    expect(at(entry(), seconds(30), { headers: { 'cache-control': 'min-fresh=60' } })).toMatchObject({ action: 'fresh' });
  });

  test('R156: max-stale accepts a stale entry up to N s (bare: any staleness)', () => {
    expect(at(entry(), seconds(150), { headers: { 'cache-control': 'max-stale=60' } })).toMatchObject({ action: 'fresh', reason: 'max-stale', stale: true });
    expect(at(entry(), seconds(170), { headers: { 'cache-control': 'max-stale=60' } })).toMatchObject({ action: 'revalidate' });
    expect(at(entry(), seconds(99999), { headers: { 'cache-control': 'max-stale' } })).toMatchObject({ action: 'fresh', reason: 'max-stale' });
  });

  test('R156: max-stale never unlocks what shared-cache rules forbid (s-maxage implies proxy-revalidate)', () => {
    const p = policy('cdn');
    const e = store(p, res({ 'cache-control': 's-maxage=10' }));
    expect(evaluate(p, { entries: e, request: req({ headers: { 'cache-control': 'max-stale=600' } }), now: T0 + seconds(20) }).action).toBe('revalidate');
  });

  test('R156: only-if-cached uses any stored response, or is unavailable (504)', () => {
    expect(at(entry(), seconds(500), { headers: { 'cache-control': 'only-if-cached' } })).toMatchObject({ action: 'fresh', reason: 'only-if-cached', stale: true });
    expect(at(null, 0, { cache: 'only-if-cached' })).toEqual({ action: 'unavailable', reason: 'only-if-cached' });
  });

  test('R156: Pragma: no-cache counts as no-cache only when Cache-Control is absent', () => {
    expect(at(entry(), seconds(5), { headers: { pragma: 'no-cache' } })).toMatchObject({ action: 'revalidate', reason: 'request-no-cache' });
    expect(at(entry(), seconds(5), { headers: { pragma: 'no-cache', 'cache-control': 'max-age=60' } })).toMatchObject({ action: 'fresh' });
  });

  test.each([
    ['default', 'fresh'],
    ['no-cache', 'revalidate'],
    ['force-cache', 'fresh'],
    ['only-if-cached', 'fresh'],
    ['no-store', 'miss'],
    ['reload', 'miss'],
  ] as const)('R156: cache mode %s on a fresh entry → %s', (mode, action) => {
    expect(at(entry(), seconds(5), { cache: mode }).action).toBe(action);
  });

  test('R156: force-cache serves a stale entry without revalidation', () => {
    expect(at(entry(), seconds(5000), { cache: 'force-cache' })).toMatchObject({ action: 'fresh', reason: 'force-cache', stale: true });
  });

  test('R156: reload bypasses the lookup but stores the result; no-store does neither', () => {
    expect(planRequest(browser(), req({ cache: 'reload' }))).toEqual({ action: 'bypass', reason: 'reload', store: true });
    expect(planRequest(browser(), req({ cache: 'no-store' }))).toEqual({ action: 'bypass', reason: 'request-no-store', store: false });
    expect(planRequest(policy('cdn'), req({ cache: 'reload' }))).toEqual({ action: 'lookup' });
  });

  test('R156: reload/no-store/no-cache add the Fetch standard request headers upstream (so the edge sees Pragma)', () => {
    expect(upstreamRequestHeaders(browser(), req({ cache: 'reload' }))).toEqual({ pragma: 'no-cache', 'cache-control': 'no-cache' });
    expect(upstreamRequestHeaders(browser(), req({ cache: 'no-cache' }))).toEqual({ 'cache-control': 'max-age=0' });
    expect(upstreamRequestHeaders(browser(), req({ cache: 'no-cache', headers: { 'cache-control': 'x' } }))).toEqual({});
    expect(upstreamRequestHeaders(policy('cdn'), req({ cache: 'reload' }))).toEqual({});
  });

  test('R157: a cache serving a stored response sends Age', () => {
    const ev = at(entry(), seconds(42.5));
    expect(ev.action).toBe('fresh');
    if (ev.action !== 'fresh') return;
    expect(rewriteForDownstream(browser(), { headers: ev.entry.headers, ageSeconds: ev.age }).headers['age']).toBe('42');
  });
});
