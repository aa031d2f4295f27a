import type { DecisionRecord, LayerName, NotStored } from '../../sdk/protocol.ts';

/**
 * One decision record (a page request's, or a background refresh's) and the corrections it may still
 * get: a layer decides to store when the response's headers arrive, and its write can be abandoned
 * once the body has passed what the layer may keep or storage failed (issue 15: bodies stream through
 * the layers). Until the record is handed to the outbox, a correction just lands in it (the record is
 * built from `make` when it is posted); after, each one is published as a new revision of the same
 * record (decision-outbox.ts `amend`, sdk/protocol.ts DecisionRecord.revision). Cache-Status already
 * left with the headers: only the record is corrected.
 */
export class AmendableRecord {
  /** Made on the first correction (rare): the hit path allocates nothing more. */
  private notStored: Map<LayerName, NotStored> | undefined;
  private revision = 0;
  private republish: (() => void) | undefined;

  constructor(private readonly build: () => DecisionRecord) {}

  /** The record as it stands now. */
  readonly make = (): DecisionRecord => {
    const record = this.build();
    const notStored = this.notStored;
    if (!notStored) return record;
    const layers = record.layers.map((decision) => {
      const why = notStored.get(decision.layer);
      return why ? { ...decision, stored: false, notStored: why } : decision;
    });
    return { ...record, layers, ...(this.revision > 0 ? { revision: this.revision } : {}) };
  };

  /** The record went to the outbox: a later correction calls `republish` (which posts `make` again). */
  handedOver(republish: () => void): void {
    this.republish = republish;
  }

  /** A layer's write was abandoned (Outgoing.onNotStored): the record now says so. */
  readonly layerNotStored = (layer: LayerName, why: NotStored): void => {
    const notStored = (this.notStored ??= new Map());
    if (notStored.has(layer)) return;
    notStored.set(layer, why);
    if (!this.republish) return;
    this.revision++;
    this.republish();
  };
}
