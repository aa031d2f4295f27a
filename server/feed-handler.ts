import { compareFeedIds, isFeedId, ZERO_ID, type FeedMessage } from '../sdk/feed-event.ts';
import type { InvalidationBus } from './bus.ts';
import { createHeartbeat, type Heartbeat } from './heartbeat.ts';
import { SSE_HEARTBEAT, sseCursor, sseEvent, sseRetry, sseText } from './sse-format.ts';

export interface FeedHandlerOptions {
  bus: InvalidationBus;
  /** Who may subscribe (cookies, a header, …). Refused requests get a bare 403 that reveals nothing.
   *  Default: everyone (the feed carries tag names only, never content). */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 000 ms). */
  heartbeatMs?: number;
  /** The reconnect delay EventSource is told to use (default 1 000 ms). */
  retryMs?: number;
  /** Events queued for a connection that does not read; past this it is closed and resumes later from
   *  its Last-Event-ID (default 20 000: a 10 000-event burst fits). */
  maxQueuedEvents?: number;
  onError?: (error: unknown) => void;
}

export type FeedHandler = (request: Request) => Promise<Response>;

/**
 * The invalidation feed as a Web-standard handler (Next.js route handler, Vite/node:http adapters):
 * - `GET` with `Accept: text/event-stream`: Server-Sent Events. Resumes after `Last-Event-ID` (header)
 *   or `?after=ID`; without either it starts at the current head (event `hello` carries it).
 * - `GET` with `Accept: application/json` (the worker's one-shot catch-up): `{ events, gap, head }`
 *   for `?after=ID`.
 * Only publishing server code reaches the bus: the handler has no way to publish.
 */
export function createFeedHandler(options: FeedHandlerOptions): FeedHandler {
  const { bus } = options;
  const onError = options.onError ?? ((error: unknown) => console.warn('[tiercache/server]', error));
  // Shared by every stream of this handler: a connection keeps only its own state (feed.server.memory-per-tab).
  const shared: StreamShared = {
    bus,
    heartbeat: createHeartbeat(options.heartbeatMs ?? 15_000),
    retry: sseText(sseRetry(options.retryMs ?? 1_000)),
    maxQueued: options.maxQueuedEvents ?? 20_000,
    onError,
  };

  return async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
    if (!(await allowed(options.authorize, request, onError))) return new Response(null, { status: 403, headers: { 'cache-control': 'no-store' } });
    const url = new URL(request.url);
    const after = request.headers.get('last-event-id') ?? url.searchParams.get('after');
    if (after !== null && !isFeedId(after)) return new Response('after / Last-Event-ID must be a feed id such as 1700000000000-0', { status: 400 });
    const wantsJson = (request.headers.get('accept') ?? '').includes('application/json');
    if (wantsJson) {
      try {
        const answer = await bus.since(after ?? ZERO_ID);
        return Response.json(after === null ? { events: [], gap: false, head: answer.head } : answer, { headers: { 'cache-control': 'no-store' } });
      } catch (error) {
        onError(error);
        return new Response(null, { status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '1' } });
      }
    }
    return streamFeed(shared, after, request.signal);
  };
}

async function allowed(authorize: FeedHandlerOptions['authorize'], request: Request, onError: (error: unknown) => void): Promise<boolean> {
  if (!authorize) return true;
  try {
    return (await authorize(request)) === true;
  } catch (error) {
    onError(error); // a failing check refuses: it never lets a subscriber through
    return false;
  }
}

interface StreamShared {
  bus: InvalidationBus;
  heartbeat: Heartbeat;
  /** The `retry:` line, encoded once. */
  retry: Uint8Array;
  maxQueued: number;
  onError: (error: unknown) => void;
}

/** `signal` aborts when the subscriber goes away. Only the signal is kept: a Request weighs far more
 *  than the subscription itself (bench row feed.server.memory-per-tab). */
function streamFeed(options: StreamShared, after: string | null, signal: AbortSignal): Response {
  const { bus } = options;
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        let open = true;
        let sent = after ?? ZERO_ID;
        let live: FeedMessage[] | undefined = []; // live events that arrive while the backlog is read
        const write = (bytes: Uint8Array) => {
          if (!open) return;
          controller.enqueue(bytes);
          // A subscriber that stopped reading: close; it resumes from its Last-Event-ID later.
          if ((controller.desiredSize ?? 0) <= -options.maxQueued) close();
        };
        const send = (message: FeedMessage) => {
          if (compareFeedIds(message.id, sent) <= 0) return;
          sent = message.id;
          write(sseEvent(message));
        };
        // Subscribe before reading the backlog so nothing published in between is missed.
        const unsubscribe = bus.subscribe((message) => (live ? live.push(message) : send(message)));
        const quiet = options.heartbeat.add(() => write(SSE_HEARTBEAT));
        const close = () => {
          if (!open) return;
          open = false;
          quiet();
          unsubscribe();
          signal.removeEventListener('abort', close);
          try {
            controller.close();
          } catch {
            // already closed by the consumer
          }
        };
        stop = close;
        if (signal.aborted) return close(); // gone while authorize ran: an abort event will not come again
        signal.addEventListener('abort', close);
        write(options.retry);
        try {
          const backlog = await bus.since(after ?? ZERO_ID);
          if (after === null) {
            // Published after this subscription began, yet covered by the head read since: still ours
            // (dropped as "not newer than the cursor", the subscriber would never apply them).
            for (const message of live) if (compareFeedIds(message.id, backlog.head) <= 0) send(message);
            write(sseText(sseCursor(backlog.head)));
            if (compareFeedIds(backlog.head, sent) > 0) sent = backlog.head;
          } else {
            // A reset is applied whatever its id (subscribers purge everything tagged); the retained
            // events follow it, so its id is the cursor unless nothing follows.
            if (backlog.gap) write(sseEvent({ id: backlog.events.length > 0 ? sent : (sent = backlog.head), kind: 'reset' }));
            for (const event of backlog.events) send(event);
          }
        } catch (error) {
          options.onError(error);
          close(); // the client reconnects (retry) and resumes from where it was
          return;
        }
        const pending = live;
        live = undefined;
        for (const message of pending) send(message);
      },
      cancel() {
        stop();
      },
    },
    // The default strategy: highWaterMark 1, each chunk counting 1 (desiredSize is minus the queued events).
  );
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    },
  });
}
