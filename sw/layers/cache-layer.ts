import {
  appendCacheStatus,
  cacheKey,
  conditionalMatches,
  createStoredEntry,
  currentAge,
  evaluate,
  notModifiedHeaders,
  planRequest,
  rewriteForDownstream,
  storable,
  upstreamRequestHeaders,
  variantKey,
  type Evaluation,
  type LayerFacts,
  type LayerPolicy,
  type RequestInfo,
  type RequestPlan,
} from '../policy/index.ts';
import type { EntryMeta, HttpStore, NewEntry } from '../store/index.ts';
import { refreshInBackground } from './background-refresh.ts';
import type { Exchange, Forward, LayerDeps, Outgoing } from './exchange.ts';
import { requestInfo, responseInfo } from './facts.ts';
import { Flights, type LeaderResult } from './flights.ts';
import { answerConditional, unconditional } from './cold-conditional.ts';
import { buildResponse, headerRecord } from './http-message.ts';
import type { LayerExtras } from './layer-extras.ts';
import { layerResult } from './layer-report.ts';
import { revalidate } from './revalidate.ts';
import type { StoredRecord } from './stored-record.ts';
import { writeThrough } from './write-through.ts';

export interface CacheLayerOptions {
  policy: LayerPolicy;
  store: HttpStore<StoredRecord>;
  deployment: string;
  /** R24: the simulated region, part of the edge key (undefined: no region dimension). */
  region?: string | undefined;
  /** Layer-specific additions (the edge's visitor headers and x-vercel-cache). */
  extras: LayerExtras;
}

/** Everything about the request in progress that the layer's steps share. */
export interface LayerCall {
  outgoing: Outgoing;
  forward: Forward;
  deps: LayerDeps;
  info: RequestInfo;
  plan: RequestPlan;
  key: string;
  evaluation?: Evaluation | undefined;
}

/** What happened in this layer, beyond the plan and evaluation the call already holds. */
export type StepFacts = Omit<LayerFacts, 'layer' | 'plan' | 'evaluation'>;

/** A stored response to serve: the body as read for sharing (ArrayBuffer) or as a Blob (the hit path). */
type Body = { meta: Pick<EntryMeta<StoredRecord>, 'record' | 'tags'>; body: ArrayBuffer | Blob };

/**
 * One cache layer: look up its store → the policy decides (planRequest, evaluate) → serve, or forward
 * upstream (with validators when revalidating) → store what the policy allows (storable) → hand the
 * response down with the layer's header rewrite (R26–R34), Cache-Status member (RFC 9211),
 * x-vercel-cache at the edge, and a decision record.
 *
 * Storage failures never fail the request: a failed lookup forwards as an uncached request (reported
 * in Cache-Status `detail=storage-error`), a failed write only loses the copy; both go to onError.
 */
