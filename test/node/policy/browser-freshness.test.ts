import { describe, expect, test } from 'vitest';
import { correctedInitialAge, currentAge, evaluate, storable } from '../../../sw/policy/index.ts';
import { browser, IMF_T0, req, res, seconds, store, T0 } from './fixtures.ts';

const lifetime = (headers: Record<string, string>, status = 200) =>
  storable(browser(), { request: req(), response: res(headers, status), responseTime: T0 }).freshness;

describe('browser layer: freshness (RFC 9111 §4.2)', () => {
  test('R136: fresh ⇔ freshness_lifetime > current_age', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=10' }));
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(9.999) }).action).toBe('fresh');
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(10) }).action).toBe('revalidate');
  });

  test('R137: max-age wins over Expires', () => {
    expect(lifetime({ 'cache-control': 'max-age=5', date: IMF_T0, expires: 'Thu, 01 Jan 2026 01:00:00 GMT' })).toMatchObject({ lifetime: 5, source: 'max-age' });
  });

  test('R137: otherwise Expires − Date', () => {
    expect(lifetime({ date: IMF_T0, expires: 'Thu, 01 Jan 2026 01:00:00 GMT' })).toMatchObject({ lifetime: 3600, source: 'expires' });
  });

  test('R137: an invalid Expires (e.g. 0) means already expired', () => {
    expect(lifetime({ expires: '0', 'last-modified': 'Thu, 01 Jan 2020 00:00:00 GMT' })).toMatchObject({ lifetime: 0, source: 'expires' });
  });

  test('R137: without Date the receipt time is used as the date', () => {
    expect(lifetime({ expires: 'Thu, 01 Jan 2026 00:02:00 GMT' })).toMatchObject({ lifetime: 120 });
    expect(lifetime({ date: 'garbage', expires: 'Thu, 01 Jan 2026 00:02:00 GMT' })).toMatchObject({ lifetime: 120 });
  });

  test('R138: current_age = corrected_initial_age + resident time, using Age, Date and the response delay', () => {
    // Date 100 s before receipt, Age 30, request sent 2 s before receipt → apparent 100 vs corrected 32 → 100.
    expect(correctedInitialAge({ dateMs: T0 - seconds(100), ageSeconds: 30, requestTime: T0 - seconds(2), responseTime: T0 })).toBe(100);
    expect(correctedInitialAge({ dateMs: T0, ageSeconds: 472, requestTime: T0 - seconds(1), responseTime: T0 })).toBe(473);
    expect(currentAge({ initialAge: 473, responseTime: T0, now: T0 + seconds(10) })).toBe(483);
  });

  test('R138: max-age=600 with Age: 472 leaves 128 s, not 600', () => {
    const e = store(browser(), res({ 'cache-control': 'max-age=600', age: '472', date: IMF_T0 }));
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(127) }).action).toBe('fresh');
    expect(evaluate(browser(), { entries: e, request: req(), now: T0 + seconds(128) }).action).toBe('revalidate');
  });

  test('R138: a future Date or a clock running backwards never gives a negative age', () => {
    expect(correctedInitialAge({ dateMs: T0 + seconds(3600), ageSeconds: null, requestTime: T0 + 5, responseTime: T0 })).toBe(0);
    expect(currentAge({ initialAge: 5, responseTime: T0, now: T0 - seconds(100) })).toBe(5);
  });

  test('R139: overflowing delta-seconds are 2^31; an invalid max-age is stale (0)', () => {
    expect(lifetime({ 'cache-control': 'max-age=99999999999999' }).lifetime).toBe(2147483648);
    expect(lifetime({ 'cache-control': 'max-age=-1', 'last-modified': 'Thu, 01 Jan 2020 00:00:00 GMT' })).toMatchObject({ lifetime: 0, source: 'max-age' });
  });

  test('R140: heuristic freshness is 10% of Date − Last-Modified for heuristically cacheable statuses', () => {
    const headers = { date: IMF_T0, 'last-modified': 'Wed, 31 Dec 2025 14:00:00 GMT' }; // 10 h earlier
    for (const status of [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]) {
      expect(lifetime(headers, status)).toMatchObject({ lifetime: 3600, source: 'heuristic' });
    }
    expect(lifetime(headers, 302)).toMatchObject({ lifetime: 0, source: 'none' });
    expect(lifetime({ ...headers, 'cache-control': 'public' }, 302)).toMatchObject({ lifetime: 3600, source: 'heuristic' });
  });

  test('R140: explicit expiration disables heuristics (Vercel default max-age=0 on purpose)', () => {
    const headers = { date: IMF_T0, 'last-modified': 'Wed, 31 Dec 2025 14:00:00 GMT' };
    expect(lifetime({ ...headers, 'cache-control': 'public, max-age=0, must-revalidate' })).toMatchObject({ lifetime: 0, source: 'max-age' });
    expect(lifetime({ ...headers, expires: 'Thu, 01 Jan 2026 00:00:10 GMT' })).toMatchObject({ lifetime: 10, source: 'expires' });
  });
});
