import { TierCacheError } from '../../sdk/errors';
import { EntryIndex, type Slot } from './entry-index';
import { RecencyWriter } from './recency-writer';
import { RemovalRetry } from './removal-retry';
import { isQuotaExceeded, StoreError, toStoreError } from './store-error';
import { LAYER_NAMES, type BodySource, type EntryMeta, type HttpStore, type LayerName, type NewEntry, type PutOptions, type StoredBody, type StoredResponse } from './types';

/** A change to persisted metadata, applied atomically (one IndexedDB transaction). */
export interface MetaChange<R, B> {
  put?: readonly Slot<R, B>[];
  remove?: readonly Slot<R, B>[];
}

/**
 * Where a LayeredStore keeps bodies and (optionally) persists metadata. The in-memory backend holds
 * bodies as ArrayBuffers; the persistent one holds them in Cache Storage and metadata in IndexedDB.
 * Every method may reject with the raw platform error; LayeredStore decides what it means.
 */
export interface StoreBackend<R, B> {
  /**
   * Writes the body (first: the metadata pointing to it is committed after, never before) and returns
   * its reference and byte size. A stream is read to its end as it arrives; once it passes `maxBytes`
   * the write is abandoned (rejecting with StoreError `entry-too-large`) and nothing of it remains,
   * as when the stream errors.
   */
  writeBody(meta: EntryMeta<R>, body: BodySource, maxBytes: number): Promise<{ body: B; size: number }>;
  /** The body, or undefined when it is gone (cleared externally, replaced concurrently). */
  readBody(slot: Slot<R, B>): Promise<ArrayBuffer | undefined>;
  /** The body without reading or copying it (a Blob, or bytes already in memory: read-only), or
   *  undefined when it is gone. */
  openBody(slot: Slot<R, B>): Promise<Blob | ArrayBuffer | undefined>;
  /** Persists a metadata change; must not resolve before it is durable enough to survive a restart. */
  commit(change: MetaChange<R, B>): Promise<void>;
  /** Deletes bodies whose metadata is already gone (never the other way round). */
  dropBodies(slots: readonly Slot<R, B>[]): Promise<void>;
}

export interface LayeredStoreOptions<R, B> {
  backend: StoreBackend<R, B>;
  /** The mirror, possibly preloaded from persisted metadata. */
  index: EntryIndex<R, B>;
  budgets: Record<LayerName, number>;
  now: () => number;
  onError: (error: unknown) => void;
}

/**
 * The store logic shared by both implementations: reads are answered from the in-memory index,
 * mutations run one at a time, the per-layer byte budget is kept by LRU eviction, and a quota error
 * evicts least-recently-used entries of any layer and retries once (user-needs A6).
 */
export class LayeredStore<R, B> implements HttpStore<R> {
  private readonly index: EntryIndex<R, B>;
  private readonly backend: StoreBackend<R, B>;
  private tail: Promise<unknown> = Promise.resolve();
  /** lastUsed of read entries, persisted in batches behind the hit path. */
  private readonly recency: RecencyWriter<Slot<R, B>>;
  /** Removals whose metadata delete failed: retried so they cannot come back after a restart. */
  private readonly unremoved: RemovalRetry<Slot<R, B>>;
  /** Streamed puts whose body is still arriving (they do not hold up the mutation queue meanwhile). */
  private readonly streaming = new Set<StreamingWrite<R>>();
  /** Streamed puts whose body is in, waiting for their metadata commit (commitWritten). */
  private written: WrittenBody<R, B>[] = [];

  constructor(private readonly options: LayeredStoreOptions<R, B>) {
    this.index = options.index;
    this.backend = options.backend;
    this.unremoved = new RemovalRetry({
      commit: (slots) => this.backend.commit({ remove: slots }),
      isLive: (id) => this.index.get(id) !== undefined,
      serially: (task) => this.serially(task),
    });
    this.recency = new RecencyWriter({
      current: (id) => this.index.get(id),
      commit: (slots) => this.backend.commit({ put: slots }),
      enqueue: (task) => this.enqueue(task),
      onError: options.onError,
    });
  }

  variants(primaryKey: string): Promise<EntryMeta<R>[]> {
    return Promise.resolve(this.index.variants(primaryKey).map((slot) => copyMeta(slot.meta)));
  }

  get(id: string): Promise<StoredResponse<R> | undefined> {
    return this.read(id, (slot) => this.backend.readBody(slot));
  }

  getBody(id: string): Promise<StoredBody<R> | undefined> {
    return this.read(id, (slot) => this.backend.openBody(slot));
  }

