import { listMembers } from './list-members.ts';
import type { StoredEntry } from './stored-entry.ts';

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
  const seen = new Set<string>(); // linear on huge headers (a hostile origin must not stall the worker)
  for (const tag of listMembers(value ?? '')) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    if (tag.length > MAX_TAG_LENGTH || tags.length >= MAX_TAGS_PER_RESPONSE) dropped.push(tag);
    else tags.push(tag);
  }
  return { tags, dropped };
}

/** A tag purge (R78, R79). `tags: '*'` targets every entry (R83). */
export interface TagPurge {
  readonly kind: 'invalidate' | 'delete';
  readonly tags: readonly string[] | '*';
  /** When the purge was issued (ms). Entries stored later are unaffected. */
  readonly at: number;
  /** R79: for `delete`, seconds during which stale content is still served (default 0). */
  readonly revalidationDeadlineSeconds?: number | undefined;
}

/**
 * Applies a purge to an entry: returns the marked entry, or null when the purge does not concern it.
 * Tags match case-sensitively (R72). Marks only ever make an entry staler. `invalidatedAt` is the
 * latest purge that reached the entry, and `purges` counts them: every purge changes the record, even
 * two in one millisecond or one issued after time travel moved the clock back, so a 304 freshening the
 * entry meanwhile can tell that one landed and keep it (freshen-marks.ts).
 */
export function applyPurge(entry: StoredEntry, purge: TagPurge): StoredEntry | null {
  if (entry.responseTime > purge.at) return null;
  const hit = purge.tags === '*' || entry.tags.some((t) => (purge.tags as readonly string[]).includes(t));
  if (!hit) return null;
  const purges = (entry.purges ?? 0) + 1;
  const invalidatedAt = Math.max(entry.invalidatedAt ?? purge.at, purge.at);
  if (purge.kind === 'invalidate') return { ...entry, invalidatedAt, purges };
  const deadline = Math.max(0, Number.isFinite(purge.revalidationDeadlineSeconds) ? (purge.revalidationDeadlineSeconds ?? 0) : 0);
  const deleteAt = purge.at + deadline * 1000;
  return {
    ...entry,
    deleteAt: entry.deleteAt === null ? deleteAt : Math.min(entry.deleteAt, deleteAt),
    invalidatedAt, // within the deadline the entry is stale (R79)
    purges,
  };
}
