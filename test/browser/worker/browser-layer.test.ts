/**
 * The private browser layer alone (§11): RFC 9111 storage and freshness, validation, request cache
 * modes (R156), stale-if-error (R144), must-revalidate (R142), Vary (R147), Range and Authorization.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, script, scripted, SECOND, startWorker, stopWorkers, uniquePath } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

describe('storing and freshness', () => {
  test('R133/V6: a private response with max-age is stored by the private layer and served with Age (R157)', async () => {
    const path = await scripted('private', [{ headers: { 'Cache-Control': 'private, max-age=300' }, body: 'v{{hit}}' }]);
    const first = await get(path);
    expect(first.cacheStatus).toMatch(/^browser; fwd=uri-miss; fwd-status=200; ttl=\d+; stored$/);
    await worker.setClockOffset(100 * SECOND);
    const second = await get(path);
    expect(second.body).toBe('v1');
    expect(second.cacheStatus).toMatch(/^browser; hit; ttl=(19\d|200)$/);
    expect(second.age).toBeGreaterThanOrEqual(100);
    expect((await hits(path)).count).toBe(1);
  });

  test('R136: fresh until max-age has passed, then fetched again', async () => {
    const path = await scripted('boundary', [{ headers: { 'Cache-Control': 'max-age=60' }, body: 'v{{hit}}' }]);
    await get(path);
    await worker.setClockOffset(55 * SECOND);
    expect((await get(path)).body).toBe('v1');
    await worker.setClockOffset(62 * SECOND);
    expect((await get(path)).body).toBe('v2');
    expect((await hits(path)).count).toBe(2);
  });

  test('R18/R140: no Cache-Control and no Last-Modified → nothing to reuse, every request reaches the origin', async () => {
    const path = await scripted('plain', [{ body: 'v{{hit}}' }]);
    await get(path);
    expect((await get(path)).body).toBe('v2');
  });

  test('R133: a no-store response is never stored', async () => {
    const path = await scripted('nostore', [{ headers: { 'Cache-Control': 'no-store, max-age=600' }, body: 'v{{hit}}' }]);
    await get(path);
    const second = await get(path);
    expect(second.body).toBe('v2');
    expect(second.cacheStatus).toContain('detail=no-store');
  });

  test('R134: the browser ignores s-maxage and CDN-Cache-Control', async () => {
    const path = await scripted('smaxage', [{ headers: { 'Cache-Control': 's-maxage=600', 'CDN-Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
    await get(path);
    expect((await get(path)).body).toBe('v2');
  });
});

describe('validation', () => {
  test('R135/R148/R149: no-cache is stored and revalidated with If-None-Match; a 304 serves the stored body', async () => {
    const path = await scripted('nocache', [{ headers: { 'Cache-Control': 'no-cache' }, etag: '"e1"', body: 'body-{{hit}}' }]);
    await get(path);
    const second = await get(path);
    expect(second.status).toBe(200);
    expect(second.body).toBe('body-1');
    expect(second.cacheStatus).toMatch(/^browser; fwd=stale; fwd-status=304/);
    const seen = await hits(path);
    expect(seen.count).toBe(2);
    expect(seen.requests[1]?.headers['if-none-match']).toBe('"e1"');
  });

  test('R148: Last-Modified becomes If-Modified-Since', async () => {
    const lastModified = new Date(Date.now() - 3600_000).toUTCString();
    const path = await scripted('lm', [{ headers: { 'Cache-Control': 'max-age=10' }, lastModified, body: 'lm-{{hit}}' }]);
    await get(path);
    await worker.setClockOffset(20 * SECOND);
    const again = await get(path);
    expect(again.body).toBe('lm-1');
    expect((await hits(path)).requests[1]?.headers['if-modified-since']).toBeTruthy();
  });

  test('R150: a full 200 answer to a revalidation replaces the stored response', async () => {
    const path = await scripted('replace', [
      { headers: { 'Cache-Control': 'max-age=10' }, etag: '"a"', body: 'old' },
      { headers: { 'Cache-Control': 'max-age=10' }, etag: '"b"', body: 'new' },
    ]);
    await get(path);
    await worker.setClockOffset(20 * SECOND);
    expect((await get(path)).body).toBe('new');
    expect((await get(path)).body).toBe('new');
    expect((await hits(path)).count).toBe(2);
  });
});

describe('HEAD', () => {
  test('R54: HEAD is its own key and never gets a body', async () => {
    const path = await scripted('head', [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
    const head = await fetch(path, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    const again = await fetch(path, { method: 'HEAD' });
    expect(again.headers.get('cache-status')).toMatch(/^browser; hit/);
    expect((await get(path)).body).toBe('v2');
    expect((await hits(path)).requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });
});

describe('request cache modes (R156)', () => {
  test('no-store bypasses the layer and does not store', async () => {
    const path = await scripted('mode-nostore', [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
    await get(path, { cache: 'no-store' });
    const next = await get(path);
    expect(next.body).toBe('v2');
    expect((await hits(path)).requests[0]?.headers['cache-control']).toBe('no-cache');
  });

  test('reload skips a fresh entry and stores the new answer', async () => {
    const path = await scripted('mode-reload', [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
    await get(path);
    const reloaded = await get(path, { cache: 'reload' });
    expect(reloaded.body).toBe('v2');
    expect((await get(path)).body).toBe('v2');
    expect((await hits(path)).count).toBe(2);
  });

  test('no-cache validates even a fresh entry', async () => {
    const path = await scripted('mode-nocache', [{ headers: { 'Cache-Control': 'max-age=600' }, etag: '"x"', body: 'v{{hit}}' }]);
    await get(path);
    const validated = await get(path, { cache: 'no-cache' });
    expect(validated.body).toBe('v1');
    expect((await hits(path)).requests[1]?.headers['if-none-match']).toBe('"x"');
  });

  test('force-cache serves a stale entry without asking the origin', async () => {
    const path = await scripted('mode-force', [{ headers: { 'Cache-Control': 'max-age=10' }, body: 'v{{hit}}' }]);
    await get(path);
    await worker.setClockOffset(3600 * SECOND);
    expect((await get(path, { cache: 'force-cache' })).body).toBe('v1');
    expect((await hits(path)).count).toBe(1);
  });

  test('only-if-cached serves what is stored and is a network error otherwise', async () => {
    const path = await scripted('mode-oic', [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
    await expect(fetch(path, { cache: 'only-if-cached', mode: 'same-origin' })).rejects.toThrow(TypeError);
    await get(path);
    expect((await get(path, { cache: 'only-if-cached', mode: 'same-origin' })).body).toBe('v1');
    expect((await hits(path)).count).toBe(1);
  });

  test('R146: a fresh immutable response is not revalidated on reload (no-cache mode)', async () => {
    const path = await scripted('immutable', [{ headers: { 'Cache-Control': 'max-age=600, immutable' }, etag: '"i"', body: 'v{{hit}}' }]);
    await get(path);
    expect((await get(path, { cache: 'no-cache' })).body).toBe('v1');
    expect((await hits(path)).count).toBe(1);
  });
});

describe('errors and stale content', () => {
  test('R144: stale-if-error serves the stale response when the origin answers 500', async () => {
    const path = await scripted('sie', [{ headers: { 'Cache-Control': 'max-age=10, stale-if-error=600' }, body: 'good' }, { status: 500, body: 'bad' }]);
    await get(path);
    await worker.setClockOffset(60 * SECOND);
    const served = await get(path);
    expect(served.status).toBe(200);
    expect(served.body).toBe('good');
    expect(served.cacheStatus).toContain('detail=stale-if-error');
    await worker.setClockOffset(700 * SECOND);
    const beyond = await get(path);
    expect(beyond.status).toBe(500);
  });

  test('R144: stale-if-error covers an unreachable origin too', async () => {
    const path = await scripted('sie-net', [{ headers: { 'Cache-Control': 'max-age=10, stale-if-error=600' }, body: 'good' }, { fail: 'network' }]);
    await get(path);
    await worker.setClockOffset(60 * SECOND);
    expect((await get(path)).body).toBe('good');
  });

  test('R142: must-revalidate with an unreachable origin answers 504, never stale', async () => {
    const path = await scripted('mustreval', [{ headers: { 'Cache-Control': 'max-age=10, must-revalidate, stale-if-error=600' }, body: 'good' }, { fail: 'network' }]);
    await get(path);
    await worker.setClockOffset(60 * SECOND);
    const res = await get(path);
    expect(res.status).toBe(504);
  });

  test('R133: with nothing stored, an origin error without explicit freshness passes through unstored', async () => {
    const path = await scripted('err', [{ status: 503, body: 'down' }, { headers: { 'Cache-Control': 'max-age=600' }, body: 'up' }]);
    expect((await get(path)).status).toBe(503);
    expect((await get(path)).body).toBe('up');
  });

  test('a network failure with nothing stored reaches the page as a network error', async () => {
    const path = await scripted('neterr', [{ fail: 'network' }]);
    await expect(fetch(path)).rejects.toThrow(TypeError);
  });

  test('R143: stale-while-revalidate serves stale once and refreshes in the background', async () => {
    const path = await scripted('swr', [{ headers: { 'Cache-Control': 'max-age=10, stale-while-revalidate=60' }, body: 'v{{hit}}' }]);
    await get(path);
    await worker.setClockOffset(30 * SECOND);
    const stale = await get(path);
    expect(stale.body).toBe('v1');
    expect(stale.cacheStatus).toMatch(/^browser; hit; ttl=-\d+; detail=stale-time$/);
    await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
    expect((await hits(path)).count).toBe(2);
  });
});

describe('request headers', () => {
  test('R147/R55: Vary selects variants; a header absent in both requests matches', async () => {
    const path = await scripted('vary', [{ headers: { 'Cache-Control': 'max-age=600', Vary: 'X-Flavor' }, body: '{{req.x-flavor}}-{{hit}}' }]);
    expect((await get(path)).body).toBe('-1');
    expect((await get(path)).body).toBe('-1');
    expect((await get(path, { headers: { 'X-Flavor': 'a' } })).body).toBe('a-2');
    expect((await get(path, { headers: { 'X-Flavor': 'b' } })).body).toBe('b-3');
    expect((await get(path, { headers: { 'X-Flavor': 'a' } })).body).toBe('a-2');
    expect((await get(path, { headers: { 'X-Flavor': ' b ' } })).body).toBe('b-3');
    expect((await hits(path)).count).toBe(3);
    const variants = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
    expect(variants.map((e) => e.variant['x-flavor']).sort()).toEqual(['', 'a', 'b']);
  });

  test('R147: Vary: * never matches', async () => {
    const path = await scripted('varystar', [{ headers: { 'Cache-Control': 'max-age=600', Vary: '*' }, body: 'v{{hit}}' }]);
    await get(path);
    expect((await get(path)).body).toBe('v2');
  });

  test('R37: a Range request bypasses the layer and is never stored', async () => {
    const path = await scripted('range', [{ status: 206, headers: { 'Cache-Control': 'max-age=600', 'Content-Range': 'bytes 0-1/10' }, body: 'v{{hit}}' }]);
    const res = await get(path, { headers: { Range: 'bytes=0-1' } });
    expect(res.status).toBe(206);
    expect(res.cacheStatus).toContain('fwd=bypass');
    await get(path, { headers: { Range: 'bytes=0-1' } });
    expect((await hits(path)).count).toBe(2);
    expect((await hits(path)).requests[0]?.headers.range).toBe('bytes=0-1');
  });

  test('R133: the private layer may store a response to a request with Authorization', async () => {
    const path = await scripted('auth-private', [{ headers: { 'Cache-Control': 'private, max-age=600' }, body: 'v{{hit}}' }]);
    await get(path, { headers: { Authorization: 'Bearer me' } });
    expect((await get(path, { headers: { Authorization: 'Bearer me' } })).body).toBe('v1');
  });
});

describe('unsafe methods (R153–R155)', () => {
  test('R153: a successful POST invalidates the stored GET; the POST itself is written through', async () => {
    const path = uniquePath('post');
    await script(path, [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'get-{{hit}}' }]);
    await script(path, [{ status: 201, body: 'created' }], { method: 'POST' });
    await get(path);
    expect((await get(path)).body).toBe('get-1');
    const posted = await get(path, { method: 'POST', body: 'x' });
    expect(posted.body).toBe('created');
    expect(posted.cacheStatus).toBe('browser; fwd=method; fwd-status=201');
    expect((await get(path)).body).toBe('get-3'); // {{hit}} counts the POST too
    const seen = await hits(path);
    expect(seen.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });

  test('R155: an error answer to an unsafe method invalidates nothing', async () => {
    const path = uniquePath('post-err');
    await script(path, [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'get-{{hit}}' }]);
    await script(path, [{ status: 500, body: 'nope' }], { method: 'DELETE' });
    await get(path);
    await get(path, { method: 'DELETE' });
    expect((await get(path)).body).toBe('get-1');
  });

  test('R154: a same-origin Location of a successful PUT is invalidated too', async () => {
    const target = uniquePath('put-target');
    const other = uniquePath('put-location');
    await script(other, [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'other-{{hit}}' }]);
    await script(target, [{ status: 204, headers: { Location: other } }], { method: 'PUT' });
    await get(other);
    await get(target, { method: 'PUT', body: 'x' });
    expect((await get(other)).body).toBe('other-2');
  });
});
