/**
 * Helpers shared by the hardening suites (issue 7): the worker harness of the worker's own tests (the
 * scripted origin, a registered built worker, stopping it) plus raw protocol messages, fault injection
 * and sleeps.
 */
import type { ReplyMessage } from '../../../sdk/protocol.ts';

export { eventually, get, hits, script, SECOND, startWorker, stopIdleWorker, stopWorkers, uniquePath, type Seen } from '../worker/harness.ts';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The worker that controls this page (the registration's active one as a fallback). */
export async function activeWorker(): Promise<ServiceWorker> {
  const worker = navigator.serviceWorker.controller ?? (await navigator.serviceWorker.ready).active;
  if (!worker) throw new Error('no active worker');
  return worker;
}

/**
 * Posts any value to the worker with a reply port and resolves with the reply, or 'no reply' after
 * `timeoutMs` (foreign messages are ignored by design, so silence is an answer too).
 */
export async function sendRaw(message: unknown, timeoutMs = 1500): Promise<ReplyMessage | 'no reply'> {
  const worker = await activeWorker();
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      channel.port1.close();
      resolve('no reply');
    }, timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<ReplyMessage>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

let ids = 0;

/** A well-formed protocol command (tag + id) with any payload, replied on its own port. */
export function command(payload: unknown, timeoutMs?: number): Promise<ReplyMessage | 'no reply'> {
  return sendRaw({ tag: 'tiercache/1', id: `h-${ids++}`, command: payload }, timeoutMs);
}

/** Makes the next `failNext` HTTP-store operations of the worker fail (needs the testHooks=1 knob). */
export async function injectStorageFault(failNext: number, operations?: string[]): Promise<void> {
  const reply = await command({ op: 'injectStorageFault', failNext, ...(operations ? { operations } : {}) });
  if (reply === 'no reply' || !reply.ok) throw new Error(`injectStorageFault refused: ${JSON.stringify(reply)}`);
}
