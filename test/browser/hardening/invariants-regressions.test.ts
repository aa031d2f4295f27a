/**
 * Counterexamples the invariant fuzzer (invariants.test.ts) found, kept as plain regression tests with
 * the shrunk sequence spelled out (seed and path in each test's comment).
 */
import { afterAll, expect, test } from 'vitest';
import { get, hits, script, startWorker, stopWorkers, uniquePath } from './harness.ts';
import { members } from './fuzz-oracle.ts';

afterAll(stopWorkers);

// Fuzz seed 978995991 (path 9:0:0:1:1:1:0:0:0:0:0:0:0), config browser,cdn,edge: a page-side layer that
// freshened its copy through a 304 answered by the layer above lost that layer's Cache-Status member:
// `cdn; fwd=stale; fwd-status=304; …, browser; fwd=stale; fwd-status=304; …` with no `edge` member.
test('RFC 9211: a response freshened by a 304 from an upstream layer keeps one Cache-Status member per layer', async () => {
  const worker = await startWorker({ layers: 'browser,cdn,edge' });
  const path = await script(uniquePath('regress-304-members'), [{ etag: '"r1"', body: 'v{{hit}}' }]);
  for (let i = 0; i < 3; i++) {
    const seen = await get(path);
    expect(seen.body).toBe('v1');
    expect(members(seen.cacheStatus).map((m) => m.layer)).toEqual(['edge', 'cdn', 'browser']);
  }
  expect((await hits(path)).count).toBe(3); // no Cache-Control: every use is revalidated (R18)
  await worker.purgeAll();
});

// Fuzz finding (issue 14), config browser,cdn,edge (vercel): a path with an ETag and no Cache-Control
// for the cdn (none at all, or only Vercel-CDN-Cache-Control). The edge bypasses Authorization requests
// (R38) but its R31 default said `public, max-age=0, must-revalidate`, so the cdn stored u1's answer and,
// after the origin's user-independent 304, served it to u2 and to anonymous visitors.
test('RFC 9111 §3.5: a cdn in front of the edge never hands one user\'s answer to an Authorization request to another', async () => {
  const worker = await startWorker({ layers: 'cdn,edge' });
  const origins: Record<string, string>[] = [{}, { 'Vercel-CDN-Cache-Control': 'max-age=60' }, { 'Cache-Control': 'stale-while-revalidate=60' }];
  for (const headers of origins) {
    const path = await script(uniquePath('regress-auth-cdn'), [{ headers, etag: '"same-for-everyone"', body: '{{req.authorization}}|{{hit}}' }]);
    expect((await get(path, { headers: { authorization: 'Bearer u1' } })).body).toBe('Bearer u1|1');
    const u2 = await get(path, { headers: { authorization: 'Bearer u2' } });
    expect(u2.body, `${JSON.stringify(headers)}: ${u2.cacheStatus}`).toBe('Bearer u2|2');
    expect((await worker.inspect()).entries.filter((e) => e.url.endsWith(path) && e.layer === 'cdn'), 'no user\'s answer kept by the cdn').toEqual([]);
    expect((await get(path)).body).toBe('|3');
  }
  // The origin allowed shared caches to reuse it (s-maxage, RFC 9111 §3.5): the cdn may, as before.
  const shared = await script(uniquePath('regress-auth-cdn-shared'), [{ headers: { 'Cache-Control': 's-maxage=60' }, etag: '"e"', body: '{{req.authorization}}|{{hit}}' }]);
  await get(shared, { headers: { authorization: 'Bearer u1' } });
  expect((await get(shared, { headers: { authorization: 'Bearer u2' } })).body).toBe('Bearer u1|1');
  await worker.purgeAll();
});

// Fuzz seed -986049140 (issue 14's long run), config cdn,edge (rfc9111): the cdn stored a copy with
// `s-maxage=0, stale-while-revalidate=60`; 400 s later invalidateByTag marked it, and the next request got
// that 400 s old copy as STALE: the mark had made a long-expired entry servable again.
test('R78/R60: invalidateByTag never revives a copy past its stale window; the next request waits for the origin', async () => {
  const worker = await startWorker({ layers: 'cdn,edge', profile: 'rfc9111' });
  const tag = `regress-revive-${Math.random().toString(36).slice(2, 8)}`;
  const path = await script(uniquePath('regress-revive'), [{
    headers: {
      'CDN-Cache-Control': 'max-age=0, s-maxage=0, stale-while-revalidate=60, stale-if-error=60',
      'Vercel-CDN-Cache-Control': 'no-store, immutable, stale-while-revalidate=5',
      'Vercel-Cache-Tag': tag,
    },
    body: 'v{{hit}}',
  }]);
  expect((await get(path)).body).toBe('v1');
  await worker.setClockOffset(400 * 1000);
  await worker.invalidateByTag(tag);
  const next = await get(path);
  expect(next.body, next.cacheStatus ?? '').toBe('v2');
  expect((await hits(path)).count).toBe(2);
  await worker.setClockOffset(0);
  await worker.purgeAll();
});

