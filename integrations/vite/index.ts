// tiercache/vite: the Vite plugin (Node side). See README "Use it in your app → Vite".
export { tiercache, tiercache as default, type TierCacheOptions } from './plugin.ts';
export type { WorkerOptions } from '../shared/worker-options.ts';
