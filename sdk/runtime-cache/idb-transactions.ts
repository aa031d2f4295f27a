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
import { slotKey, type Slot } from './key-transform.ts';
import type { StoredEntry } from './store.ts';

/** An entry as stored under its slotKey() (schema 2): the slot's `id` is part of the key, not the record. */
export interface StoredRecord extends Omit<StoredEntry, 'id'> {
  /** Write sequence; only entries with tags need one (to compare with tag marks). */
  seq?: number;
  /** Last write, or last read where `maxBytes` is set (epoch ms): the eviction order (R119, C5). */
  at: number;
  /** Size counted against `maxBytes` (R119): the JSON text's length. */
  b: number;
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

let lastUse = 0;

/** Strictly increasing within this context, so eviction follows use order even within one millisecond. */
export function useTime(): number {
  return (lastUse = Math.max(Date.now(), lastUse + 0.001));
}

const RELAXED: IDBTransactionOptions = { durability: 'relaxed' }; // C6: cache data, not irreplaceable data

/**
 * Resolves when `tx` commits; rejects when it aborts, with why: `failure()` (what the caller caught),
 * else the transaction's own error (C5: a quota failure may surface there while requests only see
 * AbortError).
 */
function completion(tx: IDBTransaction, failure: () => unknown = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject((failure() as Error | undefined) ?? tx.error ?? new DOMException('aborted', 'AbortError'));
  });
}

/**
 * One readonly transaction: the entry, then the marks of its tags. `done` gets the record, or null when
 * missing or tag-expired, from the success handler itself (no promise in between: a cold get is one
 * IndexedDB request plus as little as possible). The returned promise only matters when it rejects.
 */
export function readEntry(db: IDBDatabase, key: string, done: (record: StoredRecord | null) => void): Promise<void> {
  const tx = db.transaction([ENTRIES, TAGS], 'readonly'); // throws at once on a closed connection
  const request = tx.objectStore(ENTRIES).get(key); // slotKey(): one string, the cheapest key there is
  request.onsuccess = () => {
    const record = request.result as StoredRecord | undefined;
    if (!record) return done(null);
    let pending = record.tags.length;
    if (!pending) return done(record);
    let alive = true;
    const marks = tx.objectStore(TAGS);
    for (const tag of record.tags) {
      const mark = marks.get(tag);
      mark.onsuccess = () => {
        if (((mark.result as TagMark | undefined)?.seq ?? 0) > (record.seq ?? 0)) alive = false;
        if (--pending === 0) done(alive ? record : null);
      };
    }
  };
  return completion(tx);
}

/** One readwrite transaction for a whole batch, applied in call order. */
export function writeBatch(db: IDBDatabase, ops: readonly WriteOp[]): Promise<void> {
  const tx = db.transaction([ENTRIES, TAGS, META], 'readwrite', RELAXED);
  let failure: unknown;
  const done = completion(tx, () => failure);
  const entries = tx.objectStore(ENTRIES);
  const meta = tx.objectStore(META);
  const at = useTime();
  const apply = (start: number | undefined): void => {
    let seq = start ?? 0;
    try {
      for (const op of ops) {
        seq++;
        if (op.type === 'set') {
          const { id, ...entry } = op.entry;
          const record: StoredRecord = { ...entry, at, b: entry.json.length };
          if (entry.tags.length) record.seq = seq;
          entries.put(record, id + entry.k);
        } else if (op.type === 'delete') entries.delete(slotKey(op.slot));
        else if (op.type === 'clear') {
          entries.clear(); // requests run in order: later sets of this batch survive
          tx.objectStore(TAGS).clear(); // no entry is left for a mark to expire
        } else for (const tag of op.tags) tx.objectStore(TAGS).put({ tag, seq } satisfies TagMark);
      }
      if (start !== undefined) meta.put(seq, 'seq');
      // Every request is issued: commit now instead of after the last success event's round trip
      // (a lone 1 KB set ~50–80 µs sooner in Chromium, bench/README.md "Issue 14, runtime cache pass").
      tx.commit?.();
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

/** Quota recovery: drop the least recently used quarter of the entries (at least one). */
export function evictOldest(db: IDBDatabase): Promise<void> {
  const tx = db.transaction(ENTRIES, 'readwrite', RELAXED);
  const done = completion(tx);
  const entries = tx.objectStore(ENTRIES);
  const count = entries.count();
  count.onsuccess = () => {
    let left = Math.max(1, Math.ceil(count.result / 4));
    const cursor = entries.index('lru').openKeyCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at || left-- <= 0) return;
      entries.delete(at.primaryKey);
      at.continue();
    };
  };
  return done;
}

/**
 * Deletes up to `limit` entries that the mark of `tag` expired and, once none is left, the mark itself (no
 * older entry with that tag remains). Resolves true when the tag is done. A sweep runs in such slices so
 * that a foreground write or expireTag waits behind one short transaction, never behind a whole sweep.
 */
export function sweepTag(db: IDBDatabase, tag: string, limit: number): Promise<boolean> {
  const tx = db.transaction([ENTRIES, TAGS], 'readwrite', RELAXED);
  const marks = tx.objectStore(TAGS);
  let left = limit;
  const mark = marks.get(tag);
  mark.onsuccess = () => {
    const seq = (mark.result as TagMark | undefined)?.seq;
    if (seq === undefined) return;
    const cursor = tx.objectStore(ENTRIES).index('tags').openCursor(tag);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return void marks.delete(tag);
      if (((at.value as StoredRecord).seq ?? 0) < seq) {
        if (!left--) return; // slice full: the rest goes in the next one
        at.delete();
      }
      at.continue();
    };
  };
  return completion(tx).then(() => left >= 0);
}