  private async read<T>(id: string, load: (slot: Slot<R, B>) => Promise<T | undefined>): Promise<{ meta: EntryMeta<R>; body: T } | undefined> {
    // Two rounds: the entry may be replaced while its body is read; then the new pair is read.
    for (let round = 0; round < 2; round++) {
      const slot = this.index.get(id);
      if (!slot) return undefined;
      const body = await load(slot).catch((error: unknown) => {
        throw toStoreError(error, 'Reading a body failed.');
      });
      const current = this.index.get(id);
      // Deleted meanwhile, body already read: the read began before the delete and answers as of then
      // (a stale copy being served while its refresh deletes it, R12/R47, stays served, not a miss).
      if (current === undefined && body !== undefined) return { meta: copyMeta(slot.meta), body };
      if (current !== slot) continue; // replaced meanwhile: never pair a body with other metadata
      if (body === undefined) {
        // The body vanished (site data cleared, or healing elsewhere): forget the metadata too.
        this.forgetInBackground(slot);
        return undefined;
      }
      this.index.touch(id, this.options.now());
      this.recency.touch(id);
      return { meta: copyMeta(slot.meta), body };
    }
    return undefined;
  }

  put(entry: NewEntry<R>, body: BodySource, options: PutOptions = {}): Promise<void> {
    const problem = checkEntry(entry, body, options);
    if (problem) {
      if (body instanceof ReadableStream && !body.locked) body.cancel().catch(() => undefined);
      return Promise.reject(new TierCacheError('invalid-argument', problem));
    }
    const meta: EntryMeta<R> = { ...entry, tags: [...entry.tags], size: 0, lastUsed: 0 };
    const limit = Math.min(options.maxBytes ?? Infinity, this.options.budgets[meta.layer]);
    this.supersede((write) => write.meta.id === meta.id); // the last put of an id wins
    if (body instanceof ReadableStream) return this.putStream(meta, body, limit);
    return this.serially(async () => {
      if (body.byteLength > limit) throw new StoreError('entry-too-large', `${body.byteLength} bytes > ${limit} (${meta.layer}).`, { size: { limit, bytes: body.byteLength } });
      meta.lastUsed = this.options.now();
      try {
        await this.write(meta, body);
      } catch (error) {
        if (!isQuotaExceeded(error)) throw toStoreError(error, 'Storing an entry failed.');
        await this.evictForQuota(meta, body.byteLength);
        try {
          await this.write(meta, body);
        } catch (retryError) {
          throw toStoreError(retryError, 'Storing an entry failed after evicting.');
        }
      }
    });
  }

  /**
   * The body is written as it arrives, outside the mutation queue (a slow origin must not hold up
   * other writes and purges); the metadata is committed after, in the queue, unless a mutation
   * called meanwhile covers the entry (then the body is dropped: nothing is stored), and with the
   * marks of the tag purges called meanwhile (updateTagged).
   */
  private async putStream(meta: EntryMeta<R>, body: ReadableStream<Uint8Array>, limit: number): Promise<void> {
    const write: StreamingWrite<R> = { meta, superseded: false, committing: false };
    this.streaming.add(write);
    try {
      let written: { body: B; size: number };
      try {
        written = await this.backend.writeBody(meta, body, limit);
      } catch (error) {
        if (!isQuotaExceeded(error)) throw toStoreError(error, 'Storing an entry failed.');
        // The stream is spent, so no retry: free room for the next write.
        await this.serially(() => this.evictForQuota(meta, 0));
        throw toStoreError(error, 'Storing a streamed entry failed; evicted for the next one.');
      }
      await new Promise<void>((resolve, reject) => {
        this.written.push({ write, body: written, resolve, reject });
        this.serially(() => this.commitWritten()).catch(this.options.onError);
      });
    } finally {
      this.streaming.delete(write);
    }
  }

  /**
   * Commits the streamed writes whose body is in, in one IndexedDB transaction (in the queue). The
   * layers that keep one response finish its body at about the same time: one transaction for those
   * whose bodies are in instead of one each (each costs the worker thread and the browser process,
   * while the next request runs; bench/README.md "the worker's work per stored response"). At most
   * one write per layer, so each layer's budget is kept as by one install; the others are left for
   * the next call, which each write queued. Taking a write before its own turn in the queue changes
   * nothing that can be seen: a mutation called before its body was in ran first (it is earlier in the
   * queue), and a delete, clear or put called since has marked it superseded (synchronously), a tag
   * purge marks it in the index.
   */
  private async commitWritten(): Promise<void> {
    const batch: WrittenBody<R, B>[] = [];
    const later: WrittenBody<R, B>[] = [];
    for (const item of this.written) {
      const { layer, id } = item.write.meta;
      (batch.some(({ write }) => write.meta.layer === layer || write.meta.id === id) ? later : batch).push(item);
    }
    this.written = later;
    const installs: { item: WrittenBody<R, B>; slot: Slot<R, B> }[] = [];
    for (const item of batch) {
      const { write, body } = item;
      write.committing = true; // from here a tag purge finds the entry in the index, not here
      const slot: Slot<R, B> = { meta: { ...write.meta, size: body.size }, body: body.body };
      if (write.superseded) {
        await this.backend.dropBodies([slot]).catch(this.options.onError);
        item.resolve();
        continue;
      }
      slot.meta.lastUsed = this.options.now();
      installs.push({ item, slot });
    }
    if (installs.length === 0) return;
    try {
      await this.install(installs.map(({ slot }) => slot));
      for (const { item } of installs) item.resolve();
    } catch (error) {
      for (const { item } of installs) item.reject(toStoreError(error, 'Storing an entry failed.'));
    }
  }

