/**
 * Removals that did not reach IndexedDB. The mirror forgets an entry before its metadata is deleted, so
 * the entry is never served again by this worker; but when the metadata delete fails (and deleting the
 * body failed too, so healing cannot tell) the next worker would load the entry again: a purged or
 * invalidated response resurrected after a restart. Such removals are kept here and retried, with
 * backoff, until they stick. (A worker killed before the storage recovers still loses them: that
 * needs two independent storage failures and a restart in between.)
 */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 60_000;

export interface RemovalRetryOptions<S> {
  /** Deletes the persisted metadata of these slots (one transaction). */
  commit: (slots: readonly S[]) => Promise<void>;
  /** Whether the id is live again (re-stored since): its new record must not be deleted. */
  isLive: (id: string) => boolean;
  /** Runs the retry in the store's queue of mutations. */
  serially: (task: () => Promise<void>) => Promise<void>;
}

export class RemovalRetry<S extends { meta: { id: string } }> {
  private readonly pending = new Map<string, S>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay = FIRST_RETRY_MS;

  constructor(private readonly options: RemovalRetryOptions<S>) {}

  /** Remembers slots whose metadata delete failed and schedules a retry. */
  remember(slots: readonly S[]): void {
    for (const slot of slots) this.pending.set(slot.meta.id, slot);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.options.serially(() => this.retry()).then(
        () => (this.delay = FIRST_RETRY_MS),
        () => {
          this.delay = Math.min(this.delay * 4, MAX_RETRY_MS);
          this.schedule();
        },
      );
    }, this.delay);
  }

  private async retry(): Promise<void> {
    const slots = [...this.pending.values()].filter((slot) => !this.options.isLive(slot.meta.id));
    this.pending.clear();
    if (slots.length === 0) return;
    try {
      await this.options.commit(slots);
    } catch (error) {
      for (const slot of slots) if (!this.pending.has(slot.meta.id)) this.pending.set(slot.meta.id, slot);
      throw error;
    }
  }
}
