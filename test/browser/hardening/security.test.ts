/**
 * Issue 7, security: one visitor's variant (country, Authorization, cookie marker) is never served to
 * another; cross-origin and opaque responses are never cached (the worker only handles its own origin);
 * malformed messages get a typed error and change nothing; tags and keys with commas, percent signs,
 * quotes and non-ASCII round-trip or are rejected clearly.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TierCacheError } from '../../../sdk/errors.ts';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { command, get, hits, script, sendRaw, startWorker, stopWorkers, uniquePath } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'edge' });
});
afterAll(stopWorkers);

const bodyOf = (path: string) => `{{req.x-vercel-ip-country}}|{{req.authorization}}|{{hit}}|${path}`;

test('R52/R38/R41: across 60 requests from three visitors, two users and anonymous, nobody gets another one\'s response', async () => {
  const country = await script(uniquePath('sec-country'), [{ headers: { 'Cache-Control': 's-maxage=600', Vary: 'X-Vercel-IP-Country' }, body: bodyOf('c') }]);
  const auth = await script(uniquePath('sec-auth'), [{ headers: { 'Cache-Control': 'public, s-maxage=600' }, body: bodyOf('a') }]);
  const cookie = await script(uniquePath('sec-cookie'), [{ headers: { 'Cache-Control': 'public, s-maxage=600', 'x-demo-set-cookie': 'sid=1' }, body: bodyOf('k') }]);
  const visitors = ['DE', 'FR', 'JP'] as const;
  const users = [null, 'Bearer u1', 'Bearer u2'] as const;
  for (let i = 0; i < 20; i++) {
    const visitor = visitors[(i * 7) % 3] as string;
    const user = users[Math.floor(i / 3) % 3] ?? null; // every visitor meets every user
    await worker.setVisitorLocation({ country: visitor });
    const init = user ? { headers: { authorization: user } } : {};
    const [c, a, k] = [await get(country, init), await get(auth, init), await get(cookie, init)];
    expect(c.body.split('|')[0], 'country variant').toBe(visitor);
    expect(a.body.split('|')[1], 'Authorization').toBe(user ?? '');
    if (user) expect(a.xVercelCache).toBe('MISS'); // R38: never from the edge store
    expect(k.xVercelCache).toBe('MISS'); // R41: a response setting a cookie is never stored
  }
  expect((await hits(cookie)).count).toBe(20);
  const stored = (await worker.inspect()).entries;
  expect(stored.filter((e) => e.url.endsWith(cookie))).toEqual([]);
  expect(stored.filter((e) => e.url.endsWith(country)).map((e) => e.variant['x-vercel-ip-country']).sort()).toEqual(['DE', 'FR', 'JP']);
  await worker.setVisitorLocation(null);
});

test('cross-origin requests (cors and no-cors/opaque) pass through untouched and are never cached', async () => {
  // s-maxage only, and cache: 'no-store': Chromium's own HTTP cache must not answer either.
  const path = await script(uniquePath('sec-cross'), [{ headers: { 'Cache-Control': 'public, s-maxage=600', 'Access-Control-Allow-Origin': '*' }, body: 'x{{hit}}' }]);
  const other = `${location.protocol}//127.0.0.1:${location.port}${path}`;
  const opaque = await fetch(other, { mode: 'no-cors', cache: 'no-store' });
  expect(opaque.type).toBe('opaque');
  const cors = await fetch(other, { mode: 'cors', cache: 'no-store' });
  expect(cors.type).toBe('cors');
  expect(await cors.text()).toBe('x2'); // reached the origin again: the opaque answer was never kept
  expect(cors.headers.get('cache-status')).toBeNull();
  expect((await fetch(other, { mode: 'cors', cache: 'no-store' }).then((r) => r.text()))).toBe('x3');
  expect((await worker.inspect()).entries.filter((e) => e.url.includes('127.0.0.1'))).toEqual([]);
});

/** What a command could change: configuration, clock, visitor, and the entries (ages move with time). */
const snapshot = async () => {
  const { now: _now, entries, ...rest } = await worker.inspect();
  return { ...rest, entries: entries.map(({ age: _age, ...entry }) => entry) };
};

