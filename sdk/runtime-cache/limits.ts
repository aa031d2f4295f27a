/**
 * The seed's limits (R107, A20, A21): 2 MB per item measured as the UTF-8 bytes of its JSON, against
 * 2 × 2^20; at most 128 tags per item (configurable); at most 256 bytes per tag.
 */
export interface RuntimeCacheLimits {
  maxItemBytes: number;
  maxTagsPerItem: number;
  maxTagBytes: number;
}

export const DEFAULT_LIMITS: RuntimeCacheLimits = { maxItemBytes: 2 * 2 ** 20, maxTagsPerItem: 128, maxTagBytes: 256 };

/** UTF-8 length without allocating (TextEncoder would copy 2 MB per set); lone surrogates count 3 like U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function overBytes(text: string, max: number): boolean {
  // Every UTF-16 unit is 1–3 UTF-8 bytes: skip the exact count when the answer is already certain.
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return utf8Length(text) > max;
}

/** Returns why an item may not be stored, or undefined when it fits. `tags` are already split (R106). */
export function findLimitViolation(json: string, tags: readonly string[], limits: RuntimeCacheLimits): string | undefined {
  if (overBytes(json, limits.maxItemBytes)) return `item is larger than ${limits.maxItemBytes} bytes of JSON`;
  if (tags.length > limits.maxTagsPerItem) return `${tags.length} tags exceed the limit of ${limits.maxTagsPerItem}`;
  const long = tags.find((tag) => overBytes(tag, limits.maxTagBytes));
  if (long !== undefined) return `tag "${long.slice(0, 32)}…" is longer than ${limits.maxTagBytes} bytes`;
  return undefined;
}
