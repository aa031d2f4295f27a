import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FeedHandler } from './feed-handler.ts';

/**
 * Mounts the Web-standard feed handler on `node:http` (`createServer(toNodeListener(feed))`) or as
 * connect middleware (Vite: `server.middlewares.use('/api/invalidations', toNodeListener(feed))`).
 * The request's signal aborts when the client goes away, which ends its subscription.
 */
export function toNodeListener(handler: FeedHandler) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const host = req.headers.host ?? 'localhost';
    // connect strips the mount path from req.url; originalUrl keeps the query the handler reads.
    const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const request = new Request(new URL(path, `http://${host}`), { method: req.method ?? 'GET', headers, signal: aborted.signal });
    void handler(request).then(
      (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.flushHeaders();
        if (!response.body) return void res.end();
        const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
        body.on('error', () => res.destroy());
        body.pipe(res);
      },
      (error: unknown) => {
        console.warn('[tiercache/server]', error);
        res.writeHead(500).end();
      },
    );
  };
}
