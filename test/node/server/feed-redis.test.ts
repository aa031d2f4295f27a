/**
 * Fan-out between server instances through a real redis-server (started here on a free port, no
 * persistence), with two or three node:http instances in this process. Faults: Redis restarted
 * mid-stream, an instance killed, a long-offline client, 1 000 tags, a 10 000-event burst, junk in
 * the stream and on the channel.
 */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { compareFeedIds } from '../../../sdk/feed-event.ts';
import { startInstance, type Instance, type InstanceOptions } from './feed-instance.ts';
import { startRedis, type TestRedis } from './redis-server.ts';
import { invalidations, openSse, type SseReader } from './sse-reader.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
  const admin = createClient({ url: redis.url });
  await admin.connect();
  await admin.flushAll();
  await admin.close();
});
async function instance(options: InstanceOptions = {}): Promise<Instance> {
  const started = await startInstance({ redisUrl: redis.url, ...options });
  open.push(started);
  return started;
}
async function sse(url: string, headers?: Record<string, string>): Promise<SseReader> {
  const reader = await openSse(url, headers);
  open.push(reader);
  await reader.until((events) => events.length > 0 || headers !== undefined);
  return reader;
}
const tagsOf = (reader: SseReader) => invalidations(reader.events).map((e) => (e.tags as string[])[0]);

