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

/** Whether `text` is over `max` UTF-8 bytes (lone surrogates count 3, as U+FFFD). */
export function overBytes(text: string, max: number): boolean {
  // Every UTF-16 unit is 1–3 UTF-8 bytes: only encode (a copy) when the length alone cannot tell.
  return text.length > max || (text.length * 3 > max && new TextEncoder().encode(text).length > max);
}

/** Returns why an item may not be stored, or undefined when it fits. `tags` are already split (R106). */
export function findLimitViolation(json: string, tags: readonly string[], limits: RuntimeCacheLimits): string | undefined {
  if (overBytes(json, limits.maxItemBytes)) return `JSON over ${limits.maxItemBytes} bytes`;
  if (tags.length > limits.maxTagsPerItem) return `${tags.length} tags, over ${limits.maxTagsPerItem}`;
  const long = tags.find((tag) => overBytes(tag, limits.maxTagBytes));
  if (long !== undefined) return `tag "${long.slice(0, 32)}" over ${limits.maxTagBytes} bytes`;
  return undefined;
}
