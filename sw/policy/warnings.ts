import type { Freshness } from './freshness.ts';
import { getHeader, hasHeader } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { LayerPolicy } from './layer-policy.ts';
import type { HeaderSelection } from './select-header.ts';
import type { HeaderMap, PolicyWarning, WarningCode } from './types.ts';
import { parseVary } from './vary.ts';

const warn = (code: WarningCode, rule: string, message: string): PolicyWarning => ({ code, rule, message });

/** Warnings about how one layer reads a response (parse problems, clamps, ignored directives). */
export function layerWarnings(policy: LayerPolicy, selection: HeaderSelection, f: Freshness): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  const layer = policy.layer.name;
  for (const ignored of selection.ignored) {
    out.push(warn('targeted-parse-error', 'R3', `${layer}: ${ignored.header} ignored: ${ignored.reason === 'empty' ? 'empty' : 'parse error'} (${ignored.detail})`));
  }
  const edge = policy.rules === 'vercel-edge';
  for (const issue of selection.parsed.issues) {
    if (issue.code === 'invalid-value') out.push(warn('invalid-directive-value', 'R139', `${layer}: ${issue.directive} has an invalid value (${issue.detail})`));
    if (issue.code === 'duplicate') out.push(warn('duplicate-directive', 'R23', `${layer}: duplicate ${issue.directive}; ${issue.detail}`));
    if (issue.code === 'overflow') out.push(warn('delta-seconds-overflow', 'R139', `${layer}: ${issue.directive} ${issue.detail}`));
    if (issue.code === 'bare-stale-while-revalidate') {
      out.push(warn('bare-stale-while-revalidate', 'R13', edge
        ? `${layer}: stale-while-revalidate without a value is treated as 31536000 s`
        : `${layer}: stale-while-revalidate without a value is invalid and ignored (RFC 5861)`));
    }
  }
  for (const name of f.clamped) out.push(warn('lifetime-clamped', 'R10', `${layer}: ${name} above one year clamped to 31536000 s`));
  const d = selection.parsed.directives;
  if (edge && d.staleIfError !== undefined) {
    out.push(warn('stale-if-error-ignored-at-edge', 'R14', `${layer}: stale-if-error is not supported by Vercel's edge (forwarded unchanged)`));
  }
  if (edge && selection.consumedCacheControl && d.sMaxage === undefined && d.maxAge !== undefined && !policy.flags.edgeHonorsMaxAgeInCacheControl) {
    out.push(warn('max-age-ignored-at-edge', 'R9', `${layer}: max-age alone does not cache at the edge; add s-maxage`));
  }
  if (d.mustRevalidate && (d.staleWhileRevalidate !== undefined || d.staleWhileRevalidateBare || d.staleIfError !== undefined)) {
    out.push(warn('must-revalidate-disables-stale', edge ? 'R19' : 'R142', `${layer}: must-revalidate disables stale serving`));
  }
  if (d.noCache && (d.maxAge !== undefined || d.sMaxage !== undefined)) {
    out.push(warn('conflicting-directives', 'R23', `${layer}: no-cache with a max-age: the most restrictive (no-cache) wins`));
  }
  if (d.public && d.private) out.push(warn('conflicting-directives', 'R23', `${layer}: public with private: private wins`));
  return out;
}

/** Warnings about the response as a whole (dangerous combinations, invalid dates), reported once. */
export function responseWarnings(headers: HeaderMap, requestUrl: string | null): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  const cc = (getHeader(headers, 'cache-control') ?? '').toLowerCase();
  const sharedCaching = /s-maxage|public/.test(cc) || hasHeader(headers, 'cdn-cache-control') || hasHeader(headers, 'vercel-cdn-cache-control');
  if ((hasHeader(headers, 'set-cookie') || hasHeader(headers, 'x-demo-set-cookie')) && sharedCaching) {
    out.push(warn('set-cookie-with-shared-caching', 'R41', 'Set-Cookie with shared caching: shared layers will not store it'));
  }
  if (/(^|[\s,])private\b/.test(cc) && cc.includes('s-maxage')) {
    out.push(warn('private-with-s-maxage', 'R16', 'private with s-maxage: shared caches must not store it'));
  }
  const vary = parseVary(getHeader(headers, 'vary'));
  if (vary.star) out.push(warn('vary-star', 'R43', 'Vary: * is never stored'));
  if (vary.names.includes('cookie')) out.push(warn('vary-cookie', 'R44', 'Vary: Cookie is not cached at the edge (vary_key_denied:cookie)'));
  const expires = getHeader(headers, 'expires');
  if (expires !== undefined && parseHttpDate(expires) === null) {
    out.push(warn('invalid-expires', 'R137', `Expires ${JSON.stringify(expires)} is invalid and means "already expired"`));
  }
  const date = getHeader(headers, 'date');
  if (date !== undefined && parseHttpDate(date) === null) {
    out.push(warn('invalid-date', 'R137', `Date ${JSON.stringify(date)} is invalid; the receipt time is used`));
  }
  if (/(^|[\s,])immutable\b/.test(cc) && requestUrl !== null && !/^https:|^http:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/i.test(requestUrl)) {
    out.push(warn('immutable-needs-secure-context', 'R146', 'immutable is only honoured in secure contexts'));
  }
  return out;
}
