import {
  cacheKey,
  createStoredEntry,
  evaluate,
  freshenedRecord,
  maxStoredBodyBytes,
  planRequest,
  storable,
  upstreamRequestHeaders,
  type Evaluation,
  type LayerPolicy,
} from '../policy/index.ts';
import type { DecisionRecord } from '../../sdk/protocol.ts';
import type { EntryMeta, HttpStore, StoredBody } from '../store/index.ts';
import { AmendableRecord } from './amendable-record.ts';
import { refreshRecord, type RefreshOptions, type RefreshResult } from './background-refresh.ts';
import { settledBy, WRITE_WAIT_MS } from './bounded-wait.ts';
import { answerConditional, unconditional } from './cold-conditional.ts';
import type { Exchange, Forward, LayerDeps, Outgoing } from './exchange.ts';
import { requestInfo, responseInfo } from './facts.ts';
import { Flights, type LeaderResult, type SharedAnswer } from './flights.ts';
import { HandDown } from './hand-down.ts';
import { buildResponse, discard } from './http-message.ts';
import type { LayerExtras } from './layer-extras.ts';
import type { LayerCall, StepFacts } from './layer-call.ts';
import { layerResult } from './layer-report.ts';
import { askUpstream, bufferError } from './revalidate.ts';
import { entryFor, storeWhileForwarding } from './store-answer.ts';
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

type Fresh = Extract<Evaluation, { action: 'fresh' | 'stale-while-revalidate' }>;
type Revalidation = Extract<Evaluation, { action: 'revalidate' }>;

