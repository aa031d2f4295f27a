import { describe, expect, test } from 'vitest';
import {
  formatHttpDate, normalizeHeaders, parseAge, parseCacheTags, parseEntityTag, parseEntityTagList, parseHttpDate, parseUrl, readValidators,
} from '../../../sw/policy/index.ts';

const SUNDAY = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('HTTP dates, Age, validators, tags, header lists', () => {
  test.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', SUNDAY],
    ['Sunday, 06-Nov-94 08:49:37 GMT', SUNDAY],
    ['Sun Nov  6 08:49:37 1994', SUNDAY],
    ['  Sun, 06 Nov 1994 08:49:37 GMT ', SUNDAY],
    ['Thu, 01 Jan 2026 00:00:00 GMT', Date.UTC(2026, 0, 1)],
  ])('R137: parses the HTTP date %j', (text, expected) => {
    expect(parseHttpDate(text)).toBe(expected);
  });

  test.each(['0', '-1', '', 'tomorrow', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Xyz, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37Z', 'Sun, 06 Nov 1994 08:49:37 UTC'])(
    'R137: %j is not a valid HTTP date',
    (text) => {
      expect(parseHttpDate(text)).toBeNull();
    },
  );

  test('formatHttpDate round-trips through parseHttpDate', () => {
    expect(parseHttpDate(formatHttpDate(SUNDAY + 999))).toBe(SUNDAY);
  });

  test.each([
    ['60', 60], ['0', 0], [' 60 ', 60], ['99999999999999', 2147483648], [undefined, null],
    // Invalid values (the public cache test suite's age-parse group) count as the largest age: stale.
    ['0, 9999', 2147483648], ['0, 0', 2147483648], ['0,7200', 2147483648], ['abc', 2147483648], ['-7200', 2147483648],
    ['7200.0', 2147483648], ['7200;foo=bar', 2147483648], ['7200;foo=111', 2147483648], ['', 2147483648],
  ])('R138/R139: Age %j → %j (one delta-seconds value; anything else is invalid and counts as 2^31)', (text, expected) => {
    expect(parseAge(text)).toBe(expected);
  });

  test('R148: entity tags and validators', () => {
    expect(parseEntityTag('W/"a"')).toEqual({ weak: true, opaque: '"a"' });
    expect(parseEntityTag('"a"')).toEqual({ weak: false, opaque: '"a"' });
    expect(parseEntityTag('a')).toBeNull();
    expect(parseEntityTagList('"a", W/"b", junk')).toEqual({ any: false, tags: [{ weak: false, opaque: '"a"' }, { weak: true, opaque: '"b"' }] });
    expect(readValidators({ etag: ' W/"x" ', 'last-modified': 'Sun, 06 Nov 1994 08:49:37 GMT' })).toEqual({
      etag: 'W/"x"', lastModified: 'Sun, 06 Nov 1994 08:49:37 GMT', lastModifiedMs: SUNDAY,
    });
  });

  test('R72/R73: Vercel-Cache-Tag is comma-separated, trimmed and case-sensitive', () => {
    expect(parseCacheTags(' product, Product ,a%2Cb,,product').tags).toEqual(['product', 'Product', 'a%2Cb']);
  });

  test('R74: tags over 256 characters and beyond 128 per response are dropped and reported', () => {
    const long = 'x'.repeat(257);
    const many = Array.from({ length: 130 }, (_, i) => `t${i}`);
    const parsed = parseCacheTags([long, 'y'.repeat(256), ...many].join(','));
    expect(parsed.tags).toHaveLength(128);
    expect(parsed.tags).toContain('y'.repeat(256));
    expect(parsed.dropped).toEqual([long, 't127', 't128', 't129']);
  });

  test('normalizeHeaders lowercases names and combines field lines with ", "', () => {
    expect(normalizeHeaders([['Vary', 'Accept'], ['vary', ' Cookie '], ['Cache-Control', 'max-age=1']])).toEqual({ vary: 'Accept, Cookie', 'cache-control': 'max-age=1' });
    expect(normalizeHeaders({ 'X-A': ['1', '2'], B: '3' })).toEqual({ 'x-a': '1, 2', b: '3' });
  });

  test('parseUrl handles default ports, userinfo and non-absolute input', () => {
    expect(parseUrl('HTTP://user:pw@Example.com:80/a?b#c')).toEqual({ scheme: 'http', authority: 'example.com', path: '/a', query: '?b' });
    expect(parseUrl('/relative')).toBeNull();
  });
});
