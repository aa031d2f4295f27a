/**
 * R110: every storage operation gives up after `timeoutMs` (default 500 ms, Vercel's client default):
 * a slow or hung IndexedDB (C2, C3) becomes a miss and a report, never a pending promise.
 *
 * One timer serves every pending operation of this context, armed for the earliest deadline: a timer
 * per operation (setTimeout + clearTimeout) was a measurable share of a lone set or cold get
 * (bench/README.md, "Issue 14, runtime cache pass").
 */
import { asFailure, RuntimeCacheFailure, type OpContext } from './failure.ts';

/** Pending operations: each one's timeout handler → its deadline (performance.now() time). */
const waiting = new Map<() => void, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Infinity;

/** Expires what is due and keeps the one timer armed for the earliest deadline left. */
function check(): void {
  const now = performance.now();
  let next = Infinity;
  for (const [expire, end] of waiting) if (end > now) next = Math.min(next, end);
  else expire();
  // Also re-armed once the armed time has passed (the timer fired, or was lost to a test's fake clock).
  if (next < timerAt || timerAt <= now) {
    clearTimeout(timer);
    timerAt = next;
    if (next < Infinity) timer = setTimeout(check, next - now + 1); // +1: past the deadline by a coarsened clock too
  }
}

/**
 * Runs `start`, which resolves the operation through its argument (no promise in between on the hot
 * path); settles with `fallback`, reported, when the promise `start` returns rejects or time runs out.
 */
export function withTimeout<T>(ctx: OpContext, fallback: T, what: string, start: (resolve: (value: T) => void) => Promise<unknown> | void): Promise<T> {
  return new Promise((resolve) => {
    const finish = (value: T, failure?: RuntimeCacheFailure): void => {
      if (!waiting.delete(expire)) return; // settled already
      if (failure) ctx.report(failure);
      resolve(value);
    };
    const expire = (): void => finish(fallback, new RuntimeCacheFailure('timeout', `${what}: over ${ctx.timeoutMs} ms`));
    waiting.set(expire, performance.now() + ctx.timeoutMs);
    check();
    start(finish)?.catch((error: unknown) => finish(fallback, asFailure(error)));
  });
}
