import { describe, expect, test } from 'vitest';
import { MAX_DELTA_SECONDS, normalizeCacheControl, parseCacheControl } from '../../../sw/policy/index.ts';

describe('Cache-Control parsing (RFC 9111 §5.2, lenient)', () => {
  test.each([
    ['max-age=60', { maxAge: 60 }],
    ['MAX-AGE=60, S-MaxAge=120', { maxAge: 60, sMaxage: 120 }],
    ['max-age="60"', { maxAge: 60 }],
    ['public , max-age = 5', { public: true }],
    ['no-store, no-cache, private, must-revalidate, proxy-revalidate, immutable, no-transform', {
      noStore: true, noCache: true, private: true, mustRevalidate: true, proxyRevalidate: true, immutable: true, noTransform: true,
    }],
    ['max-stale, min-fresh=5, only-if-cached', { maxStale: MAX_DELTA_SECONDS, minFresh: 5, onlyIfCached: true }],
    ['stale-while-revalidate=30, stale-if-error=86400', { staleWhileRevalidate: 30, staleIfError: 86400 }],
  ])('parses %s', (value, expected) => {
    expect(parseCacheControl(value).directives).toMatchObject(expected);
  });

  test('R22: unrecognised directives are ignored but kept for forwarding', () => {
    const parsed = parseCacheControl('max-age=10, x-custom="a, b", foo');
    expect(parsed.directives.maxAge).toBe(10);
    expect(parsed.members.map((m) => m.name)).toEqual(['max-age', 'x-custom', 'foo']);
    expect(parsed.issues.filter((i) => i.code === 'unknown-directive').map((i) => i.directive)).toEqual(['x-custom', 'foo']);
  });

  test('R23: duplicated directives in Cache-Control keep the first occurrence', () => {
    const parsed = parseCacheControl('max-age=10, max-age=20, s-maxage=5, S-MAXAGE=50');
    expect(parsed.directives.maxAge).toBe(10);
    expect(parsed.directives.sMaxage).toBe(5);
    expect(parsed.issues.filter((i) => i.code === 'duplicate')).toHaveLength(2);
  });

  test('R23: conflicting directives both survive parsing so the most restrictive can win', () => {
    const d = parseCacheControl('max-age=600, no-cache').directives;
    expect(d.maxAge).toBe(600);
    expect(d.noCache).toBe(true);
  });

  test('R135: qualified no-cache="x" and private="x" count as unqualified, field names kept', () => {
    const d = parseCacheControl('no-cache="Set-Cookie, X-Foo", private="x-bar", max-age=5').directives;
    expect(d.noCache).toBe(true);
    expect(d.noCacheFields).toEqual(['set-cookie', 'x-foo']);
    expect(d.private).toBe(true);
    expect(d.privateFields).toEqual(['x-bar']);
    expect(d.maxAge).toBe(5);
  });

  test('quoted strings: commas inside quotes do not split members; escapes are honoured', () => {
    const parsed = parseCacheControl('no-cache="a, b", x="q\\"uote, still", max-age=1');
    expect(parsed.members.map((m) => m.name)).toEqual(['no-cache', 'x', 'max-age']);
    expect(parsed.members[1]?.value).toBe('q"uote, still');
    expect(parsed.directives.maxAge).toBe(1);
  });

  test.each(['max-age=-1', 'max-age=1.5', 'max-age=abc', 'max-age=', 'max-age'])(
    'R139: invalid max-age %j makes the response stale (treated as 0) and is flagged',
    (value) => {
      const parsed = parseCacheControl(value);
      expect(parsed.directives.maxAge).toBe(0);
      expect(parsed.issues.some((i) => i.code === 'invalid-value' && i.directive === 'max-age')).toBe(true);
    },
  );

  test('R139: an invalid s-maxage is treated as 0 too; an invalid stale window is ignored', () => {
    const d = parseCacheControl('s-maxage=x, stale-if-error=-5, stale-while-revalidate=1e3').directives;
    expect(d.sMaxage).toBe(0);
    expect(d.staleIfError).toBeUndefined();
    expect(d.staleWhileRevalidate).toBeUndefined();
  });

  test.each([
    ['max-age=2147483648', MAX_DELTA_SECONDS],
    ['max-age=2147483649', MAX_DELTA_SECONDS],
    ['max-age=99999999999999999999999999', MAX_DELTA_SECONDS],
    ['max-age=0000000000000000000042', 42],
  ])('R139: delta-seconds overflow saturates at 2^31 (%s)', (value, expected) => {
    expect(parseCacheControl(value).directives.maxAge).toBe(expected);
  });

  test('R13: a bare stale-while-revalidate is recorded as bare, not as a number', () => {
    const parsed = parseCacheControl('s-maxage=60, stale-while-revalidate');
    expect(parsed.directives.staleWhileRevalidate).toBeUndefined();
    expect(parsed.directives.staleWhileRevalidateBare).toBe(true);
    expect(parsed.issues.some((i) => i.code === 'bare-stale-while-revalidate')).toBe(true);
  });

  test('malformed members are skipped and reported, the rest still counts', () => {
    const parsed = parseCacheControl('max age=5, , max-age=7, no-cache="unterminated');
    expect(parsed.directives.maxAge).toBe(7);
    expect(parsed.directives.noCache).toBe(false);
    expect(parsed.issues.filter((i) => i.code === 'syntax-error')).toHaveLength(2);
  });

  test('absent and empty values give no directives', () => {
    for (const value of [undefined, '', ' , ,']) {
      const parsed = parseCacheControl(value);
      expect(parsed.members).toEqual([]);
      expect(parsed.directives.maxAge).toBeUndefined();
    }
  });

  test('normalisation lowercases names, drops duplicates and requotes only where needed', () => {
    expect(normalizeCacheControl('Max-Age="10" ,PUBLIC, max-age=3, x="a b"')).toBe('max-age=10, public, x="a b"');
  });
});
