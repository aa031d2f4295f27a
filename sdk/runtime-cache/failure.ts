/**
 * Storage-side problems are reported, never thrown (R109): each report is a RuntimeCacheFailure passed to
 * the `onError` option. `kind` is stable so callers can react; the message is for people.
 */
export type FailureKind =
  | 'limit' // R107: item, tag count or tag length over the limit; nothing stored
  | 'unserializable' // R99: JSON.stringify threw (BigInt, cycle)
  | 'fallback' // IndexedDB unavailable: an in-memory store is used instead (R112)
  | 'timeout' // R110: an operation took longer than `timeoutMs`; treated as a miss
  | 'blocked' // opening the database was blocked or hung past its deadline
  | 'quota' // QuotaExceededError even after evicting and retrying once
  | 'storage'; // any other IndexedDB failure

export class RuntimeCacheFailure extends Error {
  override readonly name = 'RuntimeCacheFailure';
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
  }
}

/** What every store operation gets from the cache object that called it. */
export interface OpContext {
  readonly now: () => number;
  readonly report: (failure: RuntimeCacheFailure) => void;
  readonly timeoutMs: number;
  /** R119: the byte budget of the database, when this cache object set one. */
  readonly maxBytes?: number | undefined;
}

/** C5: quota errors arrive as QuotaExceededError, or as an AbortError that wraps or mentions one. */
export function isQuotaError(error: unknown): boolean {
  const { name, message, cause } = (error ?? {}) as Error;
  return name === 'QuotaExceededError' || (name === 'AbortError' && (/quota/i.test(message) || isQuotaError(cause)));
}

export function asFailure(error: unknown): RuntimeCacheFailure {
  if (error instanceof RuntimeCacheFailure) return error;
  if (isQuotaError(error)) return new RuntimeCacheFailure('quota', 'quota exceeded', error);
  return new RuntimeCacheFailure('storage', String(error), error);
}

/** R112: IndexedDB is unusable in this context; data lives in this context's memory only. */
export function fallbackFailure(cause?: unknown): RuntimeCacheFailure {
  return new RuntimeCacheFailure('fallback', 'memory only', cause);
}
