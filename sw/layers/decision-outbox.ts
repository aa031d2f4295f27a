import type { DecisionMessage, DecisionRecord, ListeningMessage, ProtocolTag, WhoListensMessage } from '../../sdk/protocol.ts';

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

export interface DecisionOutbox {
  /** Numbers the record, keeps it for replay and posts it while any lease is live. */
  publish: (record: DecisionRecord) => void;
  /** A message on the decisions channel: a `listening` lease is taken and unposted records replayed. */
  receive: (data: unknown) => void;
}

interface Entry {
  message: DecisionMessage;
  posted: boolean;
}

/**
 * Decision records cost a structured clone and a cross-process post each, the largest part of a hit
 * when nobody listens (the bench's case). So records are posted only while some page context holds a
 * lease (ListeningMessage); the hit path compares one number. No record a listener should get is lost:
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
    entry.posted = true;
    channel?.postMessage(entry.message);
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
    publish(record) {
      const now = clock();
      record.seq = ++seq;
      const entry: Entry = { message: { tag: TAG, kind: 'decision', record, source, producedAt: now }, posted: false };
      recent.push(entry);
      const oldest = now - options.replayMs;
      while (recent.length > options.replayCount || (recent[0]?.message.producedAt ?? now) < oldest) recent.shift();
      if (now < liveUntil) post(entry);
    },
    receive(data) {
      if (!isListening(data)) return;
      const now = clock();
      takeLease(data, now);
      if (data.until <= now) return;
      for (const entry of recent) {
        if (!entry.posted && (entry.message.producedAt ?? 0) >= data.since) post(entry);
      }
    },
  };
}

function isListening(data: unknown): data is ListeningMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Partial<ListeningMessage>;
  return m.tag === TAG && m.kind === 'listening' && typeof m.context === 'string' && Number.isFinite(m.since) && Number.isFinite(m.until);
}
