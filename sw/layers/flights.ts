import { evaluate } from '../policy/index.ts';
import type { NewEntry } from '../store/index.ts';
import type { CacheLayer, LayerCall } from './cache-layer.ts';
import type { Exchange } from './exchange.ts';
import type { StoredRecord } from './stored-record.ts';

/** A stored answer that requests collapsed onto one upstream fetch may share. */
export interface SharedAnswer {
  meta: NewEntry<StoredRecord>;
  body: ArrayBuffer;
}

export type LeaderResult = Exchange & { shared?: SharedAnswer | undefined };

/**
 * Request collapsing (R59): while one upstream fetch for a key is in flight, other requests for the
 * key wait for it and are answered from its stored result (MISS, reason `collapsed`). Only an answer
 * the layer stored AND that the policy would serve to the waiting request is shared (Vary, private
 * or uncacheable answers are never handed to another request); otherwise the waiter fetches itself.
 */
export class Flights {
  private readonly inFlight = new Map<string, Promise<SharedAnswer | undefined>>();

  async run(flightKey: string, call: LayerCall, layer: CacheLayer, lead: () => Promise<LeaderResult>): Promise<Exchange> {
    const pending = this.inFlight.get(flightKey);
    if (pending) {
      const shared = await pending;
      if (shared && evaluate(layer.policy, { entries: [shared.meta.record], request: call.info, now: call.deps.now() }).action === 'fresh') {
        return layer.serveRecord(call, shared, { collapsed: true }, false);
      }
    }
    let settle: (shared: SharedAnswer | undefined) => void = () => {};
    const flight = new Promise<SharedAnswer | undefined>((resolve) => (settle = resolve));
    this.inFlight.set(flightKey, flight);
    try {
      const result = await lead();
      settle(result.shared);
      return result;
    } catch (error) {
      settle(undefined);
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
