import { compareFeedIds, parseInvalidation, ZERO_ID, type FeedCatchUp, type FeedEvent, type FeedMessage, type Invalidation } from '../sdk/feed-event.ts';
import type { InvalidationBus } from './bus.ts';
import { closeRedisClient } from './close-redis-client.ts';

/**
 * The parts of a node-redis 6.x client this bus uses. Structural, so `redis` stays an optional peer
 * dependency: only apps that pass a client need it installed, and this module never imports it.
 */
export interface RedisConnection {
  sendCommand<T = unknown>(args: string[]): Promise<T>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  duplicate(): RedisConnection;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
  readonly isOpen: boolean;
  readonly isReady: boolean;
  on(event: 'error' | 'reconnecting' | 'ready', listener: (...args: unknown[]) => void): unknown;
}

export interface RedisBusOptions {
  /** A connected client (`createClient({ url })` from `redis`); the bus duplicates it for its subscription. */
  client: RedisConnection;
  /** The stream key and pub/sub channel (default `tiercache:feed`); one per project + environment (R75). */
  key?: string;
  /** Events kept in the stream for catch-up (XADD MAXLEN, default 10 000). */
  backlog?: number;
  /** Malformed stream entries, lost subscriptions: reported, never thrown at a publisher or a subscriber. */
  onError?: (error: unknown) => void;
}

/*
 * Exact MAXLEN (one entry trimmed per add): XRANGE … COUNT backlog then always returns the whole
 * retained tail. XADD and PUBLISH in one script: Redis runs scripts atomically, so the order of pub/sub messages is the
 * order of the stream ids even with many publishing instances (subscribers can then drop anything not
 * newer than what they delivered without losing events).
 */
const PUBLISH = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'data', ARGV[2])
redis.call('PUBLISH', KEYS[1], id .. '\\n' .. ARGV[2])
return id`;

interface StreamInfo {
  head: string;
  maxDeleted: string;
}

/**
 * Fan-out between server instances: every publish goes into a capped Redis stream (the catch-up
 * backlog; its ids are the feed's ids, global and monotonic) and out on pub/sub to every instance's
 * subscription. After a lost connection (a Redis restart) the subscription reads the stream from its
 * last delivered id, so no event published meanwhile is skipped; if the stream was trimmed past that
 * id, subscribers get a `reset` (purge everything tagged).
 */
export async function createRedisBus(options: RedisBusOptions): Promise<InvalidationBus> {
  const { client } = options;
  const key = options.key ?? 'tiercache:feed';
  const backlog = options.backlog ?? 10_000;
  if (!Number.isSafeInteger(backlog) || backlog < 1) throw new RangeError('backlog must be a whole number of events, 1 or more');
  const onError = options.onError ?? ((error: unknown) => console.warn('[tiercache/server]', error));
  const listeners = new Set<(message: FeedMessage) => void>();

  const info = async (): Promise<StreamInfo> => {
    try {
      // A flat [name, value, …] list in RESP2; node-redis may hand it over as an object already.
      const reply = await client.sendCommand<unknown>(['XINFO', 'STREAM', key]);
      const fields: Record<string, unknown> = Array.isArray(reply) ? pairs(reply) : (reply as Record<string, unknown>);
      const field = (name: string) => {
        const value = fields[name];
        return typeof value === 'string' ? value : ZERO_ID;
      };
      return { head: field('last-generated-id'), maxDeleted: field('max-deleted-entry-id') };
    } catch (error) {
      if (String(error).includes('no such key')) return { head: ZERO_ID, maxDeleted: ZERO_ID };
      throw error;
    }
  };
  const range = async (start: string, end = '+'): Promise<FeedEvent[]> => {
    const entries = await client.sendCommand<[string, string[]][]>(['XRANGE', key, start, end, 'COUNT', String(backlog)]);
    const events: FeedEvent[] = [];
    for (const [id, fields] of entries) {
      const event = toEvent(id, fields[fields.indexOf('data') + 1]);
      if (event) events.push(event);
      else onError(new Error(`tiercache feed: stream entry ${id} is not an invalidation; skipped`));
    }
    return events;
  };

  // The subscription: live events in id order; buffered while it resyncs after a lost connection.
  let delivered = (await info()).head;
  let buffering = false;
  let buffer: FeedMessage[] = [];
  const deliver = (message: FeedMessage) => {
    if (compareFeedIds(message.id, delivered) <= 0) return;
    delivered = message.id;
    for (const listener of listeners) listener(message);
  };
  const receive = (raw: string) => {
    const cut = raw.indexOf('\n');
    const event = cut > 0 ? toEvent(raw.slice(0, cut), raw.slice(cut + 1)) : undefined;
    if (!event) return onError(new Error('tiercache feed: a pub/sub message is not an invalidation; skipped'));
    if (buffering) buffer.push(event);
    else deliver(event);
  };
  const resync = async () => {
    try {
      const { head, maxDeleted } = await info();
      // Trimmed past our cursor (not merely restarted empty): events were lost, subscribers purge all tagged.
      if (delivered !== ZERO_ID && compareFeedIds(maxDeleted, delivered) > 0) deliver({ id: head, kind: 'reset' });
      else for (const event of await range(`(${delivered}`)) deliver(event);
    } catch (error) {
      onError(error);
    }
    buffering = false;
    const pending = buffer;
    buffer = [];
    for (const message of pending) deliver(message);
  };
  const subscriber = client.duplicate();
  subscriber.on('error', (error) => {
    buffering = true;
    onError(error);
  });
  subscriber.on('reconnecting', () => (buffering = true));
  subscriber.on('ready', () => {
    if (buffering) void resync();
  });
  await subscriber.connect();
  await subscriber.subscribe(key, receive);

  return {
    async publish(invalidation: Invalidation) {
      return String(await client.sendCommand(['EVAL', PUBLISH, '1', key, String(backlog), JSON.stringify(invalidation)]));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async since(after): Promise<FeedCatchUp> {
      const { head, maxDeleted } = await info();
      if (after === ZERO_ID) return { events: await range('-'), gap: maxDeleted !== ZERO_ID, head };
      // A cursor still in the stream proves nothing after it was dropped; one that is gone (trimmed, or
      // from before a Redis restart that lost the stream) is a gap.
      const [first] = await client.sendCommand<[string, string[]][]>(['XRANGE', key, after, after]);
      if (first) return { events: await range(`(${after}`), gap: false, head };
      return { events: await range('-'), gap: true, head };
    },
    async close() {
      listeners.clear();
      await closeRedisClient(subscriber);
    },
  };
}

function toEvent(id: string, data: string | undefined): FeedEvent | undefined {
  try {
    const invalidation = data === undefined ? undefined : parseInvalidation(JSON.parse(data));
    return invalidation && { ...invalidation, id };
  } catch {
    return undefined;
  }
}

function pairs(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}
