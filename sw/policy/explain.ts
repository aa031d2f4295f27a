import type { DirectiveMember, Directives } from './directives.ts';
import type { LifetimeSource } from './freshness.ts';
import { hasHeader, mergeRouteHeaders, normalizeHeaders, type HeaderInput } from './headers.ts';
import { createLayerPolicy, type PolicyFlags, type RuleSet } from './layer-policy.ts';
import { rewriteForDownstream } from './rewrite.ts';
import type { IgnoredHeader } from './select-header.ts';
import { storable, type NotStorableReason } from './storable.ts';
import type { LayerKind, LayerName, PolicyHeaderName, PolicyWarning, ProfileName } from './types.ts';
import { layerWarnings, responseWarnings } from './warnings.ts';

/** What the header playground knows about the request and the setup. All optional. */
export interface ExplainRequestInfo {
  readonly method?: string | undefined;
  /** Default `https://example.com/`. */
  readonly url?: string | undefined;
  readonly requestHeaders?: HeaderInput | undefined;
  /** Response status; default 200. */
  readonly status?: number | undefined;
  readonly bodySize?: number | undefined;
  readonly streamed?: boolean | undefined;
  /** Route-config headers merged under the function's (R5). */
  readonly configHeaders?: HeaderInput | undefined;
  /** Layers in use, page side first; default `['browser', 'cdn', 'edge']`. */
  readonly layers?: readonly LayerName[] | undefined;
  readonly profile?: ProfileName | undefined;
  readonly flags?: Partial<PolicyFlags> | undefined;
}

/** How one layer reads the response. Seconds throughout. */
export interface LayerExplanation {
  readonly layer: LayerName;
  readonly kind: LayerKind;
  readonly rules: RuleSet;
  /** The headers this layer receives (after the rewrites of the layers above it). */
  readonly received: Readonly<Record<string, string>>;
  /** The header that won (R1), or null. */
  readonly winner: PolicyHeaderName | null;
  readonly winnerValue: string | null;
  /** Targeted fields present but ignored (R3). */
  readonly ignored: readonly IgnoredHeader[];
  readonly directives: Directives;
  readonly members: readonly DirectiveMember[];
  readonly stored: boolean;
  readonly notStoredReason: NotStorableReason | null;
  /** The rule behind the storage decision, e.g. `R9`. */
  readonly rule: string;
  readonly ttl: number;
  readonly lifetimeSource: LifetimeSource;
  readonly staleWhileRevalidate: number;
  readonly staleIfError: number;
  readonly mustRevalidate: boolean;
  readonly noCache: boolean;
  readonly immutable: boolean;
  /** The headers the next layer toward the page receives. */
  readonly forwarded: Readonly<Record<string, string>>;
  readonly removedHeaders: readonly string[];
  readonly strippedDirectives: readonly string[];
  readonly replacedWithDefault: boolean;
  readonly warnings: readonly PolicyWarning[];
}

export interface Explanation {
  readonly profile: ProfileName;
  /** Origin side first (edge, cdn, browser), filtered to the layers in use. */
  readonly layers: readonly LayerExplanation[];
  /** What the page finally receives. */
  readonly pageHeaders: Readonly<Record<string, string>>;
  /** Every warning: response-wide ones first, then each layer's. */
  readonly warnings: readonly PolicyWarning[];
}

const ORIGIN_FIRST: readonly LayerName[] = ['edge', 'cdn', 'browser'];

/**
 * Explains, layer by layer, what the standard layers do with a response: the winning header, the
 * effective directives, the storage decision, TTL and stale windows, what is stripped for the next layer
 * and warnings. The demo's header playground calls it. Throws PolicyError only for invalid options.
 */
export function explain(responseHeaders: HeaderInput, requestInfo: ExplainRequestInfo = {}): Explanation {
  const profile = requestInfo.profile ?? 'vercel';
  const inUse = requestInfo.layers ?? ['browser', 'cdn', 'edge'];
  const url = requestInfo.url ?? 'https://example.com/';
  const origin = requestInfo.configHeaders ? mergeRouteHeaders(responseHeaders, requestInfo.configHeaders) : normalizeHeaders(responseHeaders);
  const request = {
    method: requestInfo.method ?? 'GET',
    url,
    headers: normalizeHeaders(requestInfo.requestHeaders ?? {}),
  };
  const warnings: PolicyWarning[] = responseWarnings(origin, url);
  const layers: LayerExplanation[] = [];
  let received: Record<string, string> = origin;
  for (const name of ORIGIN_FIRST.filter((l) => inUse.includes(l))) {
    const policy = createLayerPolicy({ layer: name, profile, flags: requestInfo.flags });
    const response = { status: requestInfo.status ?? 200, headers: received, bodySize: requestInfo.bodySize, streamed: requestInfo.streamed };
    const decision = storable(policy, { request, response, responseTime: 0 });
    const f = decision.freshness;
    const rewrite = rewriteForDownstream(policy, { headers: received, selection: decision.selection, authorizedRequest: hasHeader(request.headers, 'authorization') });
    const layerWarningList = layerWarnings(policy, decision.selection, f);
    warnings.push(...layerWarningList);
    layers.push({
      layer: name,
      kind: policy.layer.kind,
      rules: policy.rules,
      received,
      winner: decision.selection.header,
      winnerValue: decision.selection.header === null ? null : decision.selection.parsed.raw,
      ignored: decision.selection.ignored,
      directives: decision.selection.parsed.directives,
      members: decision.selection.parsed.members,
      stored: decision.storable,
      notStoredReason: decision.storable ? null : decision.reason,
      rule: decision.rule,
      ttl: f.lifetime,
      lifetimeSource: f.source,
      staleWhileRevalidate: f.staleWhileRevalidate,
      staleIfError: f.staleIfError,
      mustRevalidate: f.mustRevalidate,
      noCache: f.noCache,
      immutable: f.immutable,
      forwarded: rewrite.headers,
      removedHeaders: rewrite.removed,
      strippedDirectives: rewrite.strippedDirectives,
      replacedWithDefault: rewrite.replacedWithDefault,
      warnings: layerWarningList,
    });
    received = rewrite.headers;
  }
  warnings.push(...agePenalty(layers, requestInfo.flags?.ageMitigation ?? false));
  return { profile, layers, pageHeaders: received, warnings };
}

/** R33 / RFC 9213 §2.3: a shared lifetime longer than the browser's makes hits arrive already stale. */
function agePenalty(layers: readonly LayerExplanation[], ageMitigation: boolean): PolicyWarning[] {
  const browser = layers.find((l) => l.layer === 'browser');
  const shared = layers.filter((l) => l.kind === 'shared' && l.stored && l.ttl > (browser?.ttl ?? 0));
  if (!browser || ageMitigation || shared.length === 0 || !browser.stored) return [];
  const longest = shared.reduce((a, b) => (b.ttl > a.ttl ? b : a));
  return [{
    code: 'age-penalty',
    rule: 'R33',
    message: `${longest.layer} keeps the response ${longest.ttl} s but the browser only ${browser.ttl} s: with Age, a hit older than ${browser.ttl} s arrives stale in the browser`,
  }];
}
