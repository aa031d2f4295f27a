/**
 * examples/next-app, installed from the packed tarball, in real Chromium: `next build && next start`,
 * then `next dev` (Turbopack). The worker registers from the example's own code (`<TierCache />` in
 * its root layout, served by `app/sw.js/route.ts`); the example puts the SDK controller on
 * `window.tiercache`, which the tests use to move the worker's clock and to inspect it, and mounts the
 * devtools (`app/devtools.tsx`), which the tests drive too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, chromiumExecutable } from '../../tools/chromium.mjs';
import { act, expectPanelLook, expectRowFor, openPanel, pageStylesWithoutPanel, panelWidth } from './support/devtools-driver.ts';
import { nextBuild, startNext, type NextServer } from './support/next-server.ts';
import { freePort, installedExample } from './support/packed-app.ts';

let app: string;
let browser: Browser;

// Pack + install + build: about a minute on an idle 2-core machine, several on a loaded one.
const SETUP_MS = 600_000;

beforeAll(async () => {
  app = await installedExample('next-app');
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
}, SETUP_MS);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
}

/** A fresh browser profile on the app, once the example's `<TierCache />` has the worker in control. */
async function open(url: string): Promise<Opened> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // Generous: `next dev` compiles a page on its first request.
  await page.goto(url, { timeout: 120_000 });
  await workerReady(page);
  return { page, errors };
}

async function workerReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.tiercache !== undefined && navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });
}

interface Seen {
  status: number;
  type: string | null;
  xVercelCache: string | null;
  cacheStatus: string;
  vercelCdnCacheControl: string | null;
  body: string;
}

/** A fetch made by the page (so through its worker). */
async function get(page: Page, url: string, headers: Record<string, string> = {}): Promise<Seen> {
  return page.evaluate(
    async ([target, sent]) => {
      const response = await fetch(target, { headers: sent });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        xVercelCache: response.headers.get('x-vercel-cache'),
        cacheStatus: response.headers.get('cache-status') ?? '',
        vercelCdnCacheControl: response.headers.get('vercel-cdn-cache-control'),
        body: (await response.text()).slice(0, 200),
      };
    },
    [url, headers] as const,
  );
}

async function setClock(page: Page, ms: number): Promise<void> {
  await page.evaluate((offset) => window.tiercache?.setClockOffset(offset), ms);
}

async function deployment(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => (await window.tiercache?.inspect())?.config.deployment);
}

/** One Cache-Status member (RFC 9211), e.g. `browser; hit; ttl=9`. */
function member(cacheStatus: string, layer: 'edge' | 'cdn' | 'browser'): string {
  return cacheStatus.split(/,\s*(?=(?:edge|cdn|browser)\b)/).find((m) => m.startsWith(layer)) ?? '';
}

