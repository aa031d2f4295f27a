/**
 * Shared helpers for the worker's browser tests: the scripted origin (demo/origin), a registered
 * built worker, and a fetch that returns what the page observed. Every test scripts its own unique
 * paths, so files and tests never see each other's entries.
 */
import type { OriginHit, OriginResponse } from '../../../demo/origin/origin-plugin.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cdp } from 'vitest/browser';
import type { BackendFaultRule, CommandMessage, ReplyMessage, WorkerCommand } from '../../../sdk/protocol.ts';
import { registerCacheWorker, type CacheWorkerController, type DecisionRecord, type RegisterOptions } from '../../../sdk/worker/index.ts';

let counter = 0;
const run = Math.random().toString(36).slice(2, 8);

/** A fresh origin path (`/__origin/r/<name>-<run>-<n>`), never used before by any test. */
export function uniquePath(name: string): string {
  return `/__origin/r/${name}-${run}-${counter++}`;
}

export async function script(path: string, responses: OriginResponse[], options: { sticky?: boolean; method?: string } = {}): Promise<string> {
  const res = await fetch('/__origin/script', { method: 'POST', body: JSON.stringify({ path, responses, ...options }) });
  if (!res.ok) throw new Error(`scripting ${path} failed: ${res.status} ${await res.text()}`);
  return path;
}

/** Scripts a fresh unique path and returns it. */
export async function scripted(name: string, responses: OriginResponse[], options: { sticky?: boolean } = {}): Promise<string> {
  return script(uniquePath(name), responses, options);
}

export async function hits(path: string): Promise<{ count: number; requests: OriginHit[] }> {
  const res = await fetch(`/__origin/hits?path=${encodeURIComponent(path.split('?')[0] ?? path)}`);
  return (await res.json()) as { count: number; requests: OriginHit[] };
}

export interface Seen {
  status: number;
  body: string;
  headers: Headers;
  cacheStatus: string | null;
  xVercelCache: string | null;
  age: number | null;
  cacheControl: string | null;
}

/** What the page sees for one request through the worker. */
export async function get(path: string, init?: RequestInit): Promise<Seen> {
  const res = await fetch(path, init);
  const body = await res.text();
  const age = res.headers.get('age');
  return {
    status: res.status,
    body,
    headers: res.headers,
    cacheStatus: res.headers.get('cache-status'),
    xVercelCache: res.headers.get('x-vercel-cache'),
    age: age === null ? null : Number(age),
    cacheControl: res.headers.get('cache-control'),
  };
}

/**
 * Registers the built worker at /sw.js with scope `/` so the test iframe is controlled. Only the
 * scripted origin's paths are handled (`include`), so Vitest's own requests pass through untouched
 * (toolchain §5 pitfall 4); a unique store name keeps files apart.
 */
export async function startWorker(query: Record<string, string>, options: RegisterOptions = {}): Promise<CacheWorkerController> {
  return registerCacheWorker('/sw.js', {
    scope: '/',
    ...options,
    query: { include: '/__origin/r/', store: `t-${run}-${counter++}`, ...query },
  });
}

/**
 * One worker for a test file, with the decision records it publishes collected: started before the
 * file's tests; after each test its clock is reset and the records emptied; unregistered after all.
 */
export function useRecordedWorker(query: Record<string, string>): { readonly worker: CacheWorkerController; readonly records: DecisionRecord[] } {
  let worker: CacheWorkerController | undefined;
  const records: DecisionRecord[] = [];
  let unsubscribe = () => {};
  beforeAll(async () => {
    worker = await startWorker(query);
    unsubscribe = worker.onDecision((record) => records.push(record));
  });
  afterEach(async () => {
    await worker?.setClockOffset(0);
    records.length = 0;
  });
  afterAll(async () => {
    unsubscribe();
    await stopWorkers();
  });
  return {
    get worker() {
      if (!worker) throw new Error('the worker starts in beforeAll: use it inside tests');
      return worker;
    },
    records,
  };
}

export async function stopWorkers(): Promise<void> {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
}

/**
 * Stops the worker as the browser stops an idle one: the next request or message starts a new instance
 * on the same registration and stores, with nothing of the old one's memory. The browser stops only an
 * idle worker, while DevTools' "Stop" (stopWorkerNow) ends a store write still running behind a
 * response (CI once lost an entry stored just before the stop), so it first waits for the worker's
 * writes (inspect() waits for them).
 */
export async function stopIdleWorker(worker: CacheWorkerController): Promise<void> {
  await worker.inspect();
  await stopWorkerNow();
}

/**
 * Stops every worker at once, whatever it is doing (DevTools' "Stop", CDP ServiceWorker.stopAllWorkers).
 * It returns once no worker runs, and throws if one still does after three stops (under load a worker
 * was seen still listed as running a second after a stop had answered; the next stop stopped it at once).
 */
export async function stopWorkerNow(): Promise<void> {
  const session = cdp();
  const running = async () => {
    const { targetInfos } = (await session.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
    return targetInfos.filter((target) => target.type === 'service_worker').map((target) => target.url);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    await session.send('ServiceWorker.enable');
    try {
      await session.send('ServiceWorker.stopAllWorkers');
    } finally {
      await session.send('ServiceWorker.disable');
    }
    for (let poll = 0; poll < 20; poll++) {
      if ((await running()).length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`stopAllWorkers left ${(await running()).join(', ')} running`);
}

/** Sends one raw command to the controlling worker, as the SDK does (for the test-only knobs it does not expose). */
export async function command(command: WorkerCommand): Promise<ReplyMessage> {
  const channel = new MessageChannel();
  const reply = new Promise<ReplyMessage>((resolve) => (channel.port1.onmessage = (e: MessageEvent<ReplyMessage>) => resolve(e.data)));
  const message: CommandMessage = { tag: 'tiercache/1', id: 'test', command };
  navigator.serviceWorker.controller?.postMessage(message, [channel.port2]);
  return reply;
}

/**
 * Faults below the store (a worker started with testHooks=1): the real IndexedDB / Cache Storage calls
 * it makes fail or answer late as `rules` say ([] disarms). Resolves with how many were injected so far.
 */
export async function injectBackendFault(rules: BackendFaultRule[]): Promise<number> {
  const reply = await command({ op: 'injectBackendFault', rules });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.result as { injected: number }).injected;
}

/** Waits until `check` passes (background work such as a SWR refresh lands asynchronously). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const SECOND = 1000;
