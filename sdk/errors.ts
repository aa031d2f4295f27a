/**
 * Programmer mistakes (bad options, wrong argument types) are reported with a TierCacheError whose
 * `code` is stable; tests and callers match on the code, never on the message text.
 * Storage and network failures never use this class: they degrade and go to `onError` instead.
 *
 * The message is the code followed by the thrower's explanation ("invalid-key: a cache key must be a
 * string, got number"). There is no per-code message table: it would ride along on every bundle that
 * constructs any error (the getCache path among them, performance.md's 5 KB budget).
 */
export type TierCacheErrorCode =
  | 'invalid-argument' // an argument has the wrong type or value
  | 'invalid-key' // a cache key is not a string
  | 'invalid-ttl' // ttl is not a finite number of seconds, zero or greater
  | 'invalid-tags' // tags are not a string or an array of strings
  | 'invalid-options' // an options object is not valid
  | 'invalid-config' // a configuration file (vercel.json) is malformed
  | 'unsupported-environment' // the feature is not available in this environment
  | 'worker-registration-failed' // the cache worker could not be registered or did not take control
  | 'worker-unavailable' // the cache worker did not answer
  | 'invalid-message'; // the cache worker rejected a malformed message

export class TierCacheError extends Error {
  override readonly name = 'TierCacheError';
  readonly code: TierCacheErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: TierCacheErrorCode, detail?: string, details?: Record<string, unknown>) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.details = details;
  }
}

export function isTierCacheError(value: unknown): value is TierCacheError {
  return value instanceof TierCacheError;
}
