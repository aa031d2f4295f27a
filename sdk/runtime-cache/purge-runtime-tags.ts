/**
 * R77/R120/A22: a CDN tag purge (`invalidateByTag` / `dangerouslyDeleteByTag`, run by the Service Worker)
 * also reaches runtime entries carrying those tags, in every namespace. `invalidate` → later gets miss
 * until the key is set again; `delete` → the entries are removed as well. The tag `*` targets the whole
 * project (R83): every runtime entry goes, in both modes. Never rejects.
 */
import { readTags } from './arguments.ts';
import { defaultEnvironment, type RuntimeEnvironment } from './cache-options.ts';
import { asFailure, type OpContext, type RuntimeCacheFailure } from './failure.ts';
import { resolveStore } from './store-registry.ts';

export interface PurgeRuntimeTagsOptions {
  mode?: 'invalidate' | 'delete';
  /** Defaults match getCache(): project `'default'`, environment from getEnv(). */
  projectId?: string;
  environment?: RuntimeEnvironment;
  onError?: (failure: RuntimeCacheFailure) => void;
}

export async function purgeRuntimeTags(tags: string[], options: PurgeRuntimeTagsOptions = {}): Promise<void> {
  const ctx: OpContext = { now: Date.now, timeoutMs: 2000, report: options.onError ?? ((failure) => console.error(failure)) };
  try {
    const list = readTags(tags, true);
    if (!list.length) return;
    const scope = {
      projectId: options.projectId ?? 'default',
      environment: options.environment ?? defaultEnvironment(),
      storage: 'auto' as const,
      indexedDB: undefined,
    };
    const store = resolveStore(scope, ctx);
    if (list.includes('*')) await store.clear(ctx);
    else await store.expireTags(list, options.mode === 'delete' ? 'delete' : 'expire', ctx);
  } catch (error) {
    ctx.report(asFailure(error));
  }
}
