/**
 * The invariants checked after every fuzzed request (issue 7, "Invariant fuzzing"): nothing served
 * that must not be (another resource, another variant, another visitor, too stale, stale under
 * must-revalidate, purged), Cache-Status / x-vercel-cache telling the truth about the origin, and
 * nothing stored by a layer that the spec forbids.
 */
import type { OriginHit } from '../../../demo/origin/origin-plugin.ts';
import type { InspectEntry } from '../../../sdk/protocol.ts';
import type { Expectation, FuzzPath, FuzzRun } from './fuzz-runner.ts';
import type { RequestStep } from './fuzz-model.ts';
import {
  answeredFromStore, forbiddenShared, maxLifetime, maxServableAge, members, mustRevalidateEverywhere, noCacheEverywhere,
  parseBody, rfcAllowsAuthorization, selected, servedStale, type Member,
} from './fuzz-oracle.ts';

/** Integer Age rounding per hop and the real time a request takes (seconds). */
const SLACK = 3;

export interface Observation {
  run: FuzzRun;
  path: FuzzPath;
  step: RequestStep;
  status: number;
  text: string;
  cacheStatus: string | null;
  xVercelCache: string | null;
  /** Origin hits of the path before the request, and the hit list after it settled. */
  before: number;
  after: OriginHit[];
  sentSim: number;
  receivedSim: number;
  expectation: Expectation | undefined;
  /** Origin hits of the path when a tag purge last marked it. */
  purgedAtHit: number;
}

export function checkResponse(o: Observation): void {
  const { run, step } = o;
  const spec = o.path.spec;
  const fail = (rule: string, message: string): never => {
    throw new Error(
      `${rule}: ${message}\n  config=${JSON.stringify(run.config)} step=${JSON.stringify(step)}\n  spec=${JSON.stringify(spec)}\n` +
        `  status=${o.status} cache-status=${o.cacheStatus} x-vercel-cache=${o.xVercelCache} body=${o.text.slice(0, 60)} origin hits ${o.before}→${o.after.length}`,
    );
  };
  const layers = run.config.layers;
  const pageFirst = [...members(o.cacheStatus)].reverse();
  if (pageFirst.map((m) => m.layer).join() !== layers.join()) fail('RFC 9211', 'one Cache-Status member per layer, origin side first');
  if (layers.includes('edge') !== (o.xVercelCache !== null)) fail('R32', 'x-vercel-cache is sent exactly when the edge layer runs');
  // A member is about THIS request only when no layer on its page side answered from its own store
  // (a stored response carries the upstream members of the request that filled it).
  const current = pageFirst.filter((_, i) => pageFirst.slice(0, i).every((m) => !answeredFromStore(m)));
  const edge = current.find((m) => m.layer === 'edge');
  const contacted = o.after.length > o.before;
  const pageMost = pageFirst[0] as Member;

  if (!contacted && o.expectation === 'origin') fail('R79/R83/R153', 'purged or invalidated content was served without asking the origin');
  // Only content the origin has not vouched for since the purge stays invalidated: a force-cache request may
  // have let a layer serve the marked copy stale and refresh it (fuzz seeds 1005762032, 337476196), or
  // revalidate it and get a 304 (seed 1871591002, RFC 9111 §4.3.4); either way it is fresh again. The body
  // names its origin hit; a HEAD has none, so any origin contact since the purge counts.
  const shown = parseBody(o.text)?.hit;
  const newer = shown === undefined ? o.before > o.purgedAtHit : run.vouchedSince(o.path, o.after, shown, o.purgedAtHit);
  // force-cache (R156) frees only the browser layer: the shared layers never see the mode.
  const held = current.filter((m) => step.cache !== 'force-cache' || m.layer !== 'browser');
  if (o.expectation === 'no-fresh-hit' && !newer && held.some((m) => m.hit && !servedStale(m))) {
    fail('R78', 'a tag-invalidated entry was served as a fresh hit');
  }
  if (noCacheEverywhere(spec) && step.cache !== 'force-cache' && !contacted) fail('R17/R135', 'a no-cache response was reused without validation');
  if (edge && ['MISS', 'REVALIDATED'].includes(o.xVercelCache ?? '') && !contacted) fail('R62', `x-vercel-cache ${o.xVercelCache} but the origin was not reached`);
  if (pageMost.hit && !servedStale(pageMost) && contacted) fail('R62/RFC 9211', 'a fresh hit, yet the origin was reached');
  if (mustRevalidateEverywhere(spec) && pageFirst.some(servedStale)) fail('R19/R142', 'must-revalidate content served stale');
  if (mustRevalidateEverywhere(spec) && o.xVercelCache === 'STALE') fail('R19', 'must-revalidate content served STALE by the edge');
  if (step.auth && edge && run.config.profile === 'vercel' && o.xVercelCache !== 'MISS') fail('R38', 'a request with Authorization was answered from the edge store');

  const allowed = new Set<number>([spec.status, ...(spec.errorAfter === undefined ? [] : [500])]);
  if (!allowed.has(o.status)) fail('R45/R61', `unexpected status ${o.status}`);
  if (step.head) return;

  const body = parseBody(o.text);
  if (!body || body.id !== o.path.id) return fail('integrity', 'the body belongs to another resource or is corrupt');
  if (body.hit > o.after.length) fail('integrity', 'the body names an origin hit that never happened');
  if (o.path.spec.errorAfter !== undefined && run.isError(o.path, body.hit) !== (o.status === 500)) fail('integrity', 'status and body come from different responses');
  if (body.hit > o.before && current.some(answeredFromStore)) fail('RFC 9211', 'new origin content reported as served from a store');
  if (edge && ['HIT', 'STALE'].includes(o.xVercelCache ?? '') && body.hit > o.before) fail('R62', `x-vercel-cache ${o.xVercelCache} with content the origin produced for this request`);

  // Vary (R52, R55, R147): every layer keys variants on the page's own headers.
  const vary = spec.vary ?? '';
  if (vary.includes('x-variant') && body.variant !== (step.variant ?? '')) fail('R147', `variant ${body.variant || '(none)'} served to ${step.variant ?? '(none)'}`);
  if (vary.includes('x-lang') && body.lang !== (step.lang ?? '')) fail('R147', `x-lang ${body.lang || '(none)'} served to ${step.lang ?? '(none)'}`);
  // The visitor's country exists only from the edge on (it adds x-vercel-ip-*): page-side layers
  // cannot key on it, exactly like a real browser cache or downstream CDN in front of Vercel.
  if (vary === 'x-vercel-ip-country' && edge && !current.some((m) => m.layer !== 'edge' && answeredFromStore(m)) && body.country !== (run.country ?? '')) {
    fail('security: country', `country ${body.country || '(none)'} served to visitor ${run.country ?? '(none)'}`);
  }
  // Authorization (R38, RFC 9111 §3.5): shared layers never hand one user's response to another.
  if (body.auth !== '' && body.auth !== (step.auth ? `Bearer ${step.auth}` : '')) {
    const byBrowser = current.some((m) => m.layer === 'browser' && answeredFromStore(m));
    // RFC 9111 §3.5: an RFC shared layer may reuse it when its header says public/s-maxage/must-revalidate.
    const rfcShared = run.config.layers.filter((l) => l === 'cdn' || (l === 'edge' && run.config.profile === 'rfc9111'));
    const byRfcShared = current.some((m) => m.layer !== 'browser' && answeredFromStore(m)) && rfcShared.some((l) => rfcAllowsAuthorization(spec, l));
    if (!byBrowser && !byRfcShared) fail('security: authorization', `${body.auth}'s response served to ${step.auth ?? 'an anonymous request'}`);
  }
  if (edge && run.config.profile === 'vercel' && answeredFromStore(edge) && body.auth !== '') fail('R38', 'the edge stored a response to an Authorization request');

  // Staleness (R10–R14, R19, R136–R144): never older than the longest lifetime plus stale window.
  if (step.cache !== 'force-cache') {
    const age = (o.receivedSim - o.run.lastContact(o.path, o.after, body.hit)) / 1000;
    const bound = mustRevalidateEverywhere(spec) ? maxLifetime(spec) : maxServableAge(spec);
    if (age > bound + SLACK) fail('staleness', `content ${age.toFixed(1)} s old served; at most ${bound} s allowed`);
  }
}

