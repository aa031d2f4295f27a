/**
 * Tag purges from page code (R70–R84): every layer's tagged entries and the runtime cache's, through
 * the controller; Vercel-Cache-Tag is captured by the edge and never reaches the page (R34).
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { getCache } from '../../../sdk/runtime-cache/index.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser,edge' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
});
afterAll(stopWorkers);

const tagged = (tag: string, cacheControl = 's-maxage=3600') => ({
  headers: { 'Cache-Control': cacheControl, 'Vercel-Cache-Tag': `${tag},shared-${tag}` },
  body: 'v{{hit}}',
});

test('R34/R70: tags are captured at the edge and Vercel-Cache-Tag never reaches the page', async () => {
  const tag = `t-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('tags', [tagged(tag)]);
  const res = await get(path);
  expect(res.headers.get('vercel-cache-tag')).toBeNull();
  const entry = (await worker.inspect()).entries.find((e) => e.url.endsWith(path) && e.layer === 'edge');
  expect(entry?.tags).toEqual([tag, `shared-${tag}`]);
});

test('R78: invalidateByTag serves the next request STALE and refreshes it in the background', async () => {
  const tag = `inv-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('invalidate', [tagged(tag)]);
  const other = await scripted('invalidate-other', [tagged(`${tag}-other`)]);
  await get(path);
  await get(other);
  expect((await get(path)).xVercelCache).toBe('HIT');
  const result = await worker.invalidateByTag(tag);
  expect(result.entries).toBe(1);
  const stale = await get(path);
  expect(stale.xVercelCache).toBe('STALE');
  expect(stale.body).toBe('v1');
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
  await expect.poll(async () => (await get(path)).xVercelCache, { timeout: 5000 }).toBe('HIT');
  expect((await get(path)).body).toBe('v2');
  expect((await get(other)).xVercelCache).toBe('HIT'); // R72: other tags untouched
  expect((await hits(other)).count).toBe(1);
});

test('R77: a tag purge reaches the browser layer too (tags carried past the edge)', async () => {
  const tag = `both-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('both-layers', [tagged(tag, 'max-age=3600, s-maxage=3600')]);
  await get(path);
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  const result = await worker.invalidateByTag([tag]);
  expect(result.entries).toBe(2);
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.every((e) => e.invalidated && e.status === 'stale')).toBe(true);
  expect((await get(path)).body).toBe('v1'); // stale from the browser layer, refresh behind it
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2);
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('v2');
});

test('R79/R62: dangerouslyDeleteByTag without a deadline deletes: the next request waits for the origin (REVALIDATED, tag_deleted)', async () => {
  const tag = `del-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('delete', [tagged(tag, 'max-age=3600, s-maxage=3600')]);
  await get(path);
  expect((await get(path)).cacheStatus).toMatch(/browser; hit/);
  expect((await worker.dangerouslyDeleteByTag(tag)).entries).toBe(2);
  // Both layers keep a tombstone (deleteAt) that is never served.
  const marked = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(marked.map((e) => e.layer).sort()).toEqual(['browser', 'edge']);
  expect(marked.every((e) => e.deleteAt !== undefined && e.status === 'stale')).toBe(true);
  const next = await get(path);
  expect(next.body).toBe('v2');
  expect(next.xVercelCache).toBe('REVALIDATED');
  expect(next.cacheStatus).toMatch(/edge; fwd=stale[^,]*detail=tag-deleted/);
  expect((await hits(path)).count).toBe(2);
  const after = await get(path);
  expect(after.body).toBe('v2');
  expect(after.cacheStatus).toMatch(/browser; hit/);
  expect((await hits(path)).count).toBe(2);
  // The tombstones were replaced by the new copies.
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.length).toBe(2);
  expect(entries.every((e) => e.deleteAt === undefined && e.status === 'fresh')).toBe(true);
});

test('R79: with a deadline, requests within it get STALE + refresh; after it the entry is deleted (REVALIDATED)', async () => {
  const tag = `deadline-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('deadline', [tagged(tag, 's-maxage=3600'), { status: 404, headers: { 'Cache-Control': 'no-store' }, body: 'gone' }]);
  const refreshLess = await scripted('deadline-late', [tagged(tag, 's-maxage=3600')]);
  await get(path);
  await get(refreshLess);
  await worker.dangerouslyDeleteByTag([tag], { revalidationDeadlineSeconds: 60 });
  const within = await get(path);
  expect(within.xVercelCache, `Cache-Status: ${within.cacheStatus}`).toBe('STALE');
  expect(within.body).toBe('v1');
  // The refresh answered 404 no-store: not storable, so the old entry is gone (R47).
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('gone');
  // The other entry was not requested within the deadline: afterwards it is deleted (REVALIDATED).
  await worker.setClockOffset(61 * SECOND);
  const after = await get(refreshLess);
  expect(after.xVercelCache).toBe('REVALIDATED');
  expect(after.body).toBe('v2');
});

test('R83: invalidateByTag("*") marks every entry stale, tagged or not', async () => {
  const path = await scripted('star', [{ headers: { 'Cache-Control': 's-maxage=3600' }, body: 'v{{hit}}' }]);
  await get(path);
  await worker.invalidateByTag('*');
  // (entries stored "later" by earlier tests' clock travel are untouched: a purge never reaches the future)
  const entries = (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
  expect(entries.length).toBe(1);
  expect(entries.every((e) => e.invalidated)).toBe(true);
  expect((await get(path)).xVercelCache).toBe('STALE');
});

test('R83: purgeAll empties every layer', async () => {
  const path = await scripted('purge-all', [tagged('pa', 'max-age=3600, s-maxage=3600')]);
  await get(path);
  const result = await worker.purgeAll();
  expect(result.entries).toBeGreaterThanOrEqual(2);
  expect((await worker.inspect()).entries).toEqual([]);
  expect((await get(path)).body).toBe('v2');
});

test('R77/R120: a tag purge also expires runtime-cache entries with that tag (any namespace)', async () => {
  const tag = `rt-${Math.random().toString(36).slice(2)}`;
  const cache = getCache({ namespace: 'purge-test' });
  await cache.set('kept', 'k', { tags: ['unrelated'] });
  await cache.set('tagged', 'value', { tags: [tag] });
  expect(await cache.get('tagged')).toBe('value');
  await worker.invalidateByTag(tag);
  await expect.poll(() => cache.get('tagged'), { timeout: 5000 }).toBeNull();
  expect(await cache.get('kept')).toBe('k');
  await cache.set('deleted', 'value', { tags: [`${tag}-d`] });
  await worker.dangerouslyDeleteByTag(`${tag}-d`);
  await expect.poll(() => cache.get('deleted'), { timeout: 5000 }).toBeNull();
});

test('tag arguments are validated by the SDK (R73, R74)', async () => {
  await expect(worker.invalidateByTag([])).rejects.toMatchObject({ code: 'invalid-tags' });
  await expect(worker.invalidateByTag('x'.repeat(257))).rejects.toMatchObject({ code: 'invalid-tags' });
  await expect(worker.dangerouslyDeleteByTag('a', { revalidationDeadlineSeconds: -1 })).rejects.toMatchObject({ code: 'invalid-options' });
  // R73: a comma always separates tags.
  const path = await scripted('comma', [tagged('c1')]);
  await get(path);
  expect((await worker.invalidateByTag('nope,c1')).entries).toBeGreaterThanOrEqual(1);
});
