/**
 * Persists the read recency (lastUsed) of stored entries behind the hit path, so the LRU order
 * survives a restart without a write per hit. A read only marks its id; the marked entries are
 * committed in one batch DELAY_MS later, or at once when the store is about to mutate (a mutation
 * that settled implies the reads before it are persisted).
 *
 * Why not a commit per read: it put an IndexedDB readwrite transaction next to every served response,
 * which measured about a third of a hit's time (bench/ `http.tc-hit`, 1.60× → 1.15× Workbox).
 * The store updates its in-memory order at once, so eviction within this run stays exact.
 * Deviation: a worker stopped within DELAY_MS of a read forgets that read's recency after a restart
 * (R119 keeps its meaning: only the order across restarts is approximate for that last second).
 */
const DELAY_MS = 1000;

export interface RecencyWriterOptions<S> {
  /** The current slot of an id, or undefined when it is gone (removed or never stored). */
  current: (id: string) => S | undefined;
  /** Writes the slots' metadata (one transaction). */
  commit: (slots: readonly S[]) => Promise<void>;
  /** Runs the commit in the store's queue of mutations, so it never writes a replaced slot. */
  enqueue: (task: () => Promise<void>) => Promise<void>;
  /** A failed write is only reported: the entries and their bodies are unaffected. */
  onError: (error: unknown) => void;
}

export class RecencyWriter<S> {
  private readonly touched = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RecencyWriterOptions<S>) {}

  /** Marks a read; its lastUsed is persisted with the next batch. */
  touch(id: string): void {
    this.touched.add(id);
    this.timer ??= setTimeout(() => this.flush(), DELAY_MS);
  }

  /** Queues the pending batch now (no-op when nothing was read since the last one). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.touched.size === 0) return;
    const ids = [...this.touched];
    this.touched.clear();
    this.options
      .enqueue(() => {
        // Resolved when the commit runs: an entry replaced meanwhile is written as it is then.
        const slots = ids.flatMap((id) => this.options.current(id) ?? []);
        return slots.length > 0 ? this.options.commit(slots) : Promise.resolve();
      })
      .catch(this.options.onError);
  }
}
