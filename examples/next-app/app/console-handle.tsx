'use client';
import { useEffect } from 'react';
import type { CacheWorkerController } from 'tiercache';
import { cacheWorker } from 'tiercache/next/client';

declare global {
  interface Window {
    tiercache?: CacheWorkerController;
  }
}

/** The cache worker's controls on `window.tiercache`, for the browser console: `await tiercache.setClockOffset(11_000)`. */
export function ConsoleHandle() {
  useEffect(() => {
    void cacheWorker().then((worker) => {
      if (worker) window.tiercache = worker;
    });
  }, []);
  return null;
}
