import type { Slot } from './entry-index';
import type { StoreBackend } from './layered-store';

export interface HotBodiesOptions {
  /** Bytes held at most, all bodies together (least recently used dropped first). */
  maxBytes: number;
  /** Bodies larger than this are never held (a burst of small subresources is what this is for). */
  maxEntryBytes: number;
}

/**
 * The hot tier: small bodies held in memory, so a hit in a burst (a page load) reads no Cache Storage
 * at all (issue 14; the bench's `http.memory` row is the limit it aims at).
 *
 * A hit answers with a Blob, not an ArrayBuffer: `respondWith()` turns an ArrayBuffer body into a new
 * blob on every response, a blocking registration with the browser process (`BlobRegistry::Register`
 * in a trace, ~1.3 ms of the worker thread per response in a page load of 50 hits, bench/README.md),
 * while a Blob body is handed over as the handle it already is. The Blob is made by the first hit that
 * needs it, not when the body is stored: making it is that same registration (~0.7 ms of the worker
 * thread per stored response, profiled, bench/README.md "the worker's work per stored response"), and
 * most bodies stored by a layer behind the browser's, or by a worker stopped before it is asked again,
 * are never hit from memory. Until then the body is held as a copy of its bytes.
 *
 * It sits below LayeredStore, keyed by the body reference (the Cache Storage URL, a fresh nonce per
 * write, never reused). That makes it exactly as correct as the store without any invalidation of its
 * own: every read first resolves the id through the store's in-memory index, so a delete, purge, clear,
 * eviction or replace has made the old reference unreachable before the body is looked up here; a
 * metadata update (304 freshen, tag mark) keeps the reference and the body it names; Vary variants
 * have their own ids and references. dropBodies() frees the memory. A killed worker loses only the
 * memory (speed). Cache Storage is written as before; this is a read cache in front of it.
 *
 * What it cannot see is Cache Storage changed behind the worker's back (a page calling
 * `caches.delete()` on tiercache's own cache names): a body held here is still served until its entry
 * is removed through the store (sw/README.md, deviations).
 */
export function withHotBodies<R>(backend: StoreBackend<R, string>, options: HotBodiesOptions): StoreBackend<R, string> {
  const held = new Map<string, HotBody>(); // insertion order = recency (re-inserted on use)
  let heldBytes = 0;
  /** References whose body is being read into memory; a drop meanwhile cancels the fill. */
  const filling = new Set<string>();
  /** The bodies kept from streams, by their first chunk: the layers storing one response share one. */
  const kept: KeptBodies = new WeakMap();

  const forget = (ref: string) => {
    filling.delete(ref);
    const body = held.get(ref);
    if (!body) return;
    held.delete(ref);
    heldBytes -= body.size;
  };
  const hold = (ref: string, body: HotBody) => {
    forget(ref);
    if (body.size > options.maxEntryBytes || body.size > options.maxBytes) return;
    held.set(ref, body);
    heldBytes += body.size;
    for (const [oldest, { size }] of held) {
      if (heldBytes <= options.maxBytes) break;
      held.delete(oldest);
      heldBytes -= size;
    }
  };
  const use = (ref: string): HotBody | undefined => {
    const body = held.get(ref);
    if (body) {
      held.delete(ref);
      held.set(ref, body);
    }
    return body;
  };
  /**
   * Holds a body read from Cache Storage, unless it was dropped while being read. A copy: get()'s
   * caller is handed the same buffer and owns it (this runs first, before the caller can change it).
   */
  const fill = (ref: string, read: Promise<ArrayBuffer | undefined>) => {
    filling.add(ref);
    read.then(
      (bytes) => {
        if (filling.delete(ref) && bytes) hold(ref, HotBody.copyOf(bytes));
      },
      () => filling.delete(ref), // the serving read reports storage failures; this one only saves time
    );
  };

  return {
    async writeBody(meta, body, maxBytes) {
      if (body instanceof ArrayBuffer) {
        // Copied now, before the caller (which builds the page's response from its buffer) can touch
        // it. Until the metadata commit lands nothing can look it up; a failed commit drops it
        // (LayeredStore).
        const copy = body.byteLength <= options.maxEntryBytes ? HotBody.copyOf(body) : undefined;
        const written = await backend.writeBody(meta, body, maxBytes);
        if (copy) hold(written.body, copy);
        return written;
      }
      // A stream: its chunks are kept as they pass while the body is small enough; they are held only
      // if the write completed (an errored, cancelled or oversized stream rejects here first).
      const small = keepSmall(body, options.maxEntryBytes);
      const written = await backend.writeBody(meta, small.stream, maxBytes);
      const hot = small.body(kept);
      if (hot) hold(written.body, hot);
      return written;
    },
    readBody(slot: Slot<R, string>) {
      // readBody's callers own what they get (revalidation may keep it): fresh bytes.
      const hot = use(slot.body);
      if (hot) return hot.bytes();
      const reading = backend.readBody(slot);
      if (slot.meta.size <= options.maxEntryBytes) fill(slot.body, reading);
      return reading;
    },
    openBody(slot: Slot<R, string>) {
      const hot = use(slot.body);
      if (hot) return Promise.resolve(hot.blob());
      const opening = backend.openBody(slot);
      if (slot.meta.size <= options.maxEntryBytes) {
        fill(slot.body, opening.then((body) => (body instanceof Blob ? body.arrayBuffer() : body)));
      }
      return opening;
    },
    commit: (change) => backend.commit(change),
    dropBodies(slots) {
      for (const slot of slots) forget(slot.body);
      return backend.dropBodies(slots);
    },
  };
}

