import type { NewEntry } from '../store/index.ts';
import type { Exchange } from './exchange.ts';
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

export interface FlightSteps {
  /** The leader's work: one upstream fetch and what it did with the answer. */
  lead: () => Promise<LeaderResult>;
  /** A waiter's answer from the leader's outcome, or undefined to lead a flight of its own. */
  join: (shared: SharedAnswer | undefined) => Promise<Exchange | undefined>;
  /** Settles once the leader's writes of the key have: the flight is kept until then. */
  settled: () => Promise<void>;
}

/**
 * Request collapsing (R59): while one upstream fetch for a key is in flight, other requests for the
 * key wait for it and get its outcome (reported `collapsed`) when `join` can use it (the layer decides:
 * a stored answer the policy would serve them, a revalidation's failure), else they lead themselves,
 * so a failing origin sees one request per key, not a stampede.
 */
export class Flights {
  private readonly inFlight = new Map<string, Promise<SharedAnswer | undefined>>();

  async run(flightKey: string, steps: FlightSteps): Promise<Exchange> {
    const pending = this.inFlight.get(flightKey);
    if (pending) {
      const joined = await steps.join(await pending);
      if (joined) return joined;
    }
    let settle: (shared: SharedAnswer | undefined) => void = () => {};
    const flight = new Promise<SharedAnswer | undefined>((resolve) => (settle = resolve));
    this.inFlight.set(flightKey, flight);
    try {
      const result = await steps.lead();
      settle(result.shared);
      return result;
    } catch (error) {
      settle({ kind: 'failure', error });
      throw error;
    } finally {
      // Kept until the answer is written: a request that looked the key up just before the write
      // joins this flight instead of starting a second origin request.
      void steps.settled().finally(() => {
        if (this.inFlight.get(flightKey) === flight) this.inFlight.delete(flightKey);
      });
    }
  }
}
