import { StoreError } from './store-error';

/**
 * A streamed body on its way into a store, counted as it passes. A body that grows past `maxBytes`
 * errors the stream at once (the write is abandoned, the source cancelled): the store never holds
 * or keeps more than it may, and `overflowed` tells the store why its write failed.
 */
export interface CountedBody {
  /**
   * Resolves once the first chunk and at least `startAfter` bytes have arrived, or the whole body if it
   * is shorter: the
   * moment to start the store's write (below). Rejects when the body errors or passes `maxBytes` first.
   */
  readonly ready: Promise<void>;
  readonly stream: ReadableStream<Uint8Array>;
  /** Bytes that went through so far (the whole body once the stream has closed). */
  bytes(): number;
  overflowed(): boolean;
}

/**
 * Counts a body on its way into the store; its first `startAfter` bytes are read ahead (and kept until
 * the stream is read). Starting a Cache Storage write while the page's response is being handed over
 * delayed that response by ~1–3 ms per layer (bench: stream.ttfb); a write started once some body is
 * there (a streamed page: once it is complete) is off the page's path. Chunks pass as they are, never
 * copied; the stream reads the source only when its reader asks (no queue of its own).
 */
export function countBytes(source: ReadableStream<Uint8Array>, maxBytes: number, startAfter: number): CountedBody {
  const reader = source.getReader();
  const early: Uint8Array[] = [];
  let bytes = 0;
  let overflowed = false;
  /** Reads one chunk: undefined at the end; rejects past maxBytes (the source cancelled) or on its error. */
  const next = async (): Promise<Uint8Array | undefined> => {
    const { done, value } = await reader.read();
    if (done) return undefined;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      overflowed = true;
      const error = tooLarge(maxBytes);
      await reader.cancel(error).catch(() => undefined);
      throw error;
    }
    return value;
  };
  let ended = false;
  const ready = (async () => {
    do {
      const chunk = await next();
      if (!chunk) {
        ended = true;
        return;
      }
      early.push(chunk);
    } while (bytes < startAfter);
  })();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await ready;
        const chunk = early.shift() ?? (ended ? undefined : await next());
        if (chunk) controller.enqueue(chunk);
        else {
          ended = true;
          controller.close();
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  ready.catch(() => undefined); // the writer awaits it; the stream's reader sees the same error
  return { ready, stream, bytes: () => bytes, overflowed: () => overflowed };
}

/**
 * Reads a stream to its end into one ArrayBuffer (the memory store keeps bodies in memory anyway),
 * giving up with `entry-too-large` as soon as it passes `maxBytes`, before holding more.
 */
export async function readLimited(source: ReadableStream<Uint8Array>, maxBytes: number): Promise<ArrayBuffer> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}

export function tooLarge(maxBytes: number): StoreError {
  return new StoreError('entry-too-large', `The body passed ${maxBytes} bytes; nothing was stored.`);
}
