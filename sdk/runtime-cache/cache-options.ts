/**
 * `getCache(options)`: Vercel's three options (R85) plus tiercache's own, validated once. A bad option is
 * a programmer mistake and throws a TierCacheError ('invalid-options') from getCache itself.
 */
import { TierCacheError } from '../errors.ts';
import type { RuntimeCacheFailure } from './failure.ts';
import type { KeyOptions } from './key-transform.ts';
import { DEFAULT_LIMITS, type RuntimeCacheLimits } from './limits.ts';

export type RuntimeEnvironment = 'preview' | 'production';

export interface CacheOptions extends KeyOptions {
  /** R116: data is isolated per project… (default `'default'`) */
  projectId?: string;
  /** …and per environment (default: `getEnv().VERCEL_ENV` when it is `preview`, else `production`). */
  environment?: RuntimeEnvironment;
  /** `'auto'` (default): IndexedDB, or memory where it is unavailable; `'memory'`: this context only. */
  storage?: 'auto' | 'memory';
  /** An IndexedDB factory to use instead of `globalThis.indexedDB` (wrapping, fault injection). */
  indexedDB?: IDBFactory;
  /** Where storage failures and refused items are reported (default: console.error). Never thrown. */
  onError?: (failure: RuntimeCacheFailure) => void;
  /** R110: per-operation timeout in ms (default 500); a timed-out get is a miss. */
  timeoutMs?: number;
  /** The clock, epoch ms (default Date.now); TTLs are measured with it. */
  now?: () => number;
  /** R107/A20: override the seed's limits (2 MiB item, 128 tags, 256-byte tags). */
  limits?: Partial<RuntimeCacheLimits>;
  /**
   * R119: bound the project/environment's stored JSON to this many characters (bytes for ASCII);
   * least recently used entries (reads count as use) are evicted past it. Default: no bound.
   */
  maxBytes?: number;
}

export interface StoreScope {
  projectId: string;
  environment: RuntimeEnvironment;
  storage: 'auto' | 'memory';
  indexedDB?: IDBFactory | undefined;
}

export interface ResolvedOptions extends StoreScope, KeyOptions {
  onError: (failure: RuntimeCacheFailure) => void;
  timeoutMs: number;
  now: () => number;
  limits: RuntimeCacheLimits;
  maxBytes?: number | undefined;
}

function fail(detail: string): never {
  throw new TierCacheError('invalid-options', detail);
}

/** Each optional option's `typeof`, or the values it may take; numbers must be positive and finite. */
const SHAPES: Record<string, string | string[]> = {
  namespace: 'string',
  namespaceSeparator: 'string',
  projectId: 'string',
  keyHashFunction: 'function',
  onError: 'function',
  now: 'function',
  indexedDB: 'object',
  limits: 'object',
  timeoutMs: 'number',
  maxBytes: 'number',
  environment: ['preview', 'production'],
  storage: ['auto', 'memory'],
};

/** Same reading as `getEnv().VERCEL_ENV`, without pulling getEnv's 21-key table onto the getCache path. */
export function defaultEnvironment(): RuntimeEnvironment {
  return (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env?.VERCEL_ENV === 'preview' ? 'preview' : 'production';
}

export function readCacheOptions(input: unknown): ResolvedOptions {
  if (input === undefined) input = {};
  if (input === null || typeof input !== 'object') fail('not an object');
  const options = input as Record<string, unknown> & CacheOptions;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof shape === 'string' ? typeof value !== shape || (shape === 'number' && !((value as number) > 0 && (value as number) < Infinity)) : !shape.includes(value as string)) {
      fail(`${name}: invalid (${String(shape)})`);
    }
  }
  const { environment, storage, timeoutMs, projectId } = options;
  if (projectId === '') fail('projectId: empty');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!Object.values(limits).every((n) => typeof n === 'number' && n >= 0)) fail('limits: not numbers');
  return {
    ...options, // keyHashFunction, namespace, namespaceSeparator, indexedDB, maxBytes: already checked above
    projectId: projectId ?? 'default',
    environment: environment ?? defaultEnvironment(),
    storage: storage ?? 'auto',
    onError: options.onError ?? ((failure) => console.error(failure)),
    timeoutMs: timeoutMs ?? 500,
    now: options.now ?? Date.now,
    limits,
  };
}
