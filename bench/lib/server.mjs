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

/** Byte i of a big streamed body (bench/pages/stream-suite.js checks samples of it). */
export const patternByte = (i) => i % 251;
const PATTERN = Buffer.from(Array.from({ length: 251 * 4178 }, (_, i) => patternByte(i))); // ~1 MiB, whole periods

/** The stream suite's bodies (see the routes below). */
async function streamed(res, path, isolation) {
  const big = /^\/res\/stream\/big\/(\d+)\//.exec(path);
  const write = (part) => new Promise((resolve) => {
    if (res.write(part)) return resolve(undefined);
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve(undefined);
    };
    res.on('drain', done);
    res.on('close', done);
  });
  if (big) {
    const size = Number(big[1]);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'public, max-age=600', ...isolation });
    for (let sent = 0; sent < size && !res.destroyed; sent += PATTERN.length) await write(PATTERN.subarray(0, Math.min(PATTERN.length, size - sent)));
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'public, max-age=60, s-maxage=60', ...isolation });
  res.flushHeaders();
  await write(STREAM_FIRST);
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (!res.destroyed) res.end(STREAM_REST);
}
export const STREAM_FIRST = `<!doctype html><p>${'f'.repeat(1000)}</p>`;
export const STREAM_REST = `<p>${'r'.repeat(1000)}</p>`;

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
 * - `/res/stream/ttfb/<id>`: a streamed cacheable page (`public, max-age=60, s-maxage=60`, no
 *   Content-Length): 1 KB at once, 1 KB more 200 ms later. `/res/stream/big/<bytes>/<id>`: a cacheable
 *   body (`public, max-age=600`, Content-Length) of that many bytes of a repeating pattern, in 1 MiB
 *   parts written as the socket takes them (the stream suite).
 * - `GET /bench/worker-memory?match=<url part>&gc=0|1`: the heap of the Service Worker whose script URL
 *   contains `match`, through `onWorkerMemory` (the stream suite; DevTools protocol).
 * - `GET /bench/worker-busy?match=<url part>&op=start|stop`: profiles that worker's thread from `start`
 *   to `stop`, which answers its busy time in µs, through `onWorkerBusy` (the stream suite).
 * - `/bench/hits?prefix=`: origin hits for paths starting with prefix. POST `/bench/report`: a JSON
 *   message from a page, handed to `onReport`. POST `/bench/stop-workers`: stops every Service Worker
 *   through `onStopWorkers` (the cold-start rows; answers 204 once they are stopped, 501 without it).
 */
export async function startServer({ root, buildDir, workers, onReport, onStopWorkers, onWorkerMemory, onWorkerBusy, fault }) {
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
    if (path.startsWith('/res/stream/')) {
      hits.set(path, (hits.get(path) ?? 0) + 1);
      streamed(res, path, isolation);
      return;
    }
    if (path === '/bench/worker-busy') {
      const op = url.searchParams.get('op');
      if (!onWorkerBusy) return send(res, 501, 'text/plain', 'this run cannot profile workers');
      if (op !== 'start' && op !== 'stop') return send(res, 400, 'text/plain', 'op must be start or stop');
      onWorkerBusy(url.searchParams.get('match') ?? '', op).then(
        (busy) => send(res, 200, 'application/json', JSON.stringify(busy)),
        (error) => send(res, 500, 'text/plain', String(error)),
      );
      return;
    }
    if (path === '/bench/worker-memory') {
      if (!onWorkerMemory) return send(res, 501, 'text/plain', 'this run cannot read worker memory');
      onWorkerMemory(url.searchParams.get('match') ?? '', url.searchParams.get('gc') === '1').then(
        (usage) => send(res, 200, 'application/json', JSON.stringify(usage)),
        (error) => send(res, 500, 'text/plain', String(error)),
      );
      return;
    }
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
