/**
 * R132: `waitUntil(promise)` keeps background work alive past the response.
 * In a Service Worker it extends the event the worker registered with `runWithEvent` (the FetchEvent or
 * ExtendableEvent being handled); elsewhere (pages, tests) there is no event to extend, so the promise
 * is kept referenced until it settles and a rejection is reported instead of becoming unhandled.
 */
export interface ExtendableEventLike {
  waitUntil(promise: Promise<unknown>): void;
}

const active: ExtendableEventLike[] = [];
const pending = new Set<Promise<unknown>>();
let report: (error: unknown) => void = (error) => console.error('waitUntil: a background promise rejected', error);

/** Where rejected background promises are reported (default: console.error). */
export function setWaitUntilErrorHandler(handler: (error: unknown) => void): void {
  report = handler;
}

/**
 * Makes `event` the one `waitUntil` extends while `handler` runs, including its asynchronous part when
 * it returns a promise. Nested and overlapping events are fine: the most recent active one is used.
 */
export function runWithEvent<T>(event: ExtendableEventLike, handler: () => T): T {
  active.push(event);
  const release = (): void => {
    const index = active.lastIndexOf(event);
    if (index >= 0) active.splice(index, 1);
  };
  try {
    const result = handler();
    if (result instanceof Promise) void result.then(release, release);
    else release();
    return result;
  } catch (error) {
    release();
    throw error;
  }
}

export function waitUntil(promise: Promise<unknown>): void {
  const candidate = promise as unknown;
  if (candidate === null || typeof candidate !== 'object' || typeof (candidate as { then?: unknown }).then !== 'function') {
    throw new TypeError(`waitUntil can only be called with a Promise, got ${typeof candidate}`);
  }
  const settled = Promise.resolve(promise).then(
    () => undefined,
    (error: unknown) => report(error),
  );
  pending.add(settled);
  void settled.finally(() => pending.delete(settled));
  const event = active[active.length - 1];
  try {
    event?.waitUntil(settled);
  } catch {
    // The event is no longer active (InvalidStateError): the promise still runs and is still reported.
  }
}
