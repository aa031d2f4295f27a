/**
 * The invalidation feed's wire format, shared by the server (server/), the pages (sdk/worker) and the
 * worker (sw/feed). Pure: no DOM, no Node, no I/O.
 *
 * An event is one server-side purge (R77–R79, R83) with a feed id. Ids have the shape of Redis stream
 * ids, `<ms>-<seq>`, so the Redis bus can use the stream's own ids (global and monotonic across server
 * instances) and the in-process bus mints the same shape.
 */

export type Invalidation =
  | { kind: 'invalidate'; tags: string[] }
  | { kind: 'delete'; tags: string[]; revalidationDeadlineSeconds: number }
  | { kind: 'purgeAll' };

export type FeedEvent = Invalidation & { id: string };

/** What the feed sends besides events: `reset` means "you missed more than the backlog holds":
 *  the subscriber purges everything tagged (the gap rule) and continues from `id`. */
export type FeedMessage = FeedEvent | { id: string; kind: 'reset' };

/** The one-shot catch-up answer (`GET feed?after=ID`, `Accept: application/json`). */
export interface FeedCatchUp {
  events: FeedEvent[];
  /** Events after `after` were dropped from the backlog: purge everything tagged, then apply `events`. */
  gap: boolean;
  /** The newest id the feed knows (the cursor to keep when `events` is empty). */
  head: string;
}

export const ZERO_ID = '0-0';
const ID = /^(\d{1,15})-(\d{1,15})$/;

export function isFeedId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** Orders two feed ids (negative when a is older). Both must pass isFeedId. */
export function compareFeedIds(a: string, b: string): number {
  const [, am = '0', as = '0'] = ID.exec(a) ?? [];
  const [, bm = '0', bs = '0'] = ID.exec(b) ?? [];
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

/** R73/R74: a comma always separates tags; each 1–256 characters. Returns the tags or why they are not valid. */
export function normalizeTags(tags: unknown): string[] | { problem: string } {
  const list = typeof tags === 'string' ? [tags] : tags;
  if (!Array.isArray(list) || !list.every((tag) => typeof tag === 'string')) return { problem: 'tags must be a string or an array of strings' };
  const split = list.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (split.length === 0) return { problem: 'at least one non-empty tag is needed' };
  if (split.some((tag) => tag.length > 256)) return { problem: 'a tag is at most 256 characters (R74)' };
  return split;
}

/** Reads an invalidation from untrusted data (a Redis entry, an SSE `data` line); undefined if malformed. */
export function parseInvalidation(value: unknown): Invalidation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'purgeAll') return { kind: 'purgeAll' };
  if (v.kind !== 'invalidate' && v.kind !== 'delete') return undefined;
  // Already normalized by the publisher: anything else did not come from the purge API.
  if (!Array.isArray(v.tags) || v.tags.length === 0) return undefined;
  if (!v.tags.every((tag) => typeof tag === 'string' && tag !== '' && tag.length <= 256 && !tag.includes(','))) return undefined;
  const tags = [...(v.tags as string[])];
  if (v.kind === 'invalidate') return { kind: 'invalidate', tags };
  const deadline = v.revalidationDeadlineSeconds;
  if (typeof deadline !== 'number' || !Number.isFinite(deadline) || deadline < 0) return undefined;
  return { kind: 'delete', tags, revalidationDeadlineSeconds: deadline };
}

/** Reads one feed message (an SSE event's id + data, or an element of a catch-up answer). */
export function parseFeedMessage(id: unknown, data: unknown): FeedMessage | undefined {
  if (!isFeedId(id)) return undefined;
  if (typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'reset') return { id, kind: 'reset' };
  const invalidation = parseInvalidation(data);
  return invalidation && { ...invalidation, id };
}

/** Reads a catch-up answer; undefined when it is not one. Malformed events inside are dropped and counted. */
export function parseCatchUp(value: unknown): { catchUp: FeedCatchUp; malformed: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.events) || typeof v.gap !== 'boolean' || !isFeedId(v.head)) return undefined;
  const events: FeedEvent[] = [];
  let malformed = 0;
  for (const raw of v.events as unknown[]) {
    const message = typeof raw === 'object' && raw !== null ? parseFeedMessage((raw as { id?: unknown }).id, raw) : undefined;
    if (message && message.kind !== 'reset') events.push(message);
    else malformed++;
  }
  return { catchUp: { events, gap: v.gap, head: v.head }, malformed };
}