/**
 * One cache layer. A request through it reads top to bottom in `handle`: plan → look up its store →
 * the policy decides (evaluate) → serve what is stored (`serveStored`, with a background refresh when
 * stale), revalidate (`revalidate`), or forward (`fetchAndStore`) → store while forwarding
 * (`storeAndPassDown`) → hand the response down with the layer's header rewrite (R26–R34), Cache-Status
 * member (RFC 9211), x-vercel-cache at the edge, and a decision. Everything it calls (policy, store,
 * flights, askUpstream, storeWhileForwarding, HandDown) returns values and never calls back here.
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
  private readonly refreshing = new Set<string>();
  /** Store writes behind the responses: a lookup of a key waits for its writes, so a new entry is never missed. */
  private readonly writes = new WriteTracker();
  private readonly handDown: HandDown;

  constructor(private readonly options: CacheLayerOptions) {
    this.policy = options.policy;
    this.store = options.store;
    this.handDown = new HandDown({ policy: options.policy, extras: options.extras });
  }

  get name() {
    return this.policy.layer.name;
  }

  /** Resolves once the writes in progress have settled (an unsafe method's invalidation; inspect, bounded). */
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

    // 1. Requests the layer does not look up: unsafe methods (R153–R155) and bypasses.
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

    // 2. Look up (after the key's writes in progress, within the request's patience) and decide.
    let variants: EntryMeta<StoredRecord>[];
    try {
      call.key = cacheKey(this.policy, info);
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

    // 3. Serve, revalidate or forward; collapsed per key (R59).
    switch (evaluation.action) {
      case 'fresh':
      case 'stale-while-revalidate':
        return this.serveStored(call, metaOf(evaluation.entry), evaluation);
      case 'revalidate': {
        const meta = metaOf(evaluation.entry);
        return this.collapsed(`rv|${meta?.id ?? call.key}`, call, () => this.revalidate(call, meta, evaluation));
      }
      case 'miss': {
        const doomed = metaOf(evaluation.entry);
        if (evaluation.deleteEntry && doomed) this.writes.track(call.key, this.store.delete(doomed.id), deps); // R79
        return this.collapsed(`miss|${call.key}`, call, () => this.fetchAndStore(call, {}));
      }
      case 'unavailable':
        // R156: only-if-cached with nothing usable is a network error, as in the browser's own cache.
        return { response: Response.error(), decisions: [layerResult(this.handDown.facts(call, {}), false).decision], originContacted: false, tags: [] };
    }
  }

  /** A fresh hit, or stale content plus one background refresh (R12, R78, R143). */
  private async serveStored(call: LayerCall, meta: EntryMeta<StoredRecord> | undefined, evaluation: Fresh): Promise<Exchange> {
    // The body as a Blob: the page's response streams it from Cache Storage, nothing is copied. Its
    // read starts before the refresh, so a refresh that deletes the entry (R47) cannot turn this stale
    // answer into a miss.
    const reading = meta ? this.store.getBody(meta.id) : Promise.resolve(undefined);
    // The refresh is claimed before any await: a request that read the old entry can never start a
    // second refresh once the first one has landed (R59: at most one refresh per key).
    if (evaluation.action === 'stale-while-revalidate' && meta) {
      const endToEnd = evaluation.reason !== 'stale-time';
      this.refreshInBackground(call, meta, { validators: evaluation.revalidation.headers, endToEnd, trigger: evaluation.reason, after: reading });
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
    return this.handDown.serveRecord(call, stored, { ttl: evaluation.ttl }, false);
  }

  /**
   * A foreground revalidation (R148–R150): forward with the stored validators, then the policy decides
   * (askUpstream): merge a 304 (R149), replace (R150), delete (R47), serve stale on error (R14, R144),
   * pass the error on (R61) or answer 504 (R142).
   */
  private async revalidate(call: LayerCall, meta: EntryMeta<StoredRecord> | undefined, evaluation: Revalidation): Promise<LeaderResult> {
    if (!meta) return this.fetchAndStore(call, {});
    const { usable, failure, outcome, requestTime } = await askUpstream({
      policy: this.policy, forward: call.forward, outgoing: call.outgoing, request: call.info, entry: meta.record,
      validators: evaluation.revalidation.headers, endToEnd: false, background: false,
      timeoutMs: call.deps.upstreamTimeoutMs, now: call.deps.now,
    });
    const step = { revalidation: outcome, upstreamStatus: usable ? usable.response.status : null };
    switch (outcome.action) {
      case 'update': {
        if (usable) discard(usable.response);
        const record = { ...outcome.entry, tags: meta.tags };
        const stored = await this.readStored(call, meta);
        // Gone, or replaced by a newer copy (a deletion, then a miss stored one under the same id, R79):
        // the body this 304 validated is not there to serve (R149). A purge's marks or another 304 keep
        // the body and its storedAt.
        if (!stored || stored.meta.storedAt !== meta.storedAt) return this.fetchAndStore(call, {});
        const write = outcome.keep ? this.store.updateMeta(meta.id, (m) => freshen(m, meta.record, record)) : this.store.delete(meta.id);
        this.writes.track(call.key, write, call.deps);
        const served = { ...meta, record };
        const ttl = record.lifetime - record.initialAge;
        const exchange = this.handDown.serveRecord(call, { meta: served, body: stored.body }, { ...step, ttl }, true, usable);
        return outcome.keep ? { ...exchange, shared: { kind: 'stored', meta: served, written: succeeded(write) } } : exchange;
      }
      case 'replace': {
        const replaced = this.storeAndPassDown(call, usable as Exchange, step, requestTime);
        if (replaced.shared?.kind === 'stored' && replaced.shared.meta.id !== meta.id) this.writes.track(call.key, this.store.delete(meta.id), call.deps);
        return replaced;
      }
      case 'delete':
        this.writes.track(call.key, this.store.delete(meta.id), call.deps); // R47
        return this.passDown(call, usable as Exchange, { ...step, storage: outcome.decision });
      case 'serve-stale': {
        if (usable) discard(usable.response);
        const stored = await this.readStored(call, meta);
        if (!stored) throw failure instanceof Error ? failure : new TypeError('the stale entry vanished while revalidating');
        const exchange = this.handDown.serveRecord(call, stored, step, true, usable);
        return { ...exchange, shared: { kind: 'stale', meta, body: stored.body } };
      }
      case 'forward-error': {
        if (!usable) throw failure instanceof Error ? failure : new TypeError('network error'); // R61
        const buffered = await bufferError(usable.response);
        return { ...this.passDown(call, { ...usable, response: buffered.response }, step), shared: buffered.shared };
      }
      case 'gateway-timeout': {
        // R142: must-revalidate and the origin unreachable.
        const timeout = buildResponse({ status: 504, statusText: 'Gateway Timeout', headers: { 'content-type': 'text/plain' }, body: 'Gateway Timeout' });
        const buffered = await bufferError(timeout);
        return { ...this.passDown(call, { response: buffered.response, decisions: [], originContacted: true, tags: [] }, step), shared: buffered.shared };
      }
    }
  }

  /**
   * Forwards without validators, the downstream's included (nothing stored to validate, RFC 9111
   * §4.3.1), and stores the answer when the policy allows (R36–R47, R133).
   */
  private async fetchAndStore(call: LayerCall, step: StepFacts): Promise<LeaderResult> {
    const requestTime = call.deps.now();
    const upstream = await call.forward(unconditional(call.outgoing));
    return this.storeAndPassDown(call, upstream, step, requestTime);
  }

  /**
   * Stores an upstream answer when the policy allows (R36–R47, R133; R40 from Content-Length, or
   * counted while the body streams), while handing it down (storeWhileForwarding: the page never waits
   * for the store, and the entry appears only once its whole body is written). Answers the
   * downstream's own conditional (R151). Returns what collapsed requests may share (R59).
   */
  private storeAndPassDown(call: LayerCall, upstream: Exchange, step: StepFacts, requestTime: number): LeaderResult {
    const responseTime = call.deps.now();
    const response = upstream.response;
    const upstreamStatus = response.status;
    if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') {
      return this.passDown(call, upstream, { ...step, upstreamStatus });
    }
    const facts = responseInfo(response);
    const decision = storable(this.policy, { request: call.info, response: facts, responseTime });
    if (!decision.storable) return this.passDown(call, answerConditional(upstream, call.info, responseTime), { ...step, upstreamStatus, storage: decision });
    const stored = createStoredEntry(this.policy, { key: call.key, request: call.info, response: facts, decision, requestTime, responseTime });
    const tags = [...new Set([...stored.tags, ...upstream.tags])];
    const entry = entryFor({ layer: this.name, key: call.key, request: call.info, deployment: this.options.deployment, record: { ...stored, tags }, storedAt: responseTime });
    const { forward, write, notStored } = storeWhileForwarding(this.store, entry, response.body, maxStoredBodyBytes(this.policy));
    this.writes.track(call.key, write, call.deps);
    // The decision (and Cache-Status) said stored; a write abandoned later corrects the record only.
    const told = call.outgoing.onNotStored;
    if (told) void notStored.then((why) => why && told(this.name, why));
    const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers: facts.headers, body: forward });
    const answered = answerConditional({ ...upstream, response: rebuilt, tags }, call.info, responseTime);
    const passed = this.passDown(call, answered, { ...step, upstreamStatus, storage: decision, ttl: stored.lifetime - stored.initialAge });
    return { ...passed, shared: { kind: 'stored', meta: entry, written: succeeded(write) } };
  }

  /** Hands an upstream answer down: header rewrite, Cache-Status member, x-vercel-cache, decision. */
  private passDown(call: LayerCall, upstream: Exchange, step: StepFacts): Exchange {
    return this.handDown.passDown(call, upstream, step);
  }

  /** R59: the request leads the key's flight, or joins the one in progress (joinFlight). */
  private collapsed(flightKey: string, call: LayerCall, lead: () => Promise<LeaderResult>): Promise<Exchange> {
    return this.flights.run(flightKey, { lead, join: (shared) => this.joinFlight(call, shared), settled: () => this.settled(call.key) });
  }

  /**
   * What a waiting request gets from the leader's outcome (R59; reported `collapsed`): the entry it
   * stored when the policy would serve it to this request (Vary, private or uncacheable answers are
   * never handed to another request), and for a revalidation also its failure — the same stale-if-error
   * copy, error response or network error. Undefined: it leads a flight of its own.
   */
  private async joinFlight(call: LayerCall, shared: SharedAnswer | undefined): Promise<Exchange | undefined> {
    switch (shared?.kind) {
      case 'stored': {
        // The leader's body may still be arriving: wait for its entry (within the request's patience,
        // so a slow large download never holds this request: it then fetches for itself), then serve it.
        if (!(await settledBy(shared.written, call.patience)) || !(await shared.written)) return undefined;
        const stored = await this.store.getBody(shared.meta.id).catch((error: unknown) => call.deps.onError(error));
        if (!stored) return undefined;
        if (evaluate(this.policy, { entries: [stored.meta.record], request: call.info, now: call.deps.now() }).action !== 'fresh') return undefined;
        return this.handDown.serveRecord(call, stored, { collapsed: true }, false);
      }
      case 'stale':
        return this.handDown.serveRecord(call, shared, { collapsed: true, revalidation: { action: 'serve-stale', reason: 'stale-if-error' } }, false);
      case 'error': {
        const response = buildResponse({ status: shared.status, statusText: shared.statusText, headers: shared.headers, body: shared.body });
        const upstream = { response, decisions: [], originContacted: false, tags: [] };
        return this.passDown(call, upstream, { collapsed: true, upstreamStatus: shared.status, revalidation: { action: 'forward-error', reason: 'error-response' } });
      }
      case 'failure':
        // Only a revalidation's failure is shared: a failed miss leaves each waiter to try on its own.
        if (call.evaluation?.action !== 'revalidate') return undefined;
        throw shared.error;
      default:
        return undefined;
    }
  }

  /**
   * The refresh behind a stale answer (R12, R78, R143): at most one per variant (R59), kept alive by
   * event.waitUntil (user-needs A11), never failing anything: an error keeps the last good copy (R58).
   * Once its write has landed it publishes a decision record with `background` set.
   */
  private refreshInBackground(call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): void {
    if (this.refreshing.has(meta.id)) return;
    this.refreshing.add(meta.id);
    const at = call.deps.now();
    // The refresh's own record, corrected when a layer it went through abandons its write (the layers
    // above may still be writing when it is published; this layer's write has settled by then).
    let made: DecisionRecord | undefined;
    const record = new AmendableRecord(() => made as DecisionRecord);
    const refreshing: LayerCall = { ...call, outgoing: { ...call.outgoing, onNotStored: record.layerNotStored } };
    const publish = (result: RefreshResult, error?: unknown) => {
      made = refreshRecord({ layer: this.name, call, at, trigger: options.trigger, result, error });
      call.deps.onDecision?.(record);
    };
    // The claim is released only once the refreshed entry is written, so no request can see the old
    // entry after the refresh and start another one.
    const task = this.refresh(refreshing, meta, options)
      .then(async (result) => {
        await this.settled(call.key);
        publish(result);
      })
      .catch((error: unknown) => {
        call.deps.onError(error);
        publish({ upstream: undefined, outcome: 'failed', decisions: [] }, error);
      })
      .finally(() => this.refreshing.delete(meta.id));
    call.deps.waitUntil(task);
  }

  private async refresh(call: LayerCall, meta: EntryMeta<StoredRecord>, options: RefreshOptions): Promise<RefreshResult> {
    const { usable, outcome, requestTime } = await askUpstream({
      policy: this.policy, forward: call.forward, outgoing: call.outgoing, request: call.info, entry: meta.record,
      validators: options.validators, endToEnd: options.endToEnd, background: true,
      timeoutMs: call.deps.upstreamTimeoutMs, now: call.deps.now,
    });
    const background: LayerCall = { ...call, evaluation: undefined };
    // This layer's own decision when it does not hand a response down (passDown records it otherwise).
    const own = () => [...(usable?.decisions ?? []), layerResult(this.handDown.facts(background, { revalidation: outcome, upstreamStatus: usable?.response.status ?? null }), true).decision];
    await options.after?.catch(() => undefined); // a failed read is the stale answer's to report
    switch (outcome.action) {
      case 'update': {
        if (usable) discard(usable.response);
        const record = { ...outcome.entry, tags: meta.tags };
        await (outcome.keep ? this.store.updateMeta(meta.id, (m) => freshen(m, meta.record, record)) : this.store.delete(meta.id));
        return { upstream: usable, outcome: outcome.keep ? 'updated' : 'deleted', decisions: own() };
      }
      case 'replace': {
        const replaced = this.storeAndPassDown(background, usable as Exchange, { revalidation: outcome }, requestTime);
        discard(replaced.response); // the store's branch of the body reads on (storeWhileForwarding)
        const shared = replaced.shared?.kind === 'stored' ? replaced.shared : undefined;
        const stored = shared ? await shared.written : false;
        if (shared && stored && shared.meta.id !== meta.id) await this.store.delete(meta.id);
        return { upstream: usable, outcome: stored ? 'stored' : 'not-stored', decisions: replaced.decisions };
      }
      case 'delete':
        if (usable) discard(usable.response);
        await this.store.delete(meta.id); // R47
        return { upstream: usable, outcome: 'deleted', decisions: own() };
      default:
        if (usable) discard(usable.response); // R58: keep serving the last good copy
        return { upstream: usable, outcome: 'failed', decisions: own() };
    }
  }

  /** The stored body as a Blob (or hot-tier bytes): never read whole into memory. */
  private async readStored(call: LayerCall, meta: EntryMeta<StoredRecord>): Promise<StoredBody<StoredRecord> | undefined> {
    try {
      return await this.store.getBody(meta.id);
    } catch (error) {
      call.deps.onError(error);
      return undefined;
    }
  }
}

/**
 * A 304's freshened record written over the entry as it is now, not as the revalidation read it: a
 * tag purge that landed meanwhile keeps its marks, a newer copy stays (freshenedRecord: R78, R79,
 * R149). Undefined leaves the entry as it is.
 */
function freshen(current: EntryMeta<StoredRecord>, validated: StoredRecord, freshened: StoredRecord): EntryMeta<StoredRecord> | undefined {
  const record = freshenedRecord(validated, current.record, freshened);
  return record ? { ...current, record } : undefined;
}

/** Whether a write landed (its failure is reported where it is tracked). */
function succeeded(write: Promise<void>): Promise<boolean> {
  return write.then(
    () => true,
    () => false,
  );
}
