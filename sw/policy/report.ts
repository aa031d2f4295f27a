import { cacheStatusMember } from './cache-status.ts';
import type { Evaluation } from './evaluate.ts';
import type { RequestPlan } from './request-plan.ts';
import type { RevalidationOutcome } from './revalidation.ts';
import type { StorableDecision } from './storable.ts';
import type { LayerName } from './types.ts';
import { xVercelCache, type XVercelCache } from './x-vercel-cache.ts';

/** R65: the only triggers of BYPASS (optional, demo). */
export type BypassTrigger = 'draft_mode' | 'prerender_bypass' | 'crawler';

/**
 * What happened in one layer for one request, as the worker observed it. reportLayer() turns this into
 * the layer's Cache-Status member and x-vercel-cache value, so the mapping lives in one place.
 */
export interface LayerFacts {
  readonly layer: LayerName;
  /** planRequest() for the request. */
  readonly plan: RequestPlan;
  /** evaluate() when the plan was `lookup` and the store answered. */
  readonly evaluation?: Evaluation | undefined;
  /** Reading the store failed; the layer went upstream as on a miss (R62 MISS/error). */
  readonly storageError?: boolean | undefined;
  /** The request waited for another in-flight fetch of the same key (R59). */
  readonly collapsed?: boolean | undefined;
  /** Status of the synchronous upstream answer; null for a network failure; absent when not forwarded. */
  readonly upstreamStatus?: number | null | undefined;
  /** revalidationOutcome() of a synchronous revalidation. */
  readonly revalidation?: RevalidationOutcome | undefined;
  /** storable() for the upstream response, when one was received. */
  readonly storage?: StorableDecision | undefined;
  /** Whether the response was actually stored (defaults to storage.storable; false when a write failed). */
  readonly stored?: boolean | undefined;
  /** Remaining freshness (s) of what was served or stored, for Cache-Status `ttl`. */
  readonly ttl?: number | undefined;
  /** R65 BYPASS trigger (demo). */
  readonly bypass?: BypassTrigger | undefined;
  /** Served from static / prerendered storage (R62 PRERENDER). */
  readonly prerender?: boolean | undefined;
}
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
