/**
 * A tag purge that lands while a 304 is freshening the same copy. The revalidation read the entry
 * before the purge; the 304 arrives after it. The purge must win: the 304 re-dates the stored body,
 * which is the content the purge covers, so the next request still sees the copy invalidated (R78:
 * STALE + refresh) or deleted (R79: REVALIDATED), never a fresh HIT. A copy stored under the same key
 * meanwhile (after a deletion) is never overwritten by the late 304's metadata (R149: a 304 freshens
 * the response it validated, and no other).
 *
 * Deterministic: the origin holds the conditional request (`hold`) until the test has purged, then
 * answers 304. The worker runs with its default hot tier, so the small bodies here are served from
 * memory: the purge marks live in the store's metadata, which the hot tier never holds.
 */
import { expect, test } from 'vitest';
import type { DecisionRecord } from '../../../sdk/worker/index.ts';
import { eventually, get, hits, scripted, SECOND, useRecordedWorker } from './harness.ts';

const session = useRecordedWorker({ layers: 'edge' });

const uniqueTag = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** Lets the origin answer the requests it holds at `path`; resolves with how many there were. */
async function release(path: string): Promise<number> {
  const res = await fetch('/__origin/release', { method: 'POST', body: JSON.stringify({ path }) });
  return ((await res.json()) as { released: number }).released;
}

/** Waits until `count` requests reached the origin at `path`; returns the last one's headers. */
async function reached(path: string, count: number): Promise<Record<string, string>> {
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(count);
  return (await hits(path)).requests[count - 1]?.headers ?? {};
}

/** The background refresh of `path` has written its outcome (published once its write landed). */
async function refreshed(path: string): Promise<DecisionRecord> {
  const done = () => session.records.find((r) => r.background && r.url.endsWith(path));
  await eventually(() => done() !== undefined);
  return done() as DecisionRecord;
}

/** A tagged copy validated by ETag "e1"; the origin holds its first revalidation (304), then answers at once. */
async function tagged(name: string, tag: string, cacheControl: string): Promise<string> {
  const copy = { headers: { 'Cache-Control': cacheControl, 'Vercel-Cache-Tag': tag }, etag: '"e1"', body: 'one' };
  return scripted(name, [copy, { ...copy, hold: true }, copy]);
}

test('R78/R149: invalidateByTag while a foreground revalidation waits for its 304: the next request is STALE, not a fresh HIT', async () => {
  const tag = uniqueTag('fg-inv');
  const path = await tagged('fpr-fg-inv', tag, 's-maxage=10');
  expect((await get(path)).xVercelCache).toBe('MISS');
  await session.worker.setClockOffset(15 * SECOND); // stale, no stale window: revalidated in the foreground (R60)
  const revalidating = get(path);
  expect((await reached(path, 2))['if-none-match']).toBe('"e1"');
  expect((await session.worker.invalidateByTag(tag)).entries).toBe(1);
  expect(await release(path)).toBe(1);
  const revalidated = await revalidating;
  expect([revalidated.body, revalidated.xVercelCache]).toEqual(['one', 'MISS']); // its own answer (R60: reported MISS)
  const next = await get(path);
  expect(next.xVercelCache, `Cache-Status: ${next.cacheStatus}`).toBe('STALE'); // R78: the purge stands
  expect(next.cacheStatus).toMatch(/edge; hit[^,]*detail=tag-invalidated/);
  expect(next.body).toBe('one');
  const entry = (await session.worker.inspect()).entries.find((e) => e.url.endsWith(path));
  expect(entry?.invalidated).toBe(true);
});

test('R79/R149: dangerouslyDeleteByTag while a foreground revalidation waits for its 304: the next request waits for the origin (REVALIDATED, tag-deleted)', async () => {
  const tag = uniqueTag('fg-del');
  const path = await tagged('fpr-fg-del', tag, 's-maxage=10');
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  const revalidating = get(path);
  await reached(path, 2);
  expect((await session.worker.dangerouslyDeleteByTag(tag)).entries).toBe(1);
  expect(await release(path)).toBe(1);
  expect((await revalidating).body).toBe('one');
  const next = await get(path);
  expect(next.xVercelCache, `Cache-Status: ${next.cacheStatus}`).toBe('REVALIDATED');
  expect(next.cacheStatus).toMatch(/edge; fwd=stale[^,]*detail=tag-deleted/);
  expect((await hits(path)).count).toBe(3); // R79: the deleted copy was not served, the origin was asked
});

