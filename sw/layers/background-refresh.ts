import type { BackgroundRefresh, DecisionRecord, LayerDecision } from '../../sdk/protocol.ts';
import { revalidationOutcome, type UpstreamResult } from '../policy/index.ts';
import type { EntryMeta } from '../store/index.ts';
import type { CacheLayer, LayerCall } from './cache-layer.ts';
import type { Exchange } from './exchange.ts';
import { forwardWithDeadline } from './deadline.ts';
import { responseInfo } from './facts.ts';
import { discard } from './http-message.ts';
import { layerResult } from './layer-report.ts';
import type { StoredRecord } from './stored-record.ts';

export interface RefreshOptions {
  validators: Readonly<Record<string, string>>;
  /**
   * The entry was purged by tag (R78, R79): the content changed at the origin, so the refresh asks
   * the layers above to revalidate too (`Pragma: no-cache` makes the edge revalidate in the
   * foreground, R56; `Cache-Control: no-cache` does the same in RFC 9111 layers, §5.2.1.4). Without
   * it a purged browser entry would be refreshed from the edge's equally purged, stale copy.
   */
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
interface RefreshResult {
  upstream: Exchange | undefined;
  outcome: BackgroundRefresh['outcome'];
  /** Origin side first, the refreshing layer last. */
  decisions: LayerDecision[];
}

/**
 * The refresh behind a stale answer (R12, R78, R143): at most one per variant (R59), kept alive by
 * event.waitUntil (user-needs A11), never failing anything: an error keeps the last good copy (R58).
 * Once its write has landed it publishes a decision record with `background` set, so onDecision and
 * the demo's timeline show the origin contact no page request waited for.
 */
export function refreshInBackground(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): void {
  if (layer.refreshing.has(meta.id)) return;
  layer.refreshing.add(meta.id);
  const at = call.deps.now();
  const publish = (result: RefreshResult, error?: unknown) =>
    call.deps.onDecision?.(refreshRecord({ layer, call, at, trigger: options.trigger, result, error }));
  // The claim is released only once the refreshed entry is written, so no request can see the old
  // entry after the refresh and start another one.
  const task = refresh(layer, call, meta, options)
    .then(async (result) => {
      await layer.settled(call.key);
      publish(result);
    })
    .catch((error: unknown) => {
      call.deps.onError(error);
      publish({ upstream: undefined, outcome: 'failed', decisions: [] }, error);
    })
    .finally(() => layer.refreshing.delete(meta.id));
  call.deps.waitUntil(task);
}

async function refresh(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): Promise<RefreshResult> {
  const headers = new Headers(call.outgoing.headers);
  for (const [name, value] of Object.entries(options.validators)) headers.set(name, value);
  if (options.endToEnd) {
    headers.set('pragma', 'no-cache');
    headers.set('cache-control', 'no-cache');
  }
  const requestTime = call.deps.now();
  let upstream: Exchange | undefined;
  try {
    upstream = await forwardWithDeadline(call.forward, { ...call.outgoing, headers }, { timeoutMs: call.deps.upstreamTimeoutMs, withPage: false });
  } catch {
    upstream = undefined; // R58: an unreachable origin keeps the stale copy
  }
  const responseTime = call.deps.now();
  const usable = upstream && upstream.response.type !== 'error' ? upstream : undefined;
  const result: UpstreamResult = usable ? { response: responseInfo(usable.response) } : { networkError: true };
  const outcome = revalidationOutcome(layer.policy, {
    entry: meta.record, request: call.info, upstream: result, requestTime, responseTime, background: true,
  });
  const call2: LayerCall = { ...call, evaluation: undefined };
  // This layer's own decision when it does not hand a response down (passDown records it otherwise).
  const own = () => [...(usable?.decisions ?? []), layerResult(layer.facts(call2, { revalidation: outcome, upstreamStatus: usable?.response.status ?? null }), true).decision];
  await options.after?.catch(() => undefined); // a failed read is the stale answer's to report
  switch (outcome.action) {
    case 'update': {
      if (usable) discard(usable.response);
      const record = { ...outcome.entry, tags: meta.tags };
      await (outcome.keep ? layer.store.updateMeta(meta.id, (m) => ({ ...m, record })) : layer.store.delete(meta.id));
      return { upstream: usable, outcome: outcome.keep ? 'updated' : 'deleted', decisions: own() };
    }
    case 'replace': {
      const replaced = await layer.storeAndPassDown(call2, usable as Exchange, { revalidation: outcome }, requestTime);
      discard(replaced.response); // the store's branch of the body reads on (store-answer.ts)
      const shared = replaced.shared?.kind === 'stored' ? replaced.shared : undefined;
      const stored = shared ? await shared.written : false;
      if (shared && stored && shared.meta.id !== meta.id) await layer.store.delete(meta.id);
      return { upstream: usable, outcome: stored ? 'stored' : 'not-stored', decisions: replaced.decisions };
    }
    case 'delete':
      if (usable) discard(usable.response);
      await layer.store.delete(meta.id); // R47
      return { upstream: usable, outcome: 'deleted', decisions: own() };
    default:
      if (usable) discard(usable.response); // R58: keep serving the last good copy
      return { upstream: usable, outcome: 'failed', decisions: own() };
  }
}

interface RecordInput {
  layer: CacheLayer;
  call: LayerCall;
  at: number;
  trigger: string;
  result: RefreshResult;
  error?: unknown;
}

/** The refresh as a decision record, shaped like a page request's (handle-fetch.ts) plus `background`. */
function refreshRecord({ layer, call, at, trigger, result, error }: RecordInput): DecisionRecord {
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
    background: { layer: layer.name, trigger, outcome: result.outcome },
  };
}
