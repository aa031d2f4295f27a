import { compareFeedIds, parseCatchUp, type FeedMessage } from '../../sdk/feed-event.ts';
import type { WorkerControls } from '../messages.ts';
import type { HttpStore } from '../store/index.ts';
import type { FeedCursorStore } from './feed-cursor.ts';

/** How long the first tagged lookups after a worker start wait for the catch-up (then serve, and the
 *  catch-up goes on). A feed that is down fails fast and costs nothing. */
export const CATCH_UP_WAIT_MS = 1_000;
const CATCH_UP_TIMEOUT_MS = 10_000;

export interface FeedSyncOptions {
  /** The feed's URL (the `invalidations` script parameter, resolved against the origin). */
  feedUrl: string;
  cursor: FeedCursorStore;
  /** The purge controls; they cover store writes in progress without waiting for them. */
  controls: Pick<WorkerControls, 'invalidateByTag' | 'dangerouslyDeleteByTag' | 'purgeAll'>;
  store: () => Promise<HttpStore>;
  purgeRuntime: () => Promise<void>;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  onError: (error: unknown) => void;
  waitMs?: number;
}

export interface FeedSync {
  /** Applies feed messages once each, in id order (events at or before the cursor are skipped); a
   *  `reset` always applies. `cursor` seeds the cursor of a worker that has none (the feed's head). */
  apply(messages: readonly FeedMessage[], cursor?: string): Promise<{ cursor: string | null }>;
  /** While the start-up catch-up runs: resolves when it is done, or after the bounded wait.
   *  Undefined once it settled (the hit path then pays nothing). */
  catchingUp(): Promise<void> | undefined;
  /** A page is being opened (a navigation): it may follow a time with no tab holding the live
   *  subscription, so catch up again (tagged lookups wait, bounded, as at start). */
  refresh(): void;
  /** True when a path is the feed itself (the worker never handles it: a stream, never cached). */
  isFeed(url: URL): boolean;
}

/**
 * The worker's side of server-driven invalidation. Pages hold the live subscription (a worker cannot
 * keep a connection open); the worker is the one place events are applied, so two tabs, or a tab and
 * the start-up catch-up, never apply an event twice. At start it asks the feed once for what it missed
 * (`GET feed?after=ID`, JSON) before serving tagged entries, with a bounded wait.
 */
