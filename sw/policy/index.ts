/**
 * tiercache's pure HTTP caching policy engine: the only door into sw/policy.
 * No I/O, no DOM, no clock: every function takes plain data and `now` in ms. See README.md.
 */

// Data shapes
export type {
  HeaderMap, LayerKind, LayerName, PolicyHeaderName, PolicyWarning, ProfileName, RequestCacheMode, RequestInfo,
  ResponseInfo, WarningCode,
} from './types.ts';
export { getHeader, hasHeader, normalizeHeaders, withoutHeaders, type HeaderInput } from './headers.ts';
export { PolicyError, type PolicyErrorCode } from './policy-error.ts';

// Parsing
export {
  EMPTY_DIRECTIVES, MAX_DELTA_SECONDS, ONE_YEAR_SECONDS, type DirectiveMember, type Directives, type ParsedDirectives,
  type ParseIssue, type ParseIssueCode,
} from './directives.ts';
export { formatDirectives, normalizeCacheControl, parseCacheControl } from './cache-control.ts';
export { parseTargetedField } from './targeted-field.ts';
export { normalizeVaryValue, parseVary, varyMatches, varyValues, type VaryList } from './vary.ts';
export { formatHttpDate, parseHttpDate } from './http-date.ts';
export { correctedInitialAge, currentAge, formatAge, parseAge, type AgeInput } from './age.ts';
export {
  parseEntityTag, parseEntityTagList, readValidators, strongMatch, weakMatch, type EntityTag, type Validators,
} from './validators.ts';
export { parseCacheTags, MAX_TAG_LENGTH, MAX_TAGS_PER_RESPONSE, type CacheTags } from './cache-tags.ts';
export { mergeRouteHeaders, RESERVED_RESPONSE_HEADERS } from './route-headers.ts';

// Layers and profiles
export {
  createLayerPolicy, DEFAULT_FLAGS, isLayerName, isProfileName, LAYERS, type LayerModel, type LayerPolicy,
  type LayerPolicyOptions, type PolicyFlags, type RuleSet,
} from './layer-policy.ts';
export { selectHeader, type HeaderSelection, type IgnoredHeader } from './select-header.ts';

// Decisions
export { computeFreshness, HEURISTICALLY_CACHEABLE, type Freshness, type FreshnessInput, type LifetimeSource } from './freshness.ts';
export { storable, NOT_STORABLE_RULE, type NotStorableReason, type StorableDecision, type StorableInput } from './storable.ts';
export { applyPurge, createStoredEntry, isSecureUrl, type CreateEntryInput, type StoredEntry, type TagPurge } from './stored-entry.ts';
export {
  planRequest, requestDirectives, upstreamRequestHeaders, type BypassReason, type RequestDirectives, type RequestPlan,
} from './request-plan.ts';
export {
  evaluate, type EvaluateInput, type Evaluation, type FreshReason, type MissReason, type Revalidation,
  type RevalidateReason, type StaleReason,
} from './evaluate.ts';
export { conditionalHeaders } from './conditional-headers.ts';
export {
  mergeNotModified, revalidationOutcome, type RevalidationInput, type RevalidationOutcome, type UpstreamResult,
} from './revalidation.ts';
export { conditionalMatches, notModifiedHeaders } from './client-conditional.ts';
export { invalidationTargets } from './invalidation.ts';
export { cacheKey, variantKey } from './cache-key.ts';
export { isStaticRequest } from './static-files.ts';
export { formatUrl, originOf, parseUrl, resolveUrl, type ParsedUrl } from './url.ts';

// Downstream rewriting
export { DEFAULT_BROWSER_CACHE_CONTROL, rewriteForDownstream, type RewriteInput, type RewriteResult } from './rewrite.ts';

// Reporting
export type { BypassTrigger, LayerFacts } from './layer-facts.ts';
export {
  CACHE_SERVED_STATUSES, xVercelCache, type XVercelCache, type XVercelCacheReason, type XVercelCacheStatus,
} from './x-vercel-cache.ts';
export {
  appendCacheStatus, cacheStatusMember, cacheStatusParams, formatCacheStatusMember, type CacheStatusForward,
  type CacheStatusParams,
} from './cache-status.ts';
export { reportLayer, type LayerReport } from './report.ts';
export { explain, type ExplainRequestInfo, type Explanation, type LayerExplanation } from './explain.ts';
