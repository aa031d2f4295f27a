import type { LayerFacts } from './report.ts';

/** RFC 9211 §2.2 `fwd` values. */
export type CacheStatusForward = 'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale' | 'partial';

/** The parameters of one RFC 9211 Cache-Status member, before serialisation. */
export interface CacheStatusParams {
  readonly hit: boolean;
  readonly fwd: CacheStatusForward | null;
  readonly fwdStatus: number | null;
  readonly ttl: number | null;
  readonly stored: boolean;
  readonly collapsed: boolean;
  readonly detail: string | null;
}

/** Works out the RFC 9211 parameters for one layer from what happened there. */
export function cacheStatusParams(facts: LayerFacts): CacheStatusParams {
  const ev = facts.evaluation;
  const stored = facts.stored ?? facts.storage?.storable ?? false;
  const base = {
    hit: false, fwd: null, ttl: facts.ttl ?? null, stored, collapsed: facts.collapsed ?? false,
    fwdStatus: facts.upstreamStatus ?? null,
    detail: facts.storage && !facts.storage.storable ? facts.storage.reason : null,
  };
  if (facts.storageError) return { ...base, fwd: 'miss', detail: 'storage-error' };
  const plan = facts.plan;
  if (plan.action === 'write-through') return { ...base, fwd: 'method' };
  if (plan.action === 'bypass') {
    const fwd: CacheStatusForward = plan.reason === 'method' ? 'method' : plan.reason === 'request-no-store' || plan.reason === 'reload' ? 'request' : 'bypass';
    return { ...base, fwd, detail: base.detail ?? plan.reason };
  }
  if (facts.bypass) return { ...base, fwd: 'bypass', detail: facts.bypass };
  if (!ev) return { ...base, fwd: 'uri-miss' };
  switch (ev.action) {
    case 'fresh':
      return { ...base, hit: true, ttl: Math.round(ev.ttl), stored: false, detail: ev.reason === 'fresh' ? null : ev.reason };
    case 'stale-while-revalidate':
      return { ...base, hit: true, ttl: Math.round(ev.ttl), stored: false, detail: ev.reason };
    case 'unavailable':
      return { ...base, detail: 'only-if-cached' };
    case 'miss': {
      const fwd: CacheStatusForward =
        ev.reason === 'vary-mismatch' ? 'vary-miss' : ev.reason === 'request-bypass' ? 'request' : ev.reason === 'tag-deleted' ? 'stale' : 'uri-miss';
      return { ...base, fwd, detail: ev.reason === 'tag-deleted' ? 'tag-deleted' : base.detail };
    }
    default: {
      const requestDriven = ev.reason === 'request-no-cache' || ev.reason === 'request-max-age' || ev.reason === 'min-fresh' || ev.reason === 'pragma-no-cache';
      const outcome = facts.revalidation;
      const detail = outcome?.action === 'serve-stale' || outcome?.action === 'gateway-timeout' ? outcome.reason : base.detail;
      return { ...base, fwd: requestDriven ? 'request' : 'stale', stored: outcome?.action === 'update' ? outcome.keep : stored, detail };
    }
  }
}

/** Serialises one member, e.g. `edge; fwd=uri-miss; fwd-status=200; stored; ttl=60` (RFC 9211 §2). */
export function formatCacheStatusMember(name: string, p: CacheStatusParams): string {
  const parts = [name];
  if (p.hit) parts.push('hit');
  if (p.fwd) parts.push(`fwd=${p.fwd}`);
  if (p.fwdStatus !== null) parts.push(`fwd-status=${p.fwdStatus}`);
  if (p.ttl !== null && Number.isFinite(p.ttl)) parts.push(`ttl=${Math.round(p.ttl)}`);
  if (p.stored) parts.push('stored');
  if (p.collapsed) parts.push('collapsed');
  if (p.detail) parts.push(`detail=${/^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*$/.test(p.detail) ? p.detail : JSON.stringify(p.detail)}`);
  return parts.join('; ');
}

/** The layer's Cache-Status member. */
export function cacheStatusMember(facts: LayerFacts): string {
  return formatCacheStatusMember(facts.layer, cacheStatusParams(facts));
}

/**
 * Appends a member to an existing Cache-Status value. Members run from the origin side to the page
 * side (RFC 9211 §2: each cache appends its own), e.g. `edge; hit, browser; fwd=uri-miss`.
 */
export function appendCacheStatus(existing: string | undefined, member: string): string {
  return existing && existing.trim().length > 0 ? `${existing}, ${member}` : member;
}
