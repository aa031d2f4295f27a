import { evaluate } from '../policy/index.ts';
import type { NewEntry } from '../store/index.ts';
import type { CacheLayer, LayerCall } from './cache-layer.ts';
import type { Exchange } from './exchange.ts';
import { settledBy } from './bounded-wait.ts';
import { buildResponse } from './http-message.ts';
import type { StoredRecord } from './stored-record.ts';

/** What requests collapsed onto one upstream fetch may share (R59). */
export type SharedAnswer =
  /**
   * An answer the layer is storing (or freshened): `written` says whether the entry was stored. The
   * body streams to the leader's page; waiters read the entry from the store once it is written.
   */
  | { kind: 'stored'; meta: NewEntry<StoredRecord>; written: Promise<boolean> }
  /** The revalidation failed and the stale copy was served under stale-if-error (R144). */
  | { kind: 'stale'; meta: NewEntry<StoredRecord>; body: ArrayBuffer | Blob }
  /** The revalidation failed and the error response was passed on (R61, R142). */
  | { kind: 'error'; status: number; statusText: string; headers: Record<string, string>; body: ArrayBuffer }
  /** The revalidation could not reach upstream and nothing stale was allowed. */
  | { kind: 'failure'; error: unknown };

export type LeaderResult = Exchange & { shared?: SharedAnswer | undefined };

/**
 * Request collapsing (R59): while one upstream fetch for a key is in flight, other requests for the
 * key wait for it and get its outcome (reported `collapsed`): a stored answer when the policy would
 * serve it to them (Vary, private or uncacheable answers are never handed to another request, those
 * waiters fetch themselves), and for a revalidation also its failure — the same stale-if-error copy,
 * error response or network error — so a failing origin sees one request per key, not a stampede.
 */
export class Flights {
  private readonly inFlight = new Map<string, Promise<SharedAnswer | undefined>>();

  async run(flightKey: string, call: LayerCall, layer: CacheLayer, lead: () => Promise<LeaderResult>): Promise<Exchange> {
    const pending = this.inFlight.get(flightKey);
    if (pending) {
      const joined = await join(await pending, call, layer);
      if (joined) return joined;
    }
    let settle: (shared: SharedAnswer | undefined) => void = () => {};
    const flight = new Promise<SharedAnswer | undefined>((resolve) => (settle = resolve));
    this.inFlight.set(flightKey, flight);
    try {
      const result = await lead();
      settle(result.shared);
      return result;
    } catch (error) {
      settle({ kind: 'failure', error });
      throw error;
    } finally {
      // Kept until the answer is written: a request that looked the key up just before the write
      // joins this flight instead of starting a second origin request.
      void layer.settled(call.key).finally(() => {
        if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
      });
    }
  }
}

async function join(shared: SharedAnswer | undefined, call: LayerCall, layer: CacheLayer): Promise<Exchange | undefined> {
  switch (shared?.kind) {
    case 'stored': {
      // The leader's body is still arriving: wait for its entry (not past the call's patience, so a
      // slow large download never holds this request: it then fetches for itself), then serve it.
      if (!(await settledBy(shared.written, call.patience)) || !(await shared.written)) return undefined;
      const stored = await layer.store.getBody(shared.meta.id).catch((error: unknown) => call.deps.onError(error));
      if (!stored) return undefined;
      if (evaluate(layer.policy, { entries: [stored.meta.record], request: call.info, now: call.deps.now() }).action !== 'fresh') return undefined;
      return layer.serveRecord(call, stored, { collapsed: true }, false);
    }
    case 'stale':
      return layer.serveRecord(call, shared, { collapsed: true, revalidation: { action: 'serve-stale', reason: 'stale-if-error' } }, false);
    case 'error': {
      const response = buildResponse({ status: shared.status, statusText: shared.statusText, headers: shared.headers, body: shared.body });
      const upstream = { response, decisions: [], originContacted: false, tags: [] };
      return layer.passDown(call, upstream, { collapsed: true, upstreamStatus: shared.status, revalidation: { action: 'forward-error', reason: 'error-response' } });
    }
    case 'failure':
      // Only a revalidation's failure is shared: a failed miss leaves each waiter to try on its own.
      if (call.evaluation?.action !== 'revalidate') return undefined;
      throw shared.error;
    default:
      return undefined;
  }
}
