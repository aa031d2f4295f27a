import { revalidationOutcome, type Evaluation, type UpstreamResult } from '../policy/index.ts';
import type { EntryMeta } from '../store/index.ts';
import type { CacheLayer, LayerCall, StepFacts } from './cache-layer.ts';
import type { Exchange } from './exchange.ts';
import { forwardWithDeadline } from './deadline.ts';
import { responseInfo } from './facts.ts';
import type { LeaderResult } from './flights.ts';
import { buildResponse, discard, headerRecord } from './http-message.ts';
import type { StoredRecord } from './stored-record.ts';

type Revalidation = Extract<Evaluation, { action: 'revalidate' }>;

/**
 * A foreground revalidation (R148–R150): forward with the stored validators, then the policy decides
 * (revalidationOutcome): merge a 304 (R149), replace (R150), delete (R47), serve stale on error
 * (R14, R144), pass the error on (R61) or answer 504 (R142).
 */
export async function revalidate(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord> | undefined, evaluation: Revalidation): Promise<LeaderResult> {
  if (!meta) return layer.fetchAndStore(call, {});
  const headers = new Headers(call.outgoing.headers);
  for (const [name, value] of Object.entries(evaluation.revalidation.headers)) headers.set(name, value);
  const requestTime = call.deps.now();
  let upstream: Exchange | undefined;
  let failure: unknown;
  try {
    upstream = await forwardWithDeadline(call.forward, { ...call.outgoing, headers }, { timeoutMs: call.deps.upstreamTimeoutMs, withPage: true });
  } catch (error) {
    failure = error;
  }
  const responseTime = call.deps.now();
  const usable = upstream && upstream.response.type !== 'error' ? upstream : undefined;
  const result: UpstreamResult = usable ? { response: responseInfo(usable.response) } : { networkError: true };
  const outcome = revalidationOutcome(layer.policy, { entry: meta.record, request: call.info, upstream: result, requestTime, responseTime });
  const upstreamStatus = usable ? usable.response.status : null;
  const step = { revalidation: outcome, upstreamStatus };
  switch (outcome.action) {
    case 'update': {
      if (usable) discard(usable.response);
      const record = { ...outcome.entry, tags: meta.tags };
      const stored = await readBody(layer, call, meta);
      if (!stored) return layer.fetchAndStore(call, {});
      const write = outcome.keep ? layer.store.updateMeta(meta.id, (m) => ({ ...m, record })) : layer.store.delete(meta.id);
      layer.track(call.key, write, call.deps);
      const served = { ...meta, record };
      const ttl = record.lifetime - record.initialAge;
      const exchange = layer.serveRecord(call, { meta: served, body: stored.body }, { ...step, ttl }, true, usable);
      return outcome.keep ? { ...exchange, shared: { kind: 'stored', meta: served, written: write.then(() => true, () => false) } } : exchange;
    }
    case 'replace': {
      const replaced = await layer.storeAndPassDown(call, usable as Exchange, step, requestTime);
      if (replaced.shared?.kind === 'stored' && replaced.shared.meta.id !== meta.id) layer.track(call.key, layer.store.delete(meta.id), call.deps);
      return replaced;
    }
    case 'delete':
      layer.track(call.key, layer.store.delete(meta.id), call.deps); // R47
      return layer.passDown(call, usable as Exchange, { ...step, storage: outcome.decision });
    case 'serve-stale': {
      if (usable) discard(usable.response);
      const stored = await readBody(layer, call, meta);
      if (!stored) throw failure instanceof Error ? failure : new TypeError('the stale entry vanished while revalidating');
      const exchange = layer.serveRecord(call, stored, step, true, usable);
      return { ...exchange, shared: { kind: 'stale', meta, body: stored.body } };
    }
    case 'forward-error':
      if (!usable) throw failure instanceof Error ? failure : new TypeError('network error'); // R61
      return shareError(layer, call, usable, step);
    case 'gateway-timeout': {
      // R142: must-revalidate and the origin unreachable.
      const response = buildResponse({ status: 504, statusText: 'Gateway Timeout', headers: { 'content-type': 'text/plain' }, body: 'Gateway Timeout' });
      return shareError(layer, call, { response, decisions: [], originContacted: true, tags: [] }, step);
    }
  }
}

/** Passes an error answer on, buffered so that collapsed waiters get the very same one (R59). */
async function shareError(layer: CacheLayer, call: LayerCall, upstream: Exchange, step: StepFacts): Promise<LeaderResult> {
  const { status, statusText } = upstream.response;
  const headers = headerRecord(upstream.response.headers);
  const body = await upstream.response.arrayBuffer();
  const exchange = layer.passDown(call, { ...upstream, response: buildResponse({ status, statusText, headers, body }) }, step);
  return { ...exchange, shared: { kind: 'error', status, statusText, headers, body } };
}

/** The stored body as a Blob (or hot-tier bytes): never read whole into memory. */
async function readBody(layer: CacheLayer, call: LayerCall, meta: EntryMeta<StoredRecord>) {
  try {
    return await layer.store.getBody(meta.id);
  } catch (error) {
    call.deps.onError(error);
    return undefined;
  }
}
