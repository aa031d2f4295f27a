import type { DecisionMessage, DecisionRecord, ListeningMessage, ProtocolTag, WhoListensMessage } from '../sdk/protocol.ts';

const TAG: ProtocolTag = 'tiercache/1';

/** The part of a BroadcastChannel the outbox posts on. */
export interface OutboxChannel {
  postMessage(message: DecisionMessage | WhoListensMessage): void;
}

export interface OutboxOptions {
  /** The decisions channel (undefined where BroadcastChannel is missing: records are only buffered). */
  channel: OutboxChannel | undefined;
  /** Real time (ms since the epoch, never the simulated clock): leases and `since` are real times. */
  clock: () => number;
  /** This worker instance's id, carried by every record it posts. */
  source: string;
  /** How long an unposted record can still be replayed (ms). */
  replayMs: number;
  /** At most this many records are kept for replay. */
  replayCount: number;
}

/** A record handed to the outbox, as `amend` needs it. */
export interface PublishedRecord {
  readonly seq: number;
  /** Real ms. */
  readonly producedAt: number;
}

export interface DecisionOutbox {
  /** Numbers the record (built by `make`), keeps it for replay and posts it while any lease is live. */
  publish: (make: () => DecisionRecord) => PublishedRecord;
  /**
   * The hit path's gate: while no lease is live, keeps the record unbuilt for replay and returns it
   * (no timer, no waitUntil, no header reads); else returns undefined and the caller publishes it.
   */
  defer: (make: () => DecisionRecord) => PublishedRecord | undefined;
  /**
   * A corrected version of a published record (`make` builds it with the same content plus the
   * correction and its `revision`): a record not posted yet is simply built from `make` when it is;
   * one already posted is posted again (same seq and producedAt), now if a lease is live, else kept
   * for replay like any record.
   */
  amend: (published: PublishedRecord, make: () => DecisionRecord) => void;
  /** A message on the decisions channel: a `listening` lease is taken and unposted records replayed. */
  receive: (data: unknown) => void;
}

interface Entry extends PublishedRecord {
  /** Builds the record; dropped once posted (a deferred record is built only if a lease replays it). */
  make: (() => DecisionRecord) | undefined;
  /** Real ms when kept (what the replay window counts from; a correction is kept later than its record was produced). */
  keptAt: number;
}

/**
 * Publishing a record per request (a timer and a waitUntil to build and post it after the response)
 * was the largest part of a hit when nobody listens (the bench's case). So records are posted only
 * while some page context holds a lease (ListeningMessage), and while none does the hit path compares
 * one number and keeps a closure (`defer`). No record a listener should get is lost:
 * - a lease announced right before a fetch may arrive after that fetch's record (a BroadcastChannel
 *   message and a fetch event are not ordered), and a worker the browser stopped lost every lease
 *   (it asks `who-listens` when it starts, and the answers come after the first records); so recent
 *   records are kept even when nobody listens, and a lease replays the unposted ones produced since
 *   its context began listening. Listeners drop the duplicates (source + seq) and older records.
 */
export function createDecisionOutbox(options: OutboxOptions): DecisionOutbox {
  const { channel, clock, source } = options;
  const leases = new Map<string, number>();
  let liveUntil = 0;
  let seq = 0;
  const recent: Entry[] = [];

  const post = (entry: Entry) => {
    const record = entry.make?.();
    entry.make = undefined;
    if (!record) return;
    record.seq = entry.seq;
    record.source = source;
    const message: DecisionMessage = { tag: TAG, kind: 'decision', record, source, producedAt: entry.producedAt };
    channel?.postMessage(message);
  };
  const keep = (entry: Entry) => {
    recent.push(entry);
    const oldest = entry.keptAt - options.replayMs;
    while (recent.length > options.replayCount || (recent[0]?.keptAt ?? oldest) < oldest) recent.shift();
  };
  const takeLease = (lease: ListeningMessage, now: number) => {
    if (lease.until > now) leases.set(lease.context, lease.until);
    else leases.delete(lease.context); // released (stop) or already over
    liveUntil = 0;
    for (const [context, until] of leases) {
      if (until <= now) leases.delete(context);
      else liveUntil = Math.max(liveUntil, until);
    }
  };

  const whoListens: WhoListensMessage = { tag: TAG, kind: 'who-listens' };
  channel?.postMessage(whoListens);

  return {
    publish(make) {
      const now = clock();
      const entry: Entry = { make, seq: ++seq, producedAt: now, keptAt: now };
      keep(entry);
      if (now < liveUntil) post(entry);
      return entry;
    },
    defer(make) {
      const now = clock();
      if (now < liveUntil) return undefined;
      const entry: Entry = { make, seq: ++seq, producedAt: now, keptAt: now };
      keep(entry);
      return entry;
    },
    amend(published, make) {
      // The record itself, or an earlier correction of it, still waits to be posted: it is built from
      // the corrected `make` when it is (a trimmed entry is never posted: its `make` is unused).
      const waiting = [published as Entry, ...recent].find((entry) => entry.seq === published.seq && entry.make);
      if (waiting) {
        waiting.make = make;
        return;
      }
      const now = clock();
      const entry: Entry = { make, seq: published.seq, producedAt: published.producedAt, keptAt: now };
      keep(entry);
      if (now < liveUntil) post(entry);
    },
    receive(data) {
      if (!isListening(data)) return;
      const now = clock();
      takeLease(data, now);
      if (data.until <= now) return;
      for (const entry of recent) {
        if (entry.make && entry.producedAt >= data.since) post(entry);
      }
    },
  };
}

function isListening(data: unknown): data is ListeningMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Partial<ListeningMessage>;
  return m.tag === TAG && m.kind === 'listening' && typeof m.context === 'string' && Number.isFinite(m.since) && Number.isFinite(m.until);
}
