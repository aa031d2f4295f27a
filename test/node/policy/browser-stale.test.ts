import { describe, expect, test } from 'vitest';
import { evaluate, revalidationOutcome, type StoredEntry } from '../../../sw/policy/index.ts';
import { browser, policy, req, res, seconds, store, T0 } from './fixtures.ts';

const at = (entry: StoredEntry, ms: number, overrides: Parameters<typeof req>[0] = {}) =>
  evaluate(browser(), { entries: entry, request: req(overrides), now: T0 + ms });
const after = (entry: StoredEntry, ms: number, upstream: Parameters<typeof revalidationOutcome>[1]['upstream'], p = browser()) =>
  revalidationOutcome(p, { entry, request: req(), upstream, requestTime: T0 + ms, responseTime: T0 + ms });

describe('browser layer: serving stale, SWR, SIE, immutable (RFC 9111 §4.2.4, RFC 5861, RFC 8246)', () => {
  test('R142: stale content is never served under no-cache or must-revalidate', () => {
    const mr = store(browser(), res({ 'cache-control': 'max-age=10, must-revalidate, stale-while-revalidate=60, stale-if-error=60' }));
    expect(at(mr, seconds(15))).toMatchObject({ action: 'revalidate', reason: 'stale', staleIfErrorUntil: null, mustRevalidate: true });
    expect(at(mr, seconds(15), { headers: { 'cache-control': 'max-stale=100' } }).action).toBe('revalidate');
    const nc = store(browser(), res({ 'cache-control': 'no-cache, max-age=10, stale-while-revalidate=60', etag: '"a"' }));
    expect(at(nc, seconds(1))).toMatchObject({ action: 'revalidate', reason: 'no-cache' });
    expect(at(nc, seconds(15))).toMatchObject({ action: 'revalidate', reason: 'no-cache' });
  });

  test('R142: with must-revalidate a failed revalidation yields 504 instead of stale content', () => {
    const mr = store(browser(), res({ 'cache-control': 'max-age=10, must-revalidate' }));
    expect(after(mr, seconds(15), { networkError: true })).toEqual({ action: 'gateway-timeout', reason: 'must-revalidate' });
    expect(after(mr, seconds(15), { response: res({}, 500) })).toEqual({ action: 'forward-error', reason: 'error-response' });
  });

  test('R143: stale-while-revalidate=N serves stale without blocking for N s, then blocks', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=10, stale-while-revalidate=20' }));
    expect(at(e, seconds(12))).toMatchObject({ action: 'stale-while-revalidate', reason: 'stale-time' });
    expect(at(e, seconds(30))).toMatchObject({ action: 'revalidate', reason: 'stale' });
  });

  test.each([500, 502, 503, 504])('R144: stale-if-error serves stale on %i within the window', (status) => {
    const e = store(browser(), res({ 'cache-control': 'max-age=10, stale-if-error=60' }));
    expect(after(e, seconds(30), { response: res({}, status) })).toEqual({ action: 'serve-stale', reason: 'stale-if-error' });
    expect(after(e, seconds(71), { response: res({}, status) })).toEqual({ action: 'forward-error', reason: 'error-response' });
  });

  test('R144: network failures count as errors; 501 and 4xx do not', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=10, stale-if-error=60' }));
    expect(after(e, seconds(30), { networkError: true })).toEqual({ action: 'serve-stale', reason: 'stale-if-error' });
    expect(after(e, seconds(30), { response: res({}, 501) }).action).toBe('forward-error');
    expect(after(e, seconds(30), { response: res({ 'cache-control': 'no-store' }, 404) }).action).toBe('delete');
  });

  test('R144: a request stale-if-error extends the window', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=10' }));
    expect(at(e, seconds(20))).toMatchObject({ staleIfErrorUntil: null });
    expect(at(e, seconds(20), { headers: { 'cache-control': 'stale-if-error=100' } })).toMatchObject({ staleIfErrorUntil: T0 + seconds(110) });
  });

  test('R14: in the rfc9111 profile shared layers honour stale-if-error per RFC 5861', () => {
    const p = policy('edge', 'rfc9111');
    const e = store(p, res({ 'cache-control': 's-maxage=10, stale-if-error=60' }));
    expect(after(e, seconds(30), { response: res({}, 503) }, p)).toEqual({ action: 'serve-stale', reason: 'stale-if-error' });
  });

  test('R146: a fresh immutable response is not revalidated on reload (cache mode no-cache)', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=600, immutable' }));
    expect(at(e, seconds(5), { cache: 'no-cache' })).toMatchObject({ action: 'fresh', reason: 'immutable' });
    expect(at(e, seconds(5), { headers: { 'cache-control': 'max-age=0' } })).toMatchObject({ action: 'fresh', reason: 'immutable' });
  });

  test('R146: once stale, immutable behaves normally and does not change the lifetime', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=600, immutable' }));
    expect(e.lifetime).toBe(600);
    expect(at(e, seconds(601), { cache: 'no-cache' })).toMatchObject({ action: 'revalidate' });
  });

  test('R146: immutable is only honoured for secure contexts (https or loopback)', () => {
    const insecure = store(browser(), res({ 'cache-control': 'max-age=600, immutable' }), { request: req({ url: 'http://example.com/a.js' }) });
    expect(insecure.immutable).toBe(false);
    expect(evaluate(browser(), { entries: insecure, request: req({ url: 'http://example.com/a.js', cache: 'no-cache' }), now: T0 }).action).toBe('revalidate');
    const local = store(browser(), res({ 'cache-control': 'max-age=600, immutable' }), { request: req({ url: 'http://localhost:5173/a.js' }) });
    expect(local.immutable).toBe(true);
  });
});
