/**
 * Programmer mistakes reject with a TierCacheError that has a stable code; everything else is data.
 * Tags are normalised here once so stores only ever see clean, split, de-duplicated tag lists.
 */
import { TierCacheError } from '../errors.ts';

export interface SetOptions {
  /** Seconds; 0 or absent means no time-based expiry (R102). */
  ttl?: number;
  tags?: string[];
  /** Observability label; defaults to the unhashed key, `''` suppresses it (R89). */
  name?: string;
}

export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new TierCacheError('invalid-key', `got ${typeof key}`);
}

/** R106: a comma always separates tags (R73); empty pieces are dropped; tags are a set (R105). */
export function splitTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const tag of tags) for (const piece of tag.split(',')) if (piece) out.add(piece);
  return [...out];
}

/** `expireTag(tag | tags)` and `set(…, { tags })` accept strings only. */
export function readTags(tags: unknown, allowSingle: boolean): string[] {
  const list: unknown = allowSingle && typeof tags === 'string' ? [tags] : tags;
  if (!Array.isArray(list) || !list.every((tag): tag is string => typeof tag === 'string')) {
    throw new TierCacheError('invalid-tags', 'not a string or string[]');
  }
  return splitTags(list);
}

export interface ReadSetOptions {
  ttl: number;
  tags: string[];
  name: string | undefined;
}

export function readSetOptions(options: unknown = {}): ReadSetOptions {
  if (options === null || typeof options !== 'object') throw new TierCacheError('invalid-options', 'not an object');
  const { ttl, tags, name } = options as Record<string, unknown>;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    throw new TierCacheError('invalid-ttl', `got ${typeof ttl === 'number' ? ttl : typeof ttl}`);
  }
  if (name !== undefined && typeof name !== 'string') throw new TierCacheError('invalid-argument', 'name: not a string');
  return { ttl: ttl ?? 0, tags: tags === undefined ? [] : readTags(tags, false), name };
}
