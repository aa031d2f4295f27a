/**
 * Drives the devtools panel (`<tiercache-devtools>`, an open shadow root: Playwright's CSS selectors
 * pierce it) in any page that mounted it: the fixture app and the example apps share these, so each
 * test file only says what its own app does.
 */
import type { Page } from 'playwright';
import { expect } from 'vitest';

export interface TimelineRowSeen {
  edge: string;
  cdn: string;
  browser: string;
  origin: string;
  xVercelCache: string;
}

/** The timeline's rows as shown (filters applied), oldest first. */
export async function timelineRows(page: Page): Promise<TimelineRowSeen[]> {
  const list = await page.$$eval('[data-testid=timeline-row]', (elements) => elements.map((el) => {
    const row = el as HTMLElement;
    return { id: Number(row.dataset.row), edge: row.dataset.edge ?? '', cdn: row.dataset.cdn ?? '', browser: row.dataset.browser ?? '', origin: row.dataset.origin ?? '', xVercelCache: row.dataset.xVercelCache ?? '' };
  }));
  return list.sort((a, b) => a.id - b.id).map(({ id: _id, ...row }) => row);
}

/** How many timeline rows the panel holds right now. */
export function rowCount(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]').length ?? 0);
}

/** Waits until the timeline has more than `count` rows (the bound: within a second). */
export async function waitForRowsAbove(page: Page, count: number, timeout = 1000): Promise<void> {
  await page.waitForFunction((n) => (document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]').length ?? 0) > n, count, { timeout });
}

/** Waits for the action bar's status line (`Purge all: done`, `Clock +60 s: done`, …). */
export async function waitForStatus(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelector('[data-testid=devtools-status]')?.textContent === expected, text);
}

/** Runs a panel action by its button and waits until the worker has done it. */
export async function act(page: Page, testid: string, done: string): Promise<void> {
  await page.click(`[data-testid=${testid}]`);
  await waitForStatus(page, done);
}

/** Opens the panel from its toggle button (it mounts collapsed) unless it is open already. */
export async function openPanel(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=devtools-toggle]');
  if (!(await page.isVisible('[data-testid=devtools-panel]'))) await page.click('[data-testid=devtools-toggle]');
  await page.waitForSelector('[data-testid=devtools-panel]');
}

/** The focused element's test id (or id), looking into shadow roots. */
export function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-testid') ?? active?.id ?? null;
  });
}

/** Computed styles of the page's own elements (one line per selector present): what the panel's CSS must not change. */
export function pageStyles(page: Page, selectors: string[]): Promise<(string | null)[]> {
  return page.evaluate((list) => list.map((selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const s = getComputedStyle(el);
    return [selector, s.fontFamily, s.fontSize, s.color, s.backgroundColor, s.margin, s.padding, s.border, s.borderRadius, s.display, s.letterSpacing].join(' | ');
  }), selectors);
}

/**
 * The page's styles with the panel in the page and with its host element taken out (then put back):
 * equal when none of the panel's CSS reaches the page.
 */
export async function pageStylesWithoutPanel(page: Page, selectors: string[]): Promise<{ with: (string | null)[]; without: (string | null)[] }> {
  const withPanel = await pageStyles(page, selectors);
  await page.evaluate(() => {
    const host = document.querySelector('tiercache-devtools');
    (window as unknown as { __tcHost?: Element | null }).__tcHost = host;
    host?.remove();
  });
  const without = await pageStyles(page, selectors);
  await page.evaluate(() => {
    const host = (window as unknown as { __tcHost?: Element | null }).__tcHost;
    if (host) document.body.append(host);
  });
  return { with: withPanel, without };
}

/**
 * The panel's own look, whatever the host page's CSS: its fonts, colours and radii come from its shadow
 * root, and the host element itself stays unstyled (`all: initial`).
 */
export async function expectPanelLook(page: Page): Promise<void> {
  const look = await page.evaluate(() => {
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
      hostBorder: hostStyle.borderTopWidth,
    };
  });
  expect(look.buttonFont).toMatch(/^ui-sans-serif|system-ui|-apple-system/);
  expect(look.titleFont).toContain('monospace');
  expect(look).toMatchObject({ buttonBackground: 'rgb(24, 28, 37)', buttonRadius: '6px', buttonBorder: '1px', cellSpacing: 'normal', hostBorder: '0px' });
  expect(look.cellColor).not.toBe('rgb(220, 50, 47)');
}

/** The panel's width at a 1280 px viewport: it must fit. */
export function panelWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('tiercache-devtools')?.shadowRoot?.querySelector('.tc-panel')?.scrollWidth ?? 0);
}

/**
 * Runs `request` (something the app does), then expects a new timeline row within a second (the
 * issue's bound) that matches `expected` (each layer's outcome, origin reached, x-vercel-cache).
 */
export async function expectRowFor(page: Page, request: () => Promise<unknown>, expected: Partial<TimelineRowSeen>): Promise<void> {
  const before = await rowCount(page);
  await request();
  // A row shows as soon as the page's fetch starts; it is complete once the worker's record joined it.
  await page.waitForFunction((n) => {
    const rows = [...(document.querySelector('tiercache-devtools')?.shadowRoot?.querySelectorAll('[data-testid=timeline-row]') ?? [])];
    return rows.length > n && rows.every((row) => row.getAttribute('data-origin') !== '');
  }, before, { timeout: 1000 });
  expect((await timelineRows(page)).at(-1)).toMatchObject(expected);
}

/** The timeline's "not stored" labels (a layer's write abandoned after the headers left), `layer: label`, oldest row first. */
export async function notStoredLabels(page: Page): Promise<string[]> {
  const rows = await page.$$eval('[data-testid=timeline-row]', (elements) => elements.map((el) => {
    const row = el as HTMLElement;
    const cells = [...row.querySelectorAll('[data-testid^=timeline-]')].filter((cell) => cell.querySelector('[data-testid=timeline-not-stored]'));
    return { id: Number(row.dataset.row), labels: cells.map((cell) => `${(cell.getAttribute('data-testid') ?? '').replace('timeline-', '')}: ${cell.querySelector('[data-testid=timeline-not-stored]')?.textContent ?? ''}`) };
  }));
  return rows.sort((a, b) => a.id - b.id).flatMap((row) => row.labels);
}