describe('feed through Redis, across server instances', () => {
  test('R82: a purge published on instance A reaches subscribers of A and B, with the same global id', async () => {
    const [a, b] = [await instance(), await instance()];
    const [onA, onB] = [await sse(a.url), await sse(b.url)];
    await a.purger.invalidateByTag('products');
    await b.purger.dangerouslyDeleteByTag('gone');
    for (const feed of [onA, onB]) await feed.until((events) => invalidations(events).length === 2);
    expect(invalidations(onA.events)).toEqual(invalidations(onB.events));
    const [first, second] = invalidations(onA.events);
    expect(compareFeedIds(second!.id, first!.id)).toBeGreaterThan(0);
  });

  test('ids stay global and monotonic when two instances publish at once; every subscriber sees one order', async () => {
    const [a, b] = [await instance(), await instance()];
    const feeds = [await sse(a.url), await sse(b.url)];
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).purger.invalidateByTag(`t${i}`)));
    for (const feed of feeds) await feed.until((events) => invalidations(events).length === 100);
    const ids = invalidations(feeds[0]!.events).map((e) => e.id);
    expect(invalidations(feeds[1]!.events).map((e) => e.id)).toEqual(ids);
    expect([...ids].sort(compareFeedIds)).toEqual(ids);
    expect(new Set(tagsOf(feeds[0]!)).size).toBe(100);
  });

  test('Redis restarted mid-stream: no invalidation is lost, subscribers keep their streams and resume', async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = await sse(b.url);
    for (let i = 0; i < 10; i++) await a.purger.invalidateByTag(`before-${i}`);
    await onB.until((events) => invalidations(events).length === 10);
    await redis.stop();
    // Published while Redis is down: the publisher's client queues them until it reconnects.
    const during = Promise.all(Array.from({ length: 10 }, (_, i) => a.purger.invalidateByTag(`during-${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.start();
    await during;
    for (let i = 0; i < 10; i++) await b.purger.invalidateByTag(`after-${i}`);
    await onB.until((events) => invalidations(events).length === 30, 15_000);
    const names = tagsOf(onB);
    for (const prefix of ['before', 'during', 'after']) for (let i = 0; i < 10; i++) expect(names).toContain(`${prefix}-${i}`);
    expect(invalidations(onB.events).some((e) => e.kind === 'reset')).toBe(false);
  });

  test('close() finishes after a Redis restart, while the clients are still reconnecting', async () => {
    // Closed here, so not in `open`. A long reconnect wait (node-redis' default backs off to 2 s) puts
    // the close inside it, with a publish queued: node-redis' own close() never settled there.
    const a = await startInstance({ redisUrl: redis.url, reconnectDelayMs: 5_000 });
    const feed = await sse(a.url);
    await redis.stop();
    const during = a.purger.invalidateByTag('while-down').then(() => 'published', () => 'rejected');
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few reconnect attempts fail
    await redis.start();
    await a.close(); // hung here before: node-redis' close() waits for replies on a reconnecting client
    await feed.ended; // the subscriber's stream ended with the instance
    expect(await during).toBe('rejected'); // the publisher learns it did not go out
  });

  test('close() finishes while Redis is down; what was queued is rejected, not left pending', async () => {
    const a = await startInstance({ redisUrl: redis.url, reconnectDelayMs: 5_000 });
    await redis.stop();
    try {
      const during = a.purger.invalidateByTag('while-down').then(() => 'published', () => 'rejected');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await a.close();
      expect(await during).toBe('rejected');
    } finally {
      await redis.start();
    }
  });

  test('an instance killed: its clients reconnect to another with Last-Event-ID and miss nothing', async () => {
    const a = await startInstance({ redisUrl: redis.url }); // killed below, so not in `open`
    const [b, publisher] = [await instance(), await instance()];
    const onA = await sse(a.url);
    await publisher.purger.invalidateByTag('one');
    await onA.until((events) => invalidations(events).length === 1);
    const last = invalidations(onA.events).at(-1)!.id;
    await a.kill();
    await onA.ended;
    await publisher.purger.invalidateByTag('two');
    await publisher.purger.dangerouslyDeleteByTag('three');
    const resumed = await sse(b.url, { 'last-event-id': last });
    await resumed.until((events) => invalidations(events).length === 2);
    expect(tagsOf(resumed)).toEqual(['two', 'three']);
  });

  test('a client offline for a while (a gap smaller than the backlog) resumes on another instance with exactly what it missed, no reset', async () => {
    const [a, b] = [await instance({ backlog: 100 }), await instance({ backlog: 100 })];
    const onA = await sse(a.url);
    await b.purger.invalidateByTag('seen');
    await onA.until((events) => invalidations(events).length === 1);
    const cursor = invalidations(onA.events)[0]!.id;
    onA.close(); // offline
    await onA.ended;
    for (let i = 0; i < 60; i++) await (i % 2 ? a : b).purger.invalidateByTag(`missed-${i}`);
    const back = await sse(b.url, { 'last-event-id': cursor });
    await back.until((events) => invalidations(events).length === 60);
    expect(tagsOf(back)).toEqual(Array.from({ length: 60 }, (_, i) => `missed-${i}`));
    expect(invalidations(back.events).some((e) => e.kind === 'reset')).toBe(false);
    const json = (await (await fetch(`${a.url}?after=${cursor}`, { headers: { accept: 'application/json' } })).json()) as { gap: boolean; events: unknown[] };
    expect(json).toMatchObject({ gap: false });
    expect(json.events).toHaveLength(60);
  });

  test('a client offline for long (a gap larger than the stream backlog) gets a reset, from any instance', { timeout: 30_000 }, async () => {
    const [a, b] = [await instance({ backlog: 10 }), await instance({ backlog: 10 })];
    await a.purger.invalidateByTag('seen');
    const cursor = (await b.bus.since('0-0')).head;
    for (let i = 0; i < 300; i++) await a.purger.invalidateByTag(`missed-${i}`); // one at a time: the last is newest
    const feed = await sse(b.url, { 'last-event-id': cursor });
    await feed.until((events) => invalidations(events).some((e) => (e.tags as string[] | undefined)?.[0] === 'missed-299'));
    expect(invalidations(feed.events)[0]).toMatchObject({ kind: 'reset' });
    const json = (await (await fetch(`${b.url}?after=${cursor}`, { headers: { accept: 'application/json' } })).json()) as { gap: boolean; events: unknown[] };
    expect(json.gap).toBe(true);
    expect(json.events).toHaveLength(10);
  });

  test('1 000 tags in one event arrive intact on another instance', async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = await sse(b.url);
    const tags = Array.from({ length: 1000 }, (_, i) => `tag-${i}-${'x'.repeat(200)}`);
    await a.purger.invalidateByTag(tags);
    await onB.until((events) => invalidations(events).length === 1);
    expect(invalidations(onB.events)[0]!.tags).toEqual(tags);
  });

  test('a burst of 10 000 events reaches a subscriber of another instance complete and in order', { timeout: 60_000 }, async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = await sse(b.url);
    for (let start = 0; start < 10_000; start += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => a.purger.invalidateByTag(`burst-${start + i}`)));
    }
    await onB.until((events) => invalidations(events).length === 10_000, 45_000);
    const ids = invalidations(onB.events).map((e) => e.id);
    expect(new Set(ids).size).toBe(10_000);
    expect([...ids].sort(compareFeedIds)).toEqual(ids);
    // A late subscriber resumes the whole burst from the stream (the default backlog holds it).
    const late = await sse(a.url, { 'last-event-id': '0-0' });
    await late.until((events) => invalidations(events).length >= 10_000, 45_000);
  });

  test('malformed entries in the stream and on the channel are skipped and reported; valid ones still flow', async () => {
    const [a, b] = [await instance(), await instance()];
    const onB = await sse(b.url);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    await raw.xAdd('tiercache:feed', '*', { data: '{"kind":"invalidate","tags":"not-an-array"}' });
    await raw.xAdd('tiercache:feed', '*', { nodata: 'x' });
    await raw.publish('tiercache:feed', 'garbage without an id');
    await raw.publish('tiercache:feed', '9999999999999-0\n{"kind":"nuke"}');
    await raw.close();
    await a.purger.invalidateByTag('valid');
    await onB.until((events) => invalidations(events).length === 1);
    expect(tagsOf(onB)).toEqual(['valid']);
    expect(b.errors.length).toBeGreaterThanOrEqual(2);
    const json = (await (await fetch(`${b.url}?after=0-0`, { headers: { accept: 'application/json' } })).json()) as { events: { tags: string[] }[] };
    expect(json.events.map((e) => e.tags)).toEqual([['valid']]);
  });
});
