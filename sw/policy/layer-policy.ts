import type { LayerKind, LayerName, PolicyHeaderName, ProfileName } from './types.ts';

/** The spec's configuration flags (semantics.md §15), all defaulting to the DECIDED behaviour. */
export interface PolicyFlags {
  /** A1/R3: parse targeted fields with the lenient Cache-Control parser instead of strict RFC 8941. */
  readonly lenientTargetedParsing: boolean;
  /** A2/R9: in the Cache-Control-only path the edge also honours `max-age` (RFC 9111 shared cache). */
  readonly edgeHonorsMaxAgeInCacheControl: boolean;
  /** A6/R29: when the edge strips `s-maxage` / `stale-while-revalidate` from Cache-Control. */
  readonly stripWhen: 'cc-consumed' | 'no-cdn-cache-control' | 'always';
  /** A12/R42: also veto edge storage on `private`/`no-cache`/`no-store` in Cache-Control. */
  readonly criteriaReadCacheControlAlways: boolean;
  /** A8/R33: drop `Age` from responses the edge forwards (RFC 9213 §2.3 age-penalty mitigation). */
  readonly ageMitigation: boolean;
  /** A9/R34: forward `Vercel-Cache-Tag` downstream. */
  readonly forwardCacheTagHeader: boolean;
  /** R40/A11: largest storable non-streamed body (10 MiB). */
  readonly maxBodyBytes: number;
  /** R40/A11: largest storable streamed body (20 MiB). */
  readonly maxStreamedBodyBytes: number;
  /** R48: URL path prefixes of static files (query ignored in the edge key, always cached at the edge). */
  readonly staticPathPrefixes: readonly string[];
  /** R48: the exact URL paths of the deployment's static files (the build's output list). */
  readonly staticPaths: ReadonlySet<string>;
}

export const DEFAULT_FLAGS: PolicyFlags = Object.freeze({
  lenientTargetedParsing: false,
  edgeHonorsMaxAgeInCacheControl: false,
  stripWhen: 'cc-consumed',
  criteriaReadCacheControlAlways: false,
  ageMitigation: false,
  forwardCacheTagHeader: false,
  maxBodyBytes: 10 * 2 ** 20,
  maxStreamedBodyBytes: 20 * 2 ** 20,
  staticPathPrefixes: Object.freeze([]),
  staticPaths: new Set<string>(),
});

/** A layer: a name, a kind, and the ordered header list it obeys (first usable wins, R1). */
export interface LayerModel {
  readonly name: LayerName;
  readonly kind: LayerKind;
  readonly targets: readonly PolicyHeaderName[];
}

export const LAYERS: Readonly<Record<LayerName, LayerModel>> = Object.freeze({
  browser: { name: 'browser', kind: 'private', targets: ['cache-control'] },
  cdn: { name: 'cdn', kind: 'shared', targets: ['cdn-cache-control', 'cache-control'] },
  edge: { name: 'edge', kind: 'shared', targets: ['vercel-cdn-cache-control', 'cdn-cache-control', 'cache-control'] },
});

/**
 * Which rule set a layer applies:
 * - `vercel-edge`: Vercel's CDN (R1–R47) — the edge layer in the `vercel` profile;
 * - `shared`: a plain RFC 9111 / RFC 5861 shared cache — the cdn layer always, the edge in `rfc9111`;
 * - `private`: an RFC 9111 private cache — the browser layer (§11).
 */
export type RuleSet = 'vercel-edge' | 'shared' | 'private';

/** Everything a decision needs to know about the layer that makes it. Plain data. */
export interface LayerPolicy {
  readonly layer: LayerModel;
  readonly profile: ProfileName;
  readonly rules: RuleSet;
  readonly flags: PolicyFlags;
}

export interface LayerPolicyOptions {
  readonly layer: LayerName;
  /** Default `vercel`. */
  readonly profile?: ProfileName | undefined;
  readonly flags?: Partial<PolicyFlags> | undefined;
}

export function isLayerName(value: unknown): value is LayerName {
  return value === 'browser' || value === 'cdn' || value === 'edge';
}

export function isProfileName(value: unknown): value is ProfileName {
  return value === 'vercel' || value === 'rfc9111';
}

/** Builds the policy of one layer. Throws PolicyError('invalid-options') on a programmer mistake. */
export function createLayerPolicy(options: LayerPolicyOptions): LayerPolicy {
  if (!isLayerName(options.layer)) throw new PolicyError('invalid-options', `unknown layer ${String(options.layer)}`);
  const profile = options.profile ?? 'vercel';
  if (!isProfileName(profile)) throw new PolicyError('invalid-options', `unknown profile ${String(profile)}`);
  const flags = resolveFlags(options.flags);
  const layer = LAYERS[options.layer];
  const rules: RuleSet =
    layer.kind === 'private' ? 'private' : layer.name === 'edge' && profile === 'vercel' ? 'vercel-edge' : 'shared';
  return { layer, profile, rules, flags };
}

function resolveFlags(partial: Partial<PolicyFlags> | undefined): PolicyFlags {
  const flags: PolicyFlags = { ...DEFAULT_FLAGS, ...(partial ?? {}) };
  for (const key of ['lenientTargetedParsing', 'edgeHonorsMaxAgeInCacheControl', 'criteriaReadCacheControlAlways',
    'ageMitigation', 'forwardCacheTagHeader'] as const) {
    if (typeof flags[key] !== 'boolean') throw new PolicyError('invalid-options', `flag ${key} must be a boolean`);
  }
  if (!['cc-consumed', 'no-cdn-cache-control', 'always'].includes(flags.stripWhen)) {
    throw new PolicyError('invalid-options', `stripWhen must be cc-consumed, no-cdn-cache-control or always`);
  }
  for (const key of ['maxBodyBytes', 'maxStreamedBodyBytes'] as const) {
    if (!Number.isFinite(flags[key]) || flags[key] < 0) throw new PolicyError('invalid-options', `${key} must be ≥ 0`);
  }
  if (!Array.isArray(flags.staticPathPrefixes) || flags.staticPathPrefixes.some((p) => typeof p !== 'string')) {
    throw new PolicyError('invalid-options', 'staticPathPrefixes must be an array of strings');
  }
  if (!(flags.staticPaths instanceof Set)) throw new PolicyError('invalid-options', 'staticPaths must be a Set of paths');
  return flags;
}

/**
 * Programmer mistakes in calls to the policy engine (bad options). sw/policy imports nothing outside
 * itself, so it cannot use sdk/errors.ts; the codes are a subset of TierCacheErrorCode so callers can
 * match both the same way. Header input never throws: bad headers are facts the engine reports.
 */
export type PolicyErrorCode = 'invalid-options' | 'invalid-argument';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly code: PolicyErrorCode;

  constructor(code: PolicyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