test('malformed messages to the worker get a typed invalid-message error and change nothing', async () => {
  const path = await script(uniquePath('sec-msg'), [{ headers: { 'Cache-Control': 's-maxage=600', 'Vercel-Cache-Tag': 'sec-msg' }, body: 'm{{hit}}' }]);
  await get(path);
  const before = await snapshot();
  const malformed = fc.oneof(
    fc.record({ op: fc.constantFrom('invalidateByTag', 'dangerouslyDeleteByTag'), tags: fc.oneof(fc.constant([]), fc.constant(['a,b']), fc.constant(['']), fc.constant(['x'.repeat(257)]), fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 1 })), revalidationDeadlineSeconds: fc.constantFrom(0, 5) }),
    fc.record({ op: fc.constant('dangerouslyDeleteByTag'), tags: fc.constant(['sec-msg']), revalidationDeadlineSeconds: fc.constantFrom(-1, Number.NaN, Infinity, '5', null) }),
    fc.record({ op: fc.constant('setClockOffset'), ms: fc.constantFrom(Number.NaN, Infinity, -Infinity, '1000', null, undefined, {}) }),
    fc.record({ op: fc.constant('setVisitorLocation'), location: fc.oneof(fc.constant('DE'), fc.constant(5), fc.record({ country: fc.integer() }), fc.record({ planet: fc.string() }), fc.record({ country: fc.constant('Ü\u0000') })) }),
    fc.record({ op: fc.constant('injectStorageFault'), failNext: fc.constantFrom(1, -1, 0.5) }),
    fc.record({ op: fc.constant('injectBackendFault'), rules: fc.anything() }),
    fc.record({ op: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('__proto__'), fc.constant('constructor')) }),
    fc.anything().filter((v) => typeof v !== 'object' || v === null),
  );
  await fc.assert(
    fc.asyncProperty(malformed, async (payload) => {
      const reply = await command(payload);
      expect(reply).not.toBe('no reply');
      if (reply !== 'no reply') expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    }),
    { numRuns: 150 },
  );
  // Foreign messages (no protocol tag, or no reply port) are ignored: no answer, no effect.
  for (const foreign of [null, 42, 'purgeAll', { op: 'purgeAll' }, { tag: 'other/1', id: 'x', command: { op: 'purgeAll' } }]) expect(await sendRaw(foreign, 200)).toBe('no reply');
  navigator.serviceWorker.controller?.postMessage({ tag: 'tiercache/1', id: 'no-port', command: { op: 'purgeAll' } });
  expect(await snapshot()).toEqual(before);
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('R73/R74/R106: tags and keys with commas, percent signs, quotes and non-ASCII round-trip or are rejected clearly', async () => {
  const cache = getCache({ projectId: `sec-${Date.now()}`, timeoutMs: 5000 });
  const keys = ['a,b', '50%', '%25', '"quoted"', "it's", 'ünïcødé', '😀', 'a$b', '', ' '.repeat(3), '\u0000ctl'];
  for (const [i, key] of keys.entries()) await cache.set(key, { i, key });
  for (const [i, key] of keys.entries()) expect(await cache.get(key)).toEqual({ i, key });
  // Tags: a comma always separates (R73); other characters are kept verbatim and matched exactly (R72).
  await cache.set('tagged', 1, { tags: ['x,y', '50% off', '"q"', 'ünï'] });
  await cache.expireTag('50%25 off'); // percent-encoding is not decoded: a different tag
  expect(await cache.get('tagged')).toBe(1);
  await cache.expireTag('y');
  expect(await cache.get('tagged')).toBeNull();
  // Through the worker (R77/R120), for the default project the worker purges: the runtime entry expires.
  const shared = getCache({ timeoutMs: 5000 });
  await shared.set('sec-tagged', 2, { tags: ['ünï "q" 50%'] });
  const purged = await worker.invalidateByTag('ünï "q" 50%');
  expect(purged.entries).toBe(0); // no HTTP entry can carry a non-ASCII tag (header values are bytes)
  await expect.poll(() => shared.get('sec-tagged')).toBeNull();
  // Clear rejections with stable codes: non-string keys and tags, oversized or empty purge tags.
  await expect(cache.set(5 as unknown as string, 1)).rejects.toMatchObject({ code: 'invalid-key' });
  await expect(cache.set('k', 1, { tags: [5 as unknown as string] })).rejects.toMatchObject({ code: 'invalid-tags' });
  await expect(worker.invalidateByTag('x'.repeat(257))).rejects.toBeInstanceOf(TierCacheError);
  await expect(worker.invalidateByTag(' , ')).rejects.toMatchObject({ code: 'invalid-tags' });
});

