import { createStoredEntry, storable, variantKey, type LayerPolicy } from '../policy/index.ts';
import type { HttpStore, NewEntry } from '../store/index.ts';
import { answerConditional } from './cold-conditional.ts';
import type { Exchange } from './exchange.ts';
import { responseInfo } from './facts.ts';
import type { LeaderResult } from './flights.ts';
import type { HandDown } from './hand-down.ts';
import { buildResponse } from './http-message.ts';
import type { LayerCall, StepFacts } from './layer-call.ts';
import type { StoredRecord } from './stored-record.ts';
import type { WriteTracker } from './write-tracker.ts';

/** The parts of a layer that storing an upstream answer needs. */
export interface StoringLayer {
  policy: LayerPolicy;
  store: HttpStore<StoredRecord>;
  deployment: string;
  writes: WriteTracker;
  handDown: HandDown;
}

/**
 * Stores an upstream answer when the policy allows (R36–R47, R133; R40 with the real body size),
 * write-behind: the page gets the answer without waiting for storage. Then hands it down, answering
 * the downstream's own conditional (R151). Returns what collapsed requests may share (R59).
 */
export async function storeAndPassDown(layer: StoringLayer, call: LayerCall, upstream: Exchange, step: StepFacts, requestTime: number): Promise<LeaderResult> {
  const responseTime = call.deps.now();
  const response = upstream.response;
  const upstreamStatus = response.status;
  if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') {
    return layer.handDown.passDown(call, upstream, { ...step, upstreamStatus });
  }
  const facts = responseInfo(response);
  const first = storable(layer.policy, { request: call.info, response: facts, responseTime });
  // R151: the downstream's own conditional is answered here (304 when its validators match).
  if (!first.storable) return layer.handDown.passDown(call, answerConditional(upstream, call.info, responseTime), { ...step, upstreamStatus, storage: first });
  const body = await response.arrayBuffer();
  const sized = { ...facts, bodySize: body.byteLength };
  const decision = storable(layer.policy, { request: call.info, response: sized, responseTime }); // R40 with the real size
  const entry = createStoredEntry(layer.policy, { key: call.key, request: call.info, response: sized, decision, requestTime, responseTime });
  const tags = [...new Set([...entry.tags, ...upstream.tags])];
  const meta = newMeta(layer, call, { ...entry, tags }, responseTime);
  if (decision.storable) layer.writes.track(call.key, layer.store.put(meta, body), call.deps);
  const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers: facts.headers, body });
  const ttl = decision.storable ? entry.lifetime - entry.initialAge : undefined;
  const answered = answerConditional({ ...upstream, response: rebuilt, tags }, call.info, responseTime);
  const passed = layer.handDown.passDown(call, answered, { ...step, upstreamStatus, storage: decision, ttl });
  return decision.storable ? { ...passed, shared: { kind: 'stored', meta, body } } : passed;
}

function newMeta(layer: StoringLayer, call: LayerCall, record: StoredRecord, storedAt: number): NewEntry<StoredRecord> {
  return {
    id: variantKey(call.key, record.varyValues),
    layer: layer.policy.layer.name,
    primaryKey: call.key,
    url: call.info.url,
    tags: [...record.tags],
    deployment: layer.deployment,
    storedAt,
    record,
  };
}
