/**
 * The demo's server half of server-driven invalidation (tiercache/server), as Vite middleware:
 * - `GET /__feed`: the invalidation feed the demo's worker registration subscribes to;
 * - `POST /__feed/publish` `{ kind: 'invalidate' | 'delete', tags }`: stands in for your server code
 *   calling `invalidateByTag` / `dangerouslyDeleteByTag` (the demo's "server" control uses it). A real
 *   app exposes no such endpoint: only server code holding the purger publishes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { createFeedHandler, createMemoryBus, createPurger, toNodeListener } from '../../server/index.ts';

export const FEED_PATH = '/__feed';

export function feedPlugin(): Plugin {
  const bus = createMemoryBus({ backlog: 1000 });
  const purger = createPurger(bus);
  const feed = toNodeListener(createFeedHandler({ bus }));
  const publish = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    try {
      const { kind, tags } = JSON.parse(body) as { kind?: string; tags?: string[] };
      if (kind === 'delete') await purger.dangerouslyDeleteByTag(tags ?? []);
      else await purger.invalidateByTag(tags ?? []);
      res.writeHead(204).end();
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
    }
  };
  const route = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && req.url?.startsWith('/publish')) return void publish(req, res);
    feed(req, res);
  };
  return {
    name: 'tiercache:demo-feed',
    configureServer(server) {
      server.middlewares.use(FEED_PATH, route);
    },
    configurePreviewServer(server) {
      server.middlewares.use(FEED_PATH, route);
    },
  };
}
