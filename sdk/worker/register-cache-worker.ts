import { TierCacheError } from '../errors.ts';
import type { LayerName, WorkerFlags, WorkerProfile } from '../protocol.ts';
import { flagParams, REGION_ID } from '../worker-params.ts';
import { createController, type CacheWorkerController } from './controller.ts';

export interface RegisterOptions {
  /** Registration scope (default: the browser's, i.e. the script's folder). Use `/` for a root script. */
  scope?: string;
  /** Added to the script URL's query (the worker reads its configuration from there). */
  layers?: LayerName[];
  profile?: WorkerProfile;
  deployment?: string;
  /** R24: the simulated edge region (e.g. `fra1`): edge entries are kept per region, tag purges are global. */
  region?: string;
  /** The spec's flags for its ambiguous cases (semantics.md §15); unset ones keep the spec's default. */
  flags?: Partial<WorkerFlags>;
  /** Extra query parameters for the worker (e.g. `{ include: '/api/', budget: '1000000' }`). */
  query?: Record<string, string>;
  /** How long to wait for the worker to control the page (default 10 000 ms). */
  timeoutMs?: number;
  /** How long each control command may take (default 5 000 ms). */
  commandTimeoutMs?: number;
}

/**
 * Registers the cache worker and resolves once it controls this page, so the very next fetch goes
 * through the layers. The `controllerchange` listener is attached before `register()` (toolchain §5),
 * otherwise a fast activation + clients.claim() can fire it before we listen.
 */
export async function registerCacheWorker(scriptUrl: string, options: RegisterOptions = {}): Promise<CacheWorkerController> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    throw new TierCacheError('unsupported-environment', 'Service Workers are not available here (needs a secure context).');
  }
  const url = buildScriptUrl(scriptUrl, options);
  const timeoutMs = positive(options.timeoutMs, 10_000, 'timeoutMs');
  const commandTimeoutMs = positive(options.commandTimeoutMs, 5_000, 'commandTimeoutMs');
  const container = navigator.serviceWorker;
  const controlled = waitForController(container, url.href, timeoutMs);
  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(url.href, options.scope === undefined ? {} : { scope: options.scope });
  } catch (error) {
    controlled.cancel();
    throw new TierCacheError('worker-registration-failed', String(error), { cause: error });
  }
  await controlled.promise;
  return createController({ registration, scriptURL: url.href, commandTimeoutMs });
}

function buildScriptUrl(scriptUrl: string, options: RegisterOptions): URL {
  if (typeof scriptUrl !== 'string' || scriptUrl === '') {
    throw new TierCacheError('invalid-argument', 'scriptUrl must be a non-empty string.');
  }
  if (typeof options !== 'object' || options === null) throw new TierCacheError('invalid-options', 'options must be an object.');
  const url = new URL(scriptUrl, location.href);
  if (options.layers !== undefined) {
    const valid = Array.isArray(options.layers) && options.layers.every((l) => l === 'browser' || l === 'cdn' || l === 'edge');
    if (!valid || options.layers.length === 0) throw new TierCacheError('invalid-options', 'layers must list browser, cdn and/or edge.');
    url.searchParams.set('layers', options.layers.join(','));
  }
  if (options.profile !== undefined) {
    if (options.profile !== 'vercel' && options.profile !== 'rfc9111') throw new TierCacheError('invalid-options', 'profile must be vercel or rfc9111.');
    url.searchParams.set('profile', options.profile);
  }
  if (options.deployment !== undefined) {
    if (typeof options.deployment !== 'string' || options.deployment === '') throw new TierCacheError('invalid-options', 'deployment must be a non-empty string.');
    url.searchParams.set('deployment', options.deployment);
  }
  if (options.region !== undefined) {
    if (typeof options.region !== 'string' || !REGION_ID.test(options.region)) {
      throw new TierCacheError('invalid-options', 'region must be a region id such as fra1 (lowercase letters, then digits).');
    }
    url.searchParams.set('region', options.region);
  }
  for (const [name, value] of Object.entries(flagParams(options.flags))) url.searchParams.set(name, value);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (typeof value !== 'string') throw new TierCacheError('invalid-options', `query.${name} must be a string.`);
    url.searchParams.set(name, value);
  }
  return url;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TierCacheError('invalid-options', `${name} must be a positive number of milliseconds.`);
  }
  return value;
}

function waitForController(container: ServiceWorkerContainer, scriptURL: string, timeoutMs: number) {
  let cancel = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (container.controller?.scriptURL !== scriptURL) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new TierCacheError('worker-registration-failed', `The worker did not control the page within ${timeoutMs} ms.`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      container.removeEventListener('controllerchange', check);
    };
    cancel = done;
    container.addEventListener('controllerchange', check);
    check();
  });
  return { promise, cancel: () => cancel() };
}
