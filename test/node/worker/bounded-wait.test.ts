import { expect, test } from 'vitest';
import { settledBy } from '../../../sw/layers/bounded-wait.ts';

const later = (ms: number, fail = false) => new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error('failed')) : resolve(undefined)), ms));

test('R59: a write that lands within the patience is waited for, a failed one counts as landed', async () => {
  expect(await settledBy(later(5), performance.now() + 1000)).toBe(true);
  expect(await settledBy(later(5, true), performance.now() + 1000)).toBe(true);
});

test('R59: a write still running past the patience is not waited for any longer', async () => {
  const start = performance.now();
  expect(await settledBy(new Promise(() => undefined), start + 50)).toBe(false);
  // A patience already used up (by an earlier wait in the chain) waits no more at all.
  expect(await settledBy(later(50), performance.now() - 1)).toBe(false);
});
