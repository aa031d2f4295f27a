/**
 * R110: every storage operation gives up after `timeoutMs` (default 500 ms, Vercel's client default):
 * a slow or hung IndexedDB (C2, C3) becomes a miss and a report, never a pending promise.
 */
import { asFailure, RuntimeCacheFailure, type OpContext } from './failure.ts';

export function withTimeout<T>(work: Promise<T>, ctx: OpContext, fallback: T, what: string): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: T, failure?: RuntimeCacheFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure) ctx.report(failure);
      resolve(value);
    };
    const timer = setTimeout(
      () => finish(fallback, new RuntimeCacheFailure('timeout', `${what}: over ${ctx.timeoutMs} ms`)),
      ctx.timeoutMs,
    );
    work.then(
      (value) => finish(value),
      (error: unknown) => finish(fallback, asFailure(error)),
    );
  });
}
