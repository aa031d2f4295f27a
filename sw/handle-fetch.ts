import type { DecisionRecord, LayerName, VisitorLocation } from '../sdk/protocol.ts';
import type { PublishedRecord } from './decision-outbox.ts';
import { AmendableRecord } from './layers/amendable-record.ts';
import type { CacheLayer } from './layers/cache-layer.ts';
import { appendCacheStatus, fetchModeHeaders, formatCacheStatusMember } from './policy/index.ts';
import type { Exchange, Forward, LayerDeps, Outgoing } from './layers/exchange.ts';
import { requestInfo } from './layers/facts.ts';
import { buildResponse, headerRecord } from './layers/http-message.ts';
import { fetchNetwork } from './layers/network.ts';

/** Everything handleFetch needs from the world, injected so it runs in node tests too. */
export interface FetchDeps {
  fetch: (request: Request) => Promise<Response>;
  /** The worker's own origin (upstream requests to it use same-origin mode). */
  origin: string;
  now: () => number;
  waitUntil: (promise: Promise<unknown>) => void;
  /** The configured layers, page side first (each with its own store view and policy). */
  layers: readonly CacheLayer[];
  clockOffsetMs: () => number;
  visitor: () => VisitorLocation | null;
  upstreamTimeoutMs: number;
  onError: (error: unknown) => void;
  /** Publishes a record (built by `make`; decision-outbox.ts). */
  onDecision: (make: () => DecisionRecord) => PublishedRecord;
  /** Publishes a corrected version of a record already handed over (decision-outbox.ts `amend`). */
  amendDecision?: ((published: PublishedRecord, make: () => DecisionRecord) => void) | undefined;
  /** While nobody listens, keeps a page request's record unbuilt and returns it (decision-outbox.ts);
   *  absent or undefined: the record is published. */
  deferDecision?: ((make: () => DecisionRecord) => PublishedRecord | undefined) | undefined;
}

/** A network failure, told apart from cache failures: it reaches the page as it would without us. */
class NetworkFailure extends Error {
  constructor(readonly original: unknown) {
    super('network failure');
  }
}

/**
 * An origin answer whose status the `Response` constructor refuses (outside 200–599, e.g. 999): no layer
 * can store it or add a header to it, so it skips them and reaches the page as it would without us.
 */
class Unrepresentable extends Error {
  constructor(readonly response: Response) {
    super(`status ${response.status} cannot pass through the layers`);
  }
}

/**
 * The chain page → browser → cdn → edge → network for one request the worker handles. The response
 * carries one Cache-Status member per layer (origin side first). A cache or policy exception never
 * fails the page's fetch: the request goes to the network uncached, reported in Cache-Status detail
 * and onError. A network failure is passed on as a network error, as without the worker.
 */
