/**
 * examples/vite-app, installed from the packed tarball, in real Chromium: its production server
 * (`vite build` + `vite preview`) and its dev server (`vite`). The worker registers from the
 * example's own code (`virtual:tiercache`); the page's buttons fetch and move the simulated clock;
 * the example mounts the devtools (`tiercache/devtools`), which the last tests drive.
 */
import { copyFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, chromiumExecutable } from '../../tools/chromium.mjs';
import { SCREENSHOT_DIR } from './support/watched-page.ts';
import { act, expectPanelLook, expectRowFor, openPanel, pageStylesWithoutPanel, panelWidth } from './support/devtools-driver.ts';
import { freePort, installedExample, startVite, vite, type RunningServer } from './support/packed-app.ts';

let app: string;
let browser: Browser;

// Pack + install: well under a minute on an idle 2-core machine, several on a loaded one.
beforeAll(async () => {
  app = await installedExample();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  /** Clicks a button of the example and returns the x-vercel-cache its log line shows. */
  click(id: 'products' | 'news'): Promise<string>;
  later(): Promise<void>;
  deployment(): Promise<string>;
}

async function open(url: string): Promise<Opened> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('#worker[data-deployment]');
  const logLength = () => page.locator('#log li').count();
  const next = async (action: () => Promise<void>) => {
    const before = await logLength();
    await action();
    await page.waitForFunction((n) => document.querySelectorAll('#log li').length > n, before);
    return (await page.locator('#log li').last().textContent()) ?? '';
  };
  return {
    page,
    errors,
    click: async (id) => (/x-vercel-cache: (\S+)/.exec(await next(() => page.click(`#${id}`))) ?? [])[1] ?? '',
    later: async () => void (await next(() => page.click('#later'))),
    deployment: async () => (await page.getAttribute('#worker', 'data-deployment')) ?? '',
  };
}

/** x-vercel-cache of a fetch made by the page (through its worker). */
async function cacheOf(page: Page, url: string): Promise<string | null> {
  return page.evaluate(async (u) => (await fetch(u)).headers.get('x-vercel-cache'), url);
}

