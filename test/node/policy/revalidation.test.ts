import { describe, expect, test } from 'vitest';
import {
  conditionalHeaders, conditionalMatches, evaluate, mergeNotModified, notModifiedHeaders, revalidationOutcome, type StoredEntry,
} from '../../../sw/policy/index.ts';
import { browser, IMF_T0, req, res, seconds, store, T0 } from './fixtures.ts';

const LM = 'Wed, 31 Dec 2025 00:00:00 GMT';
const base = () => store(browser(), res({
  'cache-control': 'max-age=10, immutable', etag: '"v1"', 'last-modified': LM, date: IMF_T0,
  'content-encoding': 'br', 'content-length': '1234', 'content-type': 'text/html', 'x-extra': 'old',
}));
const merge = (entry: StoredEntry, headers: Record<string, string>, ms = seconds(20)) =>
  mergeNotModified(browser(), { entry, request: req(), response: res(headers, 304), requestTime: T0 + ms, responseTime: T0 + ms });

describe('validation and 304 (RFC 9111 §4.3, RFC 9110 §13)', () => {
  test('R148: revalidation sends If-None-Match and If-Modified-Since from the stored validators', () => {
    expect(conditionalHeaders(base())).toEqual({ 'if-none-match': '"v1"', 'if-modified-since': LM });
    const ev = evaluate(browser(), { entries: base(), request: req(), now: T0 + seconds(11) });
    expect(ev.action === 'revalidate' && ev.revalidation.headers).toEqual({ 'if-none-match': '"v1"', 'if-modified-since': LM });
    const none = store(browser(), res({ 'cache-control': 'max-age=10, stale-if-error=5' }));
    expect(conditionalHeaders(none)).toEqual({});
  });

  test('R149: a 304 updates stored headers (not Content-Length / Content-Encoding) and recomputes freshness', () => {
    const merged = merge(base(), { etag: '"v1"', 'cache-control': 'max-age=60', 'x-extra': 'new', 'content-length': '0', 'content-encoding': 'gzip', date: 'Thu, 01 Jan 2026 00:00:20 GMT' });
    expect(merged.keep).toBe(true);
    const e = merged.entry;
    expect(e.headers).toMatchObject({ 'cache-control': 'max-age=60', 'x-extra': 'new', 'content-length': '1234', 'content-encoding': 'br', 'content-type': 'text/html' });
    expect(e.status).toBe(200);
    expect(e.freshUntil).toBe(T0 + seconds(80));
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(70) }).action).toBe('fresh');
  });

  test('R149: the new Cache-Control replaces the old one as a whole (immutable does not stick)', () => {
    const e = merge(base(), { etag: '"v1"', 'cache-control': 'max-age=60' }).entry;
    expect(e.immutable).toBe(false);
  });

  test('R149: a 304 without Date gets the receipt time as Date (RFC 9110 §6.6.1) so it is not stale on arrival', () => {
    const e = merge(base(), { etag: '"v1"' }, seconds(3600)).entry;
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(3605) }).action).toBe('fresh');
  });

  test('R149: a 304 answering this layer\'s conditional freshens the entry it asked about, whatever validators it carries', () => {
    // Before: a 304 with another ETag made the layer fetch again unconditionally (the suite's origin
    // then answers 999, and the page's fetch failed). Browsers keep the stored ETag and use the 304.
    const other = merge(base(), { etag: '"v2"', 'cache-control': 'max-age=60' });
    expect(other.keep).toBe(true);
    expect(other.entry.headers).toMatchObject({ etag: '"v1"', 'cache-control': 'max-age=60' });
    expect(other.entry.etag).toBe('"v1"');
    expect(evaluate(browser(), { entries: other.entry, request: req(), now: T0 + seconds(70) }).action).toBe('fresh');
    expect(merge(base(), { 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' }).keep).toBe(true);
    const o = revalidationOutcome(browser(), { entry: base(), request: req(), upstream: { response: res({ etag: '"zz"' }, 304) }, requestTime: T0, responseTime: T0 });
    expect(o).toMatchObject({ action: 'update', reason: 'not-modified', keep: true });
  });

  test('R149: a 304 does not replace the stored body\'s Content-MD5 (it describes bytes the 304 did not change)', () => {
    const stored = store(browser(), res({ 'cache-control': 'max-age=1', etag: '"v1"', 'content-md5': 'rL0Y20zC+Fzt72VPzMSk2A==' }));
    const merged = merge(stored, { etag: '"v1"', 'content-md5': 'N7UdGUp1E+RbVvZSTy1R8g==', 'x-new': '1' });
    expect(merged.entry.headers).toMatchObject({ 'content-md5': 'rL0Y20zC+Fzt72VPzMSk2A==', 'x-new': '1' });
  });

  test('R149: a 304 whose new Cache-Control forbids storage is served once and not kept', () => {
    const o = revalidationOutcome(browser(), { entry: base(), request: req(), upstream: { response: res({ etag: '"v1"', 'cache-control': 'no-store' }, 304) }, requestTime: T0, responseTime: T0 + seconds(20) });
    expect(o).toMatchObject({ action: 'update', keep: false });
  });

  test('R150: a full 2xx during validation replaces the stored response; a 5xx is forwarded', () => {
    const full = revalidationOutcome(browser(), { entry: base(), request: req(), upstream: { response: res({ 'cache-control': 'max-age=5' }) }, requestTime: T0, responseTime: T0 });
    expect(full).toMatchObject({ action: 'replace', reason: 'full-response' });
    const err = revalidationOutcome(browser(), { entry: base(), request: req(), upstream: { response: res({}, 502) }, requestTime: T0, responseTime: T0 + seconds(30) });
    expect(err).toEqual({ action: 'forward-error', reason: 'error-response' });
  });

  test('R151: a client If-None-Match is answered 304 with weak comparison; * matches any stored response', () => {
    const e = base();
    expect(conditionalMatches(e, req({ headers: { 'if-none-match': 'W/"v1"' } }))).toBe(true);
    expect(conditionalMatches(e, req({ headers: { 'if-none-match': '"x", "v1"' } }))).toBe(true);
    expect(conditionalMatches(e, req({ headers: { 'if-none-match': '*' } }))).toBe(true);
    expect(conditionalMatches(e, req({ headers: { 'if-none-match': '"x"' } }))).toBe(false);
  });

  test('R151: If-Modified-Since is compared with Last-Modified; If-None-Match takes precedence', () => {
    const e = base();
    expect(conditionalMatches(e, req({ headers: { 'if-modified-since': LM } }))).toBe(true);
    expect(conditionalMatches(e, req({ headers: { 'if-modified-since': 'Tue, 30 Dec 2025 00:00:00 GMT' } }))).toBe(false);
    expect(conditionalMatches(e, req({ headers: { 'if-none-match': '"x"', 'if-modified-since': LM } }))).toBe(false);
    expect(conditionalMatches(e, req({ method: 'POST', headers: { 'if-none-match': '"v1"' } }))).toBe(false);
  });

  test('R151: If-Match and If-Unmodified-Since are not for caches to evaluate', () => {
    expect(conditionalMatches(base(), req({ headers: { 'if-match': '"v1"', 'if-unmodified-since': LM } }))).toBe(false);
  });

  test('R152/R157/RFC 9211: a 304 from a store also carries Age, Cache-Status and x-vercel-cache of the response it stands for (DEFECTS 01:16)', () => {
    const headers = {
      'cache-control': 'max-age=1', etag: '"v1"', date: IMF_T0, age: '30', 'cache-status': 'edge; hit; ttl=5',
      'x-vercel-cache': 'HIT', 'content-type': 'text/html', 'content-length': '5', 'last-modified': LM, 'set-cookie': 'a=1',
    };
    expect(notModifiedHeaders(headers)).toEqual({
      'cache-control': 'max-age=1', etag: '"v1"', date: IMF_T0, age: '30', 'cache-status': 'edge; hit; ttl=5', 'x-vercel-cache': 'HIT',
    });
  });

  test('R149/R138: Age, Cache-Status and x-vercel-cache of a freshened entry come from the 304 only (an old Age is not reused)', () => {
    const old = store(browser(), res({ 'cache-control': 'max-age=10', etag: '"v1"', date: IMF_T0, age: '500', 'cache-status': 'edge; fwd=uri-miss', 'x-vercel-cache': 'MISS' }));
    expect(old.initialAge).toBe(500);
    const fromOrigin = merge(old, { etag: '"v1"', date: 'Thu, 01 Jan 2026 00:00:20 GMT' }).entry;
    expect(fromOrigin.initialAge).toBe(0);
    expect(fromOrigin.headers).not.toHaveProperty('age');
    expect(fromOrigin.headers).not.toHaveProperty('cache-status');
    expect(fromOrigin.headers).not.toHaveProperty('x-vercel-cache');
    const fromCache = merge(old, { etag: '"v1"', date: IMF_T0, age: '20', 'cache-status': 'edge; fwd=stale; fwd-status=304', 'x-vercel-cache': 'REVALIDATED' }).entry;
    expect(fromCache.initialAge).toBe(20);
    expect(fromCache.headers).toMatchObject({ age: '20', 'cache-status': 'edge; fwd=stale; fwd-status=304', 'x-vercel-cache': 'REVALIDATED' });
  });

  test('R152: a 304 carries Cache-Control, Content-Location, Date, ETag, Expires and Vary', () => {
    const headers = { 'cache-control': 'max-age=1', 'content-location': '/a', date: IMF_T0, etag: '"v1"', expires: IMF_T0, vary: 'Accept', 'content-type': 'text/html', 'content-length': '5' };
    expect(notModifiedHeaders(headers)).toEqual({ 'cache-control': 'max-age=1', 'content-location': '/a', date: IMF_T0, etag: '"v1"', expires: IMF_T0, vary: 'Accept' });
  });
});
