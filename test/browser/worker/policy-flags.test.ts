/**
 * The spec's flags for its ambiguous cases (semantics.md §15), flipped through the script URL. Each
 * test runs one scenario on a worker with the spec's defaults and on one with the flag flipped (the
 * SDK's `flags` option), and checks the difference the rule names.
 */
import { afterAll, expect, test } from 'vitest';
import { isTierCacheError } from '../../../sdk/errors.ts';
import type { CacheWorkerController, WorkerFlags } from '../../../sdk/worker/index.ts';
import type { OriginResponse } from '../../../demo/origin/origin-plugin.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers, type Seen } from './harness.ts';

afterAll(stopWorkers);

/** Registers an edge-only worker with these flags (a fresh store each time). */
function edgeWorker(flags: Partial<WorkerFlags> = {}): Promise<CacheWorkerController> {
  return startWorker({ layers: 'edge' }, { flags });
}

/** Two requests for a fresh path answered by `response`; what the page saw and how often the origin was asked. */
async function twice(name: string, response: OriginResponse): Promise<{ first: Seen; second: Seen; originHits: number }> {
  const path = await scripted(name, [{ body: 'v{{hit}}', ...response }]);
  const first = await get(path);
  const second = await get(path);
  return { first, second, originHits: (await hits(path)).count };
}

test('R3/A1: lenientTargetedParsing makes the edge obey a targeted header strict RFC 8941 parsing rejects', async () => {
  const response = { headers: { 'CDN-Cache-Control': 'Max-Age=60' } }; // an uppercase key is not a Structured Field
  await edgeWorker();
  const strict = await twice('flag-lenient', response);
  expect([strict.second.xVercelCache, strict.originHits]).toEqual(['MISS', 2]);
  const worker = await edgeWorker({ lenientTargetedParsing: true });
  expect((await worker.inspect()).config.flags.lenientTargetedParsing).toBe(true);
  const lenient = await twice('flag-lenient', response);
  expect([lenient.second.xVercelCache, lenient.second.body, lenient.originHits]).toEqual(['HIT', 'v1', 1]);
});

test('R9/A2: edgeHonorsMaxAgeInCacheControl lets max-age alone in Cache-Control cache at the edge', async () => {
  const response = { headers: { 'Cache-Control': 'public, max-age=60' } };
  await edgeWorker();
  const spec = await twice('flag-max-age', response);
  expect([spec.second.xVercelCache, spec.originHits]).toEqual(['MISS', 2]);
  await edgeWorker({ edgeHonorsMaxAgeInCacheControl: true });
  const rfc = await twice('flag-max-age', response);
  expect([rfc.second.xVercelCache, rfc.originHits]).toEqual(['HIT', 1]);
});

test('R29/A6: stripWhen=always strips s-maxage and stale-while-revalidate even when a targeted header won', async () => {
  const response = { headers: { 'CDN-Cache-Control': 'max-age=60', 'Cache-Control': 'max-age=10, s-maxage=30, stale-while-revalidate=5' } };
  await edgeWorker();
  expect((await twice('flag-strip', response)).first.cacheControl).toBe('max-age=10, s-maxage=30, stale-while-revalidate=5');
  await edgeWorker({ stripWhen: 'always' });
  const stripped = await twice('flag-strip', response);
  expect([stripped.first.cacheControl, stripped.second.cacheControl, stripped.second.xVercelCache]).toEqual(['max-age=10', 'max-age=10', 'HIT']);
});

test('R42/A12: criteriaReadCacheControlAlways vetoes edge storage on Cache-Control: private under a targeted header', async () => {
  const response = { headers: { 'Cache-Control': 'private', 'CDN-Cache-Control': 'max-age=60' } };
  await edgeWorker();
  const spec = await twice('flag-criteria', response);
  expect([spec.second.xVercelCache, spec.originHits]).toEqual(['HIT', 1]);
  await edgeWorker({ criteriaReadCacheControlAlways: true });
  const strict = await twice('flag-criteria', response);
  expect([strict.second.xVercelCache, strict.originHits]).toEqual(['MISS', 2]);
});

test('R33/A8: ageMitigation drops Age from what the edge serves', async () => {
  const response = { headers: { 'Cache-Control': 'max-age=600', 'CDN-Cache-Control': 'max-age=3600' } };
  const scenario = async (worker: CacheWorkerController) => {
    const path = await scripted('flag-age', [{ ...response, body: 'x' }]);
    await get(path);
    await worker.setClockOffset(1800 * SECOND);
    const hit = await get(path);
    await worker.setClockOffset(0);
    return hit;
  };
  const spec = await scenario(await edgeWorker());
  expect(spec.xVercelCache).toBe('HIT');
  expect(spec.age).toBeGreaterThanOrEqual(1800); // whole seconds since stored, on the travelled clock
  const mitigated = await scenario(await edgeWorker({ ageMitigation: true }));
  expect([mitigated.xVercelCache, mitigated.age]).toEqual(['HIT', null]);
});

test('R34/A9: forwardCacheTagHeader lets Vercel-Cache-Tag reach the page', async () => {
  const response = { headers: { 'Cache-Control': 's-maxage=60', 'Vercel-Cache-Tag': 'product,list' } };
  await edgeWorker();
  const spec = await twice('flag-tags', response);
  expect([spec.first.headers.get('vercel-cache-tag'), spec.second.headers.get('vercel-cache-tag')]).toEqual([null, null]);
  const worker = await edgeWorker({ forwardCacheTagHeader: true });
  const forwarded = await twice('flag-tags', response);
  expect([forwarded.first.headers.get('vercel-cache-tag'), forwarded.second.headers.get('vercel-cache-tag')]).toEqual(['product,list', 'product,list']);
  expect((await worker.invalidateByTag('product')).entries).toBe(1); // the tags still work as tags
});

test('R40/A11: maxBodyBytes lowers the largest body the edge stores', async () => {
  const response = { headers: { 'Cache-Control': 's-maxage=60' }, bodyBytes: 4096 };
  await edgeWorker();
  const spec = await twice('flag-size', response);
  expect([spec.second.xVercelCache, spec.originHits]).toEqual(['HIT', 1]);
  await edgeWorker({ maxBodyBytes: 1024 });
  const small = await twice('flag-size', response);
  expect([small.second.xVercelCache, small.second.body.length, small.originHits]).toEqual(['MISS', 4096, 2]);
});

test('semantics §15: a malformed flag in the script URL is reported by inspect() and the default kept', async () => {
  const worker = await startWorker({ layers: 'edge', ageMitigation: 'yes', stripWhen: 'never' });
  const { config } = await worker.inspect();
  expect(config.flags).toMatchObject({ ageMitigation: false, stripWhen: 'cc-consumed' });
  expect(config.issues.map((issue) => issue.param).sort()).toEqual(['ageMitigation', 'stripWhen']);
});

test.each([
  [{ ageMitigation: 'yes' }],
  [{ stripWhen: 'never' }],
  [{ maxBodyBytes: -1 }],
  [{ noSuchFlag: true }],
])('semantics §15: registerCacheWorker rejects flags %j (invalid-options)', async (flags) => {
  const error: unknown = await startWorker({ layers: 'edge' }, { flags: flags as Partial<WorkerFlags> }).catch((e: unknown) => e);
  expect(isTierCacheError(error) && error.code).toBe('invalid-options');
});
