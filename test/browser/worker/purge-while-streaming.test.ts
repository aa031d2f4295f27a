/**
 * Issue 15: a purge sent while a response is still being stored (its body streaming through the
 * layers) resolves without waiting for that body (R77, R82: purges propagate within 300 ms), and the
 * copy it covers never becomes a servable unpurged entry: a tag purge's marks are applied when the
 * copy commits (R78 stale + refresh, R79 deleted), purgeAll stores nothing of it (R83). The origin
 * (demo/origin) sends the body's last part late and records how many parts it has sent, so "the purge
 * resolved before the body completed" is read off the origin, not timed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

const VIA = 'pws-';
/** The last part comes this late: far longer than a purge may take. */
const LATE_MS = 4000;
/** The chain of purge.test.ts. (With a cdn layer between them, the browser's purge-driven refresh is
 *  answered with the cdn's marked copy, served stale: a policy matter apart from streaming.) */
const LAYERS = ['browser', 'edge'];

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: LAYERS.join(','), include: `/__origin/r/${VIA}` });
});
afterAll(stopWorkers);

const uniqueTag = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** A cacheable response (fresh for an hour in every layer), tagged when `tag` is given. */
function streamed(tag: string | undefined) {
  const headers = { 'Cache-Control': 'public, max-age=3600, s-maxage=3600', ...(tag ? { 'Vercel-Cache-Tag': tag } : {}) };
  return [
    { headers, chunks: [{ body: 'old-' }, { body: 'body', delayMs: LATE_MS }] },
    { headers, body: 'new' },
  ];
}

/** Fetches `path` and reads its first part: every layer is storing the body, whose rest comes late. */
async function startStreaming(path: string) {
  const res = await fetch(path);
  if (!res.body) throw new Error('no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  expect(first.value).toBe('old-');
  return {
    /** The rest of the body, as the page reads it. */
    rest: async () => {
      let rest = '';
      for (let part = await reader.read(); !part.done; part = await reader.read()) rest += part.value;
      return rest;
    },
  };
}

/** Parts of the first response the origin has written so far. */
async function partsSent(path: string): Promise<number | undefined> {
  return (await hits(path)).requests[0]?.sent;
}

async function entriesOf(path: string) {
  return (await worker.inspect()).entries.filter((e) => e.url.endsWith(path));
}

/** Waits until every layer's write of `path` has committed (inspect lists committed entries). */
async function committed(path: string) {
  await expect.poll(async () => (await entriesOf(path)).length, { timeout: LATE_MS + 5000 }).toBe(LAYERS.length);
  return entriesOf(path);
}

test('R78/R82: invalidateByTag resolves while a tagged body is still streaming; the copy lands stale and the next request is STALE + refresh', async () => {
  const tag = uniqueTag('inv');
  const path = await scripted(`${VIA}inv`, streamed(tag));
  const streaming = await startStreaming(path);
  const result = await worker.invalidateByTag(tag);
  expect(await partsSent(path)).toBe(1); // resolved before the origin sent the rest
  expect(result.entries).toBe(LAYERS.length); // every layer's copy in progress
  expect(await streaming.rest()).toBe('body'); // the page's read is untouched
  const entries = await committed(path);
  expect(entries.every((e) => e.invalidated && e.status === 'stale')).toBe(true);
  const next = await get(path);
  expect(next.body).toBe('old-body'); // R78: the stale copy at once…
  await expect.poll(async () => (await hits(path)).count, { timeout: 5000 }).toBe(2); // …refreshed behind it
  await expect.poll(async () => (await get(path)).body, { timeout: 5000 }).toBe('new');
});

test('R79/R62: dangerouslyDeleteByTag resolves while a tagged body is still streaming; the copy lands deleted and the next request waits for the origin (REVALIDATED)', async () => {
  const tag = uniqueTag('del');
  const path = await scripted(`${VIA}del`, streamed(tag));
  const streaming = await startStreaming(path);
  const result = await worker.dangerouslyDeleteByTag(tag);
  expect(await partsSent(path)).toBe(1);
  expect(result.entries).toBe(LAYERS.length);
  expect(await streaming.rest()).toBe('body');
  const entries = await committed(path);
  expect(entries.every((e) => e.deleteAt !== undefined && e.status === 'stale')).toBe(true); // tombstones
  const next = await get(path);
  expect(next.body).toBe('new');
  expect(next.xVercelCache).toBe('REVALIDATED');
  expect(next.cacheStatus).toMatch(/edge; fwd=stale[^,]*detail=tag-deleted/);
  expect((await hits(path)).count).toBe(2);
});

test('R83: purgeAll resolves while a body is still streaming; nothing of it is stored and the next request is a miss', async () => {
  const path = await scripted(`${VIA}all`, streamed(uniqueTag('all')));
  const streaming = await startStreaming(path);
  await worker.purgeAll();
  expect(await partsSent(path)).toBe(1);
  expect(await streaming.rest()).toBe('body'); // delivered whole all the same
  expect(await entriesOf(path)).toEqual([]);
  const next = await get(path);
  expect(next.body).toBe('new');
  expect(next.xVercelCache).toBe('MISS');
  expect((await hits(path)).count).toBe(2);
});

test('R72/R78: a tag purge leaves an untagged body streaming meanwhile alone: it is stored fresh and served as a hit', async () => {
  const tag = uniqueTag('other');
  const tagged = await scripted(`${VIA}tagged`, streamed(tag));
  const untagged = await scripted(`${VIA}untagged`, streamed(undefined));
  const [first, second] = await Promise.all([startStreaming(tagged), startStreaming(untagged)]);
  const result = await worker.invalidateByTag(tag);
  expect(await partsSent(untagged)).toBe(1);
  expect(result.entries).toBe(LAYERS.length); // the tagged copies only
  expect(await Promise.all([first.rest(), second.rest()])).toEqual(['body', 'body']);
  const entries = await committed(untagged);
  expect(entries.every((e) => !e.invalidated && e.status === 'fresh')).toBe(true);
  const next = await get(untagged);
  expect(next.body).toBe('old-body');
  expect(next.cacheStatus).toMatch(/browser; hit/);
  expect((await hits(untagged)).count).toBe(1);
});