export function createFeedSync(options: FeedSyncOptions): FeedSync {
  const feed = new URL(options.feedUrl);
  const waitMs = options.waitMs ?? CATCH_UP_WAIT_MS;
  let cursor: string | null = null;
  let queue: Promise<unknown> = options.cursor.load().then((saved) => (cursor = saved));

  const applyOne = async (message: FeedMessage) => {
    const tags = message.kind === 'invalidate' || message.kind === 'delete' ? message.tags : [];
    switch (message.kind) {
      case 'invalidate':
        return options.controls.invalidateByTag({ op: 'invalidateByTag', tags }); // R78
      case 'delete':
        return options.controls.dangerouslyDeleteByTag({ op: 'dangerouslyDeleteByTag', tags, revalidationDeadlineSeconds: message.revalidationDeadlineSeconds }); // R79
      case 'purgeAll':
        return options.controls.purgeAll({ op: 'purgeAll' }); // R83
      case 'reset':
        return purgeTagged();
    }
  };
  // A gap larger than the backlog: we cannot know which tags were purged, so every tagged entry goes
  // (deleted, as a missed dangerouslyDeleteByTag demands, R79); the runtime cache is cleared.
  const purgeTagged = async () => {
    const tags = new Set((await (await options.store()).list()).flatMap((meta) => meta.tags));
    if (tags.size > 0) await options.controls.dangerouslyDeleteByTag({ op: 'dangerouslyDeleteByTag', tags: [...tags], revalidationDeadlineSeconds: 0 });
    await options.purgeRuntime();
  };
  const run = async (messages: readonly FeedMessage[], seed?: string) => {
    const before = cursor;
    for (const message of messages) {
      if (message.kind !== 'reset' && cursor !== null && compareFeedIds(message.id, cursor) <= 0) continue;
      try {
        await applyOne(message);
      } catch (error) {
        options.onError(error); // the controls absorb storage failures; anything else is reported
      }
      if (cursor === null || compareFeedIds(message.id, cursor) > 0) cursor = message.id;
    }
    if (cursor === null && seed !== undefined) cursor = seed;
    if (cursor !== null && cursor !== before) await options.cursor.save(cursor);
    return { cursor };
  };
  const apply = (messages: readonly FeedMessage[], seed?: string) => {
    const result = queue.then(() => run(messages, seed));
    queue = result.catch(() => {});
    return result;
  };

  // Asks the feed once for what this worker missed (`GET feed?after=ID`, JSON), through the apply queue.
  const fetchMissed = async () => {
    try {
      const url = new URL(feed);
      if (cursor !== null) url.searchParams.set('after', cursor);
      const response = await options.fetch(url.href, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
        credentials: 'same-origin',
        signal: AbortSignal.timeout(CATCH_UP_TIMEOUT_MS), // a hung feed must not hold the apply queue
      });
      if (!response.ok) throw new Error(`invalidation feed catch-up: HTTP ${response.status}`);
      if (!(response.headers.get('content-type') ?? '').includes('json')) {
        // Not the feed's JSON answer (a route that streams, an HTML page): reading it could hold the
        // apply queue, and the live events with it, until the timeout.
        void response.body?.cancel().catch(() => {});
        throw new Error(`invalidation feed catch-up: the answer is ${response.headers.get('content-type') ?? 'untyped'}, not JSON`);
      }
      const parsed = parseCatchUp(await response.json());
      if (!parsed) throw new Error('invalidation feed catch-up: the answer is not a catch-up');
      if (parsed.malformed > 0) options.onError(new Error(`invalidation feed catch-up: ${parsed.malformed} malformed event(s) ignored`));
      const { events, gap, head } = parsed.catchUp;
      // The reset keeps the cursor when retained events follow it (they are newer), else jumps to head.
      const messages: FeedMessage[] = gap && cursor !== null ? [{ id: events.length > 0 ? cursor : head, kind: 'reset' }, ...events] : events;
      await run(cursor === null ? [] : messages, head);
    } catch (error) {
      options.onError(error); // the feed is down: serve as before; the pages' subscription catches up
    }
  };
  let catchUp: Promise<void> | undefined;
  const startCatchUp = () => {
    if (catchUp) return;
    const running = queue.then(fetchMissed);
    queue = running;
    catchUp = running;
    void running.then(() => (catchUp = undefined));
  };
  startCatchUp();

  return {
    apply,
    catchingUp: () => catchUp && Promise.race([catchUp, new Promise<void>((resolve) => setTimeout(resolve, waitMs))]),
    refresh: startCatchUp,
    isFeed: (url) => url.origin === feed.origin && url.pathname === feed.pathname,
  };
}

/** Until the catch-up settles, lookups that find tagged entries wait for it (bounded); others never do. */
export function gateTaggedLookups<R>(store: HttpStore<R>, sync: FeedSync): HttpStore<R> {
  return {
    variants: async (key) => {
      const found = await store.variants(key);
      const waiting = sync.catchingUp();
      if (!waiting || !found.some((meta) => meta.tags.length > 0)) return found;
      await waiting;
      return store.variants(key); // re-read: the catch-up may have marked or deleted them
    },
    get: (id) => store.get(id),
    getBody: (id) => store.getBody(id),
    put: (meta, body, options) => store.put(meta, body, options),
    updateMeta: (id, update) => store.updateMeta(id, update),
    updateTagged: (tags, update) => store.updateTagged(tags, update),
    delete: (id) => store.delete(id),
    byTag: (tags) => store.byTag(tags),
    list: (layer) => store.list(layer),
    clear: (layer) => store.clear(layer),
    retainDeployments: (layer, keep) => store.retainDeployments(layer, keep),
  };
}
