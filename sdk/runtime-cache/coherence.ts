/**
 * Cross-context coherence (P7, R82, R121, user-needs C7): after a write commits, one BroadcastChannel
 * message names the changed slots and expired tags. Receivers only drop their hot copies; they never
 * re-broadcast, so there are no echo loops. Data always travels through IndexedDB, never on the channel.
 */
export interface Invalidation {
  from: string;
  keys: string[];
  tags: string[];
  /** Every entry went (a `*` purge). */
  all?: boolean;
}

export interface Coherence {
  publish(keys: string[], tags: string[], all: boolean): void;
}

export function createCoherence(name: string, onRemote: (message: Invalidation) => void): Coherence {
  const self = Math.random().toString(36).slice(2);
  const Channel = globalThis.BroadcastChannel as typeof BroadcastChannel | undefined;
  // Deviation: without BroadcastChannel (very old browsers) contexts stay coherent only for cold reads.
  const channel = Channel ? new Channel(name) : undefined;
  if (channel) {
    channel.onmessage = (event: MessageEvent<Invalidation>) => {
      // A channel never hears its own posts; the id also drops posts from a twin channel in this context.
      if (event.data.from !== self) onRemote(event.data);
    };
  }
  return {
    publish(keys, tags, all) {
      if (keys.length || tags.length || all) channel?.postMessage({ from: self, keys, tags, all } satisfies Invalidation);
    },
  };
}
