import {
  cacheKey,
  evaluate,
  planRequest,
  upstreamRequestHeaders,
  type Evaluation,
  type LayerFacts,
  type LayerPolicy,
} from '../policy/index.ts';
import type { EntryMeta, HttpStore } from '../store/index.ts';
import { refreshInBackground } from './background-refresh.ts';
import type { Exchange, Forward, LayerDeps, Outgoing } from './exchange.ts';
import { settledBy, WRITE_WAIT_MS } from './bounded-wait.ts';
import { requestInfo } from './facts.ts';
import { Flights, type LeaderResult } from './flights.ts';
import { unconditional } from './cold-conditional.ts';
import { HandDown } from './hand-down.ts';
import type { LayerExtras } from './layer-extras.ts';
import type { LayerCall, StepFacts, StoredAnswer } from './layer-call.ts';
import { layerResult } from './layer-report.ts';
import { revalidate } from './revalidate.ts';
import { storeAndPassDown } from './store-answer.ts';
import type { StoredRecord } from './stored-record.ts';
import { WriteTracker } from './write-tracker.ts';
import { writeThrough } from './write-through.ts';

export type { LayerCall, StepFacts } from './layer-call.ts';

export interface CacheLayerOptions {
  policy: LayerPolicy;
  store: HttpStore<StoredRecord>;
  deployment: string;
  /** R24: the simulated region, part of the edge key (undefined: no region dimension). */
  region?: string | undefined;
  /** Layer-specific additions (the edge's visitor headers and x-vercel-cache). */
  extras: LayerExtras;
}

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
  /** Store writes behind the responses: a lookup of a key waits for its writes, so a new entry is never missed. */
  readonly writes = new WriteTracker();
  readonly handDown: HandDown;
  readonly deployment: string;

  constructor(private readonly options: CacheLayerOptions) {
    this.policy = options.policy;
    this.store = options.store;
    this.deployment = options.deployment;
    this.handDown = new HandDown({ policy: options.policy, extras: options.extras });
  }

  get name() {
    return this.policy.layer.name;
  }

  /** Resolves once the writes in progress have settled (inspect and purges see what was served). */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /** Resolves once the writes in progress for one key have settled. */
  async settled(key: string): Promise<void> {
    await this.writes.pending(key);
  }

  async handle(outgoing: Outgoing, forward: Forward, deps: LayerDeps): Promise<Exchange> {
    this.options.extras.prepare(outgoing, deps);
    const info = requestInfo(outgoing, this.options.deployment, this.options.region);
    const plan = planRequest(this.policy, info);
    // Fetch's HTTP-network-or-cache step: cache modes become request headers upstream (a reload
    // reaches the edge as Pragma: no-cache, R56). Only the private layer adds any.
    for (const [name, value] of Object.entries(upstreamRequestHeaders(this.policy, info))) outgoing.headers.set(name, value);
    outgoing.patience ??= performance.now() + WRITE_WAIT_MS;
    const call: LayerCall = { outgoing, forward, deps, info, plan, key: '', patience: outgoing.patience };
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
      // A write of this key in progress lands first (a new entry is never missed), unless its body is
      // still streaming past this request's patience (bounded-wait.ts).
      const pending = this.writes.pending(call.key);
      if (pending) await settledBy(pending, call.patience);
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

  /** The page-side response for a stored record (see HandDown). */
  serveRecord(call: LayerCall, stored: StoredAnswer, step: StepFacts, forwarded: boolean, upstream?: Exchange): Exchange {
    return this.handDown.serveRecord(call, stored, step, forwarded, upstream);
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
  storeAndPassDown(call: LayerCall, upstream: Exchange, step: StepFacts, requestTime: number): Promise<LeaderResult> {
    return storeAndPassDown(this, call, upstream, step, requestTime);
  }

  /** Hands an upstream answer down: header rewrite, Cache-Status member, x-vercel-cache, decision. */
  passDown(call: LayerCall, upstream: Exchange, step: StepFacts): Exchange {
    return this.handDown.passDown(call, upstream, step);
  }

  facts(call: LayerCall, step: StepFacts): LayerFacts {
    return this.handDown.facts(call, step);
  }

  /** Runs a store write behind the response (see WriteTracker). */
  track(key: string, write: Promise<void>, deps: LayerDeps): void {
    this.writes.track(key, write, deps);
  }
}
