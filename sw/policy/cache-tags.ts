/** R74: per-response limits for CDN cache tags. */
export const MAX_TAGS_PER_RESPONSE = 128;
export const MAX_TAG_LENGTH = 256;

/** Result of reading a `Vercel-Cache-Tag` header. */
export interface CacheTags {
  readonly tags: readonly string[];
  /** Tags dropped for being too long or beyond the 128th (A19: ignored with a warning). */
  readonly dropped: readonly string[];
}

/**
 * Parses `Vercel-Cache-Tag` (R70): a comma always separates tags (R73), tags are case-sensitive (R72)
 * and trimmed; empty members are ignored; duplicates keep one copy. Tags over 256 characters and tags
 * beyond 128 are dropped and reported (R74, A19).
 */
export function parseCacheTags(value: string | undefined): CacheTags {
  const tags: string[] = [];
  const dropped: string[] = [];
  for (const part of (value ?? '').split(',')) {
    const tag = part.trim();
    if (tag.length === 0 || tags.includes(tag)) continue;
    if (tag.length > MAX_TAG_LENGTH || tags.length >= MAX_TAGS_PER_RESPONSE) dropped.push(tag);
    else tags.push(tag);
  }
  return { tags, dropped };
}
