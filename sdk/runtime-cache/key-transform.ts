/**
 * Keys exactly as `@vercel/functions` stores them (R93–R97), plus an identity that cannot alias.
 *
 * Vercel keeps only `namespace$hash(key)`, so two keys with the same 32-bit hash share one entry (R95,
 * `post:aaac6` / `post:aaaep`). We keep Vercel's string as `k` (so stored keys compare equal to theirs)
 * and add `id`, an unambiguous encoding of the (namespace, key) pair; an entry is addressed by both.
 */
import { TierCacheError } from '../errors.ts';

export interface KeyOptions {
  keyHashFunction?: ((key: string) => string) | undefined;
  namespace?: string | undefined;
  namespaceSeparator?: string | undefined;
}

/** Where one logical key lives: Vercel's stored key plus the identity that disambiguates it. */
export interface Slot {
  readonly k: string;
  readonly id: string;
}

/**
 * R94: 32-bit djb2 with XOR over UTF-16 code units, unsigned lowercase hex, not zero-padded.
 * R97: non-BMP characters count as two units (TypeScript behaviour, not Python's).
 */
export function djb2Hash(key: string): string {
  let h = 5381;
  for (let i = 0; i < key.length; i++) h = (h * 33) ^ key.charCodeAt(i);
  return (h >>> 0).toString(16);
}

/** R93: `namespace + separator + hash(key)` for a non-empty namespace; separator falls back to `$` when falsy. */
export function createKeyTransformer(options: KeyOptions = {}): (key: string) => Slot {
  const hash = options.keyHashFunction ?? djb2Hash;
  const namespace = options.namespace ?? '';
  const prefix = namespace ? namespace + (options.namespaceSeparator || '$') : '';
  return (key) => {
    const hashed = hash(key);
    if (typeof hashed !== 'string') throw new TierCacheError('invalid-options', 'keyHashFunction: not a string');
    return {
      k: prefix + hashed,
      // JSON of a two-string array is self-delimiting: `a` + `b$c` and `a$b` + `c` never meet.
      id: JSON.stringify([namespace, key]),
    };
  };
}

/** One string per slot, for in-memory maps. `id` is a complete JSON array, so `id + k` cannot alias. */
export function slotKey(slot: Slot): string {
  return slot.id + slot.k;
}

/**
 * The (namespace, key) pair back from a slotKey(): `id` is the first prefix that parses as JSON (a `]`
 * inside a quoted key leaves an unterminated string, so it never parses). Undefined if none does.
 */
export function parseSlotKey(slot: string): { namespace: string; key: string; k: string } | undefined {
  for (let end = slot.indexOf(']'); end >= 0; end = slot.indexOf(']', end + 1)) {
    try {
      const pair: unknown = JSON.parse(slot.slice(0, end + 1));
      if (Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string')) {
        return { namespace: pair[0] as string, key: pair[1] as string, k: slot.slice(end + 1) };
      }
    } catch {
      // not the end of the id yet
    }
  }
  return undefined;
}
