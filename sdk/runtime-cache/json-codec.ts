/**
 * Values are JSON round-tripped exactly like Vercel's client and in-memory fallback (R98, P6): IndexedDB's
 * structured clone would keep `Date`/`Map`, which Vercel turns into strings and `{}`.
 * The JSON text is what we store, measure against the size limit (R107) and parse on every read, so a
 * caller never gets a shared reference back.
 */

/** Encodes a value; throws on BigInt and cycles (the caller reports it, R99). Top-level `undefined` → `null`. */
export function encodeValue(value: unknown): string {
  // JSON.stringify returns undefined for undefined, functions and symbols; Vercel stores `null` then.
  return JSON.stringify(value) ?? 'null';
}

/** A miss (null) decodes as null: JSON.parse reads it as the text "null". */
export function decodeValue(json: string | null): unknown {
  return JSON.parse(json as string);
}
