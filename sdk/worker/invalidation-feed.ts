import { parseFeedMessage, type FeedMessage } from '../feed-event.ts';
import type { DecisionChannelName, ErrorMessage, WorkerResults } from '../protocol.ts';

const CHANNEL: DecisionChannelName = 'tiercache:decisions';
/** After the server closed the stream for good (403, not a stream), try again this much later. */
const REOPEN_MS = 30_000;
/** After the worker did not take events (stopped, or busy past the command timeout), resume this much
 *  later, doubling while it keeps failing (up to REOPEN_MS). */
const RESUME_MS = 1_000;

export interface InvalidationFeedOptions {
  /** The feed's absolute URL (same origin). */
  url: string;
  /** Hands messages to the worker, which applies each once and answers its cursor. */
  apply: (messages: FeedMessage[], cursor?: string) => Promise<WorkerResults['applyFeed']>;
}

/**
 * One subscription per origin, shared by all tabs: every tab asks for the same Web Lock and only its
 * holder opens the EventSource; when that tab closes the lock passes to another, which resumes from the
 * worker's cursor. Events go to the worker (the one place they are applied, for every tab). Feed
 * failures never touch the page's requests: they are reported on the channel controller.onError reads.
 * Returns a function that ends this tab's part.
 */
export function subscribeToInvalidations(options: InvalidationFeedOptions): () => void {
  const stop = new AbortController();
  const lead = () => leadFeed(options, stop.signal);
  if (typeof navigator.locks?.request === 'function') {
    navigator.locks.request(`tiercache:feed ${options.url}`, { signal: stop.signal }, lead).catch((error: unknown) => {
      if (!stop.signal.aborted) report(error);
    });
  } else {
    void lead(); // no Web Locks: each tab subscribes itself (the worker still applies each event once)
  }
  return () => stop.abort();
}

/** Holds the subscription until `signal` aborts (that is when the lock is released). */
function leadFeed(options: InvalidationFeedOptions, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let down = false;
    let resumeMs = RESUME_MS;
    const pending: FeedMessage[] = [];
    let seed: string | undefined;
    let pumping = false;
    // The worker's cursor is the truth: when it did not take a batch, the stream (whose Last-Event-ID
    // is already past it) is closed and reopened from that cursor, so the server's backlog resends
    // what was not applied instead of it being lost.
    const resume = () => {
      source?.close();
      source = undefined;
      pending.length = 0;
      seed = undefined;
      clearTimeout(reopen);
      if (!signal.aborted) reopen = setTimeout(() => void open(), resumeMs);
      resumeMs = Math.min(resumeMs * 2, REOPEN_MS);
    };
    // One command at a time, each carrying everything that arrived meanwhile (a burst becomes a few batches).
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      while (pending.length > 0 || seed !== undefined) {
        const batch = pending.splice(0);
        const cursor = seed;
        seed = undefined;
        try {
          await options.apply(batch, cursor);
          resumeMs = RESUME_MS;
        } catch (error) {
          report(error);
          resume();
        }
      }
      pumping = false;
    };
    const open = async () => {
      const url = new URL(options.url);
      let cursor: string | null;
      try {
        cursor = (await options.apply([])).cursor;
      } catch (error) {
        report(error); // without the worker's cursor a stream would start at the head and skip events
        return resume();
      }
      if (signal.aborted) return;
      if (cursor !== null) url.searchParams.set('after', cursor);
      // Later reconnects send Last-Event-ID themselves (it wins over ?after= on the server).
      const current = (source = new EventSource(url.href));
      current.onopen = () => (down = false);
      current.onmessage = (event: MessageEvent<string>) => {
        const message = parse(event.lastEventId, event.data);
        if (!message) return report(new Error(`invalidation feed: a malformed event was ignored (id ${JSON.stringify(event.lastEventId)})`));
        pending.push(message);
        void pump();
      };
      current.addEventListener('hello', (event) => {
        seed = (event as MessageEvent<string>).lastEventId;
        void pump();
      });
      current.onerror = () => {
        if (!down) report(new Error(`invalidation feed ${options.url} is unreachable; requests are served as usual`));
        down = true;
        if (current.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
        reopen = setTimeout(() => void open(), REOPEN_MS);
      };
    };
    void open();
    signal.addEventListener('abort', () => {
      source?.close();
      clearTimeout(reopen);
      resolve();
    });
  });
}

function parse(id: string, data: string): FeedMessage | undefined {
  try {
    return parseFeedMessage(id, JSON.parse(data));
  } catch {
    return undefined;
  }
}

function report(error: unknown): void {
  const message: ErrorMessage = {
    tag: 'tiercache/1',
    kind: 'error',
    error: { name: error instanceof Error ? error.name : 'Error', message: String(error instanceof Error ? error.message : error), code: 'feed', at: Date.now() },
  };
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(message);
  channel.close();
}
