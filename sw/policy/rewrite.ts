import { formatAge } from './age.ts';
import { parseCacheControl } from './cache-control.ts';
import type { ParsedDirectives } from './directives.ts';
import { getHeader, hasHeader, setField } from './headers.ts';
import type { LayerPolicy } from './layer-policy.ts';
import { selectHeader, type HeaderSelection } from './select-header.ts';
import type { HeaderMap } from './types.ts';

/** R18/R30/R31: what the browser gets when nothing browser-relevant is left (exact string, A7). */
export const DEFAULT_BROWSER_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/**
 * The default for an answer to a request with Authorization whose origin never allowed shared caches
 * to reuse it (RFC 9111 §3.5: public, s-maxage or must-revalidate in Cache-Control). The browser
 * treats it exactly like the default (a private cache ignores `private`); a downstream shared cache
 * must not store it, where the default's `public` would let it hand one user's answer to another
 * (R30's principle: the default never makes a non-shareable response shareable).
 */
export const AUTHORIZED_BROWSER_CACHE_CONTROL = 'private, max-age=0, must-revalidate';
/** RFC 9111 §3.5: the Cache-Control directives that let a shared cache reuse an answer to Authorization. */
const SHAREABLE_WITH_AUTHORIZATION = ['public', 's-maxage', 'must-revalidate'];

/** Directives the edge consumes from Cache-Control (R29; stale-if-error is forwarded, A4). */
const CONSUMED = ['s-maxage', 'stale-while-revalidate'];
/** R30: directives that keep the forwarded Cache-Control meaningful for the browser. */
const BROWSER_RELEVANT = ['max-age', 'no-store', 'no-cache', 'private'];

export interface RewriteInput {
  /** Headers as this layer received them from upstream (or as stored). */
  readonly headers: HeaderMap;
  /** The layer's header selection, when already computed (saves a parse). */
  readonly selection?: HeaderSelection | undefined;
  /** Current age in seconds when the response is served from this layer's store (R33, R157); else omit. */
  readonly ageSeconds?: number | null | undefined;
  /** The request being answered carried Authorization (RFC 9111 §3.5; see AUTHORIZED_BROWSER_CACHE_CONTROL). */
  readonly authorizedRequest?: boolean | undefined;
}

/** The headers the next layer toward the page receives, and what changed (for explain and the demo). */
export interface RewriteResult {
  readonly headers: Record<string, string>;
  /** Header names removed (e.g. `vercel-cdn-cache-control`, `vercel-cache-tag`, `age`). */
  readonly removed: readonly string[];
  /** Cache-Control directives removed (R29). */
  readonly strippedDirectives: readonly string[];
  /** Cache-Control before and after ('' when absent). */
  readonly cacheControlBefore: string | null;
  readonly cacheControlAfter: string | null;
  /** True when the R30/R31 default replaced (or supplied) Cache-Control. */
  readonly replacedWithDefault: boolean;
}

/**
 * Rewrites a response for the next layer toward the page (R26–R34). Only the vercel edge rewrites
 * cache headers; plain RFC 9111 layers (cdn, browser, the edge in `rfc9111`) only set `Age`.
 * This runs on every hit: it copies the headers once (no `delete`, which turns objects into slow
 * dictionaries) and reuses the memoised parse and strip of a stored Cache-Control value.
 */
export function rewriteForDownstream(policy: LayerPolicy, input: RewriteInput): RewriteResult {
  const removed = droppedHeaders(policy).filter((name) => hasHeader(input.headers, name));
  const headers = removed.length === 0 ? { ...input.headers } : copyWithout(input.headers, removed);
  const before = getHeader(input.headers, 'cache-control') ?? null;
  let after = before;
  let stripped: readonly string[] = [];
  let replacedWithDefault = false;
  if (policy.rules === 'vercel-edge') {
    const selection = input.selection ?? selectHeader(policy, input.headers);
    if (before === null) {
      after = input.authorizedRequest ? AUTHORIZED_BROWSER_CACHE_CONTROL : DEFAULT_BROWSER_CACHE_CONTROL; // R18, R31
      replacedWithDefault = true;
    } else if (shouldStrip(policy, selection, input.headers)) {
      // Reuse the selection's parse when it is the Cache-Control parse (the common R29 case).
      const parsed = selection.consumedCacheControl ? selection.parsed : parseCacheControl(before);
      const result = stripConsumed(parsed); // R29
      stripped = result.stripped;
      after = result.value;
      if (!result.browserRelevant) {
        // R30: never turns private into public (private is relevant), nor an answer to Authorization.
        const shareable = !input.authorizedRequest || parsed.members.some((m) => SHAREABLE_WITH_AUTHORIZATION.includes(m.name));
        after = shareable ? DEFAULT_BROWSER_CACHE_CONTROL : AUTHORIZED_BROWSER_CACHE_CONTROL;
        replacedWithDefault = true;
      }
    } // R28: otherwise Cache-Control is forwarded exactly as sent
    if (after !== null) headers['cache-control'] = after;
  }
  // R33/R157: `Age` on responses served from a store (the edge's ageMitigation drops it instead, A8).
  if (!ageMitigated(policy) && input.ageSeconds !== null && input.ageSeconds !== undefined) headers['age'] = formatAge(input.ageSeconds);
  return { headers, removed, strippedDirectives: stripped, cacheControlBefore: before, cacheControlAfter: after, replacedWithDefault };
}

/** Header names a layer never forwards, in the order they are reported as removed. */
function droppedHeaders(policy: LayerPolicy): readonly string[] {
  if (policy.rules !== 'vercel-edge') return [];
  const names = ['vercel-cdn-cache-control']; // R26 (CDN-Cache-Control is forwarded unchanged, R27)
  if (!policy.flags.forwardCacheTagHeader) names.push('vercel-cache-tag'); // R34, A9
  if (ageMitigated(policy)) names.push('age'); // A8
  return names;
}

function ageMitigated(policy: LayerPolicy): boolean {
  return policy.rules === 'vercel-edge' && policy.flags.ageMitigation;
}

function copyWithout(headers: HeaderMap, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (names.includes(name)) continue;
    setField(out, name, headers[name] as string);
  }
  return out;
}

/** R29/A6 and the `stripWhen` flag. */
function shouldStrip(policy: LayerPolicy, selection: HeaderSelection, headers: HeaderMap): boolean {
  switch (policy.flags.stripWhen) {
    case 'always': return true;
    case 'no-cdn-cache-control': return !hasHeader(headers, 'cdn-cache-control');
    default: return selection.consumedCacheControl;
  }
}

interface Stripped {
  readonly value: string;
  readonly stripped: readonly string[];
  readonly browserRelevant: boolean;
}

/** Strips per parse result: parse results are memoised by value, so a stored value is stripped once. */
const strips = new WeakMap<ParsedDirectives, Stripped>();

/** Removes the consumed members from the original text, keeping every other member as written. */
function stripConsumed(parsed: ParsedDirectives): Stripped {
  const known = strips.get(parsed);
  if (known) return known;
  const stripped: string[] = [];
  const kept: string[] = [];
  for (const m of parsed.members) {
    if (CONSUMED.includes(m.name)) stripped.push(m.name);
    else kept.push(m.raw);
  }
  const browserRelevant = parsed.members.some((m) => BROWSER_RELEVANT.includes(m.name));
  const result = Object.freeze({ value: stripped.length === 0 ? parsed.raw : kept.join(', '), stripped: Object.freeze(stripped), browserRelevant });
  strips.set(parsed, result);
  return result;
}
