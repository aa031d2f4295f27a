import { invalidationTargets, type LayerPolicy, type RequestInfo } from '../policy/index.ts';
import type { HttpStore } from '../store/index.ts';
import type { Exchange, Forward, LayerDeps, Outgoing } from './exchange.ts';
import { responseInfo } from './facts.ts';
import type { StoredRecord } from './stored-record.ts';

export interface WriteThroughInput {
  policy: LayerPolicy;
  store: HttpStore<StoredRecord>;
  outgoing: Outgoing;
  forward: Forward;
  deps: LayerDeps;
  request: RequestInfo;
}

/**
 * R153–R155: an unsafe request is always written through to the origin; a 2xx/3xx answer invalidates
 * (removes) this layer's stored responses for the target URI and same-origin Location /
 * Content-Location, every method and variant. Invalidation happens before the answer is handed down,
 * so the page's next GET already misses. A storage failure here is reported, never fatal. The caller
 * adds the layer's own decision and headers.
 */
export async function writeThrough(input: WriteThroughInput): Promise<Exchange> {
  const upstream = await input.forward(input.outgoing);
  const targets = invalidationTargets(input.request, responseInfo(upstream.response));
  if (targets.length > 0) {
    try {
      const doomed = (await input.store.list(input.policy.layer.name)).filter((meta) => targets.includes(meta.url));
      await Promise.all(doomed.map((meta) => input.store.delete(meta.id)));
    } catch (error) {
      input.deps.onError(error);
    }
  }
  return upstream;
}
