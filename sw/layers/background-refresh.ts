import type { BackgroundRefresh, DecisionRecord, LayerDecision } from '../../sdk/protocol.ts';
import type { LayerName } from '../policy/index.ts';
import type { Exchange } from './exchange.ts';
import type { LayerCall } from './layer-call.ts';

export interface RefreshOptions {
  validators: Readonly<Record<string, string>>;
  /** The entry was purged by tag (R78, R79): the layers above revalidate too (revalidate.ts askUpstream). */
  endToEnd: boolean;
  /** Why the copy was stale (the policy's StaleReason), reported in the refresh's decision record. */
  trigger: string;
  /**
   * The stale answer's body read. The refresh changes the entry only once it has settled: a refresh
   * that deletes (R47) or replaces the entry must never turn the stale answer into a miss or hand it
   * the new body (R12, R78: the request that triggered the refresh gets the stale copy).
   */
  after?: Promise<unknown>;
}

/** What one refresh did: the answer it got (undefined: unreachable), its outcome, each layer's decision. */
export interface RefreshResult {
  upstream: Exchange | undefined;
  outcome: BackgroundRefresh['outcome'];
  /** Origin side first, the refreshing layer last. */
  decisions: LayerDecision[];
}

interface RecordInput {
  layer: LayerName;
  call: LayerCall;
  at: number;
  trigger: string;
  result: RefreshResult;
  error?: unknown;
}

/**
 * A background refresh (R12, R78, R143) as a decision record, shaped like a page request's
 * (handle-fetch.ts) plus `background`, so onDecision and the demo's timeline show the origin contact
 * no page request waited for.
 */
export function refreshRecord({ layer, call, at, trigger, result, error }: RecordInput): DecisionRecord {
  const response = result.upstream?.response;
  return {
    url: call.info.url,
    method: call.info.method,
    at,
    status: response?.status ?? 0,
    layers: [...result.decisions].reverse(),
    originContacted: result.upstream?.originContacted ?? false,
    cacheStatus: response?.headers.get('cache-status') ?? '',
    xVercelCache: response?.headers.get('x-vercel-cache') ?? undefined,
    error: error === undefined ? undefined : error instanceof Error ? `${error.name}: ${error.message}` : 'refresh failed',
    background: { layer, trigger, outcome: result.outcome },
  };
}
