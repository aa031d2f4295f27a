/**
 * Starts the devtools' fixture app (test/e2e/fixtures/devtools-app: a small page that registers the
 * cache worker the way an app does) on Vite with the scripted local origin and the built worker at
 * /sw.js, on 127.0.0.1 and a free port, and opens it in real headless Chromium. Collects console errors
 * and every URL the page requested (to check that the panel chunk loads only on mount).
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { originPlugin } from '../../../demo/origin/origin-plugin.ts';
import { serveBuiltSW } from '../../../tools/serve-built-sw.ts';
import { openWatchedPage } from './watched-page.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AppHarness {
  page: Page;
  url: string;
  errors: string[];
  requested: string[];
  /** POSTs a script for a path of the local origin (demo/origin/README.md). */
  script(path: string, responses: unknown[]): Promise<void>;
  hits(path: string): Promise<number>;
  /** The request headers (lower-cased names) of the last request for `path` that reached the origin. */
  lastRequestHeaders(path: string): Promise<Record<string, string> | undefined>;
  close(): Promise<void>;
}

export async function startApp(viewport = { width: 1280, height: 860 }): Promise<AppHarness> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../fixtures/devtools-app/', import.meta.url)),
    logLevel: 'warn',
    publicDir: false,
    plugins: [originPlugin(), serveBuiltSW('/sw.js')],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, fs: { allow: [ROOT] } },
  });
  await server.listen();
  const { port } = server.httpServer?.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const { page, errors, close } = await openWatchedPage(server, viewport);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
  };
  const seen = async (path: string) => {
    const response = await fetch(`${url}__origin/hits?path=${encodeURIComponent(path)}`);
    return (await response.json()) as { count: number; requests: { headers: Record<string, string> }[] };
  };
  try {
    await post('__origin/reset', {});
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    page,
    url,
    errors,
    requested,
    script: (path, responses) => post('__origin/script', { path, responses }),
    async hits(path) {
      return (await seen(path)).count;
    },
    async lastRequestHeaders(path) {
      return (await seen(path)).requests.at(-1)?.headers;
    },
    close,
  };
}
