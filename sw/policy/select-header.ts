import { parseCacheControl } from './cache-control.ts';
import type { ParsedDirectives } from './directives.ts';
import { getHeader } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import { parseTargetedField } from './targeted-field.ts';
import type { HeaderMap, PolicyHeaderName } from './types.ts';

/** A targeted field that was present but skipped (R3). */
export interface IgnoredHeader {
  readonly header: PolicyHeaderName;
  readonly reason: 'empty' | 'parse-error';
  readonly detail: string;
}

/** Which header a layer obeys for a response, and its parsed directives (R1–R3). */
export interface HeaderSelection {
  /** The winning header, or null when none of the layer's targets is present and usable. */
  readonly header: PolicyHeaderName | null;
  /** Its parsed value (empty directives when header is null). */
  readonly parsed: ParsedDirectives;
  /** Targeted fields that were present but unusable, in precedence order. */
  readonly ignored: readonly IgnoredHeader[];
  /** True when the layer's policy came from Cache-Control (R29's "Cache-Control was consumed"). */
  readonly consumedCacheControl: boolean;
}

/**
 * R1/R3/R134: walks the layer's target list in order and returns the first header that is present and
 * usable. Targeted fields are strict RFC 8941 dictionaries unless `lenientTargetedParsing`; Cache-Control
 * is always usable when present. Directives are never merged across headers (R2).
 */
export function selectHeader(policy: LayerPolicy, headers: HeaderMap): HeaderSelection {
  const ignored: IgnoredHeader[] = [];
  for (const header of policy.layer.targets) {
    const value = getHeader(headers, header);
    if (value === undefined) continue;
    if (header === 'cache-control') {
      return { header, parsed: parseCacheControl(value), ignored, consumedCacheControl: true };
    }
    const parsed = parseTargetedField(value, { lenient: policy.flags.lenientTargetedParsing });
    if (parsed.usable) return { header, parsed, ignored, consumedCacheControl: false };
    const issue = parsed.issues[0];
    ignored.push({
      header,
      reason: issue?.code === 'empty' ? 'empty' : 'parse-error',
      detail: issue?.detail ?? 'unusable',
    });
  }
  return { header: null, parsed: parseCacheControl(undefined), ignored, consumedCacheControl: false };
}
