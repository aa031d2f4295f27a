// A small app for the invalidation feed's e2e tests and bench rows: one node:http server instance
// serving the built worker (dist/sw.js), the built SDK (dist/sdk.js), a tagged API response and the
// feed (dist/server.js). Several instances share one Redis, as a deployment behind a load balancer.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createClient } from 'redis';
import { closeRedisClient, createFeedHandler, createMemoryBus, createPurger, createRedisBus, toNodeListener } from '../dist/server.js';

const root = join(import.meta.dirname, '..');
const files = {
  '/sw.js': ['dist/sw.js', 'text/javascript'],
  '/sdk.js': ['dist/sdk.js', 'text/javascript'],
  '/idb/index.js': ['node_modules/idb/build/index.js', 'text/javascript'],
};

/** The page: registers the worker with the feed, then exposes the controller and a fetch helper.
 *  `slowWrites`: every Cache Storage write of the worker lands 200 ms late (its testFaults knob), as
 *  storage on a loaded machine does. */
function page(feedPath, slowWrites) {
  const query = { include: '/api/', ...(slowWrites ? { testHooks: '1', testFaults: 'caches.write.slow.1000' } : {}) };
  return `<!doctype html><meta charset="utf-8"><title>feed app</title>
<script type="importmap">{"imports":{"idb":"/idb/index.js"}}</script>
<script type="module">
  import { registerCacheWorker } from '/sdk.js';
  window.errors = [];
  window.product = async (path = '/api/products') => {
    const response = await fetch(path);
    return { body: await response.text(), status: response.headers.get('cache-status') ?? '' };
  };
  // Polls until the API answers \`expected\` (the purged copy no longer served); resolves with the time seen.
  window.waitFor = async (expected) => {
    for (;;) {
      const response = await fetch('/api/products');
      if ((await response.text()) === expected) return Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  window.ready = registerCacheWorker('/sw.js', { scope: '/', layers: ['browser'], query: ${JSON.stringify(query)}, invalidations: '${feedPath}' })
    .then((controller) => { window.tc = controller; controller.onError((e) => window.errors.push(e)); return true; });
</script>`;
}

/**
 * @param {{ redisUrl?: string, state: { version: number }, authorize?: (request: Request) => boolean,
 *   backlog?: number, rawFeed?: string }} options  state.version is the API's current content (shared by
 *   all instances, as one origin database); rawFeed: a literal SSE body served at /api/raw-feed once
 *   releaseRawFeed() is called (streams opened before wait for it)
 */
export async function startFeedApp(options) {
  const errors = [];
  const onError = (error) => errors.push(error);
  const client = options.redisUrl ? createClient({ url: options.redisUrl }) : undefined;
  client?.on('error', onError);
  await client?.connect();
  const bus = client ? await createRedisBus({ client, backlog: options.backlog, onError }) : createMemoryBus({ backlog: options.backlog });
  const feed = toNodeListener(createFeedHandler({ bus, authorize: options.authorize, onError }));
  const streams = { open: 0 };
  const raw = { released: false, waiting: [] };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/api/invalidations') {
      if ((req.headers.accept ?? '').includes('text/event-stream')) {
        streams.open++;
        res.on('close', () => streams.open--);
      }
      return feed(req, res);
    }
    if (path === '/api/raw-feed') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.flushHeaders();
      if (raw.released) return void res.write(options.rawFeed ?? '');
      raw.waiting.push(res);
      return;
    }
    if (path === '/api/products' || path === '/api/plain') {
      const headers = { 'content-type': 'text/plain', 'cache-control': 'max-age=3600' };
      if (path === '/api/products') headers['vercel-cache-tag'] = 'products';
      res.writeHead(200, headers);
      return void res.end(`${path.slice(5)} v${options.state.version}`);
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      return void res.end(page(query.get('feed') ?? '/api/invalidations', query.has('slowWrites')));
    }
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
    res.end(readFileSync(join(root, file[0])));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    bus,
    purger: createPurger(bus),
    streams,
    errors,
    releaseRawFeed() {
      raw.released = true;
      for (const res of raw.waiting.splice(0)) res.write(options.rawFeed ?? '');
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bus.close();
      if (client) await closeRedisClient(client);
    },
  };
}
