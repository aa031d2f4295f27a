import { StoreError } from './store-error';

/**
 * A streamed body on its way into a store, counted as it passes. A body that grows past `maxBytes`
 * errors the stream at once (the write is abandoned, the source cancelled): the store never holds
 * or keeps more than it may, and `overflowed` tells the store why its write failed.
 */
export interface CountedBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Settles once the source's first chunk (or its end) has arrived; rejects if it errored first. */
  readonly arrived: Promise<void>;
  /** Bytes that went through so far (the whole body once the stream has closed). */
  bytes(): number;
  overflowed(): boolean;
  /** Gives up on the body: the source is cancelled (a write that could not start or failed). */
  cancel(reason: unknown): Promise<void>;
}

/**
 * The source is read at once (its first chunk is what `arrived` waits for), then one chunk per pull of
 * the stream's consumer: one read per chunk, with no pipe and transform stream in between.
 */
export function countBytes(source: ReadableStream<Uint8Array>, maxBytes: number): CountedBody {
  const reader = source.getReader();
  let bytes = 0;
  let overflowed = false;
  let first: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = reader.read();
  const arrived = first.then(() => undefined);
  const cancel = (reason: unknown) => reader.cancel(reason).catch(() => undefined);
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = first ?? reader.read();
        first = undefined;
        const { done, value } = await next;
        if (done) return controller.close();
        bytes += value.byteLength;
        if (bytes > maxBytes) {
          overflowed = true;
          const error = tooLarge(maxBytes, bytes);
          controller.error(error);
          return cancel(error);
        }
        controller.enqueue(value);
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
  return { stream, arrived, bytes: () => bytes, overflowed: () => overflowed, cancel };
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
      if (size > maxBytes) throw tooLarge(maxBytes, size);
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

/** `bytes`: what had arrived when the write stopped (more than `maxBytes`). */
export function tooLarge(maxBytes: number, bytes: number): StoreError {
  return new StoreError('entry-too-large', `The body passed ${maxBytes} bytes (${bytes} had arrived); nothing was stored.`, { size: { limit: maxBytes, bytes } });
}
