// tiercache/server: the server half of server-driven invalidation (Node / Web-standard; no DOM, no worker code).
export type { InvalidationBus } from './bus.ts';
export { createMemoryBus, type MemoryBusOptions } from './memory-bus.ts';
export { createRedisBus, type RedisBusOptions, type RedisConnection } from './redis-bus.ts';
export { closeRedisClient } from './close-redis-client.ts';
export { createFeedHandler, type FeedHandler, type FeedHandlerOptions } from './feed-handler.ts';
export { createPurger, type Purger } from './purger.ts';
export { toNodeListener } from './node-listener.ts';
export type { FeedCatchUp, FeedEvent, FeedMessage, Invalidation } from '../sdk/feed-event.ts';
