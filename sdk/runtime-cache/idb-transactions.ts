/**
 * The IndexedDB transactions of the runtime cache, each short and self-contained: no foreign await
 * inside a transaction (user-needs C1), handlers attached before the first request completes.
 *
 * Tag expiry costs O(number of tags), never a scan: `expireTag(t)` writes a mark `{ tag: t, seq }`, and an
 * entry is expired when one of its tags has a mark newer than the entry's own `seq`. `seq` is a counter in
 * the `meta` store, bumped inside the same readwrite transaction, so the order between writes and tag
 * expiries is the database's commit order, in every context alike. Marked entries are reclaimed later by
 * `sweepTags` through the multiEntry tag index; TTL-expired ones by `sweepExpired` through the `exp` index.
 */
import { ENTRIES, META, TAGS } from './db.ts';
import type { Slot } from './key-transform.ts';
import type { StoredEntry } from './store.ts';

export interface StoredRecord extends StoredEntry {
  /** Write sequence; only entries with tags need one (to compare with tag marks). */
  seq?: number;
  /** Write time (epoch ms): the eviction order. */
  at: number;
}

export type WriteOp =
  | { type: 'set'; entry: StoredEntry }
  | { type: 'delete'; slot: Slot }
  | { type: 'tags'; tags: string[] }
  | { type: 'clear' };

interface TagMark {
  tag: string;
  seq: number;
}

let lastWriteTime = 0;

const RELAXED: IDBTransactionOptions = { durability: 'relaxed' }; // C6: cache data, not irreplaceable data

function completion(tx: IDBTransaction, failure: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // C5: a quota failure may surface as the transaction's error while requests only see AbortError.
    tx.onabort = () => reject((failure() as Error | undefined) ?? tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
}

/** One readonly transaction: the entry, then the marks of its tags. Resolves null when missing or tag-expired. */
export function readEntry(db: IDBDatabase, slot: Slot): Promise<StoredRecord | null> {
  const tx = db.transaction([ENTRIES, TAGS], 'readonly'); // throws at once on a closed connection
  return new Promise((resolve, reject) => {
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    const request = tx.objectStore(ENTRIES).get([slot.k, slot.id]);
    request.onsuccess = () => {
      const record = request.result as StoredRecord | undefined;
      if (!record) return resolve(null);
      let pending = record.tags.length;
      if (!pending) return resolve(record);
      let alive = true;
      const marks = tx.objectStore(TAGS);
      for (const tag of record.tags) {
        const mark = marks.get(tag);
        mark.onsuccess = () => {
          if (((mark.result as TagMark | undefined)?.seq ?? 0) > (record.seq ?? 0)) alive = false;
          if (--pending === 0) resolve(alive ? record : null);
        };
      }
    };
  });
}

/** One readwrite transaction for a whole batch, applied in call order. */
export function writeBatch(db: IDBDatabase, ops: readonly WriteOp[]): Promise<void> {
  const tx = db.transaction([ENTRIES, TAGS, META], 'readwrite', RELAXED);
  let failure: unknown;
  const done = completion(tx, () => failure);
  const entries = tx.objectStore(ENTRIES);
  const meta = tx.objectStore(META);
  // Strictly increasing within this context, so eviction follows write order even within one millisecond.
  const at = (lastWriteTime = Math.max(Date.now(), lastWriteTime + 0.001));
  const apply = (start: number | undefined): void => {
    let seq = start ?? 0;
    try {
      for (const op of ops) {
        seq++;
        if (op.type === 'set') entries.put((op.entry.tags.length ? { ...op.entry, seq, at } : { ...op.entry, at }) satisfies StoredRecord);
        else if (op.type === 'delete') entries.delete([op.slot.k, op.slot.id]);
        else if (op.type === 'clear') {
          entries.clear(); // requests run in order: later sets of this batch survive
          tx.objectStore(TAGS).clear(); // no entry is left for a mark to expire
        } else for (const tag of op.tags) tx.objectStore(TAGS).put({ tag, seq } satisfies TagMark);
      }
      if (start !== undefined) meta.put(seq, 'seq');
    } catch (error) {
      failure = error; // e.g. a synchronous QuotaExceededError / DataError from put
      tx.abort();
    }
  };
  // Only tagged entries and tag marks need sequence numbers. Batches without them skip reading the
  // counter (a round trip before the first put), and a delete-only batch writes nothing new, so it can
  // still free space when the quota is exhausted.
  if (ops.some((op) => op.type === 'tags' || (op.type === 'set' && op.entry.tags.length))) {
    const counter = meta.get('seq');
    counter.onsuccess = () => apply((counter.result as number | undefined) ?? 0);
  } else apply(undefined);
  return done;
}

/** Quota recovery: drop the least recently written quarter of the entries (at least one). */
export function evictOldest(db: IDBDatabase): Promise<void> {
  const tx = db.transaction(ENTRIES, 'readwrite', RELAXED);
  const done = completion(tx, () => undefined);
  const entries = tx.objectStore(ENTRIES);
  const count = entries.count();
  count.onsuccess = () => {
    let left = Math.max(1, Math.ceil(count.result / 4));
    const cursor = entries.index('at').openKeyCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at || left-- <= 0) return;
      entries.delete(at.primaryKey);
      at.continue();
    };
  };
  return done;
}

/** Deletes the entries a tag mark expired, then the mark itself (no older entry with that tag remains). */
export function sweepTags(db: IDBDatabase, tags: readonly string[]): Promise<void> {
  const tx = db.transaction([ENTRIES, TAGS], 'readwrite', RELAXED);
  const done = completion(tx, () => undefined);
  const marks = tx.objectStore(TAGS);
  const byTag = tx.objectStore(ENTRIES).index('tags');
  for (const tag of tags) {
    const mark = marks.get(tag);
    mark.onsuccess = () => {
      const seq = (mark.result as TagMark | undefined)?.seq;
      if (seq === undefined) return;
      const cursor = byTag.openCursor(IDBKeyRange.only(tag));
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return void marks.delete(tag);
        if (((at.value as StoredRecord).seq ?? 0) < seq) at.delete();
        at.continue();
      };
    };
  }
  return done;
}

/** Deletes up to `limit` entries whose TTL ran out (R101: now > exp); resolves true when more may remain. */
export function sweepExpired(db: IDBDatabase, now: number, limit: number): Promise<boolean> {
  const tx = db.transaction(ENTRIES, 'readwrite', RELAXED);
  const entries = tx.objectStore(ENTRIES);
  let left = limit;
  const cursor = entries.index('exp').openKeyCursor(IDBKeyRange.upperBound(now, true));
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (!at || left <= 0) return;
    left--;
    entries.delete(at.primaryKey);
    at.continue();
  };
  return completion(tx, () => undefined).then(() => left <= 0);
}