// Fuzz seed 1871591002 (path 214:69:4:8:10:11:11:12:13:14:14:14:14:12:12:12:12, the third long run), config
// cdn,edge (rfc9111). Not a worker defect: the oracle still expected "no fresh hit" after the origin had
// answered the marked copy's revalidation with 304. This pins what the worker did, which RFC 9111 §4.3.4
// asks for: a copy that the origin has validated since the purge is fresh again and served as a hit.
test('R78: after invalidateByTag, a revalidation the origin answers with 304 makes the copy fresh again', async () => {
  const worker = await startWorker({ layers: 'cdn,edge', profile: 'rfc9111' });
  const tag = `regress-304-${Math.random().toString(36).slice(2, 8)}`;
  const path = await script(uniquePath('regress-mark-304'), [{
    headers: {
      'Cache-Control': 'max-age=300, s-maxage=0, must-revalidate',
      'CDN-Cache-Control': 'max-age=1, s-maxage=3600',
      'Vercel-Cache-Tag': tag,
    },
    etag: '"mark-304"',
    body: 'v{{hit}}',
  }]);
  expect((await get(path)).body).toBe('v1');
  await worker.invalidateByTag(tag);
  const revalidated = await get(path, { cache: 'force-cache' });
  expect(revalidated.body).toBe('v1');
  const origin = await hits(path);
  expect(origin.count, 'the marked copy was revalidated').toBe(2);
  expect(origin.requests[1]?.headers['if-none-match']).toBe('"mark-304"');
  const next = await get(path);
  expect(next.body).toBe('v1');
  expect(members(next.cacheStatus).find((m) => m.layer === 'cdn')?.hit, next.cacheStatus ?? '').toBe(true);
  expect((await hits(path)).count, 'a fresh hit: the origin is not asked again').toBe(2);
  await worker.purgeAll();
});

// Fuzz seed 721362261 (path 47:86:1:1:2:2:4:4:5:5:5, this stop's long run), config browser,cdn,edge
// (vercel). Not a worker defect: after dangerouslyDeleteByTag with a deadline, a `force-cache` request
// missed in the browser layer, the cdn answered with its marked copy stale (R79 within the deadline), and
// the browser layer stored that answer; the oracle still held the browser's new copy to the purge's "no
// fresh hit". The browser stores what its upstream sends, as behind a real CDN: this pins that.
test('R79/R78: a copy the browser layer stores from an upstream stale answer after a purge is its own, fresh for its max-age', async () => {
  const worker = await startWorker({ layers: 'browser,cdn,edge' });
  const tag = `regress-stale-down-${Math.random().toString(36).slice(2, 8)}`;
  const path = await script(uniquePath('regress-stale-down'), [{
    headers: { 'Cache-Control': 'max-age=300', 'Vercel-CDN-Cache-Control': 'max-age=1, stale-while-revalidate=60', 'Vercel-Cache-Tag': tag },
    body: 'v{{hit}}',
  }]);
  expect((await get(path, { cache: 'no-store' })).body).toBe('v1'); // stored by the cdn and the edge only
  await worker.dangerouslyDeleteByTag(tag, { revalidationDeadlineSeconds: 30 });
  const stale = await get(path);
  expect(stale.body).toBe('v1');
  const cdn = members(stale.cacheStatus).find((m) => m.layer === 'cdn');
  expect(cdn?.detail, stale.cacheStatus ?? '').toBe('tag-delete-deadline');
  const next = await get(path);
  expect(next.body, 'the browser layer serves what it stored').toBe('v1');
  expect(members(next.cacheStatus).find((m) => m.layer === 'browser')?.hit, next.cacheStatus ?? '').toBe(true);
  await worker.purgeAll();
});
