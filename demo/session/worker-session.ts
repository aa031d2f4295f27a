/**
 * The demo's connection to the cache worker: registers `./sw.js` with the chosen layers and deployment,
 * and keeps what the worker forgets when it is replaced (visitor country, clock offset) so toggling
 * a layer does not silently reset them. Every control goes through the SDK controller; nothing here
 * decides anything about caching.
 */
import { registerCacheWorker, type CacheWorkerController, type InspectResult, type LayerName } from '../../sdk/index.ts';
import { ORIGIN_PREFIX } from './origin-client.ts';

export const ALL_LAYERS: readonly LayerName[] = ['browser', 'cdn', 'edge'];

export interface SessionState {
  layers: LayerName[];
  deployment: string;
  country: string;
  clockOffsetMs: number;
  connected: boolean;
  /** Set while (re)registering the worker. */
  busy: boolean;
  error: string | undefined;
}

type Listener = (state: SessionState) => void;

export class WorkerSession {
  #controller: CacheWorkerController | undefined;
  #state: SessionState = { layers: [...ALL_LAYERS], deployment: 'demo-1', country: 'US', clockOffsetMs: 0, connected: false, busy: false, error: undefined };
  #listeners = new Set<Listener>();

  get state(): Readonly<SessionState> {
    return this.#state;
  }

  onChange(listener: Listener): void {
    this.#listeners.add(listener);
  }

  #update(patch: Partial<SessionState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }

  get controller(): CacheWorkerController {
    if (!this.#controller) throw new Error('The cache worker is not connected yet.');
    return this.#controller;
  }

  /**
   * (Re)registers the worker. A different `layers=` or `deployment=` query is a different script URL,
   * so the browser installs it as an update and it takes over this page (skipWaiting + clients.claim).
   * Only the origin's routes go through the layers (`include`), never the demo's own files.
   */
  async connect(patch: Partial<Pick<SessionState, 'layers' | 'deployment'>> = {}): Promise<void> {
    const layers = ALL_LAYERS.filter((layer) => (patch.layers ?? this.#state.layers).includes(layer));
    const deployment = patch.deployment ?? this.#state.deployment;
    this.#update({ busy: true, layers, deployment });
    try {
      this.#controller = await registerCacheWorker('./sw.js', {
        scope: './',
        layers,
        deployment,
        query: { include: ORIGIN_PREFIX, staticPrefix: `${ORIGIN_PREFIX}static/` },
        invalidations: './__feed', // server purges (demo/origin/feed-plugin.ts, the "server" control)
      });
      await this.#controller.setVisitorLocation({ country: this.#state.country });
      await this.#controller.setClockOffset(this.#state.clockOffsetMs);
      this.#update({ connected: true, busy: false, error: undefined });
    } catch (error) {
      this.#update({ connected: false, busy: false, error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  async setCountry(country: string): Promise<void> {
    await this.controller.setVisitorLocation({ country });
    this.#update({ country });
  }

  /** Time travel: the worker's clock runs `seconds` further ahead. */
  async advance(seconds: number): Promise<void> {
    await this.setClockOffset(this.#state.clockOffsetMs + seconds * 1000);
  }

  async setClockOffset(ms: number): Promise<void> {
    await this.controller.setClockOffset(ms);
    this.#update({ clockOffsetMs: ms });
  }

  async inspect(): Promise<InspectResult> {
    return this.controller.inspect();
  }

  /** The worker's clock as this page estimates it between inspections. */
  workerNow(): number {
    return Date.now() + this.#state.clockOffsetMs;
  }
}
