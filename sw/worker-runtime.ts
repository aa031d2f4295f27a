import type { DecisionChannelName, ErrorMessage, ProtocolTag, VisitorLocation, WorkerConfig, WorkerErrorReport } from '../sdk/protocol.ts';
import { handlesRequest } from './config.ts';
import { createControls } from './controls.ts';
import { createFaultyStore, type FaultPlan } from './faulty-store.ts';
import { handleFetch, type FetchDeps } from './handle-fetch.ts';
import { settledBy, WRITE_WAIT_MS } from './layers/bounded-wait.ts';
import { CacheLayer } from './layers/cache-layer.ts';
import { createDecisionOutbox } from './decision-outbox.ts';
import { gateTaggedLookups } from './feed/feed-sync.ts';
import { applyFeedControl, workerFeed } from './feed/worker-feed.ts';
import { withRouteHeaders } from './route-headers-fetch.ts';
import { extrasFor } from './layers/layer-extras.ts';
import type { StoredRecord } from './layers/stored-record.ts';
import type { WorkerControls } from './messages.ts';
import { workerStateStore } from './worker-state.ts';
import { createLayerPolicy } from './policy/index.ts';
import { createStorageFaults, openHttpStoreEarly, parseFaultQuery, type HttpStore, type StoreOptions } from './store/index.ts';

const DECISIONS: DecisionChannelName = 'tiercache:decisions';
const TAG: ProtocolTag = 'tiercache/1';
/** Unposted records stay replayable this long (a lease answering `who-listens` after a restart comes
 *  after the store opened and the first records were made) and this many at most. */
const REPLAY_MS = 5_000;
const REPLAY_COUNT = 200;
/** The hot tier holds bodies up to this size: subresources of a page, not media (issue 14). */
const HOT_ENTRY_BYTES = 64 * 1024;

export interface RuntimeOptions {
  config: WorkerConfig;
  origin: string;
  scriptURL: string;
}

export interface RespondOptions {
  waitUntil: (promise: Promise<unknown>) => void;
}

/** Mutable worker state shared by the fetch path and the controls. */
export interface RuntimeState {
  clockOffsetMs: number;
  visitor: VisitorLocation | null;
  faults: FaultPlan;
}

export interface WorkerRuntime {
  /** The response for a request the layers handle, or undefined to let it pass untouched. */
  respond(request: Request, options: RespondOptions): Promise<Response> | undefined;
  /** R50: drops edge entries of other deployments. */
  activate(): Promise<void>;
  controls: WorkerControls;
}

interface Chain {
  store: HttpStore<StoredRecord>;
  layers: CacheLayer[];
}

