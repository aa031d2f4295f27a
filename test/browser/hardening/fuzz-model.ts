/**
 * The whole-worker fuzzer's world: random but well-formed origin header sets (one per path), random
 * steps (requests, clock advances, visitor moves, purges, unsafe writes, the browser stopping the
 * worker), and what the spec allows for each path, computed independently of the policy engine and
 * deliberately over-approximated (a bound the worker may never exceed, never an exact prediction), so
 * a failure is a real violation.
 */
import fc from 'fast-check';
import type { OriginResponse } from '../../../demo/origin/origin-plugin.ts';

export type LayerName = 'browser' | 'cdn' | 'edge';
export type Profile = 'vercel' | 'rfc9111';
export const TAGS = ['ta', 'tb', 'tc'] as const;
export type Tag = (typeof TAGS)[number];
export type VaryChoice = 'x-variant' | 'x-variant, x-lang' | '*' | 'cookie' | 'x-vercel-ip-country';

export interface Directives {
  maxAge?: number;
  sMaxage?: number;
  swr?: number;
  sie?: number;
  flags: string[];
}

export interface PathSpec {
  cc?: Directives;
  cdn?: Directives;
  vcdn?: Directives;
  vary?: VaryChoice;
  etag: boolean;
  cookieMarker: boolean;
  tags: Tag[];
  status: 200 | 404 | 410;
  /** After this many origin hits the origin answers 500 (never together with tags). */
  errorAfter?: number;
  pad: number;
}

export interface RequestStep {
  kind: 'get';
  path: number;
  variant: 'a' | 'b' | null;
  lang: 'en' | 'fr' | null;
  auth: 'u1' | 'u2' | null;
  head: boolean;
  cache: 'default' | 'no-cache' | 'reload' | 'no-store' | 'force-cache';
  pragma: boolean;
}

export type Step =
  | RequestStep
  | { kind: 'advance'; seconds: number }
  | { kind: 'country'; country: 'DE' | 'FR' | null }
  | { kind: 'invalidate'; tag: Tag }
  | { kind: 'delete'; tag: Tag; deadline: 0 | 30 }
  | { kind: 'purgeAll' }
  | { kind: 'post'; path: number }
  /** The browser stops the idle worker; the next request starts a new instance on the same stores. */
  | { kind: 'restart' };

const seconds = fc.constantFrom(0, 1, 5, 30, 300, 3600);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const directives: fc.Arbitrary<Directives> = fc
  .record({
    maxAge: opt(seconds),
    sMaxage: opt(seconds),
    swr: opt(fc.constantFrom(5, 60, 600)),
    sie: opt(fc.constantFrom(5, 60, 600)),
    flags: fc.subarray(['public', 'private', 'no-store', 'no-cache', 'must-revalidate', 'immutable'], { maxLength: 2 }),
  })
  .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as unknown as Directives);

export const pathSpec: fc.Arbitrary<PathSpec> = fc
  .record({
    cc: opt(directives),
    cdn: fc.option(directives, { nil: undefined, freq: 3 }),
    vcdn: fc.option(directives, { nil: undefined, freq: 4 }),
    vary: fc.option(fc.constantFrom<VaryChoice>('x-variant', 'x-variant, x-lang', '*', 'cookie', 'x-vercel-ip-country'), { nil: undefined, freq: 2 }),
    etag: fc.boolean(),
    cookieMarker: fc.constantFrom(false, false, false, true),
    tags: fc.subarray([...TAGS], { maxLength: 2 }),
    status: fc.constantFrom<PathSpec['status']>(200, 200, 200, 404, 410),
    errorAfter: opt(fc.integer({ min: 1, max: 4 })),
    pad: fc.integer({ min: 0, max: 3000 }),
  })
  .map((spec) => {
    const clean = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as unknown as PathSpec;
    // A tag-invalidated entry whose refresh keeps failing is served stale without bound (R58): keep them apart.
    if (clean.tags.length > 0) delete clean.errorAfter;
    return clean;
  });

export function steps(pathCount: number): fc.Arbitrary<Step[]> {
  const path = fc.integer({ min: 0, max: pathCount - 1 });
  const request: fc.Arbitrary<Step> = fc.record({
    kind: fc.constant('get' as const),
    path,
    variant: fc.constantFrom<RequestStep['variant']>('a', 'b', null),
    lang: fc.constantFrom<RequestStep['lang']>('en', 'fr', null),
    auth: fc.constantFrom<RequestStep['auth']>(null, null, null, 'u1', 'u2'),
    head: fc.constantFrom(false, false, false, false, false, true),
    cache: fc.constantFrom<RequestStep['cache']>('default', 'default', 'default', 'default', 'no-cache', 'reload', 'no-store', 'force-cache'),
    pragma: fc.constantFrom(false, false, false, true),
  });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 12, arbitrary: request },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.constantFrom(1, 4, 20, 70, 400, 4000) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('country' as const), country: fc.constantFrom<'DE' | 'FR' | null>('DE', 'FR', null) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('invalidate' as const), tag: fc.constantFrom(...TAGS) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), tag: fc.constantFrom(...TAGS), deadline: fc.constantFrom<0 | 30>(0, 30) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'purgeAll' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('post' as const), path }) },
    // As rare as purgeAll: most restarts are followed by a few requests, the first of them a cold start's.
    { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  );
  return fc.array(step, { minLength: 4, maxLength: 22 });
}

export function formatDirectives(d: Directives | undefined): string | undefined {
  if (!d) return undefined;
  const parts = [...d.flags];
  if (d.maxAge !== undefined) parts.push(`max-age=${d.maxAge}`);
  if (d.sMaxage !== undefined) parts.push(`s-maxage=${d.sMaxage}`);
  if (d.swr !== undefined) parts.push(`stale-while-revalidate=${d.swr}`);
  if (d.sie !== undefined) parts.push(`stale-if-error=${d.sie}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The body names the path, the origin hit and every request header a variant may depend on. */
export const BODY = '|{{hit}}|{{req.x-variant}}|{{req.x-lang}}|{{req.x-vercel-ip-country}}|{{req.authorization}}|';

export function responseHeaders(spec: PathSpec, tagPrefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) headers[name] = value;
  };
  set('Cache-Control', formatDirectives(spec.cc));
  set('CDN-Cache-Control', formatDirectives(spec.cdn));
  set('Vercel-CDN-Cache-Control', formatDirectives(spec.vcdn));
  set('Vary', spec.vary);
  if (spec.cookieMarker) headers['x-demo-set-cookie'] = 'session=secret';
  if (spec.tags.length > 0) headers['Vercel-Cache-Tag'] = spec.tags.map((t) => `${tagPrefix}${t}`).join(',');
  return headers;
}

export function originScript(spec: PathSpec, id: string, tagPrefix: string): OriginResponse[] {
  const ok: OriginResponse = {
    status: spec.status,
    headers: responseHeaders(spec, tagPrefix),
    body: id + BODY + 'x'.repeat(spec.pad),
    ...(spec.etag ? { etag: `"${id}"` } : {}),
  };
  if (spec.errorAfter === undefined) return [ok];
  return [...Array.from({ length: spec.errorAfter }, () => ok), { ...ok, status: 500 }];
}
