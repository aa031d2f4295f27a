/**
 * Runs one fuzzed sequence against the real worker and checks the invariants of issue 7 after every
 * step. A violation throws an Error naming the invariant and the evidence; fast-check then shrinks the
 * sequence to a minimal counterexample.
 */
import type { OriginHit } from '../../../demo/origin/origin-plugin.ts';
import type { InspectEntry } from '../../../sdk/protocol.ts';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { hits, script, sleep, stopIdleWorker, uniquePath } from './harness.ts';
import { originScript, type LayerName, type PathSpec, type Profile, type RequestStep, type Step } from './fuzz-model.ts';
import { checkEntries, checkResponse, type Observation } from './fuzz-checks.ts';
import { answeredFromStore, members } from './fuzz-oracle.ts';

export interface FuzzConfig {
  layers: LayerName[];
  profile: Profile;
  budget?: number;
}

export interface FuzzPath {
  spec: PathSpec;
  path: string;
  id: string;
}

/** What must happen on the next request of a path after a purge or an unsafe write. */
export type Expectation = 'origin' | 'no-fresh-hit';

export interface FuzzStats {
  sequences: number;
  steps: number;
  requests: number;
  purges: number;
  restarts: number;
}

export class FuzzRun {
  readonly paths: FuzzPath[] = [];
  offsetMs = 0;
  private readonly offsets: { real: number; offset: number }[] = [{ real: 0, offset: 0 }];
  country: 'DE' | 'FR' | null = null;
  readonly expectations = new Map<number, Expectation>();
  /** Per path, the origin hits when a tag purge last marked it: content with a higher hit number is newer. */
  readonly purgedAtHit = new Map<number, number>();
  readonly tagPrefix: string;

  constructor(
    readonly worker: CacheWorkerController,
    readonly config: FuzzConfig,
    readonly stats: FuzzStats,
  ) {
    this.tagPrefix = `f${Math.random().toString(36).slice(2, 8)}-`;
  }

  async setup(specs: PathSpec[]): Promise<void> {
    await this.worker.setClockOffset(0);
    await this.worker.setVisitorLocation(null);
    for (const spec of specs) {
      const path = uniquePath('fuzz');
      const id = path.split('/').pop() ?? path;
      await script(path, originScript(spec, id, this.tagPrefix));
      this.paths.push({ spec, path, id });
    }
  }

  /** Simulated time (ms) at a real instant: the clock offset in force then. */
  simulated(real: number): number {
    let offset = 0;
    for (const change of this.offsets) if (change.real <= real) offset = change.offset;
    return real + offset;
  }

  async entries(): Promise<InspectEntry[]> {
    const mine = new Set(this.paths.map((p) => p.path));
    return (await this.worker.inspect()).entries.filter((e) => mine.has(new URL(e.url).pathname));
  }

  async step(step: Step): Promise<void> {
    this.stats.steps++;
    switch (step.kind) {
      case 'get':
        return this.request(step);
      case 'advance':
        this.offsetMs += step.seconds * 1000;
        await this.worker.setClockOffset(this.offsetMs);
        this.offsets.push({ real: Date.now(), offset: this.offsetMs });
        return;
      case 'country':
        this.country = step.country;
        await this.worker.setVisitorLocation(step.country ? { country: step.country } : null);
        return;
      case 'purgeAll': {
        this.stats.purges++;
        await this.worker.purgeAll();
        const left = await this.entries();
        if (left.length > 0) throw new Error(`purgeAll left ${left.length} entries: ${JSON.stringify(left.map((e) => [e.layer, e.url]))}`);
        this.paths.forEach((_, i) => this.expectations.set(i, 'origin'));
        return;
      }
      case 'invalidate':
      case 'delete':
        return this.tagPurge(step);
      case 'post':
        return this.post(step.path);
      case 'restart':
        return this.restart();
    }
  }

