/**
 * The devtools mounted in an app's own page (test/e2e/fixtures/devtools-app), in real Chromium with the
 * real worker and a real local origin: the app's requests appear with each layer's decision, the
 * panel's actions act on the worker, "why" explains the origin's headers with the policy, the panel and
 * the page's CSS stay apart, and everything works from the keyboard.
 */
import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app-harness.ts';
import { SCREENSHOT_DIR } from './support/demo-harness.ts';

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

async function rows(): Promise<{ edge: string; browser: string; origin: string; xVercelCache: string }[]> {
  const list = await app.page.$$eval('[data-testid=timeline-row]', (elements) => elements.map((el) => {
    const row = el as HTMLElement;
    return { id: Number(row.dataset.row), edge: row.dataset.edge ?? '', browser: row.dataset.browser ?? '', origin: row.dataset.origin ?? '', xVercelCache: row.dataset.xVercelCache ?? '' };
  }));
  return list.sort((a, b) => a.id - b.id).map(({ id: _id, ...row }) => row);
}

/** The focused element's test id, looking into shadow roots. */
function focused(): Promise<string | null> {
  return app.page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-testid') ?? active?.id ?? null;
  });
}

async function waitForStatus(text: string): Promise<void> {
  await app.page.waitForFunction((expected) => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelector('[data-testid=devtools-status]')?.textContent === expected, text);
}

const pageStyles = () => app.page.evaluate(() => ['body', '#title', '#load', '#result', 'main', 'li'].map((selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const s = getComputedStyle(el);
  return [selector, s.fontFamily, s.fontSize, s.color, s.backgroundColor, s.margin, s.padding, s.border, s.borderRadius, s.display, s.letterSpacing].join(' | ');
}));

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
    const panel = await app.page.evaluate(() => {
      const host = document.querySelector('tiercache-devtools') as HTMLElement;
      const root = host.shadowRoot;
      const button = root?.querySelector('[data-testid=purge-all]');
      const title = root?.querySelector('.tc-title');
      const cell = root?.querySelector('th');
      if (!button || !title || !cell) throw new Error('panel parts missing');
      const b = getComputedStyle(button);
      const hostStyle = getComputedStyle(host);
      return {
        buttonFont: b.fontFamily, buttonBackground: b.backgroundColor, buttonRadius: b.borderRadius, buttonBorder: b.borderTopWidth,
        titleFont: getComputedStyle(title).fontFamily, cellColor: getComputedStyle(cell).color, cellSpacing: getComputedStyle(cell).letterSpacing,
        hostBorder: hostStyle.borderTopWidth, hostRadius: hostStyle.borderRadius,
      };
    });
    expect(panel.buttonFont).not.toContain('Georgia');
    expect(panel.titleFont).toContain('monospace');
    expect(panel.buttonBackground).toBe('rgb(24, 28, 37)'); // --panel-2, not the page's pink
    expect(panel.buttonRadius).toBe('6px'); // the page forces 0 on every element
    expect(panel.buttonBorder).toBe('1px');
    expect(panel.cellColor).not.toBe('rgb(220, 50, 47)');
    expect(panel.cellSpacing).toBe('normal');
    expect(panel.hostBorder).toBe('0px');
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
    // Whatever the edge answers now (HIT, or STALE once s-maxage=10 has passed on a slow machine).
    await app.page.click('[data-testid=pause]');
    await loadExpecting(undefined);
    await app.page.waitForTimeout(800);
    expect((await rows()).length).toBe(shown);
    await app.page.click('[data-testid=pause]');
    await loadExpecting(undefined);
    await app.page.waitForFunction((count) => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]').length === count + 1, shown);
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
    await loadExpecting('MISS');
    await loadExpecting('HIT');
    await app.page.click('[data-testid=advance-60]');
    await waitForStatus('Clock +60 s: done');
    await loadExpecting('STALE');
    await app.page.waitForSelector('[data-testid=timeline-refresh]');
    await app.page.click('[data-testid=tab-requests]');
    await app.page.fill('[data-testid=filter-path]', '');
    const path = `${SCREENSHOT_DIR}/devtools-panel.png`;
    await app.page.screenshot({ path });
    if (process.env.DEVTOOLS_SCREENSHOT) copyFileSync(path, 'devtools/screenshot.png');
    const width = await app.page.evaluate(() => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelector('.tc-panel')?.scrollWidth ?? 0);
    expect(width).toBeLessThanOrEqual(1280);
    expect(app.errors).toEqual([]);
  });
});
