import { cacheStatusMember } from './cache-status.ts';
import type { LayerFacts } from './layer-facts.ts';
import { xVercelCache, type XVercelCache } from './x-vercel-cache.ts';

/** The reporting view of one layer's handling of one request. */
export interface LayerReport {
  readonly layer: LayerFacts['layer'];
  /** RFC 9211 member for this layer, to append to Cache-Status. */
  readonly cacheStatus: string;
  /** `x-vercel-cache` value (meaningful for the edge layer; null for non-GET/HEAD, R66). */
  readonly xVercelCache: XVercelCache | null;
  /** One machine-readable reason summarising the layer's decision (for events and the demo). */
  readonly reason: string;
}

/** Turns what happened at a layer into its Cache-Status member, x-vercel-cache value and reason. */
export function reportLayer(facts: LayerFacts): LayerReport {
  return {
    layer: facts.layer,
    cacheStatus: cacheStatusMember(facts),
    xVercelCache: xVercelCache(facts),
    reason: summaryReason(facts),
  };
}

function summaryReason(facts: LayerFacts): string {
  if (facts.storageError) return 'storage-error';
  if (facts.revalidation) return facts.revalidation.reason;
  if (facts.plan.action !== 'lookup') return facts.plan.reason;
  if (facts.evaluation) return facts.evaluation.reason;
  if (facts.storage) return facts.storage.storable ? 'stored' : facts.storage.reason;
  return 'no-entry';
}
