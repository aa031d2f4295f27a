'use client';
import { useEffect } from 'react';
import { registerCacheWorker, type CacheWorkerController } from '../../sdk/index.ts';

export interface TierCacheProps {
  /** The worker route's URL (default `/sw.js`: `app/sw.js/route.ts`). */
  src?: string;
  /** Registration scope (default `/`: every page of the app). */
  scope?: string;
}

let started: string | undefined;
let settle: (worker: CacheWorkerController | null) => void = () => {};
const ready = new Promise<CacheWorkerController | null>((resolve) => {
  settle = resolve;
});

/**
 * `<TierCache />` in the root layout registers the cache worker once the page has hydrated. It renders
 * nothing, and a worker that cannot start (no Service Worker support, a failed route) is a console
 * warning: the site keeps working without it.
 */
export function TierCache({ src = '/sw.js', scope = '/' }: TierCacheProps = {}): null {
  useEffect(() => {
    start(src, scope);
  }, [src, scope]);
  return null;
}

/** The controller once `<TierCache />` has the worker controlling the page (null if it could not start). */
export function cacheWorker(): Promise<CacheWorkerController | null> {
  return ready;
}

function start(src: string, scope: string): void {
  const key = `${src} ${scope}`;
  // React may run an effect twice (StrictMode in development); one registration per page.
  if (started === key) return;
  started = key;
  void register(src, scope).then(settle);
}

async function register(src: string, scope: string): Promise<CacheWorkerController | null> {
  if (!('serviceWorker' in navigator)) return null;
  try {
    return await registerCacheWorker(src, { scope });
  } catch (error) {
    console.warn('[tiercache] the cache worker did not start; the site keeps working without it.', error);
    return null;
  }
}
