import { TierCacheError } from '../errors.ts';
import type { CommandMessage, ProtocolTag, ReplyMessage, WorkerCommand, WorkerResults } from '../protocol.ts';

const TAG: ProtocolTag = 'tiercache/1';
let counter = 0;

export interface SendOptions {
  /** The worker to talk to (the page's controller, else the registration's active worker). */
  target: () => ServiceWorker | null;
  timeoutMs: number;
}

/**
 * Sends one command and waits for its reply on a dedicated MessagePort, so concurrent commands never
 * mix up their answers. No answer within the timeout → `worker-unavailable`; a worker rejection →
 * TierCacheError with the worker's code when it is one of ours (else `invalid-message`).
 */
export function sendCommand<C extends WorkerCommand>(command: C, options: SendOptions): Promise<WorkerResults[C['op']]> {
  const worker = options.target();
  if (!worker) return Promise.reject(new TierCacheError('worker-unavailable', 'No active cache worker controls this page.'));
  const id = `${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const channel = new MessageChannel();
  return new Promise<WorkerResults[C['op']]>((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(new TierCacheError('worker-unavailable', `No reply to "${command.op}" within ${options.timeoutMs} ms.`));
    }, options.timeoutMs);
    channel.port1.onmessage = (event: MessageEvent<ReplyMessage>) => {
      clearTimeout(timer);
      channel.port1.close();
      const reply = event.data;
      if (reply.ok) resolve(reply.result as WorkerResults[C['op']]);
      else {
        const code = reply.error.code === 'invalid-message' ? 'invalid-message' : 'worker-unavailable';
        reject(new TierCacheError(code, reply.error.message, { workerCode: reply.error.code }));
      }
    };
    const message: CommandMessage = { tag: TAG, id, command };
    worker.postMessage(message, [channel.port2]);
  });
}
