import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

/**
 * This example's "functions": two JSON routes answered by a middleware in `vite` (dev) and
 * `vite preview` alike, standing in for what a Vercel Function would return.
 */
const routes: Record<string, () => { headers: Record<string, string>; body: unknown }> = {
  // Vercel's cache docs' own example: the edge obeys Vercel-CDN-Cache-Control (1 hour, R1), other
  // CDNs CDN-Cache-Control, the browser Cache-Control.
  '/api/products': () => ({
    headers: {
      'Cache-Control': 'public, s-maxage=1',
      'CDN-Cache-Control': 'public, s-maxage=60',
      'Vercel-CDN-Cache-Control': 'public, s-maxage=3600',
    },
    body: { products: ['kettle', 'teapot'], servedAt: new Date().toISOString() },
  }),
  // No caching headers here: vercel.json gives this route its Cache-Control (R5).
  '/api/news': () => ({ headers: {}, body: { headline: 'tiercache ships a Vite plugin', servedAt: new Date().toISOString() } }),
};

function answer(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const route = routes[new URL(req.url ?? '/', 'http://localhost').pathname];
  if (!route) return next();
  const { headers, body } = route();
  res.setHeader('Content-Type', 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

export function origin(): Plugin {
  return {
    name: 'example-origin',
    configureServer: (server) => void server.middlewares.use(answer),
    configurePreviewServer: (server) => void server.middlewares.use(answer),
  };
}
