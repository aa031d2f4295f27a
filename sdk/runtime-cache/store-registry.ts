/**
 * One store per database per context ("exactly one open per database per context", user-needs C3), so
 * every cache object of a project/environment shares the hot mirror and the write batches (R113).
 */
import { fallbackFailure, type OpContext } from './failure.ts';
import { createIdbStore } from './idb-store.ts';
import { createMemoryStore } from './memory-store.ts';
import type { StoreScope } from './cache-options.ts';
import type { RuntimeStore } from './store.ts';

const shared = new Map<string, RuntimeStore>();

/** R116: the database name carries the project and the environment. */
export function databaseName(scope: Pick<StoreScope, 'projectId' | 'environment'>): string {
  return `tiercache-runtime:${scope.projectId}:${scope.environment}`;
}

function globalFactory(): IDBFactory | undefined {
  try {
    return (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  } catch {
    return undefined; // some private modes throw on access
  }
}

export function resolveStore(scope: StoreScope, ctx: OpContext): RuntimeStore {
  const name = databaseName(scope);
  // An injected factory gets a store of its own: it must not leak into other cache objects.
  if (scope.indexedDB && scope.storage === 'auto') return createIdbStore({ name, factory: scope.indexedDB });
  const id = `${scope.storage}|${name}`;
  let store = shared.get(id);
  if (!store) {
    const factory = scope.storage === 'auto' ? globalFactory() : undefined;
    store = factory ? createIdbStore({ name, factory }) : createMemoryStore();
    // R112: say once (per database) that data lives in this context's memory only.
    if (!factory && scope.storage === 'auto') ctx.report(fallbackFailure());
    shared.set(id, store);
  }
  return store;
}
