// The SDK's only public door (architecture.md "SDK public surface").
export { TierCacheError, isTierCacheError, type TierCacheErrorCode } from './errors.ts';
export {
  registerCacheWorker,
  type RegisterOptions,
  type CacheWorkerController,
  type DecisionRecord,
  type InspectEntry,
  type InspectResult,
  type LayerDecision,
  type LayerName,
  type LayerOutcome,
  type NotStored,
  type PurgeResult,
  type VisitorLocation,
  type WorkerErrorReport,
  type WorkerConfig,
  type WorkerProfile,
  type WorkerFlags,
  type StripWhen,
  type BackgroundRefresh,
} from './worker/index.ts';
export { getCache, getRuntimeCache, type RuntimeCache, type CacheOptions } from './runtime-cache/index.ts';
export type { SetOptions, RuntimeEnvironment, RuntimeCacheLimits, FailureKind } from './runtime-cache/index.ts';
export { RuntimeCacheFailure } from './runtime-cache/index.ts';
export {
  geolocation,
  ipAddress,
  getEnv,
  waitUntil,
  type Geo,
  type Env,
  type EnvKey,
  type EnvSource,
  type HeadersLike,
  type RequestLike,
} from './request/index.ts';
