/**
 * The local scripted origin: a Vite `configureServer` middleware (node side) that plays the part of
 * the site's server for the browser tests and the demo. A test (or the demo UI) scripts what a path
 * answers, fetches it through the Service Worker, then asks how often, and with which request
 * headers, the origin was really reached.
 *
 * Endpoints (all JSON; see demo/origin/README.md for examples):
 * - `POST /__origin/script` `{ path, method?, responses: OriginResponse[], sticky? }`
 *   Scripts `path` (a pathname under `/__origin/r/`, or a bare name that is prefixed with it).
 *   Responses are served in order, one per request; after the last one, the last one repeats
 *   (`sticky: true`, the default) or the path answers 404 (`sticky: false`). With `method`, the
 *   script applies to that method only (a method-specific script wins over a method-less one).
 *   Scripting a path again replaces its script and restarts at the first response; hits are kept.
 * - `GET|HEAD|POST|PUT|PATCH|DELETE /__origin/r/<anything>` the scripted origin itself. The query
 *   string is ignored for script lookup and hit counting. Unscripted paths answer 404 `no script`.
 * - `GET /__origin/hits?path=<path>` `{ count, requests: [{ method, url, headers, body, at }] }`:
 *   every request that reached `path` (request header names lower-cased).
 * - `POST /__origin/reset` `{ prefix? }` forgets scripts and hits (all, or those under `prefix`)
 *   and ends requests that are hanging or held there.
 * - `POST /__origin/release` `{ path }` lets the requests held at `path` (`hold`) answer now:
 *   `{ released }` is how many were waiting.
 *
 * OriginResponse fields (all optional): `status` (200), `headers` (a record; names as given),
 * `body` (text; `{{hit}}` becomes the 1-based hit number and `{{req.<header>}}` a request header
 * value, so a test can tell which origin response it got), `bodyBytes` (a body of that many `x`
 * bytes instead), `delayMs` (wait before answering), `fail` (`'network'`: the connection is
 * destroyed, `'hang'`: never answers until reset or until the client goes away), `hold` (answers
 * only once the test releases it, `POST /__origin/release`: a race held at a precise point), `etag` /
 * `lastModified` (sent as ETag / Last-Modified; a request whose If-None-Match (weak comparison) or,
 * without it, If-Modified-Since matches gets a 304 with the same headers and no body, RFC 9110 §13),
 * `omitDate` (no Date header; Node adds one otherwise, unless `headers` sets its own).
 * A streamed body: `chunks` (`[{ body?, bytes?, delayMs? }]`, each part written after its delay, with
 * no Content-Length unless `headers` sets one; the hit's `sent` counts the parts written so far) and
 * `cutOff` (after the parts the connection is destroyed: a body cut off by the origin).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

export interface OriginResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyBytes?: number;
  delayMs?: number;
  fail?: 'network' | 'hang';
  hold?: boolean;
  etag?: string;
  lastModified?: string;
  omitDate?: boolean;
  chunks?: OriginChunk[];
  cutOff?: boolean;
}

/** One part of a streamed body: text (`body`) or that many `x` bytes (`bytes`), after `delayMs`. */
export interface OriginChunk {
  body?: string;
  bytes?: number;
  delayMs?: number;
}

export interface OriginScript {
  path: string;
  method?: string;
  responses: OriginResponse[];
  sticky?: boolean;
}

export interface OriginHit {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** Parts of a streamed (`chunks`) body written so far. */
  sent?: number;
}

interface ScriptState {
  script: OriginScript;
  next: number;
}

const PREFIX = '/__origin/r/';

export function normalizeOriginPath(path: string): string {
  const pathname = path.split('?')[0] ?? '';
  if (pathname.startsWith(PREFIX)) return pathname;
  return PREFIX + pathname.replace(/^\/+/, '');
}

