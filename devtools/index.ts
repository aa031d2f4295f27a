/**
 * tiercache devtools: `mountDevtools(controller)` adds a floating, collapsible panel to the page that
 * shows what every cache layer did with the app's own requests, and why. This entry is small on
 * purpose: the panel itself is a separate chunk loaded on the first call, so an app pays for it only
 * when it mounts the devtools (and nothing of it is in the SDK or the worker).
 */
import { TierCacheError, type CacheWorkerController } from '../sdk/index.ts';

export interface DevtoolsOptions {
  /** Open the panel at once (default: collapsed to its button). */
  open?: boolean;
  /** Where the panel's host element goes (default: document.body). */
  container?: HTMLElement;
  /**
   * Wrap the page's fetch() to show the exact headers the page received (default true). Only status and
   * headers are read, never the body. Without it, rows come from the worker's records alone.
   */
  watchFetch?: boolean;
}

export interface DevtoolsHandle {
  /** The host element (`<tiercache-devtools>`); the panel lives in its shadow root. */
  readonly element: HTMLElement;
  /** Removes the panel and undoes everything it did (listeners, timers, the fetch wrapper). */
  unmount(): void;
}

/** Mounts the devtools for `controller` (what registerCacheWorker returned). */
export async function mountDevtools(controller: CacheWorkerController, options: DevtoolsOptions = {}): Promise<DevtoolsHandle> {
  if (typeof controller?.inspect !== 'function' || typeof controller.onDecision !== 'function') {
    throw new TierCacheError('invalid-argument', 'mountDevtools needs the controller registerCacheWorker() returned.');
  }
  // A shadow root keeps the panel's styles and the page's apart in both directions.
  const element = document.createElement('tiercache-devtools');
  const shadow = element.attachShadow({ mode: 'open' });
  (options.container ?? document.body).append(element);
  try {
    const { mountPanel } = await import('./panel.ts');
    const stop = mountPanel(shadow, controller, options);
    return { element, unmount: () => { stop(); element.remove(); } };
  } catch (error) {
    element.remove();
    throw error;
  }
}