/** A body held in memory: a copy of its bytes until a hit first needs it as a Blob, then that Blob. */
class HotBody {
  readonly size: number;
  private parts: Uint8Array[] | undefined;
  private made: Blob | undefined;

  constructor(parts: Uint8Array[]) {
    this.parts = parts;
    this.size = parts.reduce((sum, part) => sum + part.byteLength, 0);
  }

  /** Holds a copy of `buffer`, which its owner may change afterwards. */
  static copyOf(buffer: ArrayBuffer): HotBody {
    return new HotBody([new Uint8Array(buffer.slice(0))]);
  }

  /** The same Blob on every call (a Blob is immutable: every response may share it). */
  blob(): Blob {
    if (!this.made) {
      this.made = new Blob(this.parts as BlobPart[]);
      this.parts = undefined; // the Blob has its own copy
    }
    return this.made;
  }

  /** A fresh copy of the bytes. */
  bytes(): Promise<ArrayBuffer> {
    if (!this.parts) return this.blob().arrayBuffer();
    const copy = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      copy.set(part, offset);
      offset += part.byteLength;
    }
    return Promise.resolve(copy.buffer);
  }
}

/**
 * The bodies kept from streams, by the first chunk they were read from. A response kept by several
 * layers reaches each layer's store as the same chunk objects (sw/layers/split-body.ts hands every
 * chunk to both branches uncopied), so the layers after the first hold the first layer's body (one
 * copy of the bytes, one Blob once hit) instead of their own. Chunks of a fetched body are fresh
 * objects per read, never refilled, so the same objects in the same order are the same bytes. Weak:
 * an entry lives only while its first chunk is still reachable elsewhere (another layer's write).
 */
type KeptBodies = WeakMap<Uint8Array, { chunks: readonly Uint8Array[]; body: HotBody }>;

/**
 * Passes a stream through, keeping a copy of its chunks until it passes `maxBytes` (then none); once
 * the stream has closed, `body()` is what it kept, the body already kept from the same chunks if any.
 */
function keepSmall(source: ReadableStream<Uint8Array>, maxBytes: number): { stream: ReadableStream<Uint8Array>; body: (kept: KeptBodies) => HotBody | undefined } {
  /** The chunks as they came (their identity says which body they are) and a copy of each. */
  let chunks: { seen: Uint8Array[]; copies: Uint8Array[] } | undefined = { seen: [], copies: [] };
  let size = 0;
  let closed = false;
  const stream = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) chunks = undefined;
        else if (chunks) {
          chunks.seen.push(chunk);
          // A copy: the body store may transfer or reuse the chunk it is handed.
          chunks.copies.push(chunk.slice());
        }
        controller.enqueue(chunk);
      },
      flush() {
        closed = true;
      },
    }),
  );
  return {
    stream,
    body: (kept) => {
      if (!closed || !chunks) return undefined;
      const { seen, copies } = chunks;
      const first = seen[0];
      if (!first) return new HotBody([]);
      const earlier = kept.get(first);
      if (earlier && earlier.chunks.length === seen.length && earlier.chunks.every((chunk, i) => chunk === seen[i])) return earlier.body;
      const body = new HotBody(copies);
      kept.set(first, { chunks: seen, body });
      return body;
    },
  };
}
