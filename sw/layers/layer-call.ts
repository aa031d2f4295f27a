import type { LayerFacts, Evaluation, RequestInfo, RequestPlan } from '../policy/index.ts';
import type { EntryMeta } from '../store/index.ts';
import type { Forward, LayerDeps, Outgoing } from './exchange.ts';
import type { StoredRecord } from './stored-record.ts';

/** Everything about the request in progress that the layer's steps share. */
export interface LayerCall {
  outgoing: Outgoing;
  forward: Forward;
  deps: LayerDeps;
  info: RequestInfo;
  plan: RequestPlan;
  key: string;
  evaluation?: Evaluation | undefined;
  /** Until when (performance.now()) this request may wait for other requests' writes of its key (bounded-wait.ts). */
  patience: number;
}

/** What happened in this layer, beyond the plan and evaluation the call already holds. */
export type StepFacts = Omit<LayerFacts, 'layer' | 'plan' | 'evaluation'>;

/** A stored response to serve: the body as read for sharing (ArrayBuffer) or as a Blob (the hit path). */
export interface StoredAnswer {
  meta: Pick<EntryMeta<StoredRecord>, 'record' | 'tags'>;
  body: ArrayBuffer | Blob;
}
