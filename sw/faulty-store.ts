import type { StorageOperation } from '../sdk/protocol.ts';
import type { HttpStore } from './store/index.ts';

/** Operations a test can make fail (fault injection, installed only with the `testHooks=1` knob). */
export type FaultOperation = StorageOperation;

export interface FaultPlan {
  /** How many of the next matching operations fail. */
  failNext: number;
  operations?: FaultOperation[];
}

export class InjectedStorageFault extends Error {
  override readonly name = 'InjectedStorageFault';
}

/**
 * Wraps the store so the next `failNext` matching operations reject, as a broken IndexedDB or Cache
 * Storage would. With no fault planned the calls go straight through (one counter check).
 */
export function createFaultyStore<R>(store: HttpStore<R>, plan: FaultPlan): HttpStore<R> {
  const gate = (operation: FaultOperation) => {
    if (plan.failNext <= 0 || (plan.operations && !plan.operations.includes(operation))) return;
    plan.failNext--;
    throw new InjectedStorageFault(`injected ${operation} failure`);
  };
  return {
    variants: async (key) => {
      gate('variants');
      return store.variants(key);
    },
    get: async (id) => {
      gate('get');
      return store.get(id);
    },
    getBody: async (id) => {
      gate('get');
      return store.getBody(id);
    },
    put: async (meta, body, options) => {
      try {
        gate('put');
      } catch (error) {
        if (body instanceof ReadableStream) await body.cancel(error).catch(() => undefined); // a store that failed reads nothing
        throw error;
      }
      return store.put(meta, body, options);
    },
    updateMeta: async (id, update) => {
      gate('updateMeta');
      return store.updateMeta(id, update);
    },
    delete: async (id) => {
      gate('delete');
      return store.delete(id);
    },
    // A purge's marks fail below the store (backend faults): the store then drops the entry.
    updateTagged: (tags, update) => store.updateTagged(tags, update),
    byTag: (tags) => store.byTag(tags),
    list: (layer) => store.list(layer),
    clear: (layer) => store.clear(layer),
    retainDeployments: (layer, keep) => store.retainDeployments(layer, keep),
  };
}