describe('next build && next start', () => {
  let server: NextServer;
  let port: number;

  beforeAll(async () => {
    await nextBuild(app);
    port = await freePort();
    server = await startNext(app, 'start', port);
  }, SETUP_MS);

  afterAll(async () => {
    await server?.stop();
  });

  test('the worker registers from the example\'s code, is served uncached, with the build\'s deployment id and Next\'s static files (R50, R48)', async () => {
    const { page, errors } = await open(server.url);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.url}sw.js`);

    const script = await fetch(`${server.url}sw.js`);
    expect(script.headers.get('cache-control')).toBe('no-cache');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);

    const config = await page.evaluate(async () => (await window.tiercache?.inspect())?.config);
    expect(config?.deployment).toBe(readFileSync(join(app, '.next/BUILD_ID'), 'utf8').trim());
    expect(config?.layers).toEqual(['browser', 'cdn', 'edge']);
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter((src) => src.includes('/_next/static/')));
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(config?.staticFiles).toContain(new URL(src).pathname);
    expect(config?.staticFiles.every((path) => path.startsWith('/_next/static/'))).toBe(true);
    expect(errors).toEqual([]);
  });

  test('R12, R62: the ISR page (s-maxage=10, stale-while-revalidate) is MISS, then HIT, then STALE once its 10 s have passed, then HIT again', async () => {
    const { page, errors } = await open(server.url);
    const first = await get(page, '/isr');
    expect(first.type).toMatch(/^text\/html/);
    expect(first.xVercelCache).toBe('MISS');
    expect((await get(page, '/isr')).xVercelCache).toBe('HIT');

    await setClock(page, 11_000);
    expect((await get(page, '/isr')).xVercelCache).toBe('STALE');
    // The background refresh lands within moments; then the edge serves the refreshed copy.
    await expect.poll(async () => (await get(page, '/isr')).xVercelCache, { timeout: 15_000 }).toBe('HIT');
    expect(errors).toEqual([]);
  });

  test('R48: a hashed /_next/static file is stored at the edge on its first request, and its first repeat there is a HIT (query ignored)', async () => {
    const { page, errors } = await open(server.url);
    const src = await page.evaluate(() => [...document.scripts].map((s) => s.src).find((s) => s.includes('/_next/static/chunks/')));
    expect(src).toBeDefined();
    const chunk = new URL(src ?? '').pathname;

    // `public, max-age=31536000, immutable` alone would not be stored at the edge (R9): R48 makes it so.
    const first = await get(page, chunk);
    expect(first.xVercelCache).toBe('MISS');
    expect(member(first.cacheStatus, 'edge')).toMatch(/; stored/);
    // A different query is a new URL for the browser and CDN layers, the same static file for the edge.
    const repeat = await get(page, `${chunk}?v=2`);
    expect(member(repeat.cacheStatus, 'browser')).toMatch(/fwd=uri-miss/);
    expect(repeat.xVercelCache).toBe('HIT');
    expect(errors).toEqual([]);
  });

  test('R52, R147: RSC and HTML variants of one URL never cross (client navigation, plain fetch, hard load)', async () => {
    const { page, errors } = await open(server.url);
    const rsc: { url: string; headers: Record<string, string> }[] = [];
    page.on('response', (response) => {
      const request = response.request();
      const headers = request.headers();
      if (headers.rsc === '1' && response.headers()['cache-status'] !== undefined && new URL(request.url()).pathname === '/isr') {
        rsc.push({ url: request.url(), headers });
      }
    });
    // Now that the worker controls the page, the router's prefetches and navigations go through it.
    await page.reload();
    await workerReady(page);
    await page.click('#to-isr');
    await page.waitForSelector('#rendered-at');
    await expect.poll(() => rsc.length).toBeGreaterThan(0);
    const { url, headers } = rsc[0] ?? { url: '', headers: {} };
    const routerHeaders = Object.fromEntries(Object.entries(headers).filter(([name]) => name === 'rsc' || name.startsWith('next-')));

    const html = await get(page, url);
    expect(html.type).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<!DOCTYPE html>/i);
    const flight = await get(page, url, routerHeaders);
    expect(flight.type).toBe('text/x-component');
    expect(flight.xVercelCache).toBe('HIT'); // the router's own request stored it
    const htmlAgain = await get(page, url);
    expect(htmlAgain.type).toMatch(/^text\/html/);
    expect(htmlAgain.xVercelCache).toBe('HIT');

    // A hard load of the `_rsc` URL (a reload, a restored tab) renders the page, never the flight data.
    await page.goto(url);
    expect(await page.textContent('h1')).toBe('ISR page');
    await page.click('#to-home');
    await page.waitForSelector('#to-isr');
    expect(errors).toEqual([]);
  });

  test('R1, R7, R26: the route handler\'s three headers give the edge, the CDN and the browser their own TTLs (3600, 60, 10 s)', async () => {
    const { page, errors } = await open(server.url);
    const first = await get(page, '/api/products');
    expect(first.xVercelCache).toBe('MISS');
    expect(member(first.cacheStatus, 'edge')).toMatch(/ttl=3599|ttl=3600/);
    expect(member(first.cacheStatus, 'cdn')).toMatch(/ttl=59|ttl=60/);
    expect(member(first.cacheStatus, 'browser')).toMatch(/ttl=9|ttl=10/);
    expect(first.vercelCdnCacheControl).toBeNull();

    expect(member((await get(page, '/api/products')).cacheStatus, 'browser')).toMatch(/^browser; hit/);
    await setClock(page, 11_000);
    const fromCdn = await get(page, '/api/products');
    expect(member(fromCdn.cacheStatus, 'browser')).not.toMatch(/hit/);
    expect(member(fromCdn.cacheStatus, 'cdn')).toMatch(/^cdn; hit/);
    await setClock(page, 61_000);
    const fromEdge = await get(page, '/api/products');
    expect(member(fromEdge.cacheStatus, 'cdn')).not.toMatch(/^cdn; hit/);
    expect(fromEdge.xVercelCache).toBe('HIT');
    expect(errors).toEqual([]);
  });

  describe('the devtools the example mounts', () => {
    let opened: Opened;

    beforeAll(async () => {
      opened = await open(server.url);
      await openPanel(opened.page);
    });

    test('R62, R1, R7: a request appears in the panel within a second with each layer’s decision (edge 3600 s, CDN 60 s, browser 10 s)', async () => {
      await expectRowFor(opened.page, async () => expect((await get(opened.page, '/api/products')).xVercelCache).toBe('MISS'),
        { browser: 'MISS', cdn: 'MISS', edge: 'MISS', origin: 'true', xVercelCache: 'MISS' });
      // The browser layer answers alone: the CDN and the edge never see the request.
      await expectRowFor(opened.page, () => get(opened.page, '/api/products'), { browser: 'HIT', cdn: '', edge: '', origin: 'false' });
    });

    test('R83: "Purge all" makes the next request a MISS at the edge', async () => {
      await act(opened.page, 'purge-all', 'Purge all: done');
      await expectRowFor(opened.page, async () => expect((await get(opened.page, '/api/products')).xVercelCache).toBe('MISS'), { edge: 'MISS', origin: 'true' });
    });

    test('R12: time travel in the panel turns the ISR page’s HIT into STALE (s-maxage=10)', async () => {
      await get(opened.page, '/isr');
      await expectRowFor(opened.page, async () => expect((await get(opened.page, '/isr')).xVercelCache).toBe('HIT'), { xVercelCache: 'HIT', origin: 'false' });
      await act(opened.page, 'advance-60', 'Clock +60 s: done');
      await expectRowFor(opened.page, async () => expect((await get(opened.page, '/isr')).xVercelCache).toBe('STALE'), { xVercelCache: 'STALE', origin: 'false' });
      await opened.page.waitForSelector('[data-testid=timeline-refresh]');
      await act(opened.page, 'reset-clock', 'Clock reset: done');
    });

    test('the page’s CSS does not style the panel, the panel’s does not style the page; it fits 1280 px; no console errors', async () => {
      await expectPanelLook(opened.page);
      const styles = await pageStylesWithoutPanel(opened.page, ['body', 'main', 'h1', 'ul', 'li', 'a']);
      expect(styles.with).toEqual(styles.without);
      expect(await panelWidth(opened.page)).toBeLessThanOrEqual(1280);
      expect(opened.errors).toEqual([]);
    });
  });

  test('R50: the app deployed again (a new NEXT_DEPLOYMENT_ID): a tab opened afterwards gets the new worker, and its edge starts cold', { timeout: 240_000 }, async () => {
    const { page, errors } = await open(server.url);
    await get(page, '/isr');
    expect((await get(page, '/isr')).xVercelCache).toBe('HIT');
    const before = await deployment(page);
    expect(before).not.toBe('dpl-e2e-second');

    // The same build deployed again: Next takes NEXT_DEPLOYMENT_ID as its deployment id (skew protection).
    await server.stop();
    server = await startNext(app, 'start', port, { NEXT_DEPLOYMENT_ID: 'dpl-e2e-second' });
    // The user comes back in a new tab of the same browser profile: the navigation's update check finds
    // a byte-different worker script, which installs and takes over once the old worker is idle. The
    // wait is page-side: asking the old worker (inspect) meanwhile would keep it busy and hold the new
    // one back.
    await page.close();
    const later = await page.context().newPage();
    later.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    later.on('pageerror', (error) => errors.push(error.message));
    await later.addInitScript(() => {
      navigator.serviceWorker.addEventListener('controllerchange', () => document.documentElement.setAttribute('data-worker-changed', ''));
    });
    await later.goto(server.url);
    await later.waitForSelector('html[data-worker-changed]', { state: 'attached', timeout: 120_000 });
    await workerReady(later);
    expect(await deployment(later)).toBe('dpl-e2e-second');

    // R50: the edge key holds the deployment, so nothing the old deployment stored is served.
    expect((await get(later, '/isr')).xVercelCache).toBe('MISS');
    expect((await get(later, '/isr')).xVercelCache).toBe('HIT');
    expect(errors).toEqual([]);
  });
});

describe('next dev (Turbopack)', () => {
  let server: NextServer;

  beforeAll(async () => {
    server = await startNext(app, 'dev', await freePort());
  }, SETUP_MS);

  afterAll(async () => {
    await server?.stop();
  });

  test('the worker is served and registers; every dev-server start is a deployment of its own, with no static files', async () => {
    const { page, errors } = await open(server.url);
    const config = await page.evaluate(async () => (await window.tiercache?.inspect())?.config);
    expect(config?.deployment).toMatch(/^dev-/);
    expect(config?.staticFiles).toEqual([]);
    // React runs effects twice in development (StrictMode): still one devtools panel.
    await page.waitForSelector('[data-testid=devtools-toggle]');
    expect(await page.locator('tiercache-devtools').count()).toBe(1);

    const first = await get(page, '/api/products');
    expect(first.xVercelCache).toBe('MISS');
    expect(member((await get(page, '/api/products')).cacheStatus, 'browser')).toMatch(/^browser; hit/);
    expect(errors).toEqual([]);
  }, 180_000);
});

declare global {
  interface Window {
    tiercache?: import('../../sdk/index.ts').CacheWorkerController;
  }
}
