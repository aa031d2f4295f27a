/**
 * The feed handler on the in-process bus, served by node:http through toNodeListener: SSE framing,
 * ids, resume, catch-up, gaps, authorization, bad input. The Redis fan-out is feed-redis.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { compareFeedIds } from '../../../sdk/feed-event.ts';
import { TierCacheError } from '../../../sdk/errors.ts';
import { createFeedHandler, createMemoryBus, createPurger, toNodeListener, type InvalidationBus } from '../../../server/index.ts';
import { startInstance, type Instance } from './feed-instance.ts';
import { invalidations, openSse, type SseReader } from './sse-reader.ts';

const open: (Instance | SseReader)[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await ('kill' in item ? item.close() : item.close());
});
async function instance(options: Parameters<typeof startInstance>[0] = {}) {
  const started = await startInstance(options);
  open.push(started);
  return started;
}
async function sse(url: string, headers?: Record<string, string>) {
  const reader = await openSse(url, headers);
  open.push(reader);
  return reader;
}

describe('feed over SSE (in-process bus)', () => {
  test('R78/R79/R83: each purge call reaches a subscriber as one event, in order, with increasing ids', async () => {
    const server = await instance();
    const feed = await sse(server.url);
    await feed.until((events) => events.some((e) => e.event === 'hello'));
    await server.purger.invalidateByTag('products');
    await server.purger.dangerouslyDeleteByTag(['a', 'b,c'], { revalidationDeadlineSeconds: 30 });
    await server.purger.dangerouslyDeleteByTag('gone');
    await server.purger.purgeAll();
    await feed.until((events) => invalidations(events).length === 4);
    const got = invalidations(feed.events);
    expect(got.map(({ id: _id, ...rest }) => rest)).toEqual([
      { kind: 'invalidate', tags: ['products'] },
      { kind: 'delete', tags: ['a', 'b', 'c'], revalidationDeadlineSeconds: 30 }, // R73: commas split
      { kind: 'delete', tags: ['gone'], revalidationDeadlineSeconds: 0 }, // R79: default deadline 0
      { kind: 'purgeAll' },
    ]);
    for (let i = 1; i < got.length; i++) expect(compareFeedIds(got[i]!.id, got[i - 1]!.id)).toBeGreaterThan(0);
  });

  test('Last-Event-ID resumes after the given event; ?after= does the same for a first connection', async () => {
    const server = await instance();
    const ids: string[] = [];
    for (const tag of ['t1', 't2', 't3']) {
      await server.purger.invalidateByTag(tag);
      ids.push((await server.bus.since(ids.at(-1) ?? '0-0')).head);
    }
    const resumed = await sse(server.url, { 'last-event-id': ids[0]! });
    await resumed.until((events) => invalidations(events).length === 2);
    expect(invalidations(resumed.events).map((e) => e.tags)).toEqual([['t2'], ['t3']]);
    const byQuery = await sse(`${server.url}?after=${ids[1]}`);
    await byQuery.until((events) => invalidations(events).length === 1);
    expect(invalidations(byQuery.events)[0]).toMatchObject({ id: ids[2], tags: ['t3'] });
  });

  test('a new subscriber starts at the head: hello carries the cursor, old events are not replayed', async () => {
    const server = await instance();
    await server.purger.invalidateByTag('old');
    const feed = await sse(server.url);
    await feed.until((events) => events.some((e) => e.event === 'hello'));
    expect(feed.events.find((e) => e.event === 'hello')?.id).toBe((await server.bus.since('0-0')).head);
    await server.purger.invalidateByTag('new');
    await feed.until((events) => invalidations(events).length === 1);
    expect(invalidations(feed.events).map((e) => e.tags)).toEqual([['new']]);
  });

  test('an event published while a new subscriber is being set up (after it subscribed, before the head was read) still reaches it', async () => {
    const memory = createMemoryBus();
    let raced = false;
    // The real in-process bus; the first backlog read lets a publish land first, as a busy Redis would.
    const bus: InvalidationBus = {
      ...memory,
      async since(after) {
        if (!raced) {
          raced = true;
          await createPurger(memory).dangerouslyDeleteByTag('products');
        }
        return memory.since(after);
      },
    };
    const abort = new AbortController();
    const response = await createFeedHandler({ bus })(new Request('http://feed.test/feed', { headers: { accept: 'text/event-stream' }, signal: abort.signal }));
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: hello')) text += (await reader.read()).value ?? '';
    abort.abort();
    const head = (await memory.since('0-0')).head;
    // The event first, then the cursor: a subscriber without a cursor applies it, then keeps the head.
    expect(text).toContain(`id: ${head}\ndata: {"kind":"delete","tags":["products"],"revalidationDeadlineSeconds":0}`);
    expect(text.indexOf('data: {"kind":"delete"')).toBeLessThan(text.indexOf('event: hello'));
  });

  test('the one-shot JSON catch-up answers events after ?after=, and a cursor older than the backlog is a gap', async () => {
    const server = await instance({ backlog: 3 });
    await server.purger.invalidateByTag('p0');
    const first = (await server.bus.since('0-0')).head;
    for (let i = 1; i < 6; i++) await server.purger.invalidateByTag(`p${i}`);
    const json = (after: string) => fetch(`${server.url}?after=${after}`, { headers: { accept: 'application/json' } }).then((r) => r.json() as Promise<{ events: { tags: string[] }[]; gap: boolean; head: string }>);
    const gap = await json(first);
    expect(gap.gap).toBe(true);
    expect(gap.events.map((e) => e.tags[0])).toEqual(['p3', 'p4', 'p5']);
    const recent = (await server.bus.since('0-0')).events;
    const ok = await json(recent[0]!.id);
    expect(ok).toMatchObject({ gap: false, head: recent[2]!.id });
    expect(ok.events.map((e) => e.tags[0])).toEqual(['p4', 'p5']);
  });

  test('a client offline past the backlog gets a reset (purge everything tagged), then the retained events', async () => {
    const server = await instance({ backlog: 5 });
    await server.purger.invalidateByTag('seen');
    const cursor = (await server.bus.since('0-0')).head;
    for (let i = 0; i < 20; i++) await server.purger.invalidateByTag(`missed-${i}`); // "minutes offline"
    const feed = await sse(server.url, { 'last-event-id': cursor });
    await feed.until((events) => invalidations(events).length === 6);
    const got = invalidations(feed.events);
    expect(got[0]).toMatchObject({ kind: 'reset' });
    expect(got.slice(1).map((e) => e.tags)).toEqual([['missed-15'], ['missed-16'], ['missed-17'], ['missed-18'], ['missed-19']]);
  });

  test('an unauthorized subscriber is refused with a bare 403 and learns nothing (no ids, no tags)', async () => {
    const server = await instance({ authorize: (request) => request.headers.get('cookie') === 'session=ok' });
    await server.purger.invalidateByTag('secret-tag');
    for (const accept of ['text/event-stream', 'application/json']) {
      const response = await fetch(`${server.url}?after=0-0`, { headers: { accept } });
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('');
    }
    const allowed = await fetch(`${server.url}?after=0-0`, { headers: { accept: 'application/json', cookie: 'session=ok' } });
    expect(((await allowed.json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  test('an authorize hook that throws refuses and is reported', async () => {
    const server = await instance({ authorize: () => Promise.reject(new Error('session store down')) });
    expect((await fetch(server.url)).status).toBe(403);
    expect(String(server.errors[0])).toContain('session store down');
  });

  test('subscribers cannot publish, and bad cursors are rejected', async () => {
    const server = await instance();
    expect((await fetch(server.url, { method: 'POST', body: JSON.stringify({ kind: 'purgeAll' }) })).status).toBe(405);
    expect((await fetch(`${server.url}?after=../../etc`)).status).toBe(400);
    expect((await fetch(server.url, { headers: { 'last-event-id': 'abc' } })).status).toBe(400);
    expect((await server.bus.since('0-0')).events).toEqual([]);
  });

  test('heartbeat comments keep every idle stream open, also after another stream closed', async () => {
    const server = await instance({ heartbeatMs: 20 });
    const [first, second] = [await sse(server.url), await sse(server.url)];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.comments).toBeGreaterThan(2);
    expect(second.comments).toBeGreaterThan(2);
    first.close();
    const before = second.comments;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.comments).toBeGreaterThan(before + 2);
  });

  test('on node:http, a subscriber that goes away is unsubscribed from the bus, also when it left while authorize ran', async () => {
    const memory = createMemoryBus();
    let subscribed = 0;
    const bus: InvalidationBus = {
      ...memory,
      subscribe(listener) {
        subscribed++;
        const unsubscribe = memory.subscribe(listener);
        return () => (subscribed--, unsubscribe());
      },
    };
    let letThrough = () => {};
    const held = new Promise<void>((resolve) => (letThrough = resolve));
    const server = createServer(toNodeListener(createFeedHandler({ bus, authorize: async (request) => (request.headers.has('x-slow') ? (await held, true) : true) })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
    try {
      const feeds = [await sse(url), await sse(url), await sse(url)];
      for (const feed of feeds) await feed.until((events) => events.some((e) => e.event === 'hello'));
      expect(subscribed).toBe(3);
      feeds[0]!.close();
      feeds[1]!.close();
      await until(() => subscribed === 1);
      // A client that leaves before the handler answered: its stream is cancelled as soon as it exists.
      const leaving = new AbortController();
      const request = fetch(url, { headers: { accept: 'text/event-stream', 'x-slow': '1' }, signal: leaving.signal }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      leaving.abort();
      await request;
      await new Promise((resolve) => setTimeout(resolve, 50));
      letThrough();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(subscribed).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('R74: the purge API rejects bad arguments with typed errors and publishes nothing', async () => {
    const server = await instance();
    await expect(server.purger.invalidateByTag([])).rejects.toMatchObject({ code: 'invalid-tags' });
    await expect(server.purger.invalidateByTag('x'.repeat(257))).rejects.toBeInstanceOf(TierCacheError);
    await expect(server.purger.invalidateByTag(42 as unknown as string)).rejects.toMatchObject({ code: 'invalid-tags' });
    await expect(server.purger.dangerouslyDeleteByTag('a', { revalidationDeadlineSeconds: -1 })).rejects.toMatchObject({ code: 'invalid-options' });
    expect((await server.bus.since('0-0')).events).toEqual([]);
  });

  test('a subscriber that went away is unsubscribed (its connection closes server-side)', async () => {
    const server = await instance();
    const feed = await sse(server.url);
    await feed.until((events) => events.some((e) => e.event === 'hello'));
    feed.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Publishing to nobody still works and nothing throws on the closed stream.
    await server.purger.invalidateByTag('after-close');
    expect(server.errors).toEqual([]);
  });
});

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