test('URLs and header values with quotes, percent signs, commas and non-ASCII are cached and matched safely (Vary)', async () => {
  const raw = `${uniquePath('sec-ü')}%20"q",x`;
  const path = await script(new URL(raw, location.href).pathname, [{ headers: { 'Cache-Control': 's-maxage=600', Vary: 'X-Variant' }, body: 'v{{hit}}|{{req.x-variant}}' }]);
  const variants = ['a,"b"', '50%', "it's", 'e', 'é', 'ß ü'];
  const first = new Map<string, string>();
  for (const variant of variants) first.set(variant, (await get(raw, { headers: { 'x-variant': variant } })).body);
  for (const variant of variants) {
    const seen = await get(raw, { headers: { 'x-variant': variant } });
    expect([seen.xVercelCache, seen.body]).toEqual(['HIT', first.get(variant)]);
  }
  // Printable ASCII values are variants of their own and reach the origin verbatim.
  for (const variant of variants.slice(0, 4)) expect(first.get(variant)?.split('|')[1]).toBe(variant);
  // Chromium hands non-ASCII (Latin-1) request header values to the worker AND to the network as empty
  // strings, so the origin cannot tell them apart either: one variant, the one the origin answered for "".
  expect(first.get('é')).toBe(first.get('ß ü'));
  expect(first.get('é')?.split('|')[1]).toBe('');
  expect((await hits(path)).count).toBe(5);
});

test('with crossOrigin configured, only CORS-mode answers are cached: a no-cors (opaque) request never gets or leaves an entry', async () => {
  const other = `${location.protocol}//127.0.0.1:${location.port}`;
  const cross = await startWorker({ layers: 'browser,edge', crossOrigin: other });
  const path = await script(uniquePath('sec-cross-on'), [{ headers: { 'Cache-Control': 'public, max-age=600, s-maxage=600', 'Access-Control-Allow-Origin': '*' }, body: 'y{{hit}}' }]);
  const url = `${other}${path}`;
  const opaque = await fetch(url, { mode: 'no-cors', cache: 'no-store' });
  expect(opaque.type).toBe('opaque');
  expect((await cross.inspect()).entries.filter((e) => e.url === url)).toEqual([]);
  // (A response the worker builds reaches the page as type 'basic'; its headers are the CORS-filtered ones the worker saw.)
  const first = await fetch(url, { mode: 'cors' });
  expect([first.type === 'opaque', await first.text()]).toEqual([false, 'y2']);
  const second = await fetch(url, { mode: 'cors' });
  expect([second.type === 'opaque', await second.text()]).toEqual([false, 'y2']); // from the worker's store
  expect(second.headers.get('cache-status')).toMatch(/browser; hit/);
  const opaqueAgain = await fetch(url, { mode: 'no-cors', cache: 'no-store' });
  expect(opaqueAgain.type).toBe('opaque'); // never the stored CORS entry, never cached
  expect((await hits(path)).count).toBe(3);
});
