/**
 * Issue 15: the split behind store-while-forwarding (sw/layers/split-body.ts). Both branches get every
 * chunk as the same object (nothing copied); the source is read at the slower branch's pace, so the
 * worker holds at most a backlog per branch; a branch that takes nothing for STALL_MS stops pacing.
 */
import { expect, test } from 'vitest';
import { splitBody, STALL_MS } from '../../../sw/layers/split-body.ts';
import { isStoreError } from '../../../sw/store/index.ts';

const CHUNK = 64 * 1024;
const BACKLOG = 256 * 1024;

/** A source of `count` chunks of CHUNK bytes (chunk i filled with i), counting how many were read. */
function source(count: number, options: { failAt?: number } = {}) {
  let read = 0;
  let cancelled: unknown;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (read === options.failAt) return controller.error(new TypeError('cut off'));
        if (read === count) return controller.close();
        controller.enqueue(new Uint8Array(CHUNK).fill(read % 256));
        read++;
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled';
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, read: () => read, cancelled: () => cancelled };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value);
  return chunks;
}

const ticks = (n = 20) => new Promise((resolve) => setTimeout(resolve, n));

test('issue 15: both branches get every chunk in order, the same object (nothing copied)', async () => {
  const origin = source(20);
  const { forward, store } = splitBody(origin.stream, BACKLOG);
  const [page, stored] = await Promise.all([readAll(forward), readAll(store)]);
  expect(page.map((c) => c[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(stored.every((chunk, i) => chunk === page[i])).toBe(true);
});

test('issue 15: a page faster than its store waits for it: the source is read at most a backlog ahead of the store', async () => {
  const origin = source(100);
  const { forward, store } = splitBody(origin.stream, BACKLOG);
  const page = forward.getReader();
  const storeReader = store.getReader();
  // The page reads as fast as it can; the store takes nothing yet.
  let pageChunks = 0;
  const reading = (async () => {
    for (let part = await page.read(); !part.done; part = await page.read()) pageChunks++;
  })();
  await ticks();
  expect(origin.read() * CHUNK).toBeLessThanOrEqual(BACKLOG + CHUNK);
  expect(pageChunks).toBe(origin.read());
  // The store takes chunks: the page moves on with it, never more than the backlog behind.
  for (let i = 0; i < 10; i++) await storeReader.read();
  await ticks();
  expect((origin.read() - 10) * CHUNK).toBeLessThanOrEqual(BACKLOG + CHUNK);
  expect(origin.read()).toBeLessThan(100);
  for (let part = await storeReader.read(); !part.done; part = await storeReader.read());
  await reading;
  expect(pageChunks).toBe(100);
});

test('issue 15: a store that takes nothing for STALL_MS is abandoned (its write fails) and the page gets the whole body', { timeout: STALL_MS * 3 }, async () => {
  const origin = source(100);
  const { forward, store } = splitBody(origin.stream, BACKLOG);
  const storeReader = store.getReader(); // a Cache Storage write that hangs: locked, never read
  const page = await readAll(forward);
  expect(page).toHaveLength(100);
  // Only a backlog went to the store before it was abandoned; then it errors.
  const taken: Uint8Array[] = [];
  const failure = await (async () => {
    for (;;) {
      const part = await storeReader.read();
      if (part.done) return undefined;
      taken.push(part.value);
    }
  })().catch((error: unknown) => error);
  expect(isStoreError(failure) && failure.code).toBe('storage-unavailable');
  expect(taken.length * CHUNK).toBeLessThanOrEqual(BACKLOG + CHUNK);
});

test('issue 15: the store never waits long for a page that stopped reading: the entry is completed, the page still gets it all', { timeout: STALL_MS * 3 }, async () => {
  const origin = source(40);
  const { forward, store } = splitBody(origin.stream, BACKLOG);
  const page = forward.getReader(); // a page that stopped reading without cancelling
  const stored = await readAll(store);
  expect(stored).toHaveLength(40);
  const rest = [];
  for (let part = await page.read(); !part.done; part = await page.read()) rest.push(part.value);
  expect(rest).toHaveLength(40);
});

test('issue 15: a page that cancels leaves the store reading to the end; the source is cancelled only when both are', async () => {
  const origin = source(30);
  const first = splitBody(origin.stream, BACKLOG);
  await first.forward.cancel('page gone');
  expect(await readAll(first.store)).toHaveLength(30);
  expect(origin.cancelled()).toBeUndefined();

  const other = source(30);
  const second = splitBody(other.stream, BACKLOG);
  await second.store.cancel('store refused');
  await second.forward.cancel('page gone');
  expect(other.cancelled()).toBe('page gone');
});

test('issue 15: a body cut off by the origin errors both branches with the same reason', async () => {
  const origin = source(30, { failAt: 12 });
  const { forward, store } = splitBody(origin.stream, BACKLOG);
  const [page, stored] = await Promise.all([readAll(forward).catch((e: unknown) => e), readAll(store).catch((e: unknown) => e)]);
  expect(page).toBeInstanceOf(TypeError);
  expect(stored).toBe(page);
});
