import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  cacheKey, createStoredEntry, evaluate, explain, normalizeCacheControl, normalizeHeaders, normalizeVaryValue, parseAge,
  parseCacheControl, parseCacheTags, parseEntityTagList, parseHttpDate, parseTargetedField, parseUrl, parseVary, resolveUrl, rewriteForDownstream,
  storable, MAX_DELTA_SECONDS, type Directives, type LayerName, type ProfileName,
} from '../../../sw/policy/index.ts';
import { policy, req, T0 } from './fixtures.ts';

// Any code points (non-ASCII, control characters), and long values.
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 5000 }));
// Header-shaped text that reaches deep parser paths: directives, numbers (huge and negative), quotes, commas.
const piece = fc.oneof(
  fc.constantFrom('max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error', 'no-cache', 'no-store', 'private', 'public',
    'must-revalidate', 'immutable', 'max-stale', 'min-fresh', 'Max-Age', '*', '=', ',', ', ', ';', '"', '\\', ' ', '\t', '?1', '?0',
    ':YQ==:', '(', ')', '@', 'W/"x"', '"v"', '\u00e9', '\u0000', '\u007f'),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double({ noNaN: false }).map(String),
);
const headerish = fc.oneof(anyText, fc.array(piece, { maxLength: 40 }).map((a) => a.join('')));

const numbersOk = (d: Directives): boolean =>
  [d.maxAge, d.sMaxage, d.staleWhileRevalidate, d.staleIfError, d.maxStale, d.minFresh].every(
    (n) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= MAX_DELTA_SECONDS),
  );

const layers: LayerName[] = ['browser', 'cdn', 'edge'];
const profiles: ProfileName[] = ['vercel', 'rfc9111'];

describe('property-based: parsers never throw, never yield NaN or negatives, normalisation is idempotent', () => {
  test('parseCacheControl: total, integer delta-seconds in [0, 2^31]', () => {
    fc.assert(fc.property(headerish, (v) => {
      const p = parseCacheControl(v);
      expect(numbersOk(p.directives)).toBe(true);
      expect(p.usable).toBe(true);
    }));
  });

  test('normalizeCacheControl is idempotent and keeps the directives', () => {
    fc.assert(fc.property(headerish, (v) => {
      const once = normalizeCacheControl(v);
      expect(normalizeCacheControl(once)).toBe(once);
      expect(parseCacheControl(once).directives).toEqual(parseCacheControl(v).directives);
    }));
  });

  test('parseTargetedField (strict and lenient): total, usable fields have valid numbers, unusable ones no directives', () => {
    fc.assert(fc.property(headerish, fc.boolean(), (v, lenient) => {
      const p = parseTargetedField(v, { lenient });
      expect(numbersOk(p.directives)).toBe(true);
      if (!p.usable) expect(p.members).toEqual([]);
    }));
  });

  test('strict targeted parsing: re-joining the parsed members gives the same directives', () => {
    fc.assert(fc.property(headerish, (v) => {
      const p = parseTargetedField(v);
      if (!p.usable) return;
      const again = parseTargetedField(p.members.map((m) => m.raw).join(', '));
      expect(again.usable).toBe(true);
      expect(again.directives).toEqual(p.directives);
    }));
  });

  test('parseVary and normalizeVaryValue: total; normalisation idempotent; names lowercase', () => {
    fc.assert(fc.property(headerish, (v) => {
      const vary = parseVary(v);
      for (const n of vary.names) expect(n).toBe(n.toLowerCase());
      const once = normalizeVaryValue(v);
      expect(normalizeVaryValue(once ?? undefined)).toBe(once);
    }));
  });

  test('parseHttpDate: null or a finite time; parseAge: null or an integer in [0, 2^31]', () => {
    fc.assert(fc.property(headerish, (v) => {
      const d = parseHttpDate(v);
      if (d !== null) expect(Number.isFinite(d)).toBe(true);
      const a = parseAge(v);
      if (a !== null) expect(Number.isInteger(a) && a >= 0 && a <= MAX_DELTA_SECONDS).toBe(true);
    }));
  });

  test('parseHttpDate accepts every IMF-fixdate it formats', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
      expect(parseHttpDate(new Date(ms).toUTCString())).toBe(Math.floor(ms / 1000) * 1000);
    }));
  });

  test('entity tags, cache tags, header lists and URL resolution: total', () => {
    fc.assert(fc.property(headerish, headerish, (a, b) => {
      parseEntityTagList(a);
      const tags = parseCacheTags(a);
      expect(tags.tags.length).toBeLessThanOrEqual(128);
      const h = normalizeHeaders([[a, b], [a.toUpperCase(), b]]);
      expect(normalizeHeaders(h)).toEqual(h);
      const r = resolveUrl(a, 'https://example.com/a/b?c');
      if (r !== null) expect(parseUrl(r)).not.toBeNull();
    }));
  });
});

