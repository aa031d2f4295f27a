import { revalidationOutcome, type LayerPolicy, type RequestInfo, type RevalidationOutcome, type UpstreamResult } from '../policy/index.ts';
import type { Exchange, Forward, Outgoing } from './exchange.ts';
import { forwardWithDeadline } from './deadline.ts';
import { responseInfo } from './facts.ts';
import { buildResponse, headerRecord } from './http-message.ts';
import type { SharedAnswer } from './flights.ts';
import type { StoredRecord } from './stored-record.ts';

export interface AskUpstream {
  policy: LayerPolicy;
  forward: Forward;
  outgoing: Outgoing;
  request: RequestInfo;
  /** The stored response being revalidated. */
  entry: StoredRecord;
  /** The conditional fields built from its validators (R148). */
  validators: Readonly<Record<string, string>>;
  /**
   * The content changed at the origin (a tag purge, R78/R79): ask the layers above to revalidate too
   * (`Pragma: no-cache` makes the edge revalidate in the foreground, R56; `Cache-Control: no-cache`
   * the same in RFC 9111 layers, §5.2.1.4), so a purged copy is not refreshed from an equally purged one.
   */
  endToEnd: boolean;
  /** A background refresh (R12): outlives the page's request, and its policy outcome differs. */
  background: boolean;
  timeoutMs: number;
  now: () => number;
}

export interface Asked {
  /** The answer, unless upstream could not be reached (then `failure` says why). */
  usable: Exchange | undefined;
  failure: unknown;
  /** What the policy does with it (revalidationOutcome: R14, R47, R58, R61, R142–R150). */
  outcome: RevalidationOutcome;
  requestTime: number;
}

/**
 * Forwards a revalidation (R148) with the stored validators and a deadline (user-needs A10), and lets
 * the policy decide what the answer means. Never throws: an unreachable upstream is an outcome too.
 */
export async function askUpstream(input: AskUpstream): Promise<Asked> {
  const headers = new Headers(input.outgoing.headers);
  for (const [name, value] of Object.entries(input.validators)) headers.set(name, value);
  if (input.endToEnd) {
    headers.set('pragma', 'no-cache');
    headers.set('cache-control', 'no-cache');
  }
  const requestTime = input.now();
  let upstream: Exchange | undefined;
  let failure: unknown;
  try {
    upstream = await forwardWithDeadline(input.forward, { ...input.outgoing, headers }, { timeoutMs: input.timeoutMs, withPage: !input.background });
  } catch (error) {
    failure = error;
  }
  const responseTime = input.now();
  const usable = upstream && upstream.response.type !== 'error' ? upstream : undefined;
  const result: UpstreamResult = usable ? { response: responseInfo(usable.response) } : { networkError: true };
  const outcome = revalidationOutcome(input.policy, {
    entry: input.entry, request: input.request, upstream: result, requestTime, responseTime, ...(input.background ? { background: true } : {}),
  });
  return { usable, failure, outcome, requestTime };
}

/** An error answer read whole (it is small), so collapsed waiters get the very same one (R59). */
export async function bufferError(response: Response): Promise<{ response: Response; shared: Extract<SharedAnswer, { kind: 'error' }> }> {
  const { status, statusText } = response;
  const headers = headerRecord(response.headers);
  const body = await response.arrayBuffer();
  return { response: buildResponse({ status, statusText, headers, body }), shared: { kind: 'error', status, statusText, headers, body } };
}
