import type { LayerDeps } from './exchange.ts';

/**
 * A layer's store writes running behind the responses (write-behind: the miss path never waits for
 * storage, performance.md), tracked per primary key so that what must see them can wait: a lookup of
 * the key (a new entry is never missed), request collapsing (a flight is kept until its answer is
 * written, R59), an unsafe method's invalidation (a write landing after it would resurrect the
 * entry, R153), and inspect (for a bounded time). Purges need no wait: the store orders them after
 * the writes begun before and marks a body still streaming when it commits (HttpStore.updateTagged).
 */
export class WriteTracker {
  private readonly writes = new Map<string, Promise<void>>();

  /**
   * Runs `write` behind the response: later waits on the key include it, waitUntil keeps the worker
   * alive, a failure goes to onError (the page already has its answer; only the copy is lost).
   */
  track(key: string, write: Promise<void>, deps: Pick<LayerDeps, 'onError' | 'waitUntil'>): void {
    const previous = this.writes.get(key);
    const settled = Promise.all([previous, write]).then(
      () => undefined,
      (error: unknown) => deps.onError(error),
    );
    this.writes.set(key, settled);
    void settled.then(() => {
      if (this.writes.get(key) === settled) this.writes.delete(key);
    });
    deps.waitUntil(settled);
  }

  /** The writes in progress for one key, or undefined when there are none (no await needed: the hit path). */
  pending(key: string): Promise<void> | undefined {
    return this.writes.get(key);
  }

  /** Resolves once every write in progress has settled. */
  async idle(): Promise<void> {
    await Promise.all(this.writes.values());
  }
}