  /**
   * The browser stops the idle worker (DevTools' "Stop"); the next request starts a new instance on the
   * same stores, whose first lookups are point reads while the store opens (sw/store/early-reads.ts).
   * Only memory is lost (the hot tier, coalescing, refreshes under way): the stores, and the clock
   * offset and visitor saved by the worker (sw/worker-state.ts, checked after every request), carry
   * over. So nothing here is forgotten or re-applied: the purge expectations stay armed and the first
   * request after the restart is judged as strictly as any (R78, R79, R83, R153).
   */
  private async restart(): Promise<void> {
    this.stats.restarts++;
    await this.settle();
    await stopIdleWorker(this.worker);
  }

  /**
   * Waits until no origin hit lands between two store inspections (each waits for the layers' writes).
   * A background refresh that reached the origin is then stored: the oracle counts its origin contact
   * as vouching for the copy (lastContact, vouchedSince), which a refresh cut off by the stop would not
   * have earned.
   */
  private async settle(): Promise<void> {
    let last = '';
    for (let round = 0; round < 20; round++) {
      await this.worker.inspect();
      const counts = (await Promise.all(this.paths.map(async (p) => (await hits(p.path)).count))).join();
      if (counts === last) return;
      last = counts;
      await sleep(30);
    }
  }

  private async tagPurge(step: Extract<Step, { kind: 'invalidate' | 'delete' }>): Promise<void> {
    this.stats.purges++;
    const tag = this.tagPrefix + step.tag;
    // Read before the purge: a hit counted later may only make content look newer (a lenient bound).
    const counts = await Promise.all(this.paths.map(async (p) => (await hits(p.path)).count));
    const before = await this.entries();
    const tagged = before.filter((e) => e.tags.includes(tag));
    const result = step.kind === 'invalidate'
      ? await this.worker.invalidateByTag(tag)
      : await this.worker.dangerouslyDeleteByTag(tag, { revalidationDeadlineSeconds: step.deadline });
    if (result.entries < tagged.length) throw new Error(`${step.kind}(${tag}) reported ${result.entries} entries, ${tagged.length} carried the tag`);
    const inspected = (await this.worker.inspect()).now;
    const after = await this.entries();
    for (const entry of tagged) {
      const now = after.find((e) => e.layer === entry.layer && e.key === entry.key && JSON.stringify(e.variant) === JSON.stringify(entry.variant));
      // R79: deleted now — gone, or kept only as a tombstone that is never served (deleteAt already passed).
      const tombstone = now !== undefined && now.deleteAt !== undefined && now.deleteAt <= inspected;
      if (step.kind === 'delete' && step.deadline === 0 && now && !tombstone) throw new Error(`R79: ${entry.layer} ${entry.url} survived dangerouslyDeleteByTag`);
      if (step.kind === 'invalidate' && now && !now.invalidated) throw new Error(`R78: ${entry.layer} ${entry.url} not marked by invalidateByTag`);
      if (step.kind === 'delete' && step.deadline > 0 && now && now.deleteAt === undefined) throw new Error(`R79: ${entry.url} has no deletion deadline`);
    }
    this.paths.forEach((p, i) => {
      const had = tagged.filter((e) => new URL(e.url).pathname === p.path);
      if (had.length === 0) return;
      // An untagged copy (stored by a layer that never saw the tag) may still be served as it is.
      if (before.some((e) => new URL(e.url).pathname === p.path && !e.tags.includes(tag))) return;
      // Deleted everywhere → the next request needs the origin; marked → no layer may call it fresh.
      const deleted = step.kind === 'delete' && step.deadline === 0;
      if (deleted || !this.expectations.has(i)) this.expectations.set(i, deleted ? 'origin' : 'no-fresh-hit');
      this.purgedAtHit.set(i, counts[i] ?? 0);
    });
  }

  private async post(index: number): Promise<void> {
    const p = this.paths[index];
    if (!p) return;
    const res = await fetch(p.path, { method: 'POST', body: 'x' });
    await res.arrayBuffer();
    // R153: a 2xx/3xx answer to an unsafe method invalidates every layer's responses for the URI.
    if (res.status >= 200 && res.status < 400) this.expectations.set(index, 'origin');
    const left = (await this.entries()).filter((e) => new URL(e.url).pathname === p.path);
    if (res.status < 400 && left.length > 0) throw new Error(`R153: ${left.length} entries of ${p.path} survived a ${res.status} POST`);
  }

