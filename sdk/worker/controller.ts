import { TierCacheError } from '../errors.ts';
import type {
  DecisionChannelName,
  DecisionRecord,
  ErrorMessage,
  InspectResult,
  PurgeResult,
  VisitorLocation,
  WorkerCommand,
  WorkerErrorReport,
  WorkerResults,
} from '../protocol.ts';
import { listenForDecisions } from './decision-feed.ts';
import { sendCommand } from './send-command.ts';

const DECISIONS: DecisionChannelName = 'tiercache:decisions';

/** Page-side handle on the cache worker (architecture.md "SDK public surface"). */
export interface CacheWorkerController {
  readonly registration: ServiceWorkerRegistration;
  readonly scriptURL: string;
  /** The dashboard's "Purge CDN Cache": every stored entry of every layer (R83). */
  purgeAll(): Promise<PurgeResult>;
  /** Marks tagged entries stale in every layer and expires them in the runtime cache (R77, R78, R120).
   *  `'*'` targets every cached response (R83). */
  invalidateByTag(tags: string | string[]): Promise<PurgeResult>;
  /** Deletes tagged entries now, or after a deadline while serving them stale (R79). */
  dangerouslyDeleteByTag(tags: string | string[], options?: { revalidationDeadlineSeconds?: number }): Promise<PurgeResult>;
  inspect(): Promise<InspectResult>;
  /** One record per request the layers handled, and one per background refresh (`record.background`,
   *  R12/R78: the origin contact no page request waited for), from the moment it subscribed; returns
   *  the unsubscribe function. The worker posts records only while some page listens (a lease the SDK
   *  keeps; sw/README.md "Decision records").
   *
   *  A record can come again, corrected: when a layer said it stored a response but abandoned the write
   *  once the body had passed what it may keep (or storage failed), the listener gets the same record
   *  (same `source` and `seq`) with a higher `record.revision`, that layer's `stored` false and its
   *  `notStored` saying why. Replace the earlier one; `cacheStatus` stays what the page received. */
  onDecision(listener: (record: DecisionRecord) => void): () => void;
  /** Storage and policy failures the worker absorbed (requests still answered); returns the unsubscribe function. */
  onError(listener: (error: WorkerErrorReport) => void): () => void;
  /** Shifts the worker's clock (ms; 0 resets) to travel through TTLs without waiting. */
  setClockOffset(ms: number): Promise<void>;
  /** Simulated visitor location the edge sends to the origin as x-vercel-ip-* headers; null clears it. */
  setVisitorLocation(location: VisitorLocation | null): Promise<void>;
}

export interface ControllerOptions {
  registration: ServiceWorkerRegistration;
  scriptURL: string;
  commandTimeoutMs: number;
}

export function createController(options: ControllerOptions): CacheWorkerController {
  const { registration, scriptURL } = options;
  const target = () => {
    const controller = navigator.serviceWorker.controller;
    return controller?.scriptURL === scriptURL ? controller : registration.active;
  };
  const send = <C extends WorkerCommand>(command: C): Promise<WorkerResults[C['op']]> =>
    sendCommand(command, { target, timeoutMs: options.commandTimeoutMs });

  return {
    registration,
    scriptURL,
    purgeAll: () => send({ op: 'purgeAll' }),
    invalidateByTag: async (tags) => send({ op: 'invalidateByTag', tags: checkTags(tags) }),
    dangerouslyDeleteByTag: async (tags, deleteOptions = {}) => {
      const deadline = deleteOptions.revalidationDeadlineSeconds ?? 0;
      if (typeof deadline !== 'number' || !Number.isFinite(deadline) || deadline < 0) {
        throw new TierCacheError('invalid-options', 'revalidationDeadlineSeconds must be a number of seconds, 0 or greater.');
      }
      return send({ op: 'dangerouslyDeleteByTag', tags: checkTags(tags), revalidationDeadlineSeconds: deadline });
    },
    inspect: () => send({ op: 'inspect' }),
    onDecision: (listener) => listenForDecisions(checkListener(listener)),
    onError: (listener) => subscribeToErrors(checkListener(listener)),
    setClockOffset: async (ms) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TierCacheError('invalid-argument', 'ms must be a finite number.');
      await send({ op: 'setClockOffset', ms });
    },
    setVisitorLocation: async (location) => {
      await send({ op: 'setVisitorLocation', location: checkLocation(location) });
    },
  };
}

/** Tags as Vercel takes them: a string or an array; a comma always separates tags (R73); 1–256 chars each (R74). */
function checkTags(tags: string | string[]): string[] {
  const list = typeof tags === 'string' ? [tags] : tags;
  if (!Array.isArray(list) || !list.every((tag) => typeof tag === 'string')) throw new TierCacheError('invalid-tags', 'tags must be a string or an array of strings');
  const split = list.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (split.length === 0) throw new TierCacheError('invalid-tags', 'At least one non-empty tag is needed.');
  if (split.some((tag) => tag.length > 256)) throw new TierCacheError('invalid-tags', 'A tag is at most 256 characters (R74).');
  return split;
}

function checkLocation(location: VisitorLocation | null): VisitorLocation | null {
  if (location === null) return null;
  if (typeof location !== 'object') throw new TierCacheError('invalid-argument', 'location must be an object or null.');
  for (const [name, value] of Object.entries(location)) {
    if (value !== undefined && typeof value !== 'string') throw new TierCacheError('invalid-argument', `location.${name} must be a string.`);
  }
  return { ...location };
}

function checkListener<L>(listener: L): L {
  if (typeof listener !== 'function') throw new TierCacheError('invalid-argument', 'listener must be a function.');
  return listener;
}

/** Error reports are rare, so the worker always posts them: each listener just opens the channel. */
function subscribeToErrors(listener: (error: WorkerErrorReport) => void): () => void {
  const channel = new BroadcastChannel(DECISIONS);
  channel.onmessage = (event: MessageEvent<ErrorMessage | null>) => {
    if (event.data?.tag === 'tiercache/1' && event.data.kind === 'error') listener(event.data.error);
  };
  return () => channel.close();
}
