import { afterEach, expect, test, vi } from 'vitest';
import { runWithEvent, setWaitUntilErrorHandler, waitUntil } from '../../../sdk/request/index.ts';

afterEach(() => setWaitUntilErrorHandler((error) => console.error(error)));

test.each([
  [undefined, 'undefined'],
  [null, 'object'],
  [42, 'number'],
  ['p', 'string'],
  [{}, 'object'],
  [() => 1, 'function'],
])('R132: waitUntil(%j) throws TypeError naming the type', (value, type) => {
  expect(() => waitUntil(value as unknown as Promise<unknown>)).toThrow(new TypeError(`waitUntil can only be called with a Promise, got ${type}`));
});

test('R132: any thenable is accepted; outside an event the call is a silent no-op returning undefined', () => {
  const thenable = { then: (resolve: (v: number) => void) => resolve(1) };
  expect(waitUntil(thenable as unknown as Promise<unknown>)).toBeUndefined();
  expect(waitUntil(Promise.resolve(1))).toBeUndefined();
});

test('R132: outside an event a rejection is reported, not left unhandled', async () => {
  const reported: unknown[] = [];
  setWaitUntilErrorHandler((error) => reported.push(error));
  const failure = new Error('background failed');
  waitUntil(Promise.reject(failure));
  await vi.waitFor(() => expect(reported).toEqual([failure]));
});

test('R132: inside runWithEvent the promise extends that event, including after an await', async () => {
  const extended: Promise<unknown>[] = [];
  const event = { waitUntil: (p: Promise<unknown>) => extended.push(p) };
  let release!: () => void;
  const work = new Promise<void>((resolve) => (release = resolve));
  const handled = runWithEvent(event, async () => {
    await Promise.resolve();
    waitUntil(work);
  });
  await handled;
  expect(extended).toHaveLength(1);
  release();
  await expect(extended[0]).resolves.toBeUndefined();
  // After the handler finished, the event is released: no further extension.
  waitUntil(Promise.resolve());
  expect(extended).toHaveLength(1);
});

test('R132: an event that is no longer active does not make waitUntil throw', () => {
  const finished = { waitUntil: () => { throw new DOMException('inactive', 'InvalidStateError'); } };
  runWithEvent(finished, () => {
    expect(() => waitUntil(Promise.resolve())).not.toThrow();
  });
});
