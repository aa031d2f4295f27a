import { StoreError } from '../store/index.ts';

/**
 * How long one branch of a split body may take nothing while the other waits for it (Cache Storage
 * stalled on a loaded disk, a page that stopped reading without cancelling): then it stops pacing the
 * body (below). Neither storage nor a stalled page holds the other up for longer.
 */
export const STALL_MS = 2000;

/**
 * A body split in two for store-while-forwarding (issue 15): one branch goes to the layer below (and
 * so to the page), the other into the layer's store. Every chunk goes to both branches as the same
 * object: nothing is copied (the platform's tee of a fetched body, a byte stream, copies every chunk
 * for its second branch, which made three layers churn three copies of a 150 MB body through V8's heap).
 *
 * Unlike a tee, the source is read at the pace of the slower branch: a chunk is read only while each
 * branch holds less than `maxBacklog` bytes it has not taken yet, so the worker never holds more than
 * that per branch, whether the page or Cache Storage is the slower (a tee holds all that the slower one
 * has not taken). A branch that takes nothing for STALL_MS while the other waits stops pacing: the
 * store's copy is abandoned (the write fails, nothing is stored), a page that stopped reading has the
 * rest held for it (as a tee would) while the entry is completed. Cancelling the page's branch leaves
 * the store's reading on (the entry is completed); cancelling both cancels the source. An error of the
 * source errors both with the same reason (the page sees the origin's cut-off as without the worker).
 */
export function splitBody(source: ReadableStream<Uint8Array>, maxBacklog: number): { forward: ReadableStream<Uint8Array>; store: ReadableStream<Uint8Array>; sourceFailed: () => boolean } {
  const reader = source.getReader();
  /** The source errored (cut off by the origin): a failed write is the body's fault, not the store's. */
  let sourceFailed = false;
  let toForward: ReadableStreamDefaultController<Uint8Array> | undefined;
  let toStore: ReadableStreamDefaultController<Uint8Array> | undefined;
  /** The page's branch stopped taking chunks for STALL_MS: it no longer paces the source (while the store's does). */
  let forwardStalled = false;
  let reading = false;
  let stall: ReturnType<typeof setTimeout> | undefined;

  const hasRoom = (controller: ReadableStreamDefaultController<Uint8Array> | undefined) => controller !== undefined && (controller.desiredSize ?? 0) > 0;
  const forwardPaces = () => toForward !== undefined && (!forwardStalled || !toStore);
  /** Read while every branch that paces has room (each asks while it holds less than maxBacklog). */
  const wanted = () => (toStore || forwardPaces()) && (!toStore || hasRoom(toStore)) && (!forwardPaces() || hasRoom(toForward));
  /** When each branch last asked for more (it took chunks): a branch that does not for STALL_MS is stalled. */
  const moved = { forward: performance.now(), store: performance.now() };
  const unwatch = () => {
    clearTimeout(stall);
    stall = undefined;
  };
  const watch = (after: number) => {
    unwatch();
    stall = setTimeout(onStall, after);
  };
  const onStall = () => {
    stall = undefined;
    const blocking = toStore && !hasRoom(toStore) ? 'store' : forwardPaces() && !hasRoom(toForward) ? 'forward' : undefined;
    if (!blocking) return;
    const idle = performance.now() - moved[blocking];
    if (idle < STALL_MS) return watch(STALL_MS - idle);
    if (blocking === 'store') {
      toStore?.error(new StoreError('storage-unavailable', `The store took nothing for ${STALL_MS} ms; the copy was abandoned.`));
      toStore = undefined;
    } else {
      forwardStalled = true;
    }
    void pump();
  };
  const pump = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    try {
      while (wanted()) {
        const { done, value } = await reader.read();
        if (done) {
          toForward?.close();
          toStore?.close();
          toForward = toStore = undefined;
          break;
        }
        toForward?.enqueue(value);
        toStore?.enqueue(value);
      }
    } catch (error) {
      sourceFailed = true;
      toForward?.error(error);
      toStore?.error(error);
      toForward = toStore = undefined;
    } finally {
      reading = false;
    }
    // One branch is full while the other waits with room: watch that the full one moves on.
    if (!toForward && !toStore) unwatch();
    else if (!stall && (hasRoom(toStore) || hasRoom(toForward))) watch(STALL_MS);
  };
  /** A branch asks for more (it took what it had): note it moved, and read if every branch has room. */
  const pulled = (branch: 'forward' | 'store') => {
    moved[branch] = performance.now();
    return pump();
  };
  const cancelled = (reason: unknown): Promise<void> => {
    if (toForward || toStore) return pump(); // the other branch reads on
    unwatch();
    return reader.cancel(reason);
  };

  /** One branch (both are built alike): it paces the source through `pulled`, and forgets its controller once cancelled. */
  const branch = (side: 'forward' | 'store', attach: (controller: ReadableStreamDefaultController<Uint8Array> | undefined) => void) =>
    new ReadableStream<Uint8Array>(
      {
        start: (controller) => attach(controller),
        pull: () => pulled(side),
        cancel: (reason) => {
          attach(undefined);
          return cancelled(reason);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: maxBacklog }),
    );
  return { forward: branch('forward', (c) => void (toForward = c)), store: branch('store', (c) => void (toStore = c)), sourceFailed: () => sourceFailed };
}
