// Types of `virtual:tiercache` for page code: add "tiercache/vite/client" to tsconfig "types".
declare module 'virtual:tiercache' {
  import type { CacheWorkerController } from 'tiercache';
  /** The worker's URL (`base` + filename). */
  export const swUrl: string;
  export const scope: string;
  /** The controller once the worker controls the page; null where Service Workers are unavailable or failed to start. */
  export const worker: Promise<CacheWorkerController | null>;
}
