/**
 * Cross-context coherence (P7, R82, R121, user-needs C7): after a write commits, one BroadcastChannel
 * message names the changed slots and expired tags. Receivers only drop their hot copies; they never
 * re-broadcast, so there are no echo loops. Data always travels through IndexedDB, never on the channel.
 *
 * Presence: a BroadcastChannel post costs about as much as the IndexedDB write it follows (measured in
 * Chromium), and with no other context there is no hot copy to drop. So a context says `hello` when its
 * channel opens (and after a freeze), every context answers an unknown peer, and a write is posted only
 * while some peer is known. A write skipped before a peer became known may have raced that peer's first
 * reads, so the first message to a new peer after a skipped write is `all` (drop every hot copy).
 */
export interface Invalidation {
  /** A random number per channel: 2^-52 odds that two contexts pick the same one. */
  from: number;
  keys: string[];
  tags: string[];
  /** Every entry went (a `*` purge), or a peer may have missed writes: drop every hot copy. */
  all?: boolean;
  /** A context whose channel just opened; every listener answers so it learns its peers. */
  hello?: boolean;
}

export interface Coherence {
  publish(keys: string[], tags: string[], all: boolean): void;
  /** Announces this context again (after a freeze, peers may have appeared unseen). */
  hello(): void;
}

export function createCoherence(name: string, onRemote: (message: Invalidation) => void): Coherence {
  const self = Math.random();
  const Channel = globalThis.BroadcastChannel as typeof BroadcastChannel | undefined;
  // Deviation: without BroadcastChannel (very old browsers) contexts stay coherent only for cold reads.
  const channel = Channel ? new Channel(name) : undefined;
  const peers = new Set<number>();
  let skipped = false; // a write was not posted because no peer was known
  const post = (message: Omit<Invalidation, 'from'>): void => channel?.postMessage({ from: self, ...message });
  const hello = (): void => post({ keys: [], tags: [], hello: true });
  if (channel) {
    channel.onmessage = (event: MessageEvent<Invalidation>) => {
      const message = event.data;
      // A channel never hears its own posts; the id also drops posts from a twin channel in this context.
      if (message.from === self) return;
      if (!peers.has(message.from)) {
        peers.add(message.from);
        if (skipped || message.hello) post({ keys: [], tags: [], all: skipped });
        skipped = false;
      }
      onRemote(message);
    };
    hello();
  }
  return {
    publish(keys, tags, all) {
      // Callers never publish nothing: every write batch names a key, a tag or `all`.
      if (peers.size) post({ keys, tags, all });
      else skipped = true;
    },
    hello,
  };
}
