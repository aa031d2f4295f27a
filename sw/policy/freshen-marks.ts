import type { StoredEntry } from './stored-entry.ts';

/**
 * The fields of a stored entry that tag purges own (applyPurge: R78 `invalidatedAt`, R79 `deleteAt`).
 * The store writes them whenever a purge lands, also while a revalidation of the entry is on its way.
 */
const PURGE_MARKS = ['invalidatedAt', 'deleteAt', 'purges'] as const;

/**
 * Whether two records describe the same stored response: a purge's marks leave its request and
 * response times alone, a 304 freshen or a newer response stored under the same id changes them.
 */
function sameStoredResponse(a: StoredEntry, b: StoredEntry): boolean {
  return a.requestTime === b.requestTime && a.responseTime === b.responseTime;
}

/**
 * The record a 304 writes over the stored one (R149), given the record the revalidation read
 * (`validated`), the one stored now (`current`) and the 304 merged into `validated` (`freshened`).
 *
 * - null: the stored entry is no longer the response that was validated (a deletion then a newer
 *   copy under the same id, R79, or another revalidation's freshen): a 304 freshens the response it
 *   validated and no other (R149), so the newer write stands.
 * - A purge landing while the 304 was on its way wins (R78, R79): the 304 only re-dates the stored
 *   body, which is the very content the purge covers, so its marks are kept, all of the current ones
 *   (which purge set which mark cannot be told apart, and keeping one too many only costs a
 *   revalidation, while dropping one would serve what a purge withdrew).
 * - Otherwise the 304 answers the marks it was sent for (the refresh behind a purged copy, R78/R79):
 *   the freshened record carries none.
 *
 * Detection relies on applyPurge counting every purge that reaches the entry (`purges`).
 */
export function freshenedRecord(validated: StoredEntry, current: StoredEntry, freshened: StoredEntry): StoredEntry | null {
  if (!sameStoredResponse(validated, current)) return null;
  if (PURGE_MARKS.every((mark) => current[mark] === validated[mark])) return freshened;
  return { ...freshened, invalidatedAt: current.invalidatedAt, deleteAt: current.deleteAt, purges: current.purges };
}