describe('property-based: freshness and evaluation', () => {
  const headersArb = fc.record({
    'cache-control': headerish,
    'cdn-cache-control': headerish,
    'vercel-cdn-cache-control': headerish,
    expires: headerish,
    date: headerish,
    age: headerish,
    'last-modified': headerish,
    vary: headerish,
    etag: headerish,
  }, { requiredKeys: [] });

  test('storable/createStoredEntry/evaluate never throw, lifetimes and ages are finite and ≥ 0', () => {
    fc.assert(fc.property(
      headersArb, fc.constantFrom(...layers), fc.constantFrom(...profiles), fc.constantFrom(200, 203, 301, 404, 410, 500),
      fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), headerish,
      (headers, layer, profile, status, delta, later, requestCc) => {
        const p = policy(layer, profile);
        const request = req({ headers: { 'cache-control': requestCc } });
        const response = { status, headers };
        const decision = storable(p, { request, response, responseTime: T0 });
        const f = decision.freshness;
        for (const n of [f.lifetime, f.staleWhileRevalidate, f.staleIfError]) {
          expect(Number.isFinite(n) && n >= 0 && Number.isInteger(n)).toBe(true);
        }
        const entry = createStoredEntry(p, { key: cacheKey(p, request), request, response, decision, requestTime: T0 + delta, responseTime: T0 });
        for (const n of [entry.initialAge, entry.lifetime, entry.freshUntil, entry.staleWhileRevalidateUntil, entry.staleIfErrorUntil, entry.date]) {
          expect(Number.isFinite(n)).toBe(true);
        }
        expect(entry.initialAge).toBeGreaterThanOrEqual(0);
        expect(entry.staleWhileRevalidateUntil).toBeGreaterThanOrEqual(entry.freshUntil);
        expect(structuredClone(entry)).toEqual(entry);
        expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
        const ev = evaluate(p, { entries: entry, request: req({ headers: { 'cache-control': requestCc } }), now: T0 + later });
        if ('age' in ev) {
          expect(Number.isFinite(ev.age) && ev.age >= 0).toBe(true);
          expect(Number.isFinite(ev.ttl)).toBe(true);
        }
        if ('age' in ev) {
          const out = rewriteForDownstream(p, { headers, ageSeconds: ev.age });
          if (out.headers['age'] !== undefined) expect(out.headers['age']).toMatch(/^\d+$/);
        }
      },
    ), { numRuns: 300 });
  }, 60_000);

  test('freshness is monotonic: a later time is never fresher', () => {
    fc.assert(fc.property(headersArb, fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 1_000_000_000 }), (headers, t1, t2) => {
      const p = policy('browser');
      const response = { status: 200, headers };
      const decision = storable(p, { request: req(), response, responseTime: T0 });
      const entry = createStoredEntry(p, { key: 'k', request: req(), response, decision, requestTime: T0, responseTime: T0 });
      const [a, b] = t1 <= t2 ? [t1, t2] : [t2, t1];
      const first = evaluate(p, { entries: entry, request: req(), now: T0 + a });
      const second = evaluate(p, { entries: entry, request: req(), now: T0 + b });
      if (second.action === 'fresh') expect(first.action).toBe('fresh');
    }));
  });

  test('explain never throws on arbitrary headers', () => {
    fc.assert(fc.property(headersArb, (headers) => {
      const x = explain(headers);
      for (const l of x.layers) expect(l.ttl >= 0 && Number.isFinite(l.ttl)).toBe(true);
    }), { numRuns: 200 });
  }, 60_000);
});
