import type { DecisionChannelName, DecisionMessage, DecisionRecord, ListeningMessage, ProtocolTag, WhoListensMessage } from '../protocol.ts';

const DECISIONS: DecisionChannelName = 'tiercache:decisions';
const TAG: ProtocolTag = 'tiercache/1';
/**
 * A lease is renewed every 10 s but lasts 90 s: Chromium aligns the timers of a page hidden for
 * minutes to one wake-up a minute (intensive throttling), and a lapsed lease loses the records made
 * while it lapsed beyond the worker's replay window. A context that stops listening releases its lease.
 */
const RENEW_MS = 10_000;
const LEASE_MS = 90_000;
/** Records remembered per context to drop replayed duplicates (the worker replays at most 200). */
const SEEN_LIMIT = 1_000;

interface Listener {
  deliver: (record: DecisionRecord) => void;
  /** Real ms when it subscribed: it gets the records produced from then on. */
  since: number;
}

interface Feed {
  listeners: Set<Listener>;
  close: () => void;
}

/** One feed per page context (module instance), open while it has decision listeners. */
let feed: Feed | undefined;

/**
 * Adds a decision listener; returns its unsubscribe function. The worker posts records only while a
 * page context holds a lease (sw/README.md "Decision records"): the first listener of this context
 * opens the channel and announces a lease, renewed while any listener remains and released with the
 * last one. The worker replays the records it could not post yet (a fetch racing the announcement, a
 * restarted worker), so duplicates are dropped here by worker instance and sequence number; a
 * corrected record (`record.revision`) is delivered again.
 */
export function listenForDecisions(deliver: (record: DecisionRecord) => void): () => void {
  const listener: Listener = { deliver, since: Date.now() };
  const current = (feed ??= openFeed());
  current.listeners.add(listener);
  return () => {
    if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
    current.close();
    if (feed === current) feed = undefined;
  };
}

function openFeed(): Feed {
  const listeners = new Set<Listener>();
  const channel = new BroadcastChannel(DECISIONS);
  const context = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const since = Date.now();
  const seen = new Map<string, number>();
  const announce = (until: number) => {
    const message: ListeningMessage = { tag: TAG, kind: 'listening', context, since, until };
    channel.postMessage(message);
  };
  channel.onmessage = (event: MessageEvent<DecisionMessage | WhoListensMessage | null>) => {
    const data = event.data;
    if (data?.tag !== TAG) return;
    if (data.kind === 'who-listens') announce(Date.now() + LEASE_MS);
    else if (data.kind === 'decision' && firstSight(seen, data)) dispatch(listeners, data);
  };
  announce(Date.now() + LEASE_MS);
  const timer = setInterval(() => announce(Date.now() + LEASE_MS), RENEW_MS);
  return {
    listeners,
    close: () => {
      clearInterval(timer);
      announce(0);
      channel.close();
    },
  };
}

/**
 * False for a record this context already had (replayed after it was posted live, or twice), or had
 * in a later revision; a corrected record (a higher `revision` of the same source and seq) is new.
 */
function firstSight(seen: Map<string, number>, message: DecisionMessage): boolean {
  if (message.source === undefined || message.record.seq === undefined) return true;
  const key = `${message.source}:${message.record.seq}`;
  const revision = message.record.revision ?? 0;
  const had = seen.get(key);
  if (had !== undefined && had >= revision) return false;
  seen.set(key, revision);
  if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value as string);
  return true;
}

function dispatch(listeners: Set<Listener>, message: DecisionMessage): void {
  message.record.source ??= message.source; // a worker of before `record.source` stamps only the message
  for (const listener of [...listeners]) {
    if (message.producedAt !== undefined && message.producedAt < listener.since) continue;
    try {
      listener.deliver(message.record);
    } catch (error) {
      // One throwing listener must not starve the others; the error still surfaces as uncaught.
      setTimeout(() => {
        throw error;
      }, 0);
    }
  }
}