/**
 * R119: applies the recency of reads (`touched`: key → use time, batched by the store), then keeps the
 * most recently used entries whose sizes add up to at most `maxBytes` and deletes the rest. Walks the
 * `lru` index keys ([at, b]) from the newest, so no value is read (no walk when `maxBytes` is Infinity).
 * Resolves the deleted keys and the size of what is left.
 */
export function trimToBudget(db: IDBDatabase, touched: ReadonlyMap<string, number>, maxBytes: number): Promise<{ evicted: string[]; total: number }> {
  const tx = db.transaction(ENTRIES, 'readwrite', RELAXED);
  const entries = tx.objectStore(ENTRIES);
  const evicted: string[] = [];
  let pending = touched.size + 1;
  let total = 0;
  let full = false; // once one entry does not fit, every older one goes too: LRU keeps the newest that fit
  const trim = (): void => {
    if (--pending || maxBytes === Infinity) return;
    const cursor = entries.index('lru').openKeyCursor(null, 'prev');
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      const size = (at.key as number[])[1] as number;
      if ((full ||= total + size > maxBytes)) {
        entries.delete(at.primaryKey);
        evicted.push(at.primaryKey as string);
      } else total += size;
      at.continue();
    };
  };
  for (const [key, time] of touched) {
    const read = entries.get(key);
    read.onsuccess = () => {
      const record = read.result as StoredRecord | undefined;
      // Re-written as read, inside this transaction: nothing written meanwhile can be lost.
      if (record && record.at < time) entries.put({ ...record, at: time }, key);
      trim();
    };
  }
  trim();
  return completion(tx).then(() => ({ evicted, total }));
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
  return completion(tx).then(() => left <= 0);
}

/** One stored entry as listed for inspection, with its primary key (slotKey) and whether a tag mark expired it. */
export interface ListedRecord {
  slot: string;
  record: StoredRecord;
  tagExpired: boolean;
}

/**
 * One readonly transaction: up to `limit` entries (in key order), every tag mark, and the entry count.
 * For inspection only (the worker's inspect()); no cache operation reads this way.
 */
export function listEntries(db: IDBDatabase, limit: number): Promise<{ entries: ListedRecord[]; total: number }> {
  const tx = db.transaction([ENTRIES, TAGS], 'readonly');
  const entries = tx.objectStore(ENTRIES);
  const keys = entries.getAllKeys(null, limit);
  const values = entries.getAll(null, limit);
  const total = entries.count();
  const marks = tx.objectStore(TAGS).getAll();
  return completion(tx, () => undefined).then(() => {
    const seqOf = new Map((marks.result as TagMark[]).map((mark) => [mark.tag, mark.seq]));
    return {
      total: total.result,
      entries: (values.result as StoredRecord[]).map((record, i) => ({
        slot: keys.result[i] as string, // slotKey(): always a string (schema 2)
        record,
        // The same test readEntry() applies (a mark newer than the entry's own write expires it).
        tagExpired: record.tags.some((tag) => (seqOf.get(tag) ?? 0) > (record.seq ?? 0)),
      })),
    };
  });
}