describe('production build (vite build + vite preview)', () => {
  let server: RunningServer | undefined;
  let port: number;
  let opened: Opened;

  beforeAll(async () => {
    await vite(app, ['build']);
    port = await freePort();
    server = await startVite(app, 'preview', port);
    opened = await open(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('the worker is served from the build at /sw.js with no-cache, holding the build manifest', async () => {
    const response = await fetch(`${server?.url}sw.js`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const text = await response.text();
    const manifest = JSON.parse(/^self\.__TIERCACHE__ = (.*);$/m.exec(text)?.[1] ?? 'null') as { params: Record<string, string>; staticFiles: string[]; headerRules: unknown[] };
    expect(manifest.params).toMatchObject({ layers: 'edge', deployment: await opened.deployment() });
    expect(manifest.staticFiles).toEqual(expect.arrayContaining(['/', '/index.html']));
    expect(manifest.staticFiles.some((file) => /^\/assets\/index-[\w-]+\.js$/.test(file))).toBe(true);
    expect(manifest.staticFiles).not.toContain('/sw.js');
    expect(manifest.headerRules).toHaveLength(2);
  });

  test('R1/R62: /api/products is a MISS, then a HIT; Vercel-CDN-Cache-Control (1 h) keeps it a HIT 2 min later', async () => {
    expect(await opened.click('products')).toBe('MISS');
    expect(await opened.click('products')).toBe('HIT');
    await opened.later();
    expect(await opened.click('products')).toBe('HIT');
  });

  test('R5/R12: the vercel.json rule gives /api/news its Cache-Control: MISS → HIT → STALE after the clock moves', async () => {
    expect(await opened.click('news')).toBe('MISS');
    expect(await opened.click('news')).toBe('HIT');
    await opened.later();
    expect(await opened.click('news')).toBe('STALE');
    const headers = await opened.page.evaluate(async () => Object.fromEntries((await fetch('/api/news')).headers));
    expect(headers['x-robots-tag']).toBe('noindex'); // a name only the config sets is applied (R5)
  });

  test('R48: a hashed static file of the build is a HIT on its first repeat, its query ignored', async () => {
    const asset = await opened.page.evaluate(() => new URL(document.querySelector('script[type=module]')?.getAttribute('src') ?? '', location.href).pathname);
    expect(asset).toMatch(/^\/assets\/index-/);
    expect(await cacheOf(opened.page, asset)).toBe('MISS');
    expect(await cacheOf(opened.page, asset)).toBe('HIT');
    expect(await cacheOf(opened.page, `${asset}?v=2`)).toBe('HIT');
  });

  test('R50: a rebuild is a new deployment: the browser installs its worker and the edge starts cold', async () => {
    const first = await opened.deployment();
    await server?.stop();
    await vite(app, ['build']);
    server = await startVite(app, 'preview', port);
    // The browser's update check finds a byte-different /sw.js: the new worker installs and takes over.
    await opened.page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const replaced = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      await registration?.update();
      await replaced;
    });
    await opened.page.reload();
    await opened.page.waitForSelector('#worker[data-deployment]');
    const second = await opened.deployment();
    expect(second).not.toBe(first);
    expect(await opened.click('products')).toBe('MISS');
    expect(await opened.click('products')).toBe('HIT');
  });

  test('the page never broke: no console errors', () => {
    expect(opened.errors).toEqual([]);
  });
});

describe('dev server (vite)', () => {
  let server: RunningServer | undefined;

  beforeAll(async () => {
    server = await startVite(app, 'dev', await freePort());
  });

  afterAll(async () => {
    await server?.stop();
  });

  test('the worker is served at its real URL /sw.js, never cached, registers, and requests go through the layers', async () => {
    const response = await fetch(`${server?.url}sw.js`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toMatch(/^self\.__TIERCACHE__ = \{"params":\{"layers":"edge","deployment":"dev-/);
    const opened = await open(server?.url ?? '');
    expect(await opened.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server?.url}sw.js`);
    expect(await opened.click('news')).toBe('MISS');
    expect(await opened.click('news')).toBe('HIT');
    expect(opened.errors).toEqual([]);
  });

  describe('the devtools the example mounts', () => {
    let opened: Opened;

    beforeAll(async () => {
      opened = await open(server?.url ?? '');
      await openPanel(opened.page);
    });

    test('R62: a request appears in the panel within a second with the edge’s decision', async () => {
      await expectRowFor(opened.page, async () => expect(await opened.click('products')).toBe('MISS'), { edge: 'MISS', origin: 'true', xVercelCache: 'MISS' });
      await expectRowFor(opened.page, async () => expect(await opened.click('products')).toBe('HIT'), { edge: 'HIT', origin: 'false', xVercelCache: 'HIT' });
    });

    test('R83: "Purge all" makes the next request a MISS at the edge', async () => {
      await act(opened.page, 'purge-all', 'Purge all: done');
      await expectRowFor(opened.page, async () => expect(await opened.click('products')).toBe('MISS'), { edge: 'MISS', origin: 'true' });
    });

    test('R12: time travel in the panel turns a HIT into STALE (/api/news: s-maxage=60, stale-while-revalidate=300)', async () => {
      expect(await opened.click('news')).toBe('MISS');
      await expectRowFor(opened.page, async () => expect(await opened.click('news')).toBe('HIT'), { edge: 'HIT' });
      await act(opened.page, 'advance-60', 'Clock +60 s: done');
      await expectRowFor(opened.page, async () => expect(await opened.click('news')).toBe('STALE'), { edge: 'STALE', xVercelCache: 'STALE' });
      await opened.page.waitForSelector('[data-testid=timeline-refresh]');
    });

    test('the page’s CSS does not style the panel, the panel’s does not style the page; it fits 1280 px; no console errors', async () => {
      await expectPanelLook(opened.page);
      const styles = await pageStylesWithoutPanel(opened.page, ['body', 'h1', '#worker', '#products', '#log', '#log li']);
      expect(styles.with).toEqual(styles.without);
      expect(await panelWidth(opened.page)).toBeLessThanOrEqual(1280);
      // The README's picture of the panel over this example (DEVTOOLS_SCREENSHOT=1 refreshes it).
      const path = `${SCREENSHOT_DIR}/devtools-vite-app.png`;
      await opened.page.screenshot({ path });
      if (process.env.DEVTOOLS_SCREENSHOT) copyFileSync(path, 'devtools/screenshot.png');
      expect(opened.errors).toEqual([]);
    });
  });
});
