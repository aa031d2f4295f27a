import { TierCacheError } from '../sdk/errors.ts';
import { normalizeTags } from '../sdk/feed-event.ts';
import type { InvalidationBus } from './bus.ts';

/** The purge calls of `@vercel/functions` (same names and signatures), reaching every open browser. */
export interface Purger {
  /** R78: entries with these tags turn stale in every browser; the next request gets the stale copy and
   *  regenerates it in the background. `'*'` targets everything cached (R83). */
  invalidateByTag(tag: string | string[]): Promise<void>;
  /** R79: entries are deleted (default), or served stale for `revalidationDeadlineSeconds`, then deleted. */
  dangerouslyDeleteByTag(tag: string | string[], options?: { revalidationDeadlineSeconds?: number }): Promise<void>;
  /** R83: the dashboard's "Purge CDN Cache": every stored response of every layer, tagged or not. */
  purgeAll(): Promise<void>;
}

/**
 * Publishes each purge as an invalidation event on the bus. Resolves once the bus accepted it (Redis:
 * the event is in the stream, so it reaches subscribers that are offline now when they come back).
 * Bad arguments reject with a TierCacheError, like the page SDK's controller.
 */
export function createPurger(bus: InvalidationBus): Purger {
  return {
    async invalidateByTag(tag) {
      await bus.publish({ kind: 'invalidate', tags: tags(tag) });
    },
    async dangerouslyDeleteByTag(tag, options = {}) {
      const deadline = options.revalidationDeadlineSeconds ?? 0;
      if (typeof deadline !== 'number' || !Number.isFinite(deadline) || deadline < 0) {
        throw new TierCacheError('invalid-options', 'revalidationDeadlineSeconds must be a number of seconds, 0 or greater.');
      }
      await bus.publish({ kind: 'delete', tags: tags(tag), revalidationDeadlineSeconds: deadline });
    },
    async purgeAll() {
      await bus.publish({ kind: 'purgeAll' });
    },
  };
}

function tags(tag: string | string[]): string[] {
  const list = normalizeTags(tag);
  if ('problem' in list) throw new TierCacheError('invalid-tags', list.problem);
  return list;
}
