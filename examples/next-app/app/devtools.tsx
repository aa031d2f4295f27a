'use client';
import { useEffect } from 'react';
import { mountDevtools } from 'tiercache/devtools';
import { cacheWorker } from 'tiercache/next/client';

/** The tiercache devtools over every page (collapsed to a button at the bottom right). */
export function Devtools() {
  useEffect(() => {
    // React may run an effect twice in development (StrictMode): the first run's panel is removed again.
    let unmount: (() => void) | undefined;
    let gone = false;
    void cacheWorker().then(async (worker) => {
      if (!worker || gone) return;
      const devtools = await mountDevtools(worker);
      if (gone) devtools.unmount();
      else unmount = devtools.unmount;
    });
    return () => {
      gone = true;
      unmount?.();
    };
  }, []);
  return null;
}
