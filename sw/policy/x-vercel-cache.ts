import type { LayerFacts } from './report.ts';

/** R62: the six documented values (S7/S8, A18). */
export type XVercelCacheStatus = 'HIT' | 'MISS' | 'BYPASS' | 'STALE' | 'PRERENDER' | 'REVALIDATED';

/**
 * R62 machine ids: the nine documented ones plus `vary_key_denied:cookie` (S9), and three clearly
 * demo-only ids for cases Vercel labels but gives no id: `expired` (R60), `tag_deleted` (R62
 * "Tag-based deletion"), `forced` (R56 Pragma: no-cache). Reasons live in logs, not headers (R63).
 */
export type XVercelCacheReason =
  | 'cold' | 'collapsed' | 'error' | 'vary_key_denied:cookie'
  | 'draft_mode' | 'prerender_bypass' | 'crawler'
  | 'stale_time' | 'stale_tag' | 'stale_error'
  | 'expired' | 'tag_deleted' | 'forced';

export interface XVercelCache {
  readonly status: XVercelCacheStatus;
  /** Null when the case is unremarkable (R64). */
  readonly reason: XVercelCacheReason | null;
}

/** R69: statuses counted as served from cache; MISS/REVALIDATED count as origin; BYPASS is excluded. */
export const CACHE_SERVED_STATUSES: readonly XVercelCacheStatus[] = ['HIT', 'STALE', 'PRERENDER'];

/**
 * Maps what happened at the edge to `x-vercel-cache` (R62–R67). Returns null when no header is sent
 * (non-GET/HEAD requests, R66).
 */
export function xVercelCache(facts: LayerFacts): XVercelCache | null {
  const { plan, evaluation: ev } = facts;
  if (plan.action === 'write-through' || (plan.action === 'bypass' && plan.reason === 'method')) return null;
  // R62 "Error (cache storage read failed)": whatever the lookup said before the read failed, the
  // response came from upstream (e.g. evaluate said fresh, then reading the stored body threw).
  if (facts.storageError) return { status: 'MISS', reason: 'error' };
  if (facts.bypass) return { status: 'BYPASS', reason: facts.bypass }; // R65
  if (facts.revalidation?.action === 'serve-stale') return { status: 'STALE', reason: 'stale_error' }; // R58
  if (ev?.action === 'fresh') return { status: facts.prerender ? 'PRERENDER' : 'HIT', reason: null };
  if (ev?.action === 'stale-while-revalidate') {
    return { status: 'STALE', reason: ev.reason === 'stale-time' ? 'stale_time' : 'stale_tag' }; // R12, R78, R79
  }
  if (ev?.action === 'miss' && ev.reason === 'tag-deleted') return { status: 'REVALIDATED', reason: 'tag_deleted' }; // R79
  if (ev?.action === 'revalidate' && (ev.reason === 'pragma-no-cache' || ev.reason === 'tag-invalidated')) {
    return { status: 'REVALIDATED', reason: 'forced' }; // R56
  }
  return { status: 'MISS', reason: missReason(facts) };
}

/** R62/R64/R66: a reason only when the miss is noteworthy. */
function missReason(facts: LayerFacts): XVercelCacheReason | null {
  if (facts.collapsed) return 'collapsed'; // R59
  if (facts.storage && !facts.storage.storable) {
    return facts.storage.reason === 'vary-cookie' ? 'vary_key_denied:cookie' : null; // R44, R66
  }
  const ev = facts.evaluation;
  if (ev?.action === 'revalidate') return 'expired'; // R60 (demo-only id)
  if (ev?.action === 'miss' || (facts.plan.action === 'lookup' && !ev)) return facts.storage?.storable ? 'cold' : null;
  return null;
}
