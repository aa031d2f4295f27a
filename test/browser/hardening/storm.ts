/**
 * The fault storm's world: a few cacheable paths, and steps that make many things go wrong at once —
 * IndexedDB and Cache Storage failing below the store (open/read/write, quota, AbortError-wrapped quota),
 * whole store operations failing, the origin answering 503 or resetting, purges and unsafe writes in
 * between, time moving on. Then the worker is replaced by a new instance on the same store.
 */
import fc from 'fast-check';
import type { BackendFaultRule, StorageOperation } from '../../../sdk/protocol.ts';

export const HEADER_SETS: Record<string, string>[] = [
  { 'Cache-Control': 'max-age=60, s-maxage=60', 'Vercel-Cache-Tag': 'storm-a' },
  { 'Cache-Control': 's-maxage=5, stale-while-revalidate=600', 'Vercel-Cache-Tag': 'storm-a,storm-b' },
  { 'Cache-Control': 'max-age=5, stale-if-error=600' },
  { 'Cache-Control': 'max-age=30, s-maxage=30', Vary: 'X-Variant', 'Vercel-Cache-Tag': 'storm-b' },
];

export interface StormPath {
  headers: number;
  etag: boolean;
  pad: number;
}

export type OriginMode = 'ok' | '503' | 'network';

export type StormStep =
  | { kind: 'get'; path: number; variant: 'a' | 'b' | null }
  | { kind: 'backend'; rules: BackendFaultRule[] }
  | { kind: 'store'; failNext: number; operations: StorageOperation[] }
  | { kind: 'origin'; path: number; mode: OriginMode }
  | { kind: 'advance'; seconds: number }
  | { kind: 'invalidate' | 'delete'; tag: 'storm-a' | 'storm-b' }
  | { kind: 'purgeAll' }
  | { kind: 'post'; path: number };

const rule: fc.Arbitrary<BackendFaultRule> = fc.record({
  target: fc.constantFrom<BackendFaultRule['target']>('indexedDB', 'caches'),
  on: fc.constantFrom<BackendFaultRule['on']>('open', 'read', 'write'),
  kind: fc.constantFrom<BackendFaultRule['kind']>('error', 'quota', 'abort-quota'),
  times: fc.integer({ min: 1, max: 3 }),
});

export const stormPaths = fc.array(
  fc.record({ headers: fc.integer({ min: 0, max: HEADER_SETS.length - 1 }), etag: fc.boolean(), pad: fc.integer({ min: 0, max: 2500 }) }),
  { minLength: 2, maxLength: 4 },
);

export function stormSteps(pathCount: number): fc.Arbitrary<StormStep[]> {
  const path = fc.integer({ min: 0, max: pathCount - 1 });
  const step: fc.Arbitrary<StormStep> = fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('get' as const), path, variant: fc.constantFrom<'a' | 'b' | null>('a', 'b', null) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('backend' as const), rules: fc.array(rule, { minLength: 1, maxLength: 3 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('store' as const),
        failNext: fc.integer({ min: 1, max: 2 }),
        // delete and updateMeta failures are injected below the store (the real store drops the entry first).
        operations: fc.subarray<StorageOperation>(['get', 'put', 'variants'], { minLength: 1 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('origin' as const), path, mode: fc.constantFrom<OriginMode>('ok', 'ok', '503', 'network') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), seconds: fc.constantFrom(2, 10, 40, 700) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom<'invalidate' | 'delete'>('invalidate', 'delete'), tag: fc.constantFrom<'storm-a' | 'storm-b'>('storm-a', 'storm-b') }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'purgeAll' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('post' as const), path }) },
  );
  return fc.array(step, { minLength: 8, maxLength: 30 });
}

/** Every body URL of the store's Cache Storage and every persisted metadata record, read by the page. */
export async function persistedState(store: string): Promise<{ bodies: Map<string, string>; records: { id: string; layer: string; bodyUrl: string }[] }> {
  const bodies = new Map<string, string>();
  for (const layer of ['browser', 'cdn', 'edge']) {
    const name = `tiercache-http-${store}-${layer}`;
    if (!(await caches.has(name))) continue;
    for (const request of await (await caches.open(name)).keys()) bodies.set(request.url, layer);
  }
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(`tiercache-http-${store}`);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  try {
    if (!db.objectStoreNames.contains('entries')) return { bodies, records: [] };
    const records = await new Promise<{ id: string; layer: string; bodyUrl: string }[]>((resolve, reject) => {
      const request = db.transaction('entries').objectStore('entries').getAll();
      request.onsuccess = () => resolve(request.result as { id: string; layer: string; bodyUrl: string }[]);
      request.onerror = () => reject(request.error ?? new Error('read failed'));
    });
    return { bodies, records };
  } finally {
    db.close();
  }
}
