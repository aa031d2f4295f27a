/** Test helpers: raw IndexedDB views of what the runtime cache stored, and cross-context plumbing. */
import type * as RuntimeCacheModule from '../../../sdk/runtime-cache/index.ts';

/** A stored entry (schema 2) with its out-of-line primary key, `JSON.stringify([namespace, key]) + k`. */
export interface RawRecord {
  key: string;
  k: string;
  json: string;
  tags: string[];
  exp?: number;
  name?: string;
  seq?: number;
  at: number;
  b: number;
}

export const dbName = (projectId: string, environment = 'production'): string => `tiercache-runtime:${projectId}:${environment}`;

export const uniqueProject = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('request failed'));
  });
}

/** Every record of the entries store, read through a separate raw connection (closed afterwards). */
export async function rawRecords(name: string): Promise<RawRecord[]> {
  const db = await request(indexedDB.open(name));
  try {
    const store = db.transaction('entries').objectStore('entries');
    const [values, keys] = await Promise.all([request(store.getAll()), request(store.getAllKeys())]);
    return (values as Omit<RawRecord, 'key'>[]).map((value, i) => ({ ...value, key: keys[i] as string }));
  } finally {
    db.close();
  }
}

/** Writes `record` (a rawRecords() row, possibly changed) back behind the cache's back: no broadcast. */
export async function putRawRecord(name: string, { key, ...value }: RawRecord): Promise<void> {
  const db = await request(indexedDB.open(name));
  try {
    const tx = db.transaction('entries', 'readwrite');
    tx.objectStore('entries').put(value, key);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    });
  } finally {
    db.close();
  }
}

/** Gives the event loop a task turn (BroadcastChannel messages are tasks) without timer clamping. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export async function waitUntilTrue(check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export type RuntimeCacheApi = typeof RuntimeCacheModule;

/** A same-origin iframe running its own copy of the SDK module (a separate context, like another tab). */
export async function openContext(): Promise<{ frame: HTMLIFrameElement; api: RuntimeCacheApi }> {
  const frame = document.createElement('iframe');
  frame.src = '/test/browser/fixtures/runtime-context.html';
  document.body.append(frame);
  const api = (): RuntimeCacheApi | undefined => (frame.contentWindow as { runtimeCache?: RuntimeCacheApi } | null)?.runtimeCache;
  await waitUntilTrue(() => Boolean(api()), 10_000);
  return { frame, api: api() as RuntimeCacheApi };
}

export function summarize(delays: number[]): { median: number; p99: number; max: number } {
  const sorted = [...delays].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}
