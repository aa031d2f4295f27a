/**
 * Programmer mistakes (bad options, wrong argument types) are reported with a TierCacheError whose
 * `code` is stable; tests and callers match on the code, never on the message text.
 * Storage and network failures never use this class: they degrade and go to `onError` instead.
 */
const messages = {
  'invalid-argument': 'An argument has the wrong type or value.',
  'invalid-key': 'A cache key must be a string.',
  'invalid-ttl': 'ttl must be a finite number of seconds, zero or greater.',
  'invalid-tags': 'tags must be a string or an array of strings.',
  'invalid-options': 'The options object is not valid.',
  'unsupported-environment': 'This feature is not available in this environment.',
  'worker-registration-failed': 'The cache worker could not be registered or did not take control.',
  'worker-unavailable': 'The cache worker did not answer.',
  'invalid-message': 'The cache worker rejected a malformed message.',
} as const;

export type TierCacheErrorCode = keyof typeof messages;

export class TierCacheError extends Error {
  override readonly name = 'TierCacheError';
  readonly code: TierCacheErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: TierCacheErrorCode, detail?: string, details?: Record<string, unknown>) {
    super(detail ? `${messages[code]} ${detail}` : messages[code]);
    this.code = code;
    this.details = details;
  }
}

export function isTierCacheError(value: unknown): value is TierCacheError {
  return value instanceof TierCacheError;
}