export async function handleFetch(request: Request, deps: FetchDeps): Promise<Response> {
  const at = deps.now();
  const publish = (record: AmendableRecord, published: PublishedRecord) => record.handedOver(() => deps.amendDecision?.(published, record.make));
  const layerDeps: LayerDeps = {
    now: deps.now, waitUntil: deps.waitUntil, onError: deps.onError, visitor: deps.visitor, upstreamTimeoutMs: deps.upstreamTimeoutMs,
    onDecision: (record) => publish(record, deps.onDecision(record.make)),
  };
  // The headers as the origin sent them, for the record: what the devtools' "why" explains (the page
  // only sees them after every layer's rewrite, R26–R34). Set only when this request reached the origin.
  let originHeaders: Record<string, string> | undefined;
  const network: Forward = async (outgoing) => {
    let response: Response;
    try {
      response = await fetchNetwork(outgoing.request, outgoing.headers, networkOptions(deps), outgoing.signal);
    } catch (error) {
      throw new NetworkFailure(error);
    }
    if (unrepresentable(response)) throw new Unrepresentable(response);
    originHeaders = headerRecord(response.headers);
    return { response, decisions: [], originContacted: true, tags: [] };
  };
  const stage = (index: number): Forward => {
    const layer = deps.layers[index];
    return layer ? (outgoing) => layer.handle(outgoing, stage(index + 1), layerDeps) : network;
  };
  // A request with a body cannot be retried after a cache failure: its body was already sent.
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  let exchange: Exchange;
  let error: string | undefined;
  // A layer may abandon its write after the record was made (a body larger than it may keep): the
  // record is corrected then (AmendableRecord), never the headers already sent.
  const record = new AmendableRecord(() => decisionRecord(request, exchange, at, error, originHeaders));
  const outgoing: Outgoing = { request, headers: new Headers(request.headers), onNotStored: record.layerNotStored };
  // R156: with no browser layer in front, the page's cache mode reaches the shared layers only as the
  // request headers Fetch adds for it (a CDN never sees the mode itself).
  if (deps.layers[0]?.policy.layer.kind !== 'private') {
    for (const [name, value] of Object.entries(fetchModeHeaders(requestInfo(outgoing, '')))) outgoing.headers.set(name, value);
  }
  try {
    exchange = await stage(0)(outgoing);
  } catch (failure) {
    if (failure instanceof NetworkFailure) throw failure.original;
    if (failure instanceof Unrepresentable) return failure.response;
    if (!bodyless) throw failure;
    deps.onError(failure);
    error = String(failure);
    exchange = await fallback(request, deps, deps.layers[0]?.name ?? 'browser');
  }
  const { response } = exchange;
  // Nobody listens: kept unbuilt for a late lease to replay, with no timer or waitUntil on the hit path.
  const deferred = deps.deferDecision?.(record.make);
  if (deferred) {
    publish(record, deferred);
    return response;
  }
  // The record is built and posted after the response is handed over: never on the hit path.
  deps.waitUntil(
    new Promise<void>((resolve) =>
      setTimeout(() => {
        publish(record, deps.onDecision(record.make));
        resolve();
      }, 0),
    ),
  );
  return response;
}

/** Any cache or policy exception: straight to the network, uncached, and say so (Cache-Status detail). */
async function fallback(request: Request, deps: FetchDeps, layer: LayerName): Promise<Exchange> {
  const response = await fetchNetwork(request, new Headers(request.headers), networkOptions(deps));
  if (response.type === 'opaqueredirect' || response.type === 'opaque' || unrepresentable(response)) return { response, decisions: [], originContacted: true, tags: [] };
  const headers = headerRecord(response.headers);
  const member = formatCacheStatusMember(layer, { hit: false, fwd: 'bypass', fwdStatus: response.status, ttl: null, stored: false, collapsed: false, detail: 'error' });
  headers['cache-status'] = appendCacheStatus(headers['cache-status'], member);
  // R32/R62: with the edge on, a GET/HEAD still says what the edge did (MISS, reason error).
  if (deps.layers.some((l) => l.name === 'edge') && (request.method === 'GET' || request.method === 'HEAD')) headers['x-vercel-cache'] = 'MISS';
  return {
    response: buildResponse({ status: response.status, statusText: response.statusText, headers, body: response.body }),
    decisions: [{ layer, outcome: 'error', reason: 'exception', forwarded: true, stored: false }],
    originContacted: true,
    tags: [],
  };
}

function unrepresentable(response: Response): boolean {
  return response.type !== 'opaque' && response.type !== 'opaqueredirect' && (response.status < 200 || response.status > 599);
}

function networkOptions(deps: FetchDeps) {
  return { fetch: deps.fetch, clockOffsetMs: deps.clockOffsetMs(), origin: deps.origin };
}

function decisionRecord(request: Request, exchange: Exchange, at: number, error: string | undefined, originHeaders: Record<string, string> | undefined): DecisionRecord {
  const response = exchange.response;
  return {
    url: request.url,
    method: request.method,
    at,
    status: response.status,
    layers: [...exchange.decisions].reverse(),
    originContacted: exchange.originContacted,
    cacheStatus: response.headers.get('cache-status') ?? '',
    xVercelCache: response.headers.get('x-vercel-cache') ?? undefined,
    error,
    originHeaders,
  };
}
