import type { FeedCatchUp, FeedMessage, Invalidation } from '../sdk/feed-event.ts';

/**
 * Carries invalidations from the purge API to every feed connection: within one process (memory bus)
 * or between server instances (Redis bus). Ids are minted by the bus and grow monotonically.
 */
export interface InvalidationBus {
  /** Appends to the backlog and delivers to every subscriber (of every instance); resolves with the id. */
  publish(invalidation: Invalidation): Promise<string>;
  /** Live messages in id order from now on (a `reset` when the bus itself lost track). Returns unsubscribe. */
  subscribe(listener: (message: FeedMessage) => void): () => void;
  /** The backlog after `after` (ZERO_ID: from the start); `gap` when events after it were dropped. */
  since(after: string): Promise<FeedCatchUp>;
  close(): Promise<void>;
}