  private async request(step: RequestStep): Promise<void> {
    const p = this.paths[step.path];
    if (!p) return;
    this.stats.requests++;
    const headers: Record<string, string> = {};
    if (step.variant) headers['x-variant'] = step.variant;
    if (step.lang) headers['x-lang'] = step.lang;
    if (step.auth) headers.authorization = `Bearer ${step.auth}`;
    if (step.pragma) headers.pragma = 'no-cache';
    const before = await hits(p.path);
    const sent = Date.now();
    const res = await fetch(p.path, { method: step.head ? 'HEAD' : 'GET', headers, cache: step.cache });
    const text = await res.text();
    const received = Date.now();
    // Background refreshes (SWR, tag marks) land asynchronously: let them settle before judging counts.
    const cacheStatus = res.headers.get('cache-status');
    if (cacheStatus && /stale|tag-/.test(cacheStatus)) await sleep(60);
    const after = await hits(p.path);
    const observation: Observation = {
      run: this, path: p, step, status: res.status, text, cacheStatus, xVercelCache: res.headers.get('x-vercel-cache'),
      before: before.count, after: after.requests, sentSim: this.simulated(sent), receivedSim: this.simulated(received),
      expectation: this.expectations.get(step.path),
      purgedAtHit: this.purgedAtHit.get(step.path) ?? 0,
    };
    // force-cache lets the browser layer use any stored response (R156): when it answered from its store,
    // the expectation waits for the next request. When it forwarded, the request went on as a default one
    // would (shared layers never see the mode) and whatever it stored came from upstream (seed 721362261).
    const browserAnswered = members(cacheStatus).some((m) => m.layer === 'browser' && answeredFromStore(m));
    if (step.cache !== 'force-cache' || observation.expectation === 'origin' || !browserAnswered) this.expectations.delete(step.path);
    checkResponse(observation);
    await this.checkStores();
  }

  /**
   * After every request: what the layers hold (inspect) obeys the storage rules and the budget, and the
   * worker lives at the simulated time and place the page set, across restarts too (sw/worker-state.ts).
   */
  async checkStores(): Promise<void> {
    const inspected = await this.worker.inspect();
    if (inspected.clockOffsetMs !== this.offsetMs) throw new Error(`clock: the worker's offset is ${inspected.clockOffsetMs} ms, the page set ${this.offsetMs} ms`);
    if ((inspected.visitor?.country ?? null) !== this.country) throw new Error(`visitor: the worker's country is ${JSON.stringify(inspected.visitor)}, the page set ${this.country}`);
    checkEntries(this, inspected.entries);
  }

  /** The simulated time of the latest origin contact that produced or validated hit `n`. */
  lastContact(p: FuzzPath, requests: OriginHit[], n: number): number {
    let latest = -Infinity;
    requests.forEach((hit, i) => {
      if (this.vouchesFor(p, hit, i + 1, n)) latest = Math.max(latest, this.simulated(hit.at));
    });
    return latest;
  }

  /** Whether an origin hit after hit number `since` produced or validated hit `n`'s content. */
  vouchedSince(p: FuzzPath, requests: OriginHit[], n: number, since: number): boolean {
    return requests.some((hit, i) => i + 1 > since && this.vouchesFor(p, hit, i + 1, n));
  }

  /** Whether origin hit `number` produced hit `n`'s content or re-validated it. */
  private vouchesFor(p: FuzzPath, hit: OriginHit, number: number, n: number): boolean {
    // Every answer of a path carries the same ETag, so any later 2xx/4xx answer (a layer may strip a
    // conditional and validate itself, R151) or 304 (the origin answers a matching If-None-Match with 304
    // whatever status it would send) re-validates the stored body.
    const conditional = hit.headers['if-none-match'] === `"${p.id}"`;
    return number === n || (p.spec.etag && number > n && (conditional || !this.isError(p, number)));
  }

  isError(p: FuzzPath, hitNumber: number): boolean {
    return p.spec.errorAfter !== undefined && hitNumber > p.spec.errorAfter;
  }
}
