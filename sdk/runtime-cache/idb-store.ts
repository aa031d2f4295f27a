/**
 * The IndexedDB backend: one per database and context. Warm reads come from the hot mirror; cold reads
 * cost one readonly transaction; writes from the same tick share one readwrite transaction, and batches
 * run one after another so a retry after a quota error can never reorder this context's writes.
 * Every failure degrades (miss / report) instead of rejecting (R109).
 */
import { createCoherence } from './coherence.ts';
import { openDatabase } from './db.ts';
import { asFailure, fallbackFailure, isQuotaError, RuntimeCacheFailure, type OpContext } from './failure.ts';
import { createHotMirror } from './hot-mirror.ts';
import { evictOldest, readEntry, sweepExpired, sweepTag, trimToBudget, useTime, writeBatch, type StoredRecord, type WriteOp } from './idb-transactions.ts';
import { slotKey } from './key-transform.ts';
import { createMemoryStore } from './memory-store.ts';
import type { RuntimeStore, TagMode } from './store.ts';
import { withTimeout } from './timeout.ts';

export interface IdbStoreOptions {
  name: string;
  factory: IDBFactory;
  /** How long an open may be blocked or pending before this attempt is abandoned (C2, C3). */
  openDeadlineMs?: number;
}

type QueuedOp = WriteOp & { ctx: OpContext; done: (value: void) => void };
/** A cold read queued behind pending writes: it runs after the writes issued before it, before later ones. */
type ReadBarrier = { type: 'read'; start: () => void };

const SWEEP_EVERY_MS = 60_000;
/** Deletes per sweep transaction: a foreground write waits for one such slice at most… */
const SWEEP_SLICE = 32;
/** …and slices leave the database idle in between, so a write rarely finds one running. */
const SLICE_GAP_MS = 10;
/** R119: how long read recency is batched before it is written (it only matters for the next eviction). */
const TOUCH_FLUSH_MS = 1000;

