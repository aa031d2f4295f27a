/**
 * The browser half of server-driven invalidation, in real Chromium: two app instances (node:http,
 * built dist/) share a real redis-server; visitors are browser contexts with several tabs each. A purge
 * published on the server reaches every tab's next request, through one feed connection per origin.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chromiumArgs, chromiumExecutable } from '../../tools/chromium.mjs';
import { startFeedApp, type FeedApp } from '../../tools/feed-app.mjs';
import { startRedis, type TestRedis } from '../node/server/redis-server.ts';

declare global {
  interface Window {
    ready: Promise<boolean>;
    product(path?: string): Promise<{ body: string; status: string }>;
    errors: { message: string; code?: string }[];
    tc: { inspect(): Promise<{ entries: { url: string; invalidated: boolean; tags: string[] }[] }> };
  }
}

let redis: TestRedis;
let browser: Browser;
const state = { version: 1 };
const cleanup: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
});
afterAll(async () => {
  await browser.close();
  await redis.stop();
});
afterEach(async () => {
  for (const item of cleanup.splice(0).reverse()) await item.close();
  state.version = 1;
});

async function app(options: Partial<Parameters<typeof startFeedApp>[0]> = {}): Promise<FeedApp> {
  const started = await startFeedApp({ redisUrl: redis.url, state, ...options });
  cleanup.push(started);
  return started;
}
async function visitor(): Promise<BrowserContext> {
  const context = await browser.newContext();
  cleanup.push(context);
  return context;
}
async function tab(context: BrowserContext, origin: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}/${query}`);
  await page.evaluate(() => window.ready);
  return page;
}
const product = (page: Page, path?: string) => page.evaluate((p) => window.product(p), path);
async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('server-driven invalidation in the browser', () => {
  test('R79/R82: a delete published on instance A reaches every tab of visitors on A and B; one stream per origin', { timeout: 90_000 }, async () => {
    const [a, b] = [await app(), await app()];
    const tabs: Page[] = [];
    const [v1, v2] = [await visitor(), await visitor()];
    for (let i = 0; i < 3; i++) tabs.push(await tab(v1, a.origin));
    for (let i = 0; i < 2; i++) tabs.push(await tab(v2, b.origin));
    for (const page of tabs) await product(page); // stored by each visitor's browser layer
    state.version = 2;
    for (const page of tabs) expect((await product(page)).body).toBe('products v1'); // still cached
    // Web Locks leader election: one subscription per origin, not one per tab.
    await until(() => [a.streams.open, b.streams.open], ([x, y]) => x === 1 && y === 1);
    await a.purger.dangerouslyDeleteByTag('products');
    for (const page of tabs) await until(() => product(page), (r) => r.body === 'products v2');
  });

  test('R78: an invalidate marks tagged entries stale in the browser layer (tags from Vercel-Cache-Tag), untagged ones stay fresh', { timeout: 60_000 }, async () => {
    const a = await app();
    const page = await tab(await visitor(), a.origin);
    await product(page);
    await product(page, '/api/plain');
    await until(() => a.streams.open, (n) => n === 1);
    await a.purger.invalidateByTag('products');
    const entries = await until(
      () => page.evaluate(() => window.tc.inspect().then((r) => r.entries.map((e) => ({ url: new URL(e.url).pathname, invalidated: e.invalidated, tags: e.tags })))),
      (list) => list.some((e) => e.invalidated),
    );
    expect(entries.sort((x, y) => x.url.localeCompare(y.url))).toEqual([
      { url: '/api/plain', invalidated: false, tags: [] },
      { url: '/api/products', invalidated: true, tags: ['products'] },
    ]);
  });

  test('a purge that arrives while a response is still being stored reaches that response too', { timeout: 60_000 }, async () => {
    // The bench's lost deliveries: the copy fetched after purge N was still being written when purge
    // N+1 arrived; the purge looked for tagged entries, found none, and the write then landed fresh.
    const a = await app();
    const page = await tab(await visitor(), a.origin, '?slowWrites=1'); // each Cache Storage write lands 200 ms late
    await product(page);
    await until(() => a.streams.open, (n) => n === 1);
    state.version = 2;
    await a.purger.dangerouslyDeleteByTag('products');
    await until(() => product(page), (r) => r.body === 'products v2'); // its copy is being written now
    state.version = 3;
    await a.purger.dangerouslyDeleteByTag('products'); // published before that write lands
    await until(() => product(page), (r) => r.body === 'products v3');
  });

  test('Redis restarted mid-stream: a purge published on another instance while it is down reaches the tab', { timeout: 60_000 }, async () => {
    const [a, b] = [await app(), await app()];
    const page = await tab(await visitor(), a.origin);
    await product(page);
    await until(() => a.streams.open, (n) => n === 1);
    await redis.stop(); // the tab's stream to A stays open; A's subscription to Redis is lost
    state.version = 2;
    const during = b.purger.dangerouslyDeleteByTag('products'); // B's client holds it until Redis is back
    await new Promise((resolve) => setTimeout(resolve, 300));
    await redis.start();
    await during;
    await until(() => product(page), (r) => r.body === 'products v2', 20_000);
  });

  test('the leader tab closing hands the subscription to another tab, which resumes without loss', { timeout: 60_000 }, async () => {
    const a = await app();
    const context = await visitor();
    const first = await tab(context, a.origin);
    const second = await tab(context, a.origin);
    await product(second);
    await until(() => a.streams.open, (n) => n === 1);
    await first.close(); // the leader (it asked first)
    state.version = 2;
    await a.purger.dangerouslyDeleteByTag('products');
    await until(() => product(second), (r) => r.body === 'products v2');
    expect(a.streams.open).toBe(1);
  });

  test('a page opened after events were missed catches up before a tagged response is served', { timeout: 60_000 }, async () => {
    const a = await app();
    const context = await visitor();
    const first = await tab(context, a.origin);
    await product(first);
    await until(() => a.streams.open, (n) => n === 1);
    await first.close(); // no tab holds the subscription now
    await until(() => a.streams.open, (n) => n === 0);
    state.version = 2;
    await a.purger.dangerouslyDeleteByTag('products');
    // The very first request of the new page, before any subscription exists, already misses the entry.
    const page = await context.newPage();
    await page.goto(a.origin);
    expect((await product(page)).body).toBe('products v2');
  });

  test('a restarted worker catches up from its persisted cursor (IndexedDB) before serving tagged entries', { timeout: 60_000 }, async () => {
    const a = await app();
    const context = await visitor();
    const page = await tab(context, a.origin);
    await product(page);
    await until(() => a.streams.open, (n) => n === 1);
    await page.close();
    await until(() => a.streams.open, (n) => n === 0);
    const cdp = await context.newCDPSession(await context.newPage());
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    state.version = 2;
    await a.purger.invalidateByTag('other');
    await a.purger.dangerouslyDeleteByTag('products');
    const next = await context.newPage();
    await next.goto(a.origin);
    expect((await product(next)).body).toBe('products v2');
  });

  test('a gap larger than the backlog purges everything tagged and keeps untagged entries', { timeout: 60_000 }, async () => {
    const a = await app({ backlog: 5 });
    const context = await visitor();
    const page = await tab(context, a.origin);
    await product(page);
    await product(page, '/api/plain');
    await until(() => a.streams.open, (n) => n === 1);
    await page.close();
    await until(() => a.streams.open, (n) => n === 0);
    state.version = 2;
    for (let i = 0; i < 20; i++) await a.purger.invalidateByTag(`unrelated-${i}`); // "offline for minutes"
    const next = await context.newPage();
    await next.goto(a.origin);
    await next.evaluate(() => window.ready);
    expect((await product(next)).body).toBe('products v2'); // tagged: deleted by the reset
    expect((await product(next, '/api/plain')).body).toBe('plain v1'); // untagged: kept
  });

  test('an unauthorized subscriber is refused and learns nothing; the page keeps working and onError reports it', { timeout: 60_000 }, async () => {
    const a = await app({ authorize: () => false });
    const page = await tab(await visitor(), a.origin);
    expect((await product(page)).body).toBe('products v1');
    await a.purger.dangerouslyDeleteByTag('products');
    state.version = 2;
    const errors = await until(() => page.evaluate(() => window.errors.map((e) => e.message)), (list) => list.some((m) => m.includes('invalidation feed')));
    expect(errors.join('\n')).not.toContain('products');
    expect((await product(page)).body).toBe('products v1'); // served from cache as usual, no purge learned
  });

  test('malformed events are ignored and reported through onError; valid ones around them still apply', { timeout: 60_000 }, async () => {
    const rawFeed = [
      'id: 1-0\ndata: {not json\n\n',
      'id: 2-0\ndata: {"kind":"invalidate","tags":"products"}\n\n',
      'id: nonsense\ndata: {"kind":"purgeAll"}\n\n',
      'id: 3-0\ndata: {"kind":"delete","tags":["products"],"revalidationDeadlineSeconds":0}\n\n',
    ].join('');
    const a = await app({ rawFeed });
    const context = await visitor();
    // The page subscribes to the raw feed, caches, and only then do the events come.
    const page = await tab(context, a.origin, '?feed=/api/raw-feed');
    await product(page);
    a.releaseRawFeed();
    state.version = 2;
    await until(() => product(page), (r) => r.body === 'products v2');
    const errors = await page.evaluate(() => window.errors.map((e) => e.message));
    expect(errors.filter((m) => m.includes('malformed'))).toHaveLength(3);
  });

  test('a feed that is down never breaks or slows the page: cached responses are served, errors reported', { timeout: 60_000 }, async () => {
    const a = await app();
    const context = await visitor();
    const page = await tab(context, a.origin);
    await product(page);
    await until(() => a.streams.open, (n) => n === 1);
    await redis.stop(); // the instance's bus has no backend now; the stream stays, catch-ups fail
    try {
      state.version = 2;
      const other = await context.newPage();
      await other.goto(a.origin);
      const started = Date.now();
      expect((await product(other)).body).toBe('products v1');
      // Bounded: the catch-up wait is at most 1 s, whatever the feed does.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await redis.start();
    }
  });
});
