import { revalidationOutcome, type UpstreamResult } from '../policy/index.ts';
import type { EntryMeta } from '../store/index.ts';
import type { CacheLayer, LayerCall } from './cache-layer.ts';
import type { Exchange } from './exchange.ts';
import { forwardWithDeadline } from './deadline.ts';
import { responseInfo } from './facts.ts';
import { discard } from './http-message.ts';
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
}

/**
 * The refresh behind a stale answer (R12, R78, R143): at most one per variant (R59), kept alive by
 * event.waitUntil (user-needs A11), never failing anything: an error keeps the last good copy (R58).
 */
export function refreshInBackground(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): void {
  if (layer.refreshing.has(meta.id)) return;
  layer.refreshing.add(meta.id);
  // The claim is released only once the refreshed entry is written, so no request can see the old
  // entry after the refresh and start another one.
  const task = refresh(layer, call, meta, options)
    .catch((error: unknown) => call.deps.onError(error))
    .then(() => layer.settled(call.key))
    .finally(() => layer.refreshing.delete(meta.id));
  call.deps.waitUntil(task);
}

async function refresh(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): Promise<void> {
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
  switch (outcome.action) {
    case 'update': {
      if (usable) discard(usable.response);
      const record = { ...outcome.entry, tags: meta.tags };
      await (outcome.keep ? layer.store.updateMeta(meta.id, (m) => ({ ...m, record })) : layer.store.delete(meta.id));
      return;
    }
    case 'refetch': {
      if (usable) discard(usable.response);
      const fetched = await layer.fetchAndStore(call2, {});
      return discard(fetched.response);
    }
    case 'replace': {
      const replaced = await layer.storeAndPassDown(call2, usable as Exchange, { revalidation: outcome }, requestTime);
      discard(replaced.response);
      if (replaced.shared?.kind === 'stored' && replaced.shared.meta.id !== meta.id) await layer.store.delete(meta.id);
      return;
    }
    case 'delete':
      if (usable) discard(usable.response);
      return layer.store.delete(meta.id); // R47
    default:
      if (usable) discard(usable.response); // R58: keep serving the last good copy
  }
}