export function createIdbStore(options: IdbStoreOptions): RuntimeStore {
  const mirror = createHotMirror();
  let db: IDBDatabase | undefined;
  let opening: Promise<IDBDatabase | undefined> | undefined;
  let memory: RuntimeStore | undefined; // set once IndexedDB proved unusable in this context
  let epoch = 0; // bumped by every change, so a slow cold read never re-fills the mirror with old data
  const queue: (QueuedOp | ReadBarrier)[] = [];
  let draining: Promise<void> | undefined;
  let lastCtx: OpContext | undefined;
  const tagsToSweep = new Set<string>();
  let sweepTimer: ReturnType<typeof setTimeout> | undefined;
  // R119 (only while some cache object of this database set maxBytes):
  let budget: number | undefined;
  let stored: number | undefined; // bytes after the last trim, plus what this context wrote since
  const touched = new Map<string, number>(); // reads not yet written as recency: key → use time
  let trimTimer: ReturnType<typeof setTimeout> | undefined;

  const coherence = createCoherence(options.name, (message) => {
    epoch++;
    for (const key of message.keys) mirror.delete(key);
    mirror.dropTags(message.tags);
    if (message.all) mirror.clear();
  });
  // A page restored from the back/forward cache or resumed after a freeze may have missed broadcasts:
  // forget the hot copies and read from IndexedDB again. (Workers never see these events.)
  const forget = (): void => {
    epoch++;
    mirror.clear();
    coherence.hello(); // contexts that appeared meanwhile must learn that this one writes
  };
  for (const type of ['pageshow', 'resume']) globalThis.addEventListener?.(type, forget);

  function connect(ctx: OpContext): Promise<IDBDatabase | undefined> {
    if (db || memory) return Promise.resolve(db);
    opening ??= openDatabase({
      name: options.name,
      factory: options.factory,
      deadlineMs: options.openDeadlineMs ?? 2000,
      onBlocked: () => ctx.report(new RuntimeCacheFailure('blocked', `${options.name}: upgrade blocked`)),
      onGone: (gone) => {
        if (db === gone) db = undefined;
        epoch++;
        mirror.clear(); // the database may have been deleted or upgraded: trust nothing we copied
      },
    })
      .then(
        (opened) => {
          db = opened;
          scheduleSweep(1000);
          return opened;
        },
        (error: unknown) => {
          if (error instanceof RuntimeCacheFailure) throw error; // blocked or hung: try again next time
          memory = createMemoryStore(); // private mode, VersionError, SecurityError…: R112 fallback
          ctx.report(fallbackFailure(error));
          return undefined;
        },
      )
      .finally(() => (opening = undefined));
    return opening;
  }

  /** Runs `work` on an open connection; a connection closed under us (C2) is reopened once. */
  function withDb<T>(ctx: OpContext, work: (db: IDBDatabase) => Promise<T>, inMemory: (m: RuntimeStore) => Promise<T>): Promise<T> {
    const run = (open: IDBDatabase | undefined): Promise<T> => {
      if (!open) return inMemory(memory as RuntimeStore);
      try {
        return work(open);
      } catch {
        // transaction() throws InvalidStateError on a closing or closed connection.
        if (db === open) db = undefined;
        return connect(ctx).then((again) => (again ? work(again) : inMemory(memory as RuntimeStore)));
      }
    };
    // Open already: start the transaction in this task (a cold get is one request after this).
    return db ? run(db) : connect(ctx).then(run);
  }

  function runBatch(ops: QueuedOp[]): Promise<void> {
    const ctx = ops.at(-1)?.ctx as OpContext;
    const write = (open: IDBDatabase): Promise<void> =>
      writeBatch(open, ops).catch((error: unknown) => {
        if (!isQuotaError(error)) throw error;
        // C5/A6: evict least recently written entries and retry once.
        return evictOldest(open).then(() => writeBatch(open, ops));
      });
    // The memory store applies each call at once, in call order (memory-store.ts).
    const inMemory = (m: RuntimeStore): Promise<unknown> =>
      Promise.all(ops.map((op) =>
        op.type === 'set' ? m.set(op.entry, op.ctx)
        : op.type === 'delete' ? m.delete(op.slot, op.ctx)
        : op.type === 'tags' ? m.expireTags(op.tags, 'expire', op.ctx)
        : m.clear(op.ctx)));
    return withDb(ctx, write, inMemory)
      .then(() => {
        const keys: string[] = [];
        const tags: string[] = [];
        for (const op of ops) {
          if (op.type === 'tags') tags.push(...op.tags);
          else if (op.type !== 'clear') keys.push(slotKey(op.type === 'set' ? op.entry : op.slot));
        }
        coherence.publish(keys, tags, ops.some((op) => op.type === 'clear'));
        if (budget === undefined) return;
        for (const op of ops) if (op.type === 'set' && stored !== undefined) stored += op.entry.json.length;
        if (stored === undefined || stored > budget) scheduleTrim(0); // R119
      }, (error: unknown) => {
        epoch++;
        const failed = ops.flatMap((op) => (op.type === 'set' ? [op] : []));
        for (const op of failed) mirror.delete(slotKey(op.entry)); // the optimistic copy never landed
        for (const report of new Set(ops.map((op) => op.ctx.report))) report(asFailure(error));
        // Never leave a value older than the latest set readable: drop what the failed sets replaced,
        // ahead of anything issued after them.
        // (`done` is the failed set's own, already settled: calling it again does nothing.)
        queue.unshift(...failed.map((op): QueuedOp => ({ ...op, type: 'delete', slot: op.entry })));
      })
      .finally(() => {
        for (const op of ops) op.done();
      });
  }

  function drain(): Promise<void> {
    draining ??= (async () => {
      try {
        await Promise.resolve(); // collect everything issued in this tick into one transaction
        while (queue[0]) {
          if (queue[0].type === 'read') {
            // Starts its readonly transaction before the next batch creates its readwrite one: IndexedDB
            // orders overlapping transactions by creation, so the read sees exactly the earlier writes.
            (queue.shift() as ReadBarrier).start();
            continue;
          }
          const end = queue.findIndex((op) => op.type === 'read');
          await runBatch(queue.splice(0, end < 0 ? queue.length : end) as QueuedOp[]);
        }
      } finally {
        // Cleared in the same microtask as the last empty-queue check, so no op is ever left behind.
        draining = undefined;
      }
    })();
    return draining;
  }

  /** The most recent caller's clock drives the TTL sweep; a maxBytes, once given, bounds the database. */
  function use(ctx: OpContext): void {
    lastCtx = ctx;
    budget = ctx.maxBytes ?? budget;
  }

  function enqueue(op: WriteOp, ctx: OpContext): Promise<void> {
    use(ctx);
    epoch++;
    return withTimeout<void>(ctx, undefined, 'write', (done) => {
      queue.push({ ...op, ctx, done });
      void drain();
    });
  }

  /** One slice per timer turn (a tag's entries, else TTL-expired ones), so foreground work interleaves. */
  function scheduleSweep(delayMs: number): void {
    clearTimeout(sweepTimer);
    sweepTimer = setTimeout(() => {
      const open = db;
      const ctx = lastCtx;
      if (!open || !ctx) return scheduleSweep(SWEEP_EVERY_MS);
      const [tag] = tagsToSweep;
      const slice =
        tag === undefined
          ? sweepExpired(open, ctx.now(), SWEEP_SLICE)
          : sweepTag(open, tag, SWEEP_SLICE).then((done) => {
              if (done) tagsToSweep.delete(tag);
              return true;
            });
      slice.then(
        (more) => scheduleSweep(more ? SLICE_GAP_MS : SWEEP_EVERY_MS), // after a tag slice: the next tag, or the TTL slice
        () => scheduleSweep(SWEEP_EVERY_MS), // best effort: a failed sweep only delays reclaiming space
      );
    }, delayMs);
  }

  /** R119: writes the batched read recency, then evicts least recently used entries over `budget`. */
  function scheduleTrim(delayMs: number): void {
    if (trimTimer !== undefined) {
      if (delayMs) return; // a trim is due anyway; only a write makes it urgent
      clearTimeout(trimTimer);
    }
    trimTimer = setTimeout(() => {
      trimTimer = undefined;
      const open = db;
      if (!open || budget === undefined) return;
      const uses = new Map(touched);
      touched.clear();
      // Only recency to write (the budget is known to hold): skip the walk of the index.
      const walk = stored === undefined || stored > budget;
      trimToBudget(open, uses, walk ? budget : Infinity).then(
        ({ evicted, total }) => {
          if (walk) stored = total;
          if (!evicted.length) return;
          epoch++;
          for (const key of evicted) mirror.delete(key);
          coherence.publish(evicted, [], false);
        },
        () => (stored = undefined), // best effort: the next write tries again
      );
    }, delayMs);
  }

  function touch(key: string): void {
    if (budget === undefined) return;
    touched.set(key, useTime());
    scheduleTrim(TOUCH_FLUSH_MS);
  }

  return {
    get(slot, ctx) {
      use(ctx);
      if (memory) return memory.get(slot, ctx);
      const key = slotKey(slot);
      const hot = mirror.get(key);
      if (hot) return Promise.resolve(hot.exp === undefined || ctx.now() <= hot.exp ? (touch(key), hot.json) : (mirror.delete(key), null));
      const seen = epoch;
      const accept = (record: StoredRecord | null): string | null => {
        if (!record || (record.exp !== undefined && ctx.now() > record.exp)) return null; // R101
        if (epoch === seen) mirror.put(key, record);
        touch(key);
        return record.json;
      };
      const read = (resolve: (json: string | null) => void): Promise<unknown> =>
        withDb(ctx, (open) => readEntry(open, key, (record) => resolve(accept(record))), (m) => m.get(slot, ctx).then(resolve));
      if (!draining && !queue.length) return withTimeout<string | null>(ctx, null, 'get', read);
      // Read-your-writes, and no read-ahead: see the writes issued before this get, none issued after.
      return withTimeout<string | null>(ctx, null, 'get', (resolve) =>
        new Promise((started) => {
          queue.push({ type: 'read', start: () => started(read(resolve)) });
          void drain();
        }));
    },
    set(entry, ctx) {
      if (memory) return memory.set(entry, ctx);
      mirror.put(slotKey(entry), entry);
      return enqueue({ type: 'set', entry }, ctx);
    },
    delete(slot, ctx) {
      if (memory) return memory.delete(slot, ctx);
      mirror.delete(slotKey(slot));
      return enqueue({ type: 'delete', slot }, ctx);
    },
    expireTags(tags, mode: TagMode, ctx) {
      if (memory) return memory.expireTags(tags, mode, ctx);
      mirror.dropTags(tags);
      for (const tag of tags) tagsToSweep.add(tag);
      // A22: `delete` reclaims the entries right after the mark commits; `expire` leaves it to the next sweep.
      return enqueue({ type: 'tags', tags }, ctx).then(() => {
        if (mode === 'delete') scheduleSweep(0);
      });
    },
    clear(ctx) {
      if (memory) return memory.clear(ctx);
      mirror.clear();
      return enqueue({ type: 'clear' }, ctx);
    },
  };
}

