import { expect, test } from 'vitest';
import { isQuotaExceeded, StoreError } from '../../../sw/store/index.ts';

// user-needs C5: quota errors arrive masked; the store must still recognise them to evict and retry.
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name }, extra);

test('a plain QuotaExceededError is recognised', () => {
  expect(isQuotaExceeded(quota())).toBe(true);
});

test('an AbortError wrapping it is recognised: Dexie `inner`, standard `cause`, an aborted request `target.error`', () => {
  expect(isQuotaExceeded(named('AbortError', { inner: quota() }))).toBe(true);
  expect(isQuotaExceeded(new Error('Transaction aborted', { cause: quota() }))).toBe(true);
  expect(isQuotaExceeded(named('AbortError', { target: { error: quota() } }))).toBe(true);
  expect(isQuotaExceeded(named('AbortError', { inner: named('AbortError', { cause: quota() }) }))).toBe(true);
});

test('other failures are not quota errors, and cycles or deep chains end', () => {
  expect(isQuotaExceeded(named('AbortError'))).toBe(false);
  expect(isQuotaExceeded(new DOMException('gone', 'InvalidStateError'))).toBe(false);
  expect(isQuotaExceeded(undefined)).toBe(false);
  expect(isQuotaExceeded('QuotaExceededError')).toBe(false);
  const cyclic: { name: string; inner?: unknown } = { name: 'AbortError' };
  cyclic.inner = cyclic;
  expect(isQuotaExceeded(cyclic)).toBe(false);
  let deep: unknown = quota();
  for (let i = 0; i < 10; i++) deep = named('AbortError', { inner: deep });
  expect(isQuotaExceeded(deep)).toBe(false);
});

test('StoreError carries a stable code and keeps the cause', () => {
  const cause = quota();
  const error = new StoreError('quota-exceeded', 'while storing', { cause });
  expect(error).toMatchObject({ name: 'StoreError', code: 'quota-exceeded', cause });
  expect(error.message).toContain('while storing');
});