export class CacheLayer {
  readonly policy: LayerPolicy;
  readonly store: HttpStore<StoredRecord>;
  /** R59: one upstream request for concurrent misses / revalidations of one key. */
  private readonly flights = new Flights();
  /** Variant ids with a background refresh running (at most one per key, R59). */
  readonly refreshing = new Set<string>();
  /** Writes in progress per primary key: a lookup waits for them, so a new entry is never missed. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly options: CacheLayerOptions) {
    this.policy = options.policy;
    this.store = options.store;
  }

  get name() {
    return this.policy.layer.name;
  }

  /** Resolves once the writes in progress have settled (inspect and purges see what was served). */
  async idle(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  /** Resolves once the writes in progress for one key have settled. */
  async settled(key: string): Promise<void> {
    await this.writes.get(key);
  }

  async handle(outgoing: Outgoing, forward: Forward, deps: LayerDeps): Promise<Exchange> {
    this.options.extras.prepare(outgoing, deps);
    const info = requestInfo(outgoing, this.options.deployment, this.options.region);
    const plan = planRequest(this.policy, info);
    // Fetch's HTTP-network-or-cache step: cache modes become request headers upstream (a reload
    // reaches the edge as Pragma: no-cache, R56). Only the private layer adds any.
    for (const [name, value] of Object.entries(upstreamRequestHeaders(this.policy, info))) outgoing.headers.set(name, value);
    const call: LayerCall = { outgoing, forward, deps, info, plan, key: '' };
    if (plan.action === 'write-through') {
      await this.idle(); // a write landing after the invalidation would resurrect the entry (R153)
      const upstream = await writeThrough({ policy: this.policy, store: this.store, outgoing, forward, deps, request: info });
      return this.passDown(call, upstream, { upstreamStatus: upstream.response.status });
    }
    if (plan.action === 'bypass') {
      if (!plan.store) {
        const upstream = await forward(outgoing);
        return this.passDown(call, upstream, { upstreamStatus: upstream.response.status });
      }
      call.key = cacheKey(this.policy, info);
      return this.fetchAndStore(call, {}); // R156 reload: bypass the store, keep the answer
    }
    let variants: EntryMeta<StoredRecord>[];
    try {
      call.key = cacheKey(this.policy, info);
      const pending = this.writes.get(call.key);
      if (pending) await pending;
      variants = await this.store.variants(call.key);
      call.evaluation = evaluate(this.policy, { entries: variants.map((meta) => meta.record), request: info, now: deps.now() });
    } catch (error) {
      deps.onError(error);
      const upstream = await forward(outgoing);
      return this.passDown(call, upstream, { storageError: true, upstreamStatus: upstream.response.status });
    }
    const evaluation = call.evaluation;
    const metaOf = (record: StoredRecord | null) => variants.find((meta) => meta.record === record);
    switch (evaluation.action) {
      case 'fresh':
      case 'stale-while-revalidate':
        return this.serveStored(call, metaOf(evaluation.entry), evaluation);
      case 'revalidate': {
        const meta = metaOf(evaluation.entry);
        return this.flights.run(`rv|${meta?.id ?? call.key}`, call, this, () => revalidate(this, call, meta, evaluation));
      }
      case 'miss': {
        const doomed = metaOf(evaluation.entry);
        if (evaluation.deleteEntry && doomed) this.track(call.key, this.store.delete(doomed.id), deps); // R79
        return this.flights.run(`miss|${call.key}`, call, this, () => this.fetchAndStore(call, {}));
      }
      case 'unavailable':
        // R156: only-if-cached with nothing usable is a network error, as in the browser's own cache.
        return { response: Response.error(), decisions: [layerResult(this.facts(call, {}), false).decision], originContacted: false, tags: [] };
    }
  }

  /** A fresh hit, or stale content plus one background refresh (R12, R78, R143). */
  private async serveStored(call: LayerCall, meta: EntryMeta<StoredRecord> | undefined, evaluation: Extract<Evaluation, { action: 'fresh' | 'stale-while-revalidate' }>): Promise<Exchange> {
    // The body as a Blob: the page's response streams it from Cache Storage, nothing is copied. Its
    // read starts before the refresh, so a refresh that deletes the entry (R47) cannot turn this stale
    // answer into a miss.
    const reading = meta ? this.store.getBody(meta.id) : Promise.resolve(undefined);
    // The refresh is claimed before any await: a request that read the old entry can never start a
    // second refresh once the first one has landed (R59: at most one refresh per key).
    if (evaluation.action === 'stale-while-revalidate' && meta) {
      const endToEnd = evaluation.reason !== 'stale-time';
      refreshInBackground(this, call, meta, { validators: evaluation.revalidation.headers, endToEnd, trigger: evaluation.reason, after: reading });
    }
    let stored;
    try {
      stored = await reading;
    } catch (error) {
      call.deps.onError(error);
      call.evaluation = undefined; // the lookup's verdict no longer describes what happened (R62 MISS/error)
      const upstream = await call.forward(call.outgoing);
      return this.passDown(call, upstream, { storageError: true, upstreamStatus: upstream.response.status });
    }
    if (!stored) {
      // Evicted between lookup and read: a plain miss.
      call.evaluation = { action: 'miss', reason: 'no-entry', entry: null, deleteEntry: false };
      return this.fetchAndStore(call, {});
    }
    return this.serveRecord(call, stored, { ttl: evaluation.ttl }, false);
  }

  /** The page-side response for a stored record: Age (R157, R33), rewrite, R151 conditional 304. */
  serveRecord(call: LayerCall, stored: Body, step: StepFacts, forwarded: boolean, upstream?: Exchange): Exchange {
    const record = stored.meta.record;
    const age = currentAge({ initialAge: record.initialAge, responseTime: record.responseTime, now: call.deps.now() });
    const rewritten = rewriteForDownstream(this.policy, { headers: record.headers, ageSeconds: age }).headers;
    const stale = call.evaluation?.action === 'stale-while-revalidate' || step.revalidation?.action === 'serve-stale';
    const notModified = !stale && conditionalMatches(record, call.info);
    const result = layerResult(this.facts(call, step), forwarded);
    const headers = this.finish(notModified ? notModifiedFrom(rewritten) : rewritten, result.report);
    const response = buildResponse({ status: notModified ? 304 : record.status, statusText: '', headers, body: call.info.method === 'HEAD' ? null : stored.body });
    const decisions = [...(upstream?.decisions ?? []), result.decision];
    return { response, decisions, originContacted: upstream?.originContacted ?? false, tags: stored.meta.tags };
  }

  /**
   * Forwards without validators, the downstream's included (nothing stored to validate, RFC 9111
   * §4.3.1), and stores the answer when the policy allows (R36–R47, R133).
   */
  async fetchAndStore(call: LayerCall, step: StepFacts): Promise<LeaderResult> {
    const requestTime = call.deps.now();
    const upstream = await call.forward(unconditional(call.outgoing));
    return this.storeAndPassDown(call, upstream, step, requestTime);
  }

  /** Stores an upstream answer if storable (write-behind), then hands it down; returns what waiters may share. */
  async storeAndPassDown(call: LayerCall, upstream: Exchange, step: StepFacts, requestTime: number): Promise<LeaderResult> {
    const responseTime = call.deps.now();
    const response = upstream.response;
    const upstreamStatus = response.status;
    if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') {
      return this.passDown(call, upstream, { ...step, upstreamStatus });
    }
    const facts = responseInfo(response);
    const first = storable(this.policy, { request: call.info, response: facts, responseTime });
    // R151: the downstream's own conditional is answered here (304 when its validators match).
    if (!first.storable) return this.passDown(call, answerConditional(upstream, call.info, responseTime), { ...step, upstreamStatus, storage: first });
    const body = await response.arrayBuffer();
    const sized = { ...facts, bodySize: body.byteLength };
    const decision = storable(this.policy, { request: call.info, response: sized, responseTime }); // R40 with the real size
    const entry = createStoredEntry(this.policy, { key: call.key, request: call.info, response: sized, decision, requestTime, responseTime });
    const tags = [...new Set([...entry.tags, ...upstream.tags])];
    const meta = this.newMeta(call, { ...entry, tags }, responseTime);
    if (decision.storable) this.track(call.key, this.store.put(meta, body), call.deps);
    const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers: facts.headers, body });
    const ttl = decision.storable ? entry.lifetime - entry.initialAge : undefined;
    const answered = answerConditional({ ...upstream, response: rebuilt, tags }, call.info, responseTime);
    const passed = this.passDown(call, answered, { ...step, upstreamStatus, storage: decision, ttl });
    return decision.storable ? { ...passed, shared: { kind: 'stored', meta, body } } : passed;
  }

  /** Hands an upstream answer down: header rewrite, Cache-Status member, x-vercel-cache, decision. */
  passDown(call: LayerCall, upstream: Exchange, step: StepFacts): Exchange {
    const response = upstream.response;
    const result = layerResult(this.facts(call, step), true);
    const decisions = [...upstream.decisions, result.decision];
    if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') return { ...upstream, decisions };
    const rewritten = rewriteForDownstream(this.policy, { headers: headerRecord(response.headers) }).headers;
    const headers = this.finish(rewritten, result.report);
    const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers, body: response.body });
    return { ...upstream, response: rebuilt, decisions };
  }

  facts(call: LayerCall, step: StepFacts): LayerFacts {
    return { layer: this.name, plan: call.plan, evaluation: call.evaluation, ...step };
  }

  private finish(headers: Record<string, string>, report: ReturnType<typeof layerResult>['report']): Record<string, string> {
    const out = { ...headers, 'cache-status': appendCacheStatus(headers['cache-status'], report.cacheStatus) };
    return this.options.extras.finish(out, report);
  }

  newMeta(call: LayerCall, record: StoredRecord, storedAt: number): NewEntry<StoredRecord> {
    return {
      id: variantKey(call.key, record.varyValues),
      layer: this.name,
      primaryKey: call.key,
      url: call.info.url,
      tags: [...record.tags],
      deployment: this.options.deployment,
      storedAt,
      record,
    };
  }

  /**
   * Runs a store write behind the response (the miss path does not wait for storage, performance.md):
   * later lookups of the key wait for it, waitUntil keeps the worker alive, a failure goes to onError
   * (the page already has the network's answer; only the copy is lost).
   */
  track(key: string, write: Promise<void>, deps: LayerDeps): void {
    const previous = this.writes.get(key);
    const settled = Promise.all([previous, write]).then(
      () => undefined,
      (error: unknown) => deps.onError(error),
    );
    this.writes.set(key, settled);
    void settled.then(() => {
      if (this.writes.get(key) === settled) this.writes.delete(key);
    });
    deps.waitUntil(settled);
  }
}

/**
 * R152 fields plus what a cache serving a stored response adds: `Age` (RFC 9111 §5.1, so a layer below
 * merging this 304 keeps the age penalty, R33) and the Cache-Status members so far (RFC 9211 §2).
 */
function notModifiedFrom(headers: Record<string, string>): Record<string, string> {
  const out = notModifiedHeaders(headers);
  for (const name of ['age', 'cache-status']) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
