/**
 * Background refreshes (R12 stale-while-revalidate, R78 tag invalidation, R58 failures) publish a
 * decision record of their own, marked `background`, through the SDK's onDecision: the origin contact
 * no page request waited for is visible to page code and the demo's timeline.
 */
import { expect, test } from 'vitest';
import type { DecisionRecord } from '../../../sdk/worker/index.ts';
import { eventually, get, hits, scripted, SECOND, useRecordedWorker } from './harness.ts';

const session = useRecordedWorker({ layers: 'browser,edge' });

const refreshesOf = (path: string) => session.records.filter((r) => r.background && r.url.endsWith(path));

async function firstRefresh(path: string): Promise<DecisionRecord> {
  await eventually(() => refreshesOf(path).length > 0);
  return refreshesOf(path)[0] as DecisionRecord;
}

test('R12: a stale-while-revalidate refresh at the edge publishes a background record (stored)', async () => {
  const path = await scripted('bg-swr', [{ headers: { 'Cache-Control': 'max-age=0, s-maxage=10, stale-while-revalidate=600' }, body: 'v{{hit}}' }]);
  expect((await get(path)).body).toBe('v1');
  await session.worker.setClockOffset(15 * SECOND);
  const stale = await get(path);
  expect([stale.body, stale.xVercelCache]).toEqual(['v1', 'STALE']);
  const refresh = await firstRefresh(path);
  expect(refresh.background).toEqual({ layer: 'edge', trigger: 'stale-time', outcome: 'stored' });
  expect(refresh).toMatchObject({ method: 'GET', status: 200, originContacted: true });
  expect(refresh.layers.map((d) => [d.layer, d.stored])).toEqual([['edge', true]]);
  // The page's own record for the STALE answer is not a background one.
  const pageRecord = () => session.records.find((r) => r.url.endsWith(path) && r.xVercelCache === 'STALE');
  await eventually(() => pageRecord() !== undefined);
  expect(pageRecord()?.background).toBeUndefined();
  // The record is published once the refreshed entry is stored: the next request is a HIT on v2.
  const next = await get(path);
  expect([next.body, next.xVercelCache]).toEqual(['v2', 'HIT']);
  expect((await hits(path)).count).toBe(2);
});

test('R12/RFC 9111 §4.3.4: a refresh answered 304 reports the copy updated', async () => {
  const path = await scripted('bg-304', [{ headers: { 'Cache-Control': 'max-age=0, s-maxage=10, stale-while-revalidate=600' }, etag: '"e1"', body: 'same' }]);
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  expect((await get(path)).xVercelCache).toBe('STALE');
  const refresh = await firstRefresh(path);
  expect(refresh.background).toEqual({ layer: 'edge', trigger: 'stale-time', outcome: 'updated' });
  expect(refresh.status).toBe(304);
  expect((await hits(path)).requests[1]?.headers['if-none-match']).toBe('"e1"');
  expect((await get(path)).xVercelCache).toBe('HIT');
});

test('R78: a tag invalidation refresh of the browser layer reports every layer it went through', async () => {
  const tag = `bg-${Math.random().toString(36).slice(2)}`;
  const path = await scripted('bg-tag', [{ headers: { 'Cache-Control': 'max-age=600, s-maxage=600', 'Vercel-Cache-Tag': tag }, body: 'v{{hit}}' }]);
  await get(path);
  expect((await session.worker.invalidateByTag(tag)).entries).toBe(2);
  const stale = await get(path);
  expect(stale.body).toBe('v1');
  const refresh = await firstRefresh(path);
  expect(refresh.background).toEqual({ layer: 'browser', trigger: 'tag-invalidated', outcome: 'stored' });
  // End to end (README "purge-driven refreshes"): the edge revalidated its purged copy in the foreground.
  expect(refresh.layers.map((d) => [d.layer, d.outcome])).toEqual([['browser', 'revalidated'], ['edge', 'revalidated']]);
  expect(refresh.originContacted).toBe(true);
  expect(refresh.xVercelCache).toBe('REVALIDATED');
  expect((await get(path)).body).toBe('v2');
});

test('R58: a refresh that cannot reach the origin is published as failed and the stale copy is kept', async () => {
  const path = await scripted('bg-fail', [
    { headers: { 'Cache-Control': 'max-age=0, s-maxage=10, stale-while-revalidate=600' }, body: 'good' },
    { fail: 'network' },
  ]);
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  expect((await get(path)).body).toBe('good');
  const refresh = await firstRefresh(path);
  expect(refresh.background).toEqual({ layer: 'edge', trigger: 'stale-time', outcome: 'failed' });
  expect(refresh).toMatchObject({ status: 0, originContacted: false, cacheStatus: '' });
  const again = await get(path);
  expect([again.body, again.xVercelCache]).toEqual(['good', 'STALE']);
});

test('R59: concurrent stale answers start one refresh, so one background record', async () => {
  const path = await scripted('bg-once', [{ headers: { 'Cache-Control': 'max-age=0, s-maxage=10, stale-while-revalidate=600' }, body: 'v{{hit}}', delayMs: 100 }]);
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  const answers = await Promise.all([get(path), get(path), get(path)]);
  expect(answers.map((a) => a.xVercelCache)).toEqual(['STALE', 'STALE', 'STALE']);
  await firstRefresh(path);
  expect((await get(path)).body).toBe('v2'); // the refresh has landed; any second one would have too
  expect(refreshesOf(path)).toHaveLength(1);
  expect((await hits(path)).count).toBe(2);
});
