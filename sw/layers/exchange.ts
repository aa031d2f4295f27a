import type { LayerDecision, LayerName, NotStored, VisitorLocation } from '../../sdk/protocol.ts';
import type { AmendableRecord } from './amendable-record.ts';

/** One request on its way through the chain. The Request is immutable; layers add headers to `headers`. */
export interface Outgoing {
  request: Request;
  /** The headers to send upstream (starts as a copy of the page's request headers). */
  headers: Headers;
  /** Aborts the upstream fetch (a revalidation's deadline); default: the page request's own signal. */
  signal?: AbortSignal | undefined;
  /**
   * Until when (performance.now()) the request may wait for other requests' store writes of its key,
   * set by the first layer it enters: the whole chain shares one patience (bounded-wait.ts).
   */
  patience?: number | undefined;
  /**
   * Told when a layer's write of this request's answer is abandoned after its decision was made (the
   * body passed what the layer may keep, storage failed): the request's decision record is corrected
   * (AmendableRecord). A background refresh carries its own, for its own record.
   */
  onNotStored?: ((layer: LayerName, why: NotStored) => void) | undefined;
}

/** What comes back from upstream (origin side) to the next layer down (page side). */
export interface Exchange {
  response: Response;
  /** Per-layer decisions, origin side first. */
  decisions: LayerDecision[];
  originContacted: boolean;
  /** Tags from Vercel-Cache-Tag, carried internally after the header is stripped (R34), so a tag
   *  purge reaches the downstream layers' copies too (R77). */
  tags: string[];
}

export type Forward = (outgoing: Outgoing) => Promise<Exchange>;

/** What layers need from the world; injected so the chain runs in node tests as well as in the worker. */
export interface LayerDeps {
  now: () => number;
  waitUntil: (promise: Promise<unknown>) => void;
  onError: (error: unknown) => void;
  visitor: () => VisitorLocation | null;
  /** Deadline for revalidations (config `upstreamTimeoutMs`). */
  upstreamTimeoutMs: number;
  /** Publishes a record no page request carries (a background refresh's), amendable after. */
  onDecision?: ((record: AmendableRecord) => void) | undefined;
}
