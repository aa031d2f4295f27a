/**
 * tiercache's pure HTTP caching policy engine: the only door into sw/policy.
 * No I/O, no DOM, no clock: every function takes plain data and `now` in ms. See README.md.
 */

// Data shapes
export type {
  HeaderMap, LayerKind, LayerName, PolicyHeaderName, PolicyWarning, ProfileName, RequestCacheMode, RequestInfo,
  ResponseInfo, WarningCode,
} from './types.ts';
export {
  getHeader, hasHeader, mergeRouteHeaders, normalizeHeaders, RESERVED_RESPONSE_HEADERS, withoutHeaders, type HeaderInput,
} from './headers.ts';
export { PolicyError, type PolicyErrorCode } from './layer-policy.ts';

// Parsing
export {
  EMPTY_DIRECTIVES, MAX_DELTA_SECONDS, ONE_YEAR_SECONDS, type DirectiveMember, type Directives, type ParsedDirectives,
  type ParseIssue, type ParseIssueCode,
} from './directives.ts';
export { formatDirectives, normalizeCacheControl, parseCacheControl } from './cache-control.ts';
export { parseTargetedField } from './targeted-field.ts';
export { MAX_VARY_FIELDS, normalizeVaryValue, parseVary, varyMatches, varyValues, type VaryList } from './vary.ts';
export { formatHttpDate, parseHttpDate } from './http-date.ts';
export { correctedInitialAge, currentAge, formatAge, parseAge, type AgeInput } from './age.ts';
export {
  parseEntityTag, parseEntityTagList, readValidators, strongMatch, weakMatch, type EntityTag, type Validators,
} from './validators.ts';
export {
  applyPurge, parseCacheTags, MAX_TAG_LENGTH, MAX_TAGS_PER_RESPONSE, type CacheTags, type TagPurge,
} from './cache-tags.ts';

// Layers and profiles
export {
  createLayerPolicy, DEFAULT_FLAGS, isLayerName, isProfileName, LAYERS, type LayerModel, type LayerPolicy,
  type LayerPolicyOptions, type PolicyFlags, type RuleSet,
} from './layer-policy.ts';
export { selectHeader, type HeaderSelection, type IgnoredHeader } from './select-header.ts';

// Decisions
export { computeFreshness, HEURISTICALLY_CACHEABLE, type Freshness, type FreshnessInput, type LifetimeSource } from './freshness.ts';
export { storable, maxStoredBodyBytes, NOT_STORABLE_RULE, type NotStorableReason, type StorableDecision, type StorableInput } from './storable.ts';
export { createStoredEntry, isSecureUrl, type CreateEntryInput, type StoredEntry } from './stored-entry.ts';
export { fetchModeHeaders, layerCacheMode } from './cache-mode.ts';
export {
  invalidationTargets, planRequest, requestDirectives, upstreamRequestHeaders, type BypassReason, type RequestDirectives,
  type RequestPlan,
} from './request-plan.ts';
export {
  evaluate, type EvaluateInput, type Evaluation, type FreshReason, type MissReason, type Revalidation,
  type RevalidateReason, type StaleReason,
} from './evaluate.ts';
export {
  mergeNotModified, revalidationOutcome, type RevalidationInput, type RevalidationOutcome, type UpstreamResult,
} from './revalidation.ts';
export { freshenedRecord } from './freshen-marks.ts';
export { conditionalHeaders, conditionalMatches, notModifiedHeaders } from './conditional.ts';
export { cacheKey, isStaticRequest, variantKey } from './cache-key.ts';
export {
  compileRouteRules, routeHeadersFor,
  type CompiledRouteRules, type RouteCondition, type RouteHeaderRule, type RouteRequest, type SkippedRouteRule,
} from './route-headers.ts';
export { formatUrl, originOf, parseUrl, resolveUrl, type ParsedUrl } from './url.ts';

// Downstream rewriting
export { DEFAULT_BROWSER_CACHE_CONTROL, rewriteForDownstream, type RewriteInput, type RewriteResult } from './rewrite.ts';

// Reporting
export {
  CACHE_SERVED_STATUSES, xVercelCache, type XVercelCache, type XVercelCacheReason, type XVercelCacheStatus,
} from './x-vercel-cache.ts';
export {
  appendCacheStatus, cacheStatusMember, cacheStatusParams, formatCacheStatusMember, type CacheStatusForward,
  type CacheStatusParams,
} from './cache-status.ts';
export { reportLayer, type BypassTrigger, type LayerFacts, type LayerReport } from './report.ts';
export { explain, type ExplainRequestInfo, type Explanation, type LayerExplanation } from './explain.ts';
