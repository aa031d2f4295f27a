import type { VisitorLocation } from '../sdk/protocol.ts';

/** The page-set simulation state that must survive the browser stopping an idle worker. */
export interface PersistedState {
  clockOffsetMs: number;
  visitor: VisitorLocation | null;
}

const EMPTY: PersistedState = { clockOffsetMs: 0, visitor: null };

/**
 * Keeps the clock offset and visitor location in Cache Storage (one JSON body under a synthetic URL
 * string, never a Request with headers), so a worker the browser stopped and restarted between two
 * demo clicks still lives at the same simulated time and place. Failures degrade to the defaults.
 */
export function workerStateStore(options: { caches: CacheStorage | undefined; origin: string; storeName: string; onError: (error: unknown) => void }) {
  const cacheName = `tiercache-worker-state-${options.storeName}`;
  const url = `${options.origin}/__tiercache/worker-state`;
  return {
    async load(): Promise<PersistedState> {
      try {
        // By cache name, one call: the first request after a cold start waits for this load.
        const response = await options.caches?.match(url, { cacheName });
        if (!response) return EMPTY;
        const data = (await response.json()) as Partial<PersistedState>;
        return {
          clockOffsetMs: typeof data.clockOffsetMs === 'number' && Number.isFinite(data.clockOffsetMs) ? data.clockOffsetMs : 0,
          visitor: typeof data.visitor === 'object' && data.visitor !== null ? data.visitor : null,
        };
      } catch (error) {
        options.onError(error);
        return EMPTY;
      }
    },
    async save(state: PersistedState): Promise<void> {
      try {
        const cache = await options.caches?.open(cacheName);
        await cache?.put(url, new Response(JSON.stringify(state), { headers: { 'content-type': 'application/json' } }));
      } catch (error) {
        options.onError(error);
      }
    },
  };
}
