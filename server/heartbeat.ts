/**
 * One timer per feed handler beats for all its open streams (a comment line keeps proxies from
 * closing an idle stream). A timer per connection cost each subscriber a Timeout object and a
 * closure (bench row feed.server.memory-per-tab); the timer runs only while a stream is open.
 */
export interface Heartbeat {
  /** Calls `beat` every interval until the returned function is called. */
  add(beat: () => void): () => void;
}

export function createHeartbeat(intervalMs: number): Heartbeat {
  const beats = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    add(beat) {
      beats.add(beat);
      timer ??= setInterval(() => {
        for (const each of beats) each();
      }, intervalMs);
      return () => {
        beats.delete(beat);
        if (beats.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
