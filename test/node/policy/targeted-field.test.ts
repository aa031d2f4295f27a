import { describe, expect, test } from 'vitest';
import { parseTargetedField, selectHeader, storable } from '../../../sw/policy/index.ts';
import { edge, req, res } from './fixtures.ts';

describe('targeted fields: strict RFC 8941 dictionaries (RFC 9213 §2.1)', () => {
  test.each([
    'max-age=60',
    'public, s-maxage=3600',
    'max-age=60, stale-while-revalidate=30',
    'no-cache="set-cookie"',
    'max-age=60;foo=1, private',
    '*x=1',
    'max-age=60,must-revalidate',
    'a=(1 2);p, b=?1, c=:aGk=:, d=@1700000000, e=tok/en:x',
  ])('R158: %j is a valid dictionary', (value) => {
    expect(parseTargetedField(value).usable).toBe(true);
  });

  test.each([
    ['Max-Age=60', 'uppercase key'],
    ['max-age=60,', 'trailing comma'],
    ['max-age=60,,public', 'empty member'],
    ['', 'empty field'],
    ['   ', 'blank field'],
    ['max-age=60 public', 'missing comma'],
    ['max age=60', 'space in key'],
    ['max-age="60', 'unterminated string'],
    ['max-age=1234567890123456', 'integer over 15 digits'],
    ['9x=1', 'key starting with a digit'],
    ['a="é"', 'non-ASCII in a string'],
  ])('R160: %j (%s) makes the whole field unusable', (value) => {
    const parsed = parseTargetedField(value);
    expect(parsed.usable).toBe(false);
    expect(parsed.members).toEqual([]);
  });

  test('R159: bare directives are Boolean true, integers are numbers, strings qualify no-cache', () => {
    const d = parseTargetedField('public, max-age=60, no-cache="set-cookie", private=?0').directives;
    expect(d.public).toBe(true);
    expect(d.maxAge).toBe(60);
    expect(d.noCache).toBe(true);
    expect(d.noCacheFields).toEqual(['set-cookie']);
    expect(d.private).toBe(false);
  });

  test.each(['max-age=60.5', 'max-age="60"', 'max-age=abc', 'max-age=-5', 'max-age'])(
    'R159: %j is not consumed as max-age (directive ignored, field still usable)',
    (value) => {
      const parsed = parseTargetedField(`${value}, public`);
      expect(parsed.usable).toBe(true);
      expect(parsed.directives.maxAge).toBeUndefined();
      expect(parsed.directives.public).toBe(true);
    },
  );

  test('R159: parameters are ignored', () => {
    expect(parseTargetedField('max-age=60;a=1;b').directives.maxAge).toBe(60);
  });

  test('R160: duplicate keys keep the last value (R23 for targeted fields)', () => {
    const parsed = parseTargetedField('max-age=60, public, max-age=120');
    expect(parsed.directives.maxAge).toBe(120);
    expect(parsed.members.map((m) => m.name)).toEqual(['public', 'max-age']);
  });

  test('R3: an unparsable targeted header is treated as absent and selection falls through', () => {
    const s = selectHeader(edge(), { 'vercel-cdn-cache-control': 'max-age=60,', 'cdn-cache-control': 'max-age=30' });
    expect(s.header).toBe('cdn-cache-control');
    expect(s.ignored).toEqual([expect.objectContaining({ header: 'vercel-cdn-cache-control', reason: 'parse-error' })]);
  });

  test('R3: an empty targeted header is treated as absent', () => {
    const s = selectHeader(edge(), { 'cdn-cache-control': '', 'cache-control': 's-maxage=9' });
    expect(s.header).toBe('cache-control');
    expect(s.ignored[0]?.reason).toBe('empty');
  });

  test('R3/A1: lenientTargetedParsing accepts what strict parsing rejects', () => {
    const p = edge({ lenientTargetedParsing: true });
    const s = selectHeader(p, { 'cdn-cache-control': 'Max-Age=60', 'cache-control': 's-maxage=5' });
    expect(s.header).toBe('cdn-cache-control');
    expect(s.parsed.directives.maxAge).toBe(60);
    expect(storable(p, { request: req(), response: res({ 'cdn-cache-control': 'Max-Age=60' }) }).freshness.lifetime).toBe(60);
  });

  test('R161: no-store and no-cache in a targeted field neutralise max-age', () => {
    for (const value of ['max-age=60, no-store', 'max-age=60, no-cache']) {
      const d = storable(edge(), { request: req(), response: res({ 'cdn-cache-control': value }) });
      expect(d.storable).toBe(false);
      expect(d.freshness.lifetime).toBe(0);
    }
  });

  test('R161: must-revalidate and private are implemented in targeted fields', () => {
    expect(storable(edge(), { request: req(), response: res({ 'cdn-cache-control': 'max-age=60, private' }) }).reason).toBe('private');
    const mr = storable(edge(), { request: req(), response: res({ 'cdn-cache-control': 'max-age=60, must-revalidate, stale-while-revalidate=60' }) });
    expect(mr.freshness.mustRevalidate).toBe(true);
    expect(mr.freshness.staleWhileRevalidate).toBe(0);
  });
});
