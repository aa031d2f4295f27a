// tiercache/next: the route that serves the cache worker in a Next.js app (README "Use it in your app → Next.js").
// The registration component is the client module, tiercache/next/client.
export { GET, createWorkerRoute, type WorkerRouteOptions } from './worker-route.ts';
export type { WorkerOptions } from '../shared/worker-options.ts';
