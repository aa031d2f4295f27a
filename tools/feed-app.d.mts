import type { InvalidationBus, Purger } from '../server/index.ts';

export interface FeedApp {
  origin: string;
  bus: InvalidationBus;
  purger: Purger;
  /** Event-stream connections open right now. */
  streams: { open: number };
  errors: unknown[];
  /** Sends the rawFeed body on /api/raw-feed streams, open and future. */
  releaseRawFeed(): void;
  close(): Promise<void>;
}

export function startFeedApp(options: {
  redisUrl?: string;
  state: { version: number };
  authorize?: (request: Request) => boolean;
  backlog?: number;
  rawFeed?: string;
}): Promise<FeedApp>;
