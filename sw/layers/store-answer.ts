import { createStoredEntry, maxStoredBodyBytes, storable, variantKey, type LayerPolicy } from '../policy/index.ts';
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
 * Stores an upstream answer when the policy allows (R36–R47, R133), while handing it down: the body
 * is split (ReadableStream tee), one branch goes to the page as it arrives, the other straight into
 * the store, which commits the entry only once the whole body is written. A body that errors (cut
 * off by the origin) or grows past what the layer may keep (R40 without Content-Length, the budget)
 * is still delivered as it is, and nothing of it is stored. The page cancelling its read does not
 * stop the store branch: the download finishes and the whole entry is kept (sw/README.md).
 * Then hands it down, answering the downstream's own conditional (R151). Returns what collapsed
 * requests may share (R59): the entry, once written.
 */
export async function storeAndPassDown(layer: StoringLayer, call: LayerCall, upstream: Exchange, step: StepFacts, requestTime: number): Promise<LeaderResult> {
  const responseTime = call.deps.now();
  const response = upstream.response;
  const upstreamStatus = response.status;
  if (response.type === 'opaqueredirect' || response.type === 'error' || response.type === 'opaque') {
    return layer.handDown.passDown(call, upstream, { ...step, upstreamStatus });
  }
  // R40 with Content-Length when the origin sends one (the body's size is known before it arrives).
  const facts = responseInfo(response);
  const decision = storable(layer.policy, { request: call.info, response: facts, responseTime });
  // R151: the downstream's own conditional is answered here (304 when its validators match).
  if (!decision.storable) return layer.handDown.passDown(call, answerConditional(upstream, call.info, responseTime), { ...step, upstreamStatus, storage: decision });
  const entry = createStoredEntry(layer.policy, { key: call.key, request: call.info, response: facts, decision, requestTime, responseTime });
  const tags = [...new Set([...entry.tags, ...upstream.tags])];
  const meta = newMeta(layer, call, { ...entry, tags }, responseTime);
  const [toPage, toStore] = response.body ? response.body.tee() : [null, new ArrayBuffer(0)];
  const write = layer.store.put(meta, toStore, { maxBytes: maxStoredBodyBytes(layer.policy) });
  // A store that refused the write without reading its branch would leave it filling up in memory.
  if (toStore instanceof ReadableStream) write.catch(() => (toStore.locked ? undefined : toStore.cancel().catch(() => undefined)));
  layer.writes.track(call.key, write, call.deps);
  const rebuilt = buildResponse({ status: response.status, statusText: response.statusText, headers: facts.headers, body: toPage });
  const ttl = entry.lifetime - entry.initialAge;
  const answered = answerConditional({ ...upstream, response: rebuilt, tags }, call.info, responseTime);
  const passed = layer.handDown.passDown(call, answered, { ...step, upstreamStatus, storage: decision, ttl });
  return { ...passed, shared: { kind: 'stored', meta, written: write.then(() => true, () => false) } };
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
