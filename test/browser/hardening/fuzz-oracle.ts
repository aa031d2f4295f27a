/**
 * What the spec allows for a fuzzed path, computed from its header set alone (not by the policy
 * engine under test). Every bound over-approximates: the worker may do better, never worse.
 */
import { formatDirectives, type Directives, type LayerName, type PathSpec, type Profile } from './fuzz-model.ts';

const TARGETS: Record<LayerName, (keyof PathSpec & ('cc' | 'cdn' | 'vcdn'))[]> = {
  browser: ['cc'],
  cdn: ['cdn', 'cc'],
  edge: ['vcdn', 'cdn', 'cc'],
};

const present = (d: Directives | undefined): d is Directives => formatDirectives(d) !== undefined;

/** The header a layer obeys (R1, RFC 9213 target lists): the first of its targets that is present. */
export function selected(spec: PathSpec, layer: LayerName): Directives | undefined {
  for (const name of TARGETS[layer]) if (present(spec[name])) return spec[name];
  return undefined;
}

export const onlyCacheControl = (spec: PathSpec): boolean => !present(spec.cdn) && !present(spec.vcdn);

/** Why a shared layer may never store this path (R16, R17, R18, R41–R44, RFC 9111 §3), or null. */
export function forbiddenShared(spec: PathSpec, layer: Exclude<LayerName, 'browser'>, profile: Profile): string | null {
  if (spec.cookieMarker) return 'set-cookie marker (R41)';
  if (spec.vary === '*') return 'Vary: * (R43)';
  if (spec.vary === 'cookie') return 'Vary: Cookie (R44)';
  const d = selected(spec, layer);
  const vercelEdge = layer === 'edge' && profile === 'vercel';
  if (!d) return vercelEdge ? 'no cache header (R18)' : null;
  if (d.flags.includes('private')) return 'private (R16)';
  if (d.flags.includes('no-store')) return 'no-store (R17)';
  if (vercelEdge && d.flags.includes('no-cache')) return 'no-cache (R17)';
  if (vercelEdge && spec.status === 410) return 'status 410 (R39)';
  return null;
}

/** RFC 9111 §3.5: a shared RFC cache may reuse a response to an Authorization request only with these. */
export function rfcAllowsAuthorization(spec: PathSpec, layer: LayerName): boolean {
  const d = selected(spec, layer);
  return d !== undefined && (d.flags.includes('public') || d.flags.includes('must-revalidate') || d.sMaxage !== undefined);
}

function all(spec: PathSpec): Directives[] {
  return [spec.cc, spec.cdn, spec.vcdn].filter(present);
}

const max = (values: (number | undefined)[]): number => Math.max(0, ...values.map((v) => v ?? 0));

/** The longest lifetime any layer may give the content (seconds). */
export function maxLifetime(spec: PathSpec): number {
  return max(all(spec).flatMap((d) => [d.maxAge, d.sMaxage]));
}

/**
 * How old (seconds since the origin produced or last validated it) content of this path may ever be
 * when served: the longest lifetime plus the longest stale window, plus the 30 s deletion deadline
 * the fuzzer uses when the path is tagged (R79).
 */
export function maxServableAge(spec: PathSpec): number {
  const stale = max(all(spec).flatMap((d) => [d.swr, d.sie]));
  return maxLifetime(spec) + stale + (spec.tags.length > 0 ? 30 : 0);
}

/** Every layer obeys a header carrying must-revalidate: nothing may be served stale (R19, R142). */
export const mustRevalidateEverywhere = (spec: PathSpec): boolean =>
  onlyCacheControl(spec) && spec.cc !== undefined && spec.cc.flags.includes('must-revalidate');

/** Every layer obeys a no-cache header: every reuse is validated with the origin (R17, R135, R142). */
export const noCacheEverywhere = (spec: PathSpec): boolean =>
  onlyCacheControl(spec) && spec.cc !== undefined && spec.cc.flags.includes('no-cache');

export interface Body {
  id: string;
  hit: number;
  variant: string;
  lang: string;
  country: string;
  auth: string;
}

export function parseBody(text: string): Body | null {
  const parts = text.split('|');
  if (parts.length < 7) return null;
  const [id = '', hit = '', variant = '', lang = '', country = '', auth = ''] = parts;
  const n = Number(hit);
  return Number.isInteger(n) && n > 0 ? { id, hit: n, variant, lang, country, auth } : null;
}

export interface Member {
  layer: string;
  params: string[];
  hit: boolean;
  fwd: string | undefined;
  fwdStatus: number | undefined;
  detail: string | undefined;
}

/** RFC 9211 members, origin side first. */
export function members(cacheStatus: string | null): Member[] {
  if (!cacheStatus) return [];
  return cacheStatus.split(/,\s*(?=[a-z]+(?:;|$))/).map((raw) => {
    const [layer = '', ...params] = raw.split(';').map((p) => p.trim());
    const param = (name: string) => params.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    const fwdStatus = param('fwd-status');
    return { layer, params, hit: params.includes('hit'), fwd: param('fwd'), fwdStatus: fwdStatus === undefined ? undefined : Number(fwdStatus), detail: param('detail') };
  });
}

const STALE_DETAILS = ['stale-time', 'tag-invalidated', 'tag-delete-deadline', 'stale-if-error', 'revalidation-error'];

/** Whether this member served stored content past its freshness (SWR, tag marks, stale-if-error). */
export const servedStale = (m: Member): boolean => m.detail !== undefined && STALE_DETAILS.includes(m.detail.replace(/"/g, ''));

/** Whether this layer answered from its own store (a hit, fresh or stale, or a 304-merged copy). */
export const answeredFromStore = (m: Member): boolean => m.hit || m.fwdStatus === 304 || servedStale(m);
