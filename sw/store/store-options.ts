import { TierCacheError } from '../../sdk/errors';
import { LAYER_NAMES, type LayerName, type StoreOptions } from './types';

const MiB = 1024 * 1024;
export const DEFAULT_BUDGET_BYTES = 50 * MiB;
export const DEFAULT_OPEN_TIMEOUT_MS = 3000;

/** StoreOptions with every default applied and every value checked. */
export interface ResolvedStoreOptions {
  budgets: Record<LayerName, number>;
  now: () => number;
  onError: (error: unknown) => void;
  dbName: string;
  cachePrefix: string;
  indexedDB: IDBFactory | undefined;
  caches: CacheStorage | undefined;
  openTimeoutMs: number;
  hot: { maxBytes: number; maxEntryBytes: number } | undefined;
}

/** Bad options are programmer mistakes: they throw a TierCacheError('invalid-options') at once. */
export function resolveStoreOptions(options: StoreOptions = {}): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null) invalid('options must be an object');
  const budgets = {} as Record<LayerName, number>;
  for (const layer of LAYER_NAMES) {
    const value = options.budgetBytes?.[layer] ?? DEFAULT_BUDGET_BYTES;
    if (!isNonNegative(value)) invalid(`budgetBytes.${layer} must be a number of bytes, zero or greater`);
    budgets[layer] = value;
  }
  const openTimeoutMs = options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  if (!isNonNegative(openTimeoutMs)) invalid('openTimeoutMs must be a number of milliseconds, zero or greater');
  const hot = options.hot;
  if (hot !== undefined && (typeof hot !== 'object' || hot === null || !isNonNegative(hot.maxBytes) || !isNonNegative(hot.maxEntryBytes))) {
    invalid('hot must be { maxBytes, maxEntryBytes }, numbers of bytes, zero or greater');
  }
  checkFunction(options.now, 'now');
  checkFunction(options.onError, 'onError');
  const dbName = options.dbName ?? 'tiercache-http';
  const cachePrefix = options.cachePrefix ?? 'tiercache-http';
  if (typeof dbName !== 'string' || dbName === '') invalid('dbName must be a non-empty string');
  if (typeof cachePrefix !== 'string' || cachePrefix === '') invalid('cachePrefix must be a non-empty string');
  return {
    budgets,
    now: options.now ?? Date.now,
    onError: options.onError ?? reportToConsole,
    dbName,
    cachePrefix,
    indexedDB: options.indexedDB ?? globalThis.indexedDB,
    caches: options.caches ?? globalThis.caches,
    openTimeoutMs,
    hot: hot && hot.maxBytes > 0 && hot.maxEntryBytes > 0 ? { maxBytes: hot.maxBytes, maxEntryBytes: hot.maxEntryBytes } : undefined,
  };
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value) && value >= 0;
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') invalid(`${name} must be a function`);
}

function invalid(detail: string): never {
  throw new TierCacheError('invalid-options', detail);
}

function reportToConsole(error: unknown): void {
  console.warn('[tiercache] HTTP store:', error);
}