test('R79/R149: a copy stored after a deletion, while an older revalidation waits for its 304, is not overwritten by that 304', async () => {
  const tag = uniqueTag('fg-new');
  const headers = { 'Cache-Control': 's-maxage=10', 'Vercel-Cache-Tag': tag };
  const path = await scripted('fpr-fg-new', [
    { headers, etag: '"e1"', body: 'one' },
    { headers, etag: '"e1"', body: 'one', hold: true }, // answers the revalidation with 304
    { headers, etag: '"e2"', body: 'two' }, // the content after the deletion
  ]);
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  const revalidating = get(path);
  await reached(path, 2);
  await session.worker.dangerouslyDeleteByTag(tag);
  // R79: the next request waits for the origin, which now has the new content; it is stored.
  const replaced = await get(path);
  expect([replaced.body, replaced.headers.get('etag'), replaced.xVercelCache]).toEqual(['two', '"e2"', 'REVALIDATED']);
  await expect.poll(async () => (await session.worker.inspect()).entries.filter((e) => e.url.endsWith(path) && e.deleteAt === undefined).length).toBe(1);
  expect(await release(path)).toBe(1);
  // The late 304 validated "e1", which is gone: whatever it answers pairs a body with its own ETag.
  const late = await revalidating;
  expect([late.body, late.headers.get('etag')]).toEqual(['two', '"e2"']);
  const next = await get(path);
  expect([next.body, next.headers.get('etag'), next.xVercelCache]).toEqual(['two', '"e2"', 'HIT']);
});

test('R78/R12: invalidateByTag while a stale-while-revalidate refresh waits for its 304: the next request is STALE, not a fresh HIT', async () => {
  const tag = uniqueTag('bg-inv');
  const path = await tagged('fpr-bg-inv', tag, 's-maxage=10, stale-while-revalidate=600');
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  expect((await get(path)).xVercelCache).toBe('STALE'); // served at once, refreshed behind it
  await reached(path, 2);
  await session.worker.invalidateByTag(tag);
  expect(await release(path)).toBe(1);
  expect((await refreshed(path)).background?.outcome).toBe('updated');
  const next = await get(path);
  expect(next.xVercelCache, `Cache-Status: ${next.cacheStatus}`).toBe('STALE');
  expect(next.cacheStatus).toMatch(/edge; hit[^,]*detail=tag-invalidated/);
});

test('R78: a second invalidateByTag while the refresh the first one started waits for its 304 is not undone by that 304', async () => {
  const tag = uniqueTag('bg-again');
  const path = await tagged('fpr-bg-again', tag, 's-maxage=3600');
  await get(path);
  await session.worker.invalidateByTag(tag);
  expect((await get(path)).xVercelCache).toBe('STALE'); // R78: the purged copy once, refreshed behind it
  await reached(path, 2);
  await session.worker.invalidateByTag(tag); // the content changed again while the refresh was out
  expect(await release(path)).toBe(1);
  expect((await refreshed(path)).background?.outcome).toBe('updated');
  const next = await get(path);
  expect(next.xVercelCache, `Cache-Status: ${next.cacheStatus}`).toBe('STALE');
  // That request's own refresh answers the second purge: then the copy is fresh again.
  await reached(path, 3);
  await expect.poll(async () => (await get(path)).xVercelCache, { timeout: 5000 }).toBe('HIT');
});

test('R79/R12: dangerouslyDeleteByTag while a stale-while-revalidate refresh waits for its 304: the next request waits for the origin', async () => {
  const tag = uniqueTag('bg-del');
  const path = await tagged('fpr-bg-del', tag, 's-maxage=10, stale-while-revalidate=600');
  await get(path);
  await session.worker.setClockOffset(15 * SECOND);
  expect((await get(path)).xVercelCache).toBe('STALE');
  await reached(path, 2);
  await session.worker.dangerouslyDeleteByTag(tag);
  expect(await release(path)).toBe(1);
  expect((await refreshed(path)).background?.outcome).toBe('updated');
  const next = await get(path);
  expect(next.xVercelCache, `Cache-Status: ${next.cacheStatus}`).toBe('REVALIDATED');
  expect((await hits(path)).count).toBe(3);
});
