import { compareFeedIds, ZERO_ID, type FeedCatchUp, type FeedEvent, type FeedMessage, type Invalidation } from '../sdk/feed-event.ts';
import type { InvalidationBus } from './bus.ts';
import { nextFeedId } from './next-feed-id.ts';

export interface MemoryBusOptions {
  /** Events kept for catch-up (default 10 000); older ones are dropped, and a cursor before them is a gap. */
  backlog?: number;
  now?: () => number;
}

/** The embedded default for a single server instance: the backlog lives in this process only. */
export function createMemoryBus(options: MemoryBusOptions = {}): InvalidationBus {
  const limit = options.backlog ?? 10_000;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('backlog must be a whole number of events, 1 or more');
  const now = options.now ?? Date.now;
  const backlog: FeedEvent[] = [];
  const listeners = new Set<(message: FeedMessage) => void>();
  let head = ZERO_ID;
  let maxDropped = ZERO_ID; // as Redis' max-deleted-entry-id

  return {
    publish(invalidation: Invalidation) {
      head = nextFeedId(head, now());
      const event: FeedEvent = { ...invalidation, id: head };
      backlog.push(event);
      if (backlog.length > limit) maxDropped = backlog.splice(0, backlog.length - limit).at(-1)?.id ?? maxDropped;
      for (const listener of listeners) listener(event);
      return Promise.resolve(head);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since(after) {
      let events: FeedEvent[];
      let gap: boolean;
      if (after === ZERO_ID) {
        events = [...backlog];
        gap = maxDropped !== ZERO_ID;
      } else {
        const at = backlog.findIndex((event) => event.id === after);
        // A cursor this process never minted (another process' life, or dropped) is a gap.
        gap = at < 0 && compareFeedIds(after, head) !== 0;
        events = at < 0 ? (gap ? [...backlog] : []) : backlog.slice(at + 1);
      }
      const answer: FeedCatchUp = { events, gap, head };
      return Promise.resolve(answer);
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}
