/**
 * Starts the demo the way `npm run demo` does (Vite with vite.config.ts: the demo, the local origin
 * middleware and the built worker at /sw.js) on 127.0.0.1 and a free port, opens it in real headless
 * Chromium through Playwright, and collects console errors so tests can assert there are none.
 * With `DEMO_E2E_BUILT=1` the same tests run against the static build instead (`vite preview` of
 * dist/demo, as `npm run preview` serves it; run `npm run build` first).
 */
import { afterAll, beforeAll } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright';
import { createServer, preview } from 'vite';
import { openWatchedPage, SCREENSHOT_DIR } from './watched-page.ts';

export interface DemoHarness {
  page: Page;
  url: string;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Opens the demo at `#presetId` (or the default preset) and waits until the worker controls it. */
  open(presetId?: string): Promise<void>;
  screenshot(name: string, options?: { fullPage?: boolean; path?: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The demo for one test file: started (server, browser, page opened at `presetId`) before its tests and
 * closed after them. The returned harness forwards to the started one, so files use it like a value.
 */
export function useDemo(presetId?: string): DemoHarness {
  let started: DemoHarness | undefined;
  beforeAll(async () => {
    started = await startDemo();
    await started.open(presetId);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as DemoHarness, {
    get(_target, key) {
      if (!started) throw new Error('the demo starts in beforeAll: use it inside tests and hooks');
      return Reflect.get(started, key) as unknown;
    },
  });
}

export async function startDemo(): Promise<DemoHarness> {
  const server = await startServer();
  const { port } = server.httpServer?.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/`;
  const { page, errors, close } = await openWatchedPage(server, { width: 1440, height: 900 });
  return {
    page,
    url,
    errors,
    async open(presetId) {
      await page.goto(presetId ? `${url}#${presetId}` : url);
      await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
    },
    async screenshot(name, options = {}) {
      if (options.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: options.path ?? `${SCREENSHOT_DIR}/${name}.png`, fullPage: options.fullPage ?? true });
    },
    close,
  };
}

async function startServer(): Promise<{ httpServer: { address(): unknown } | null; close(): Promise<void> }> {
  if (process.env.DEMO_E2E_BUILT) {
    return preview({ configFile: 'vite.config.ts', logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  }
  const server = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  return server.listen();
}

/** Picks a preset, plays its scenario and waits until the last step is done. */
export async function playPreset(page: Page, presetId: string): Promise<void> {
  await page.click(`[data-testid="preset-${presetId}"]`);
  await page.click('[data-testid=play]');
  await page.waitForSelector('[data-testid=scenario][data-state=done], [data-testid=scenario][data-state=error]', { timeout: 90_000 });
  const state = await page.getAttribute('[data-testid=scenario]', 'data-state');
  if (state !== 'done') throw new Error(`scenario ended in state ${state}: ${await page.innerText('[data-testid=scenario]')}`);
}

/** Timeline rows, oldest first, as the page shows them. */
export async function timelineRows(page: Page): Promise<{ edge: string; cdn: string; browser: string; origin: string; status: string; xVercelCache: string }[]> {
  const rows = await page.$$eval('[data-testid=timeline-row]', (elements) =>
    elements.map((row) => {
      const el = row as HTMLElement;
      return {
        id: Number(el.dataset.row),
        edge: el.dataset.edge ?? '',
        cdn: el.dataset.cdn ?? '',
        browser: el.dataset.browser ?? '',
        origin: el.dataset.origin ?? '',
        xVercelCache: el.dataset.xVercelCache ?? '',
        status: el.querySelector('[data-testid=timeline-status]')?.textContent ?? '',
      };
    }),
  );
  return rows.sort((a, b) => a.id - b.id).map(({ id: _id, ...row }) => row);
}
