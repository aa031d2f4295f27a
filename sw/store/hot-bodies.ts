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
 * Each body is held as a Blob made once from its bytes, not as an ArrayBuffer: `respondWith()` turns
 * an ArrayBuffer body into a new blob on every response, a blocking registration with the browser
 * process (`BlobRegistry::Register` in a trace, ~1.3 ms of the worker thread per response in a page
 * load of 50 hits, bench/README.md), while a Blob body is handed over as the handle it already is.
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
  const held = new Map<string, Blob>(); // insertion order = recency (re-inserted on use)
  let heldBytes = 0;
  /** References whose body is being read into memory; a drop meanwhile cancels the fill. */
  const filling = new Set<string>();
  /** The Blobs made from streamed bodies, by their first chunk: the layers storing one response share one. */
  const made: MadeBlobs = new WeakMap();

  const forget = (ref: string) => {
    filling.delete(ref);
    const blob = held.get(ref);
    if (!blob) return;
    held.delete(ref);
    heldBytes -= blob.size;
  };
  const hold = (ref: string, blob: Blob) => {
    forget(ref);
    if (blob.size > options.maxEntryBytes || blob.size > options.maxBytes) return;
    held.set(ref, blob);
    heldBytes += blob.size;
    for (const [oldest, body] of held) {
      if (heldBytes <= options.maxBytes) break;
      held.delete(oldest);
      heldBytes -= body.size;
    }
  };
  const use = (ref: string): Blob | undefined => {
    const blob = held.get(ref);
    if (blob) {
      held.delete(ref);
      held.set(ref, blob);
    }
    return blob;
  };
  /** Holds a body read from Cache Storage, unless it was dropped while being read. */
  const fill = (ref: string, read: Promise<ArrayBuffer | undefined>) => {
    filling.add(ref);
    read.then(
      (bytes) => {
        if (filling.delete(ref) && bytes) hold(ref, new Blob([bytes]));
      },
      () => filling.delete(ref), // the serving read reports storage failures; this one only saves time
    );
  };

  return {
    async writeBody(meta, body, maxBytes) {
      if (body instanceof ArrayBuffer) {
        // The Blob copies the bytes now, before the caller (which builds the page's response from its
        // buffer) can touch them, and is what Cache Storage stores: one blob made, not two. Until the
        // metadata commit lands nothing can look it up; a failed commit drops it (LayeredStore).
        if (body.byteLength > options.maxEntryBytes) return backend.writeBody(meta, body, maxBytes);
        const copy = new Blob([body]);
        const written = await backend.writeBody(meta, copy, maxBytes);
        hold(written.body, copy);
        return written;
      }
      if (body instanceof Blob) return backend.writeBody(meta, body, maxBytes);
      // A stream: read here while it is small enough to hold. A small body, once it has all arrived,
      // is stored as the Blob held (Cache Storage takes a Blob as the handle it is, where a stream is
      // pumped through the worker chunk by chunk); a larger one goes on as a stream, from its start.
      const read = await readSmall(body, Math.min(options.maxEntryBytes, maxBytes), made);
      if (read.stream) return backend.writeBody(meta, read.stream, maxBytes);
      const written = await backend.writeBody(meta, read.blob, maxBytes);
      hold(written.body, read.blob);
      return written;
    },
    readBody(slot: Slot<R, string>) {
      // readBody's callers own what they get (revalidation may keep it): fresh bytes.
      const blob = use(slot.body);
      if (blob) return blob.arrayBuffer();
      const reading = backend.readBody(slot);
      if (slot.meta.size <= options.maxEntryBytes) fill(slot.body, reading);
      return reading;
    },
    openBody(slot: Slot<R, string>) {
      const blob = use(slot.body);
      if (blob) return Promise.resolve(blob);
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

/**
 * Blobs made from streamed bodies, by the first chunk they were made of. A response kept by several
 * layers reaches each layer's store as the same chunk objects (sw/layers/split-body.ts hands every chunk
 * to both branches uncopied), so the layers after the first take the first layer's Blob instead of
 * registering another one with the browser process for the same bytes (~0.9 ms of the worker thread
 * per layer, bench/README.md "where the first byte's time goes"). Chunks of a fetched body are fresh
 * objects per read, never refilled, so the same objects in the same order are the same bytes. Weak:
 * an entry lives only while its first chunk is still reachable elsewhere (another layer's write).
 */
type MadeBlobs = WeakMap<Uint8Array, { chunks: readonly Uint8Array[]; blob: Blob }>;

/**
 * Reads a stream while it stays within `maxBytes`: the body as a Blob once it has ended (the Blob already
 * made of the same chunks if any, else a new one), or, once it passes `maxBytes`, a stream of the whole
 * body (the chunks read so far, then the rest of the source, one read per pull). A source that errors
 * while read here rejects (nothing is stored, as when the store reads it).
 */
async function readSmall(source: ReadableStream<Uint8Array>, maxBytes: number, made: MadeBlobs): Promise<{ blob: Blob; stream?: undefined } | { stream: ReadableStream<Uint8Array>; blob?: undefined }> {
  const reader = source.getReader();
  const seen: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { blob: blobOf(seen, made) };
      seen.push(value);
      size += value.byteLength;
      if (size > maxBytes) break;
    }
  } catch (error) {
    reader.releaseLock();
    throw error;
  }
  const replay = seen;
  return {
    stream: new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const next = replay.shift();
          if (next) return controller.enqueue(next);
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    ),
  };
}

/**
 * The Blob of a body read as `chunks`: the one made earlier of the same chunk objects, or a new one.
 * Blob() copies the bytes, so the store keeps them whatever happens to the chunks later.
 */
function blobOf(chunks: Uint8Array[], made: MadeBlobs): Blob {
  const first = chunks[0];
  if (!first) return new Blob([]);
  const earlier = made.get(first);
  if (earlier && earlier.chunks.length === chunks.length && earlier.chunks.every((chunk, i) => chunk === chunks[i])) return earlier.blob;
  const blob = new Blob(chunks as BlobPart[]);
  made.set(first, { chunks, blob });
  return blob;
}
