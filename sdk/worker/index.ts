export { registerCacheWorker, type RegisterOptions } from './register-cache-worker.ts';
export type { CacheWorkerController } from './controller.ts';
export type {
  BackgroundRefresh,
  DecisionRecord,
  InspectEntry,
  InspectResult,
  LayerDecision,
  LayerName,
  LayerOutcome,
  NotStored,
  PurgeResult,
  VisitorLocation,
  WorkerConfig,
  StripWhen,
  WorkerErrorReport,
  WorkerFlags,
  WorkerProfile,
} from '../protocol.ts';