  /** Quota is per origin: free the least recently used bytes of any layer, at least `size` or a tenth of what is stored. */
  private async evictForQuota(meta: EntryMeta<R>, size: number): Promise<void> {
    const victims = this.index.leastRecentOverall(Math.max(size, this.index.totalBytes() / 10), meta.id);
    await this.remove(victims).catch(this.options.onError);
  }

  /** Streamed writes in progress that a mutation called now covers store nothing when they finish. */
  private supersede(covers: (write: StreamingWrite<R>) => boolean): void {
    for (const write of this.streaming) if (covers(write)) write.superseded = true;
  }

  updateMeta(id: string, update: (meta: EntryMeta<R>) => EntryMeta<R> | undefined): Promise<void> {
    return this.serially(async () => {
      const slot = this.index.get(id);
      const next = slot && update(copyMeta(slot.meta));
      if (slot && next) await this.updateSlot(slot, next);
    });
  }

  updateTagged(tags: readonly string[] | '*', update: (meta: EntryMeta<R>) => EntryMeta<R> | undefined): Promise<number> {
    const carries = (meta: EntryMeta<R>) => tags === '*' || meta.tags.some((tag) => tags.includes(tag));
    return this.serially(async () => {
      let updated = 0;
      // Streamed puts not committed yet take the update into the metadata they will commit: a purge
      // never waits for a download, and the copy it covers lands already marked (R78, R79).
      for (const write of this.streaming) {
        if (write.committing || write.superseded || !carries(write.meta)) continue;
        const next = update(copyMeta(write.meta));
        if (!next) continue;
        write.meta = { ...next, id: write.meta.id, layer: write.meta.layer, tags: [...next.tags] };
        updated++;
      }
      const slots = tags === '*' ? this.index.all() : this.index.withAnyTag(tags);
      for (const slot of slots) {
        const next = update(copyMeta(slot.meta));
        if (!next) continue;
        updated++;
        await this.updateSlot(slot, next).catch(this.options.onError); // dropped: never served unmarked
      }
      return updated;
    });
  }

  /** Commits new metadata for a stored body (in the queue); the body's identity and size are kept. */
  private async updateSlot(slot: Slot<R, B>, next: EntryMeta<R>): Promise<void> {
    const id = slot.meta.id;
    if (this.index.get(id) !== slot) return; // removed or replaced by an earlier mutation
    const meta = { ...next, id, layer: slot.meta.layer, size: slot.meta.size, tags: [...next.tags] };
    const updated: Slot<R, B> = { meta, body: slot.body };
    try {
      await this.backend.commit({ put: [updated] });
    } catch (error) {
      // The update may be an invalidation mark: an entry whose new metadata cannot be saved is
      // dropped rather than kept (or reloaded after a restart) with the old metadata.
      if (this.index.get(id) === slot) this.index.remove(id);
      this.unremoved.remember([slot]); // its old metadata is still persisted
      await this.backend.dropBodies([slot]).catch(this.options.onError);
      throw toStoreError(error, 'Updating metadata failed; the entry was dropped.');
    }
    if (this.index.get(id) === slot) this.index.set(updated);
  }

  delete(id: string): Promise<void> {
    this.supersede((write) => write.meta.id === id);
    return this.serially(() => {
      const slot = this.index.get(id);
      return this.remove(slot ? [slot] : []);
    });
  }

  byTag(tags: readonly string[]): Promise<EntryMeta<R>[]> {
    return Promise.resolve(this.index.withAnyTag(tags).map((slot) => copyMeta(slot.meta)));
  }

  list(layer?: LayerName): Promise<EntryMeta<R>[]> {
    return Promise.resolve(this.index.all(layer).map((slot) => copyMeta(slot.meta)));
  }

  clear(layer?: LayerName): Promise<void> {
    this.supersede((write) => layer === undefined || write.meta.layer === layer);
    return this.serially(() => this.remove(this.index.all(layer)));
  }

  retainDeployments(layer: LayerName, keep: readonly string[]): Promise<void> {
    const kept = new Set(keep);
    this.supersede((write) => write.meta.layer === layer && !kept.has(write.meta.deployment));
    return this.serially(() => this.remove(this.index.all(layer).filter((s) => !kept.has(s.meta.deployment))));
  }

