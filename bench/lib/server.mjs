// The benchmark's local origin: plain node:http on 127.0.0.1, serving the built artifacts, the bench
// page bundle, the workers under test, a 10 KB resource, and an endpoint the measuring pages post to.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const TEN_KB = 10 * 1024;

/** 10 KB of text that varies byte to byte, so a wrong or truncated body cannot pass the checksum. */
export function resourceBody() {
  let text = '';
  for (let i = 0; text.length < TEN_KB; i++) text += `${i.toString(36)}:tiercache-bench;`;
  return Buffer.from(text.slice(0, TEN_KB));
}

/** The page-load page: its subresources are fetched by its script (the resource is text/plain, which
 *  no parser-discovered element would read as-is), all at once as a page's would be, bodies read. */
const PAGE_LOAD = `<!doctype html><meta charset="utf-8"><title>page load</title><script>
const variant = location.pathname.split('/')[2];
const n = Number(new URLSearchParams(location.search).get('n'));
Promise.all(Array.from({ length: n }, (_, i) => fetch('/res/hit/page-' + variant + '/' + i).then((r) => r.arrayBuffer())))
  .then((bodies) => parent.postMessage({ pageLoad: location.href, bodies }, location.origin, bodies))
  .catch((error) => parent.postMessage({ pageLoad: location.href, error: String(error) }, location.origin));
</script>`;

const TYPES = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };

/**
 * Routes:
 * - `/` and `/bench/page.html`: the page shell loading `/build/page.js` (the suites dispatch on ?suite=).
 * - `/build/*`: bench/.build (page bundle, peer workers). `/w/<variant>/sw.js`: the worker of a variant,
 *   so each registers with its own scope `/w/<variant>/`; `/w/<variant>/frame.html`: an empty page in that
 *   scope. `/sdk.js`, `/sw.js`: dist/.
 * - `/res/<cache-mode>/<anything>`: the 10 KB resource; `cache-mode` is `hit` (max-age=3600) or `miss`
 *   (no-store). Every request is counted per path so the pages can check whether the origin was reached.
 * - `/w/<variant>/page-load.html?n=N`: a page in that scope whose script fetches N subresources
 *   `/res/hit/page-<variant>/<i>` at once, reads every body and posts them to its parent (the page-load rows).
 * - `/bench/hits?prefix=`: origin hits for paths starting with prefix. POST `/bench/report`: a JSON
 *   message from a page, handed to `onReport`. POST `/bench/stop-workers`: stops every Service Worker
 *   through `onStopWorkers` (the cold-start rows; answers 204 once they are stopped, 501 without it).
 */
export async function startServer({ root, buildDir, workers, onReport, onStopWorkers, fault }) {
  const body = resourceBody();
  // Fault injection (`--fault=corrupt-body`): every measured response differs from the reference by one
  // byte, so the body checks must fail; test/e2e/bench-quick.test.ts proves the run then exits non-zero.
  const served = Buffer.from(body);
  if (fault === 'corrupt-body') served[served.length >> 1] ^= 1;
  const hits = new Map();
  const isolation = {
    // Cross-origin isolation gives the pages a 5 µs performance.now() instead of 100 µs.
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
  const send = (res, status, type, content, extra = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...isolation, ...extra });
    res.end(content);
  };
  const file = (res, path) => {
    try {
      send(res, 200, TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream', readFileSync(path));
    } catch {
      send(res, 404, 'text/plain', 'not found');
    }
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/res/')) {
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const cacheControl = path.startsWith('/res/hit/') ? 'max-age=3600' : 'no-store';
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length, 'Cache-Control': cacheControl, ...isolation });
      res.end(req.method === 'HEAD' ? undefined : path === '/res/miss/reference' ? body : served);
      return;
    }
    if (path === '/bench/report' && req.method === 'POST') {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        send(res, 204, 'text/plain', '');
        onReport(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      return;
    }
    if (path === '/bench/stop-workers' && req.method === 'POST') {
      if (!onStopWorkers) return send(res, 501, 'text/plain', 'this run cannot stop workers');
      onStopWorkers().then(
        () => send(res, 204, 'text/plain', ''),
        (error) => send(res, 500, 'text/plain', String(error)),
      );
      return;
    }
    if (/^\/w\/[\w-]+\/page-load\.html$/.test(path)) {
      send(res, 200, TYPES['.html'], PAGE_LOAD);
      return;
    }
    if (path === '/bench/hits') {
      const prefix = url.searchParams.get('prefix') ?? '/res/';
      let count = 0;
      for (const [key, n] of hits) if (key.startsWith(prefix)) count += n;
      send(res, 200, 'application/json', JSON.stringify({ count }));
      return;
    }
    if (path === '/' || path === '/bench/page.html' || /^\/w\/[\w-]+\/frame\.html$/.test(path)) {
      const script = path.endsWith('frame.html') ? '' : '<script type="module" src="/build/page.js"></script>';
      send(res, 200, TYPES['.html'], `<!doctype html><meta charset="utf-8"><title>tiercache bench</title>${script}`);
      return;
    }
    const worker = /^\/w\/([\w-]+)\/sw\.js$/.exec(path);
    if (worker) {
      const source = workers[worker[1]];
      if (source) return file(res, source);
    }
    if (path === '/sdk.js' || path === '/sw.js') return file(res, join(root, 'dist', path));
    if (path.startsWith('/build/') && !path.includes('..')) return file(res, join(buildDir, path.slice('/build/'.length)));
    send(res, 404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    resourceLength: body.length,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve(undefined));
    }),
  };
}