/** What the layers hold obeys the storage rules, is well-formed and fits the byte budget. */
export function checkEntries(run: FuzzRun, all: InspectEntry[]): void {
  const byPath = new Map(run.paths.map((p) => [p.path, p]));
  const seen = new Set<string>();
  for (const entry of all) {
    const p = byPath.get(new URL(entry.url).pathname);
    if (!p) continue;
    const where = `${entry.layer} entry of ${entry.url} (spec ${JSON.stringify(p.spec)})`;
    if (!run.config.layers.includes(entry.layer)) throw new Error(`inspect: ${where} in a layer that is not configured`);
    for (const n of [entry.age, entry.ttl, entry.staleWhileRevalidate, entry.staleIfError, entry.size]) {
      if (!Number.isFinite(n) || n < 0) throw new Error(`inspect: ${where} has a bad number ${n}`);
    }
    const id = `${entry.layer}|${entry.key}|${JSON.stringify(entry.variant)}`;
    if (seen.has(id)) throw new Error(`inspect: ${where} stored twice`);
    seen.add(id);
    const forbidden = entry.layer === 'browser' ? forbiddenPrivate(p) : forbiddenShared(p.spec, entry.layer, run.config.profile);
    if (forbidden) throw new Error(`storage: ${where} stored although ${forbidden}`);
  }
  if (run.config.budget === undefined) return;
  for (const layer of run.config.layers) {
    const bytes = all.filter((e) => e.layer === layer).reduce((sum, e) => sum + e.size, 0);
    if (bytes > run.config.budget) throw new Error(`budget: ${layer} holds ${bytes} bytes > ${run.config.budget}`);
  }
}

/** RFC 9111 §3 (R133, P2, P4): what even the private browser layer never stores. */
function forbiddenPrivate(p: FuzzPath): string | null {
  if (p.spec.vary === '*') return 'Vary: * (R147)';
  if (p.spec.vary === 'cookie') return 'Vary: Cookie cannot be matched in a worker (P2)';
  if (selected(p.spec, 'browser')?.flags.includes('no-store')) return 'no-store (R133)';
  return null;
}
