// The runtime cache's door: getCache() on IndexedDB, shared by every tab and the worker.
export { getCache, getRuntimeCache, type RuntimeCache } from './get-cache.ts';
export type { CacheOptions, RuntimeEnvironment } from './cache-options.ts';
export type { SetOptions } from './arguments.ts';
export { RuntimeCacheFailure, type FailureKind } from './failure.ts';
export type { RuntimeCacheLimits } from './limits.ts';
export { purgeRuntimeTags, type PurgeRuntimeTagsOptions } from './purge-runtime-tags.ts';
export { listRuntimeEntries, type ListRuntimeEntriesOptions } from './list-runtime-entries.ts';
