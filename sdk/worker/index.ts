export { registerCacheWorker, type RegisterOptions } from './register-cache-worker.ts';
export type { CacheWorkerController } from './controller.ts';
export type {
  DecisionRecord,
  InspectEntry,
  InspectResult,
  LayerDecision,
  LayerName,
  LayerOutcome,
  PurgeResult,
  VisitorLocation,
  WorkerConfig,
  WorkerErrorReport,
  WorkerProfile,
} from '../protocol.ts';