  /** Body first, then metadata (see install). */
  private async write(meta: EntryMeta<R>, body: ArrayBuffer): Promise<void> {
    const written = await this.backend.writeBody(meta, body, Infinity);
    await this.install([{ meta: { ...meta, size: written.size }, body: written.body }]);
  }

  /** Written bodies' metadata (with each layer's budget evictions) in one commit, then the mirror. At most one slot per layer. */
  private async install(slots: readonly Slot<R, B>[]): Promise<void> {
    const previous = slots.map((slot) => this.index.get(slot.meta.id));
    const victims = slots.flatMap((slot, i) => {
      const meta = slot.meta;
      const excess = this.index.bytesOf(meta.layer) - (previous[i]?.meta.size ?? 0) + meta.size - this.options.budgets[meta.layer];
      return excess > 0 ? this.index.leastRecent(meta.layer, excess, meta.id) : [];
    });
    try {
      await this.backend.commit({ put: slots, remove: victims });
    } catch (error) {
      await this.backend.dropBodies(slots).catch(this.options.onError);
      throw error;
    }
    for (const victim of victims) this.index.remove(victim.meta.id);
    for (const slot of slots) this.index.set(slot);
    // A body left behind here is an orphan that the next open heals away.
    const replaced = previous.filter((old, i): old is Slot<R, B> => old !== undefined && old.body !== slots[i]?.body);
    await this.backend.dropBodies([...replaced, ...victims]).catch(this.options.onError);
  }

  /** Metadata first (mirror, then persisted), bodies last: a body never outlives its metadata. */
  private async remove(slots: readonly Slot<R, B>[]): Promise<void> {
    const current = slots.filter((slot) => this.index.get(slot.meta.id) === slot);
    if (current.length === 0) return;
    for (const slot of current) this.index.remove(slot.meta.id);
    let failure: unknown;
    await this.backend.commit({ remove: current }).catch((error: unknown) => {
      failure = error;
      this.unremoved.remember(current);
    });
    // Even when the metadata could not be deleted, deleting the bodies makes the next open drop it.
    await this.backend.dropBodies(current).catch((error: unknown) => (failure ??= error));
    if (failure !== undefined) throw toStoreError(failure, 'Removing entries failed.');
  }

  private forgetInBackground(slot: Slot<R, B>): void {
    this.index.remove(slot.meta.id);
    this.serially(() => this.backend.commit({ remove: [slot] })).catch(this.options.onError);
  }

  /**
   * Mutations run one at a time so a purge issued after a put wins and budgets see settled totals.
   * Pending recency is queued first, so it lands before the mutation (and before a restart after it).
   */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    this.recency.flush();
    return this.enqueue(task);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function copyMeta<R>(meta: EntryMeta<R>): EntryMeta<R> {
  return { ...meta, tags: [...meta.tags] };
}

/** A streamed put whose body is still being written. */
interface StreamingWrite<R> {
  /** The metadata to commit once the body is in (tag purges called meanwhile update it). */
  meta: EntryMeta<R>;
  /** A delete, clear, retainDeployments or put of the entry was called meanwhile: store nothing. */
  superseded: boolean;
  /** Its commit runs in the queue now: a later tag purge finds it in the index. */
  committing: boolean;
}

/** A streamed put whose body is written: its metadata is committed next, and its caller told. */
interface WrittenBody<R, B> {
  write: StreamingWrite<R>;
  body: { body: B; size: number };
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** What is wrong with a put() argument (a programmer mistake), or undefined. */
function checkEntry(entry: NewEntry<unknown>, body: BodySource, options: PutOptions): string | undefined {
  if (!(body instanceof ArrayBuffer) && !(body instanceof ReadableStream)) return 'put() needs the body as an ArrayBuffer or a ReadableStream.';
  if (body instanceof ReadableStream && body.locked) return 'put() needs a stream nobody reads yet.';
  if (typeof options !== 'object' || options === null) return 'put() options must be an object.';
  if (options.maxBytes !== undefined && !(typeof options.maxBytes === 'number' && options.maxBytes >= 0)) return 'maxBytes must be a number of bytes, zero or greater.';
  if (typeof entry !== 'object' || entry === null) return 'put() needs an entry object.';
  if (typeof entry.id !== 'string' || typeof entry.primaryKey !== 'string') return 'id and primaryKey must be strings.';
  if (!LAYER_NAMES.includes(entry.layer)) return `Unknown layer ${String(entry.layer)}.`;
  if (!Array.isArray(entry.tags) || !entry.tags.every((t) => typeof t === 'string')) return 'tags must be strings.';
  if (typeof entry.deployment !== 'string' || typeof entry.url !== 'string') return 'url and deployment must be strings.';
  if (typeof entry.storedAt !== 'number') return 'storedAt must be a number.';
  return undefined;
}