export function originPlugin(): Plugin {
  const scripts = new Map<string, ScriptState>();
  const hits = new Map<string, OriginHit[]>();
  const hanging = new Map<string, Set<ServerResponse>>();
  /** Requests waiting for `POST /__origin/release` (`hold`), by path. */
  const held = new Map<string, Set<{ res: ServerResponse; release: () => void }>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://origin.local');
    if (url.pathname === '/__origin/script' && req.method === 'POST') {
      const script = JSON.parse(await readBody(req)) as OriginScript;
      if (typeof script.path !== 'string' || !Array.isArray(script.responses)) {
        sendJson(res, 400, { error: 'expected { path: string, responses: OriginResponse[] }' });
        return true;
      }
      const path = normalizeOriginPath(script.path);
      scripts.set(scriptKey(path, script.method), { script: { ...script, path }, next: 0 });
      sendJson(res, 200, { path });
      return true;
    }
    if (url.pathname === '/__origin/hits' && req.method === 'GET') {
      const path = normalizeOriginPath(url.searchParams.get('path') ?? '');
      const requests = hits.get(path) ?? [];
      sendJson(res, 200, { count: requests.length, requests });
      return true;
    }
    if (url.pathname === '/__origin/release' && req.method === 'POST') {
      const { path } = JSON.parse(await readBody(req)) as { path?: unknown };
      const key = normalizeOriginPath(typeof path === 'string' ? path : '');
      const waiting = [...(held.get(key) ?? [])];
      held.delete(key);
      for (const request of waiting) request.release();
      sendJson(res, 200, { released: waiting.length });
      return true;
    }
    if (url.pathname === '/__origin/reset' && req.method === 'POST') {
      const text = await readBody(req);
      const prefix = text ? ((JSON.parse(text) as { prefix?: string }).prefix ?? '') : '';
      reset(prefix ? normalizeOriginPath(prefix) : PREFIX);
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (!url.pathname.startsWith(PREFIX)) return false;
    await serveScripted(req, res, url);
    return true;
  };

  const reset = (prefix: string): void => {
    for (const key of [...scripts.keys()]) if (key.split(' ')[1]?.startsWith(prefix)) scripts.delete(key);
    for (const path of [...hits.keys()]) if (path.startsWith(prefix)) hits.delete(path);
    for (const [path, waiting] of hanging) {
      if (!path.startsWith(prefix)) continue;
      for (const res of waiting) res.destroy();
      hanging.delete(path);
    }
    for (const [path, waiting] of held) {
      if (!path.startsWith(prefix)) continue;
      held.delete(path);
      for (const request of waiting) {
        request.res.destroy();
        request.release();
      }
    }
  };

  const serveScripted = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const list = hits.get(path) ?? [];
    hits.set(path, list);
    const hit: OriginHit = { method, url: url.pathname + url.search, headers: flatHeaders(req), body: '', at: Date.now() };
    list.push(hit);
    hit.body = await readBody(req);
    const state = scripts.get(scriptKey(path, method)) ?? scripts.get(scriptKey(path));
    const response = state ? pick(state) : undefined;
    if (!response) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end(state ? 'script exhausted' : 'no script');
      return;
    }
    if (response.delayMs) await sleep(response.delayMs);
    if (response.fail === 'network') {
      res.destroy();
      return;
    }
    if (response.fail === 'hang') {
      const waiting = hanging.get(path) ?? new Set<ServerResponse>();
      hanging.set(path, waiting);
      waiting.add(res);
      res.on('close', () => waiting.delete(res));
      return;
    }
    if (response.hold) {
      const waiting = held.get(path) ?? new Set<{ res: ServerResponse; release: () => void }>();
      held.set(path, waiting);
      await new Promise<void>((release) => waiting.add({ res, release }));
      if (res.destroyed) return; // the client went away, or a reset ended it
    }
    if (response.chunks) await writeChunks(res, response, hit);
    else writeScripted(req, res, response, list.length);
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    handle(req, res).then(
      (handled) => {
        if (!handled) next();
      },
      (error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
        else res.destroy();
      },
    );
  };
  return {
    name: 'tiercache:origin',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    // `npm run preview` serves the built demo: the same origin must answer there too.
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
  };
}

function pick(state: ScriptState): OriginResponse | undefined {
  const { responses, sticky = true } = state.script;
  if (state.next < responses.length) return responses[state.next++];
  return sticky ? responses[responses.length - 1] : undefined;
}

function writeScripted(req: IncomingMessage, res: ServerResponse, response: OriginResponse, hitNumber: number): void {
  const headers: Record<string, string> = { 'content-type': 'text/plain', ...response.headers };
  if (response.etag) headers.etag = response.etag;
  if (response.lastModified) headers['last-modified'] = response.lastModified;
  if (response.omitDate) res.sendDate = false;
  // Vite's CORS middleware runs first and adds `Vary: Origin`; a scripted response says exactly what the script says.
  res.removeHeader('vary');
  const body =
    response.bodyBytes !== undefined
      ? Buffer.alloc(response.bodyBytes, 'x')
      : Buffer.from(fillTemplate(response.body ?? '', req, hitNumber));
  if (conditionalMatches(req, response)) {
    res.writeHead(304, withoutBodyHeaders(headers));
    res.end();
    return;
  }
  headers['content-length'] = String(body.length);
  res.writeHead(response.status ?? 200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function writeChunks(res: ServerResponse, response: OriginResponse, hit: OriginHit): Promise<void> {
  res.removeHeader('vary');
  res.writeHead(response.status ?? 200, { 'content-type': 'text/plain', ...response.headers });
  res.flushHeaders();
  hit.sent = 0;
  for (const chunk of response.chunks ?? []) {
    if (chunk.delayMs) await sleep(chunk.delayMs);
    if (res.destroyed) return; // the client went away
    const part = chunk.bytes !== undefined ? Buffer.alloc(chunk.bytes, 'x') : Buffer.from(chunk.body ?? '');
    // Waits for the socket to take the part (backpressure), so a large body is never queued whole.
    await new Promise<void>((resolve) => {
      if (res.write(part)) return resolve();
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    hit.sent++;
  }
  if (response.cutOff) res.destroy();
  else res.end();
}

/** RFC 9110 §13.1.2 (weak comparison for If-None-Match) and §13.1.3 (If-Modified-Since, only without If-None-Match). */
function conditionalMatches(req: IncomingMessage, response: OriginResponse): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!response.etag) return false;
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(response.etag ?? ''));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined || !response.lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(response.lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['content-length', 'content-type', 'content-encoding'].includes(name.toLowerCase())) out[name] = value;
  }
  return out;
}

function fillTemplate(body: string, req: IncomingMessage, hitNumber: number): string {
  return body.replace(/\{\{(hit|req\.[a-z0-9-]+)\}\}/gi, (_, name: string) => {
    if (name === 'hit') return String(hitNumber);
    const value = req.headers[name.slice(4).toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function scriptKey(path: string, method?: string): string {
  return `${method ? method.toUpperCase() : '*'} ${path}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
