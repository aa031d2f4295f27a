/**
 * Failures of the HTTP entry store. Callers (the worker's layers) catch them, serve from the network
 * uncached and report them; tests and callers match on the stable `code`, never on the message.
 */
const messages = {
  'quota-exceeded': 'Storage quota exceeded even after evicting least-recently-used entries.',
  'storage-unavailable': 'IndexedDB or Cache Storage failed.',
  'storage-blocked': 'Opening the store database did not finish in time (blocked upgrade or hung open).',
  'corrupt-entry': 'A stored entry was malformed and has been removed.',
  'entry-too-large': 'The body is larger than the layer byte budget.',
} as const;

export type StoreErrorCode = keyof typeof messages;

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** `entry-too-large`: the limit passed and the bytes that had arrived when the write stopped (a
   *  decision record's amendment reports both: sw/layers/not-stored.ts). */
  readonly size: { limit: number; bytes: number } | undefined;

  constructor(code: StoreErrorCode, detail?: string, options?: { cause?: unknown; size?: { limit: number; bytes: number } }) {
    super(detail ? `${messages[code]} ${detail}` : messages[code], options);
    this.code = code;
    this.size = options?.size;
  }
}

export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError;
}

/**
 * True for a QuotaExceededError, also when it arrives wrapped: Dexie and some Chromium paths report
 * an AbortError whose `inner`/`cause` (or the aborted transaction's `error`) is the quota error
 * (user-needs C5, https://github.com/dexie/Dexie.js/issues/776).
 */
export function isQuotaExceeded(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown; target?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  // Legacy DOMException code QUOTA_EXCEEDED_ERR.
  if (typeof DOMException !== 'undefined' && error instanceof DOMException && e.code === 22) return true;
  const target = e.target as { error?: unknown } | null | undefined;
  return [e.inner, e.cause, target?.error].some((inner) => inner !== error && isQuotaExceeded(inner, depth + 1));
}

/** Wraps any storage failure into a StoreError (kept as is when it already is one). */
export function toStoreError(error: unknown, detail?: string): StoreError {
  if (error instanceof StoreError) return error;
  if (isQuotaExceeded(error)) return new StoreError('quota-exceeded', detail, { cause: error });
  return new StoreError('storage-unavailable', detail ?? describe(error), { cause: error });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
