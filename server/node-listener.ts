import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedHandler } from './feed-handler.ts';

/**
 * Mounts the Web-standard feed handler on `node:http` (`createServer(toNodeListener(feed))`) or as
 * connect middleware (Vite: `server.middlewares.use('/api/invalidations', toNodeListener(feed))`).
 * When the client goes away the response body is cancelled, which ends its subscription. The Request
 * carries no AbortSignal: a signal followed by the Request's own cost each open stream ~1.4 KB more
 * (bench row feed.server.memory-per-tab), and cancelling the body already says the same.
 */
export function toNodeListener(handler: FeedHandler) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const host = req.headers.host ?? 'localhost';
    // connect strips the mount path from req.url; originalUrl keeps the query the handler reads.
    const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const request = new Request(new URL(path, `http://${host}`), { method: req.method ?? 'GET', headers });
    void handler(request).then(
      (response) => {
        if (res.destroyed) return void response.body?.cancel().catch(() => {}); // gone while the handler ran
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.flushHeaders();
        if (!response.body) return void res.end();
        void pump(response.body.getReader(), res);
      },
      (error: unknown) => {
        console.warn('[tiercache/server]', error);
        res.writeHead(500).end();
      },
    );
  };
}

/** Copies the body to the socket as it comes (no buffering: SSE events must leave at once), waiting
 *  for `drain` when the socket is full; a closed socket cancels the body, which ends the subscription. */
async function pump(reader: ReadableStreamDefaultReader<Uint8Array>, res: ServerResponse): Promise<void> {
  res.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    res.end();
  } catch {
    res.destroy();
  }
}
