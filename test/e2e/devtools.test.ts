/**
 * The devtools mounted in an app's own page (test/e2e/fixtures/devtools-app), in real Chromium with the
 * real worker and a real local origin: the app's requests appear with each layer's decision, the
 * panel's actions act on the worker, "why" explains the origin's headers with the policy, the panel and
 * the page's CSS stay apart, and everything works from the keyboard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app-harness.ts';
import { SCREENSHOT_DIR } from './support/watched-page.ts';
import { act, expectPanelLook, focused as focusedIn, pageStyles as stylesOf, panelWidth, rowCount, timelineRows, waitForRowsAbove, waitForStatus as statusIn } from './support/devtools-driver.ts';

const ROUTE = 'api/products';
const PRODUCTS = { headers: { 'Cache-Control': 's-maxage=10, stale-while-revalidate=300', 'Content-Type': 'application/json', 'Vercel-Cache-Tag': 'products' },
  body: '[{"name":"Teapot"},{"name":"Kettle"},{"name":"Mug no. {{hit}}"}]', etag: '"products-1"' };

let app: AppHarness;
beforeAll(async () => {
  app = await startApp();
  await app.script(ROUTE, [PRODUCTS]);
});
afterAll(async () => {
  await app?.close();
});

type Win = Window & { app: { load(): Promise<void>; mount(open?: boolean): Promise<void> } };

/** Clicks the app's own button and waits until the page shows what it got; returns that text. */
async function load(): Promise<string> {
  const before = await app.page.textContent('#result');
  await app.page.click('#load');
  await app.page.waitForFunction((previous) => {
    const text = document.querySelector('#result')?.textContent ?? '';
    return text !== previous && text !== 'not loaded';
  }, before);
  // The same text twice in a row (HIT, HIT) does not change the element: wait for the fetch itself.
  return (await app.page.textContent('#result')) ?? '';
}

async function loadExpecting(xVercelCache: string | undefined): Promise<void> {
  await app.page.evaluate(() => {
    const result = document.querySelector('#result');
    if (result) result.textContent = 'loading';
  });
  await load();
  if (xVercelCache) expect(await app.page.textContent('#result')).toBe(`200 · x-vercel-cache: ${xVercelCache}`);
}

const rows = () => timelineRows(app.page);
const focused = () => focusedIn(app.page);
const waitForStatus = (text: string) => statusIn(app.page, text);
const pageStyles = () => stylesOf(app.page, ['body', '#title', '#load', '#result', 'main', 'li']);

/** The Stores view's runtime-cache row of the app's `catalog` entry, once it shows `status`. */
async function runtimeEntry(status: string): Promise<string> {
  const selector = `[data-testid=store-runtime] [data-testid=runtime-entry][data-key=products][data-status=${status}]`;
  await app.page.waitForSelector(selector);
  return (await app.page.textContent(selector)) ?? '';
}

