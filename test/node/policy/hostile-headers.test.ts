/**
 * Regressions for DEFECTS 01:16 (quadratic parsing): header readers must stay linear on hostile values.
 * These check behaviour on large inputs (results, not time: performance.md owns speed). With the old
 * quadratic readers each of them ran for tens of seconds and hit the test timeout, so a regression
 * shows up as a timeout here. Small-input properties pin the fast paths to simple reference definitions.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  conditionalMatches, evaluate, explain, MAX_VARY_FIELDS, mergeNotModified, mergeRouteHeaders, normalizeCacheControl, normalizeHeaders,
  normalizeVaryValue, parseCacheControl, parseCacheTags, parseEntityTagList, parseTargetedField, parseVary, resolveUrl, storable,
  variantKey, varyMatches, varyValues,
} from '../../../sw/policy/index.ts';
import { browser, req, res, seconds, store, T0 } from './fixtures.ts';

const names = (n: number, prefix = 'h') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('hostile header values are read in linear time, with the same results', () => {
  test('R55: a Vary with thousands of repeated names de-duplicates them, first position kept', () => {
    const list = [...names(100), ...names(100).map((n) => n.toUpperCase())];
    const value = Array.from({ length: 300 }, () => list.join(', ')).join(', ');
    expect(parseVary(value)).toEqual({ star: false, names: names(100) });
  });

  test('R43: a Vary naming more than MAX_VARY_FIELDS fields is treated as Vary: * (never stored, never matched)', () => {
    const many = names(MAX_VARY_FIELDS + 1).join(', ');
    expect(parseVary(names(MAX_VARY_FIELDS).join(', ')).names).toHaveLength(MAX_VARY_FIELDS);
    expect(parseVary(many)).toEqual({ star: true, names: [] });
    expect(parseVary(names(32_768).join(', ')).star).toBe(true);
    const d = storable(browser(), { request: req(), response: res({ 'cache-control': 'max-age=60', vary: many }), responseTime: T0 });
    expect(d).toMatchObject({ storable: false, reason: 'vary-star' });
  });

  test('R23: 32k distinct unknown directives are kept in order with one issue each; duplicates keep the first', () => {
    const unknown = names(32_768, 'x-');
    const parsed = parseCacheControl(`max-age=5, ${unknown.join(', ')}, max-age=9, no-store`);
    expect(parsed.directives).toMatchObject({ maxAge: 5, noStore: true });
    expect(parsed.members.map((m) => m.name)).toEqual(['max-age', ...unknown, 'no-store']);
    expect(parsed.issues.filter((i) => i.code === 'duplicate')).toHaveLength(1);
    expect(normalizeCacheControl(parsed.raw)).toBe(`max-age=5, ${unknown.join(', ')}, no-store`);
  });

  test('R160: 32k distinct dictionary keys are read; a duplicate key keeps the last value', () => {
    const keys = names(32_768, 'k');
    const parsed = parseTargetedField(`max-age=5, ${keys.join(', ')}, max-age=7`);
    expect(parsed.usable).toBe(true);
    expect(parsed.directives.maxAge).toBe(7);
    expect(parsed.members).toHaveLength(keys.length + 1);
  });

  test('R158: surrounding spaces are ignored, but 128 KiB of spaces inside a member is a parse error (no backtracking)', () => {
    expect(parseTargetedField(`${' '.repeat(1 << 17)}max-age=5\t${' '.repeat(1 << 17)}`).directives.maxAge).toBe(5);
    const inner = parseTargetedField(`x${' '.repeat(1 << 17)}x`);
    expect(inner.usable).toBe(false);
    expect(inner.issues[0]?.code).toBe('syntax-error');
  });

  test('R74: a 32k-member Vercel-Cache-Tag keeps the first 128 distinct tags and reports the rest', () => {
    const tags = parseCacheTags([...names(32_768, 't'), 't0', 't5'].join(','));
    expect(tags.tags).toEqual(names(128, 't'));
    expect(tags.dropped).toHaveLength(32_768 - 128);
  });

  test('R151: a 256 KiB If-None-Match list is read; the match near its end is found', () => {
    const list = Array.from({ length: 40_000 }, (_, i) => `W/"v${i}"`).join(', ');
    expect(parseEntityTagList(list).tags).toHaveLength(40_000);
    const entry = { etag: '"v39999"', lastModified: null, date: T0, status: 200 };
    expect(conditionalMatches(entry, req({ headers: { 'if-none-match': list } }))).toBe(true);
    expect(conditionalMatches({ ...entry, etag: '"nope"' }, req({ headers: { 'if-none-match': list } }))).toBe(false);
  });

  test('R154: a Location of 128k "#" followed by a line break resolves without backtracking', () => {
    expect(resolveUrl(`/next${'#'.repeat(1 << 17)}\nx`, 'https://example.com/a')).toBe('https://example.com/next');
  });

  test('R55: request values of 256 KiB (commas, tabs) are normalised and compared', () => {
    const commas = ','.repeat(1 << 18);
    const tabs = '\t,'.repeat(1 << 17);
    const stored = { varyStar: false, varyValues: varyValues(['x-a', 'x-b'], { 'x-a': commas, 'x-b': tabs }) };
    expect(stored.varyValues['x-a']).toBe(', '.repeat(1 << 18));
    expect(varyMatches(stored, { 'x-a': commas, 'x-b': tabs })).toBe(true);
    expect(varyMatches(stored, { 'x-a': commas, 'x-b': `${tabs}x` })).toBe(false);
  });

  test('explain() on 32k-name headers in every field completes and stores nothing it must not', () => {
    const value = names(32_768).join(', ');
    const x = explain({ 'cache-control': value, 'cdn-cache-control': value, vary: value, 'vercel-cache-tag': value }, {});
    for (const layer of x.layers) expect(layer.stored).toBe(false);
  });
});

describe('a field named __proto__ is an ordinary header, never the object\'s prototype', () => {
  const own = (record: object, name: string): unknown => Object.getOwnPropertyDescriptor(record, name)?.value;

  test('normalizeHeaders and mergeRouteHeaders keep it as a header (R5)', () => {
    const headers = normalizeHeaders([['__proto__', 'a'], ['__PROTO__', 'b']]);
    expect(own(headers, '__proto__')).toBe('a, b');
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(own(mergeRouteHeaders({}, [['__proto__', 'c']]), '__proto__')).toBe('c');
  });

  test('R55/R147: a response varying on __proto__ is matched on that header like any other', () => {
    const entry = store(browser(), res({ 'cache-control': 'max-age=60', vary: '__proto__' }), { request: req({ headers: normalizeHeaders([['__proto__', 'one']]) }) });
    expect(own(entry.varyValues, '__proto__')).toBe('one');
    expect(Object.getPrototypeOf(entry.varyValues)).toBe(Object.prototype);
    expect(varyMatches(entry, normalizeHeaders([['__proto__', 'one']]))).toBe(true);
    expect(varyMatches(entry, normalizeHeaders([['__proto__', 'two']]))).toBe(false);
    expect(varyMatches(entry, {})).toBe(false);
    expect(variantKey('k', entry.varyValues)).toBe('k[["__proto__","one"]]');
    expect(evaluate(browser(), { entries: entry, request: req(), now: T0 + seconds(1) }).action).toBe('miss');
  });

  test('R149: a 304 carrying a __proto__ field updates that header', () => {
    const entry = store(browser(), res({ 'cache-control': 'max-age=1', etag: '"v1"' }));
    const merged = mergeNotModified(browser(), { entry, request: req(), response: res(normalizeHeaders([['etag', '"v1"'], ['__proto__', 'x']]), 304), requestTime: T0, responseTime: T0 });
    const headers = merged.entry.headers;
    expect(own(headers, '__proto__')).toBe('x');
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });
});

describe('the fast paths equal the plain definitions', () => {
  const listText = fc.array(fc.constantFrom('a', 'B', 'x-y', '*', ' ', '\t', ',', ', ', '  ', '\u00a0', '\n', 'é', '"', 'W/'), { maxLength: 30 }).map((a) => a.join(''));

  test('R55: normalizeVaryValue trims each comma-separated element, collapses spaces/tabs, joins with ", "', () => {
    const reference = (v: string) => v.split(',').map((s) => s.trim().replace(/[ \t]+/g, ' ')).join(', ');
    fc.assert(fc.property(listText, (v) => {
      expect(normalizeVaryValue(v)).toBe(reference(v));
    }), { numRuns: 2000 });
  });

  test('R55: parseVary lowercases, drops invalid names, de-duplicates in first-seen order', () => {
    const reference = (v: string) => {
      const out: string[] = [];
      let star = false;
      for (const part of v.split(',')) {
        const name = part.trim().toLowerCase();
        if (name === '*') star = true;
        else if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) && !out.includes(name)) out.push(name);
      }
      return { star, names: out };
    };
    fc.assert(fc.property(listText, (v) => {
      expect(parseVary(v)).toEqual(reference(v));
    }), { numRuns: 2000 });
  });

  test('R151: parseEntityTagList reads what the pattern (W/)?"[^"]*" matches, left to right', () => {
    const reference = (v: string) => [...v.trim().matchAll(/(W\/)?"[^"]*"/g)]
      .map((m) => m[0])
      .filter((t) => /^(W\/)?"[\x21\x23-\x7e\x80-\uffff]*"$/.test(t))
      .map((t) => ({ weak: t.startsWith('W/'), opaque: t.startsWith('W/') ? t.slice(2) : t }));
    fc.assert(fc.property(listText, (v) => {
      expect(parseEntityTagList(v).tags).toEqual(reference(v));
    }), { numRuns: 2000 });
  });

  test('R23: parseCacheControl splits on commas outside quoted strings only; every member is kept or reported', () => {
    const reference = (raw: string) => {
      const out: string[] = [];
      let start = 0;
      let quoted = false;
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (quoted && c === '\\') i++;
        else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) {
          out.push(raw.slice(start, i));
          start = i + 1;
        }
      }
      out.push(raw.slice(start));
      return out.map((m) => m.trim()).filter((m) => m.length > 0);
    };
    const text = fc.array(fc.constantFrom('max-age=1', 'no-cache="a,b"', 'x="\\",y"', ',', ', ', ' ', '"', '\\', 'private', '=', '\t'), { maxLength: 20 }).map((a) => a.join(''));
    fc.assert(fc.property(text, (v) => {
      const parsed = parseCacheControl(v);
      const split = reference(v);
      const rejected = parsed.issues.filter((i) => i.code === 'syntax-error' || i.code === 'duplicate').length;
      expect(parsed.members.length + rejected).toBe(split.length);
      const raws = parsed.members.map((m) => m.raw);
      expect(raws.every((r) => split.includes(r))).toBe(true);
    }), { numRuns: 2000 });
  });

  test('parse results are shared between callers and frozen, so no caller can change another one\'s view', () => {
    const a = parseCacheControl('max-age=60, no-cache="set-cookie"');
    expect(parseCacheControl('max-age=60, no-cache="set-cookie"')).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.directives) && Object.isFrozen(a.members[0]) && Object.isFrozen(a.directives.noCacheFields)).toBe(true);
    expect(Object.isFrozen(parseTargetedField('max-age=60').members)).toBe(true);
    expect(Object.isFrozen(parseVary('accept').names)).toBe(true);
  });

  test('the parse memo is bounded: it forgets the oldest values, and hostile values push others out', () => {
    const first = parseCacheControl('max-age=1, x-memo-first');
    for (let i = 0; i < 300; i++) parseCacheControl(`max-age=${i}, x-memo-${i}`);
    const again = parseCacheControl('max-age=1, x-memo-first');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(parseCacheControl('max-age=1, x-memo-first')).toBe(again);
    const huge = (n: number) => `max-age=${n}, ${'x-pad, '.repeat(40_000)}`; // ~280 KiB each
    const kept = parseCacheControl(huge(2));
    expect(parseCacheControl(huge(2))).toBe(kept);
    expect(parseCacheControl(huge(3))).toBe(parseCacheControl(huge(3))); // over 512 KiB in total: older values go
    expect(parseCacheControl('max-age=1, x-memo-first')).not.toBe(again);
    expect(parseCacheControl(huge(2))).not.toBe(kept);
    const tooBig = `max-age=4, ${'x-pad, '.repeat(80_000)}`; // ~560 KiB: parsed every time, never kept
    expect(parseCacheControl(tooBig)).not.toBe(parseCacheControl(tooBig));
  });
});