/** The worker's state: clock offset, visitor, the store (opened once) and the layer chain on it. */
export function createWorkerRuntime(options: RuntimeOptions): WorkerRuntime {
  const { config } = options;
  const state: RuntimeState = { clockOffsetMs: 0, visitor: null, faults: { failNext: 0 } };
  const now = () => Date.now() + state.clockOffsetMs;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(DECISIONS) : undefined;
  // Absorbed failures go to the console and to pages listening with controller.onError().
  const onError = (error: unknown) => {
    console.warn('[tiercache]', error);
    const message: ErrorMessage = { tag: TAG, kind: 'error', error: errorReport(error, Date.now() + state.clockOffsetMs) };
    channel?.postMessage(message);
  };
  const budget = config.budgetBytes;
  // testHooks=1: fault seams below the store, armed from `testFaults` before it opens (issue 7).
  const backendFaults = config.testHooks ? createStorageFaults(globalThis.indexedDB, globalThis.caches) : undefined;
  backendFaults?.arm(parseFaultQuery(new URL(options.scriptURL).searchParams.get('testFaults')));
  const storeOptions: StoreOptions = {
    dbName: `tiercache-http-${config.storeName}`,
    cachePrefix: `tiercache-http-${config.storeName}`,
    now,
    onError,
    ...(budget === undefined ? {} : { budgetBytes: { browser: budget, cdn: budget, edge: budget } }),
    ...(config.hotBytes > 0 ? { hot: { maxBytes: config.hotBytes, maxEntryBytes: HOT_ENTRY_BYTES } } : {}),
    ...(backendFaults ? { indexedDB: backendFaults.indexedDB, caches: backendFaults.caches } : {}),
  };
  const persisted = workerStateStore({ caches: globalThis.caches, origin: options.origin, storeName: config.storeName, onError });
  let chain: Chain | undefined;
  // Usable at once: lookups before it has opened are point reads (issue 14: a cold start's first hit
  // does not wait for the whole store to load); writes and purges wait for the open.
  const opened = openHttpStoreEarly<StoredRecord>(storeOptions);
  // The first requests wait for the persisted simulation state (the saved clock offset applies to
  // their policy `now`); later ones never do.
  const chainReady: Promise<Chain> = persisted.load().then((saved) => {
    state.clockOffsetMs = saved.clockOffsetMs;
    state.visitor = saved.visitor;
    const store = config.testHooks ? createFaultyStore(opened, state.faults) : opened;
    return (chain = buildChain(config, feed ? gateTaggedLookups(store, feed) : store));
  });
  const controlsOptions = {
    config, state, now, scriptURL: options.scriptURL, onError,
    store: () => chainReady.then((ready) => ready.store),
    writesSettled: () => writesSettled(chainReady),
    persist: async () => {
      await chainReady; // never overwrite the saved state before it was loaded
      await persisted.save({ clockOffsetMs: state.clockOffsetMs, visitor: state.visitor });
    },
    backendFaults,
  };
  const controls = createControls(controlsOptions);
  // Server-driven invalidation (sw/feed) purges with the page's controls: a copy still being written when
  // the event comes is covered too (the store marks it as it commits, or stores nothing of it after
  // purgeAll) without waiting for its body; missing it was the feed bench's lost deliveries.
  const feed = workerFeed({
    scriptURL: options.scriptURL, origin: options.origin, storeName: config.storeName, onError,
    controls, store: () => chainReady.then((ready) => ready.store),
  });
  // Decision records are posted only while a page listens (leases); absorbed errors above always are.
  const outbox = createDecisionOutbox({
    channel, clock: () => Date.now(), source: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, replayMs: REPLAY_MS, replayCount: REPLAY_COUNT,
  });
  if (channel) channel.onmessage = (event: MessageEvent<unknown>) => outbox.receive(event.data);
  // R5: vercel.json headers join the origin's response before any layer sees it.
  const originFetch = withRouteHeaders((request) => fetch(request), config.headerRules, options.origin);
  const depsFor = (ready: Chain, respond: RespondOptions): FetchDeps => ({
    fetch: originFetch,
    origin: options.origin,
    now,
    waitUntil: respond.waitUntil,
    layers: ready.layers,
    clockOffsetMs: () => state.clockOffsetMs,
    visitor: () => visitorIn(config, state.visitor),
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    onError,
    onDecision: outbox.publish,
    amendDecision: outbox.amend,
    deferDecision: outbox.defer,
  });

  return {
    respond(request, respond) {
      const url = new URL(request.url);
      if (request.mode === 'navigate') feed?.refresh();
      if (feed?.isFeed(url) || !handlesRequest(config, options.origin, url, request.mode)) return undefined;
      // The hit path: the chain is ready after the first request, so no await on opening.
      if (chain) return handleFetch(request, depsFor(chain, respond));
      return chainReady.then(
        (ready) => handleFetch(request, depsFor(ready, respond)),
        (error: unknown) => {
          onError(error); // no chain at all: the site still works, uncached
          return fetch(request);
        },
      );
    },
    async activate() {
      const { store } = await chainReady;
      if (config.layers.includes('edge')) await store.retainDeployments('edge', [config.deployment]).catch(onError);
    },
    controls: { ...controls, applyFeed: applyFeedControl(feed) },
  };
}

/** R127: the edge's configured region is where the request arrived, unless the visitor names another. */
function visitorIn(config: WorkerConfig, visitor: VisitorLocation | null): VisitorLocation | null {
  if (config.region === undefined || visitor?.region !== undefined) return visitor;
  return { ...visitor, region: config.region };
}

function errorReport(error: unknown, at: number): WorkerErrorReport {
  const name = error instanceof Error ? error.name : 'Error';
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return { name, message: error instanceof Error ? error.message : String(error), code, at };
}

/** The layers' writes in progress, waited for at most WRITE_WAIT_MS (a slow download never holds inspect). */
async function writesSettled(chainReady: Promise<Chain>): Promise<void> {
  const { layers } = await chainReady;
  await settledBy(Promise.all(layers.map((layer) => layer.idle())), performance.now() + WRITE_WAIT_MS);
}

function buildChain(config: WorkerConfig, store: HttpStore<StoredRecord>): Chain {
  // R48: the build's exact static files, or the configured prefix when the build listed none.
  const statics = { staticPathPrefixes: config.staticPrefix === null ? [] : [config.staticPrefix], staticPaths: new Set(config.staticFiles) };
  const layers = config.layers.map(
    (name) =>
      new CacheLayer({
        policy: createLayerPolicy({ layer: name, profile: config.profile, flags: { ...config.flags, ...statics } }),
        store,
        deployment: config.deployment,
        region: config.region, // R24: part of the edge key
        extras: extrasFor(name),
      }),
  );
  return { store, layers };
}