describe('devtools in an app page', () => {
  let stylesBefore: (string | null)[] = [];

  it('loads the panel chunk only when the app mounts it, and the panel changes nothing on the page', async () => {
    stylesBefore = await pageStyles();
    expect(app.requested.some((url) => url.includes('/devtools/panel.ts'))).toBe(false);
    await app.page.evaluate(() => (window as unknown as Win).app.mount(true));
    await app.page.waitForSelector('[data-testid=devtools-panel]');
    expect(app.requested.some((url) => url.includes('/devtools/panel.ts'))).toBe(true);
    expect(await pageStyles()).toEqual(stylesBefore);
  });

  it('is not styled by the host page: its own fonts, colours and radii, and the host element stays unstyled', async () => {
    await expectPanelLook(app.page);
  });

  it('R62: an app request appears within a second with each layer’s decision, as the page received it', async () => {
    await loadExpecting('MISS');
    await app.page.waitForSelector('[data-testid=timeline-row][data-edge=MISS]', { timeout: 1000 });
    expect((await rows()).at(-1)).toMatchObject({ edge: 'MISS', origin: 'true', xVercelCache: 'MISS' });
    await loadExpecting('HIT');
    // Asked right after the page got its response: the row must already be there or arrive within 1 s.
    await app.page.waitForSelector('[data-testid=timeline-row][data-edge=HIT]', { timeout: 1000 });
    const list = await rows();
    expect(list.at(-1)).toMatchObject({ edge: 'HIT', origin: 'false', xVercelCache: 'HIT' });
    expect(list.at(-1)?.browser).not.toBe('');
    // The headers the page received, read from the app's own fetch().
    const received = await app.page.textContent('[data-testid=timeline-row]:first-child [data-testid=received-headers]');
    expect(received).toContain('x-vercel-cache: HIT');
    expect(received).toContain('cache-status:');
  });

  it('R1, R9, R12: "why" explains the origin’s headers with the policy: the edge obeys Cache-Control s-maxage=10, stale-while-revalidate=300', async () => {
    await app.page.click('[data-testid=timeline-row]:first-child [data-testid=timeline-select]');
    await app.page.waitForSelector('[data-testid=panel-why]:not([hidden]) [data-testid=explain-edge]');
    expect(await app.page.getAttribute('[data-testid=explain-edge]', 'data-winner')).toBe('Cache-Control');
    expect(await app.page.textContent('[data-testid=explain-winner-edge]')).toContain('s-maxage=10, stale-while-revalidate=300');
    expect(await app.page.textContent('[data-testid=explain-summary-edge]')).toBe('Keeps it 10 s, then serves it stale for up to 300 s (5 min) while refreshing in the background.');
    // R29: the edge strips s-maxage and stale-while-revalidate before the browser.
    expect(await app.page.textContent('[data-testid=explain-stripped-edge]')).toContain('s-maxage');
    expect(await app.page.textContent('[data-testid=why-decisions]')).toContain('Vercel edge HIT');
    // This HIT never reached the origin: the headers explained are the ones the first request brought.
    expect(await app.page.textContent('[data-testid=panel-why] .flow-origin')).toContain('with request #1');
  });

  it('lists each layer’s stored entries with status, TTL and tags', async () => {
    await app.page.click('[data-testid=tab-stores]');
    await app.page.waitForSelector('[data-testid=store-edge][data-count="1"]');
    const entry = await app.page.textContent('[data-testid=store-edge] [data-testid=store-entry]');
    expect(entry).toContain('/__origin/r/api/products');
    expect(entry).toContain('products');
    expect(entry).toContain('10 s');
  });

  it('R93, R102: lists the runtime cache’s entries (getCache()) with namespace, key, stored key, expiry and tags', async () => {
    const entry = await runtimeEntry('live');
    expect(entry).toContain('catalog'); // the namespace
    expect(entry).toMatch(/catalog\$[0-9a-f]+/); // the key as Vercel stores it
    expect(entry).toMatch(/in (29\d|300) s|in 5 min/); // ttl 300
    expect(await app.page.textContent('[data-testid=runtime-tags]')).toContain('products ×1');
  });

  it('R83: "Purge all" in the panel makes the next request a MISS at the edge that reaches the origin', async () => {
    const hits = await app.hits(ROUTE);
    await app.page.click('[data-testid=purge-all]');
    await waitForStatus('Purge all: done');
    await app.page.click('[data-testid=tab-requests]');
    await loadExpecting('MISS');
    await app.page.waitForFunction(() => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]').length === 3);
    expect((await rows()).at(-1)).toMatchObject({ edge: 'MISS', origin: 'true', xVercelCache: 'MISS' });
    expect(await app.hits(ROUTE)).toBe(hits + 1);
  });

  it('R12: time travel in the panel turns a HIT into STALE, with the background refresh as its own row', async () => {
    await loadExpecting('HIT');
    await app.page.click('[data-testid=advance-60]');
    await waitForStatus('Clock +60 s: done');
    expect(await app.page.textContent('[data-testid=clock]')).toBe('+60 s');
    // The lanes (another tab) already show the edge copy inside its stale-while-revalidate window.
    await app.page.waitForSelector('[data-testid=lane-edge][data-state=swr]', { state: 'attached' });
    await loadExpecting('STALE');
    await app.page.waitForSelector('[data-testid=timeline-row][data-edge=STALE]', { timeout: 1000 });
    await app.page.waitForSelector('[data-testid=timeline-refresh]');
    expect(await app.page.textContent('[data-testid=timeline-refresh] [data-testid=timeline-why]')).toContain('Background refresh by Vercel edge');
  });

  it('shows the URL’s lanes on the worker’s clock, and hides a layer on request', async () => {
    await app.page.click('[data-testid=tab-lanes]');
    await app.page.waitForSelector('[data-testid=panel-lanes]:not([hidden]) [data-testid=lane-edge]');
    expect(await app.page.textContent('[data-testid=lane-url] option:checked')).toBe('/__origin/r/api/products');
    await app.page.waitForSelector('[data-testid=lane-edge][data-state=fresh]');
    expect(await app.page.locator('[data-testid=lane-edge] .seg.fresh').count()).toBeGreaterThan(0);
    await app.page.click('[data-testid=show-edge]');
    expect(await app.page.isVisible('[data-testid=lane-edge]')).toBe(false);
    await app.page.click('[data-testid=show-edge]');
    expect(await app.page.isVisible('[data-testid=lane-edge]')).toBe(true);
  });

  it('filters the timeline by layer outcome and path, and pause keeps new requests out', async () => {
    await app.page.click('[data-testid=tab-requests]');
    await app.page.selectOption('[data-testid=filter-layer]', 'edge');
    await app.page.selectOption('[data-testid=filter-outcome]', 'stale');
    expect(await rows()).toEqual([expect.objectContaining({ edge: 'STALE' })]);
    await app.page.selectOption('[data-testid=filter-outcome]', '');
    await app.page.selectOption('[data-testid=filter-layer]', '');
    await app.page.fill('[data-testid=filter-path]', '/nothing-like-this');
    expect(await rows()).toEqual([]);
    await app.page.fill('[data-testid=filter-path]', 'products');
    const shown = (await rows()).length;
    expect(shown).toBe(5);
    await app.page.selectOption('[data-testid=filter-status]', '4xx');
    expect(await rows()).toEqual([]);
    await app.page.selectOption('[data-testid=filter-status]', '2xx');
    expect((await rows()).length).toBe(shown);
    await app.page.selectOption('[data-testid=filter-status]', '');
    // Whatever the edge answers now (HIT, or STALE once s-maxage=10 has passed on a slow machine).
    await app.page.click('[data-testid=pause]');
    await loadExpecting(undefined);
    await app.page.waitForTimeout(800);
    expect((await rows()).length).toBe(shown);
    await app.page.click('[data-testid=pause]');
    await loadExpecting(undefined);
    await app.page.waitForFunction((count) => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]').length === count + 1, shown);
  });

  it('R78, R120: "Invalidate tag" marks the edge copy and the runtime entry; the next request is STALE at the edge', async () => {
    await app.page.click('[data-testid=tab-stores]');
    await app.page.fill('[data-testid=tag-input]', 'products');
    await act(app.page, 'invalidate-tag', "invalidateByTag('products'): done");
    await app.page.waitForSelector('[data-testid=store-edge] [data-testid=store-entry][data-status=invalidated]');
    await runtimeEntry('tag-expired');
    await app.page.waitForSelector('[data-testid=lane-edge][data-state=invalidated]', { state: 'attached' });
    const before = await rowCount(app.page);
    await loadExpecting('STALE');
    await app.page.click('[data-testid=tab-requests]');
    await waitForRowsAbove(app.page, before);
    expect((await rows()).at(-1)).toMatchObject({ edge: 'STALE', xVercelCache: 'STALE' });
    // The app set its runtime entry again after the load: it reads again (R120: until set again).
    await app.page.click('[data-testid=tab-stores]');
    await runtimeEntry('live');
  });

  it('R79: "Delete tag" with a 30 s deadline: the edge copy is deleted at +30 s and served stale until then; the runtime entry goes at once', async () => {
    await app.page.fill('[data-testid=tag-input]', 'products');
    await app.page.fill('[data-testid=delete-deadline]', '30');
    await act(app.page, 'delete-tag', "dangerouslyDeleteByTag('products'): done");
    expect(await app.page.textContent('[data-testid=store-edge] [data-testid=store-entry]')).toMatch(/deleted at \+(29|30) s/);
    await app.page.waitForSelector('[data-testid=store-runtime][data-count="0"]');
    await loadExpecting('STALE');
    await app.page.fill('[data-testid=delete-deadline]', '0');
  });

  it('time travel: +1 s, +10 s, +1 h and +24 h add up on the worker’s clock, and Reset returns to real time', async () => {
    await act(app.page, 'reset-clock', 'Clock reset: done');
    expect(await app.page.textContent('[data-testid=clock]')).toBe('real time');
    for (const [seconds, shown] of [[1, '+1 s'], [10, '+11 s'], [3600, '+1 h'], [86_400, '+25 h']] as const) {
      await act(app.page, `advance-${seconds}`, `Clock +${seconds} s: done`);
      expect(await app.page.textContent('[data-testid=clock]')).toBe(shown);
    }
    // 25 h later the edge copy is past its stale window (300 s): the lanes say expired, and the next
    // request reaches the origin.
    await app.page.waitForSelector('[data-testid=lane-edge][data-state=expired]', { state: 'attached' });
    const hits = await app.hits(ROUTE);
    await load();
    expect(await app.hits(ROUTE)).toBe(hits + 1);
    await act(app.page, 'reset-clock', 'Clock reset: done');
    expect(await app.page.textContent('[data-testid=clock]')).toBe('real time');
  });

  it('R126: the visitor country chosen in the panel reaches the origin as x-vercel-ip-country (what geolocation() reads)', async () => {
    await app.page.selectOption('[data-testid=country]', 'DE');
    await waitForStatus('Visitor DE: done');
    await act(app.page, 'purge-all', 'Purge all: done');
    await loadExpecting('MISS');
    expect((await app.lastRequestHeaders(ROUTE))?.['x-vercel-ip-country']).toBe('DE');
    await app.page.selectOption('[data-testid=country]', 'US');
    await waitForStatus('Visitor US: done');
    await app.page.click('[data-testid=tab-requests]');
  });

  it('is keyboard operable: Tab reaches it, arrows switch tabs, Enter runs an action, Escape closes', async () => {
    await app.page.click('[data-testid=devtools-close]');
    expect(await focused()).toBe('devtools-toggle');
    await app.page.focus('#load');
    await app.page.keyboard.press('Tab');
    expect(await focused()).toBe('devtools-toggle');
    await app.page.keyboard.press('Enter');
    expect(await focused()).toBe('tab-requests');
    await app.page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-lanes');
    expect(await app.page.isVisible('[data-testid=panel-lanes]')).toBe(true);
    await app.page.keyboard.press('ArrowLeft');
    let steps = 0;
    while ((await focused()) !== 'reset-clock' && steps++ < 30) await app.page.keyboard.press('Tab');
    await app.page.keyboard.press('Enter');
    await waitForStatus('Clock reset: done');
    expect(await app.page.textContent('[data-testid=clock]')).toBe('real time');
    await app.page.keyboard.press('Escape');
    expect(await app.page.isVisible('[data-testid=devtools-panel]')).toBe(false);
    expect(await focused()).toBe('devtools-toggle');
  });

  it('looks right over the app at 1280 px (screenshot), with no console errors', async () => {
    await app.page.keyboard.press('Enter');
    await app.page.click('[data-testid=purge-all]');
    await waitForStatus('Purge all: done');
    await app.page.click('[data-testid=clear]');
    expect(await rowCount(app.page)).toBe(0);
    await loadExpecting('MISS');
    await loadExpecting('HIT');
    await app.page.click('[data-testid=advance-60]');
    await waitForStatus('Clock +60 s: done');
    await loadExpecting('STALE');
    await app.page.waitForSelector('[data-testid=timeline-refresh]');
    await app.page.click('[data-testid=tab-requests]');
    await app.page.fill('[data-testid=filter-path]', '');
    const path = `${SCREENSHOT_DIR}/devtools-panel.png`;
    await app.page.screenshot({ path }); // for a look after a failure; the README's picture is the vite-app test's
    expect(await panelWidth(app.page)).toBeLessThanOrEqual(1280);
    expect(app.errors).toEqual([]);
  });
});
