import { createWorkerRoute } from 'tiercache/next';

// The cache worker at /sw.js, emulating the browser cache, a downstream CDN and Vercel's edge.
export const GET = createWorkerRoute({ layers: ['browser', 'cdn', 'edge'] });
