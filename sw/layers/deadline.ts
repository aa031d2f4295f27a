import type { Exchange, Forward, Outgoing } from './exchange.ts';

/** A revalidation that outlived `upstreamTimeoutMs`: treated as "cannot reach the server" (R144). */
export class UpstreamTimeout extends Error {
  override readonly name = 'UpstreamTimeout';
}

/**
 * Forwards a revalidation with a deadline (user-needs A10, hard case 8: a hung revalidation must time
 * out and free its slot). The upstream fetch is aborted, and the wait itself ends too, because an
 * upstream layer may be waiting on its own in-flight fetch. `withPage`: also end when the page aborts
 * (foreground); a background refresh outlives the page's request.
 */
export function forwardWithDeadline(forward: Forward, outgoing: Outgoing, options: { timeoutMs: number; withPage: boolean }): Promise<Exchange> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new UpstreamTimeout(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  const signal = options.withPage ? AbortSignal.any([controller.signal, outgoing.request.signal]) : controller.signal;
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new UpstreamTimeout('aborted')), { once: true });
  });
  return Promise.race([forward({ ...outgoing, signal }), aborted]).finally(() => clearTimeout(timer));
}
