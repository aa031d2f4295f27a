/**
 * R40 in the devtools (issue 15's deviation, closed for the record): the fixture app (browser + edge
 * layers, real worker, real Chromium, the scripted local origin) fetches a chunked body larger than the
 * edge's 10 MiB limit. The edge decided to store it when the headers arrived, then abandoned the write;
 * the panel's row first shows what the first record said and then the correction: the edge's cell says
 * "not stored: too large" with the sizes, the browser's copy is kept, and Cache-Status (what the page
 * received) is unchanged.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app-harness.ts';
import { notStoredLabels } from './support/devtools-driver.ts';

const MiB = 2 ** 20;
const ROUTE = 'big/download';

let app: AppHarness;
beforeAll(async () => {
  app = await startApp();
  // A first part at once, the other 11 MiB two seconds later: the record is posted before the body
  // passes the edge's limit.
  const rest = Array.from({ length: 11 }, (_, i) => ({ bytes: MiB, ...(i === 0 ? { delayMs: 2000 } : {}) }));
  await app.script(ROUTE, [{ headers: { 'Cache-Control': 'public, max-age=60, s-maxage=60' }, chunks: [{ body: 'first' }, ...rest] }]);
  await app.page.evaluate(() => (window as unknown as { app: { mount(open?: boolean): Promise<void> } }).app.mount(true));
  await app.page.waitForSelector('[data-testid=devtools-panel]');
});
afterAll(async () => {
  await app?.close();
});

it('R40: a chunked body over the edge’s 10 MiB reaches the page in full; its row first says stored, then shows the edge as not stored, with the sizes', async () => {
  const seen = app.page.evaluate(async (path) => {
    const response = await fetch(path);
    return { bytes: (await response.arrayBuffer()).byteLength, cacheStatus: response.headers.get('cache-status') };
  }, `/__origin/r/${ROUTE}`);
  // Before the body passed the limit: the row is complete (its record joined it) and nothing is corrected yet.
  await app.page.waitForSelector('[data-testid=timeline-row][data-edge=MISS][data-origin=true]', { timeout: 5000 });
  expect(await notStoredLabels(app.page)).toEqual([]);
  const { bytes, cacheStatus } = await seen;
  expect(bytes).toBe(5 + 11 * MiB);
  // Cache-Status left with the headers: it still says the edge stored it (the one deviation left).
  expect(cacheStatus).toMatch(/edge; fwd=uri-miss; fwd-status=200; ttl=\d+; stored/);
  await app.page.waitForSelector('[data-testid=timeline-row][data-not-stored=edge]', { timeout: 5000 });
  const labels = await notStoredLabels(app.page);
  expect(labels).toHaveLength(1);
  expect(labels[0]).toMatch(/^edge: not stored: too large \([\d,]+ bytes > 10,485,760 bytes, R40\)$/);
  // The row's explanation says it too, and the headers the page received are shown unchanged.
  const details = await app.page.textContent('[data-testid=timeline-row][data-not-stored=edge] .received');
  expect(details).toContain('Vercel edge MISS');
  expect(details).toContain('kept nothing: the body passed the 10,485,760 bytes it stores');
  expect(details).toContain(`cache-status: ${cacheStatus ?? ''}`);
  // Still one row for the one request (the correction replaced its record).
  expect(await app.page.locator('[data-testid=timeline-row]').count()).toBe(1);
  // Nothing kept at the edge; the browser keeps its copy (its budget is 50 MiB): the next request is a browser hit.
  await app.page.click('[data-testid=tab-stores]');
  await app.page.waitForSelector('[data-testid=store-browser][data-count="1"]');
  expect(await app.page.getAttribute('[data-testid=store-edge]', 'data-count')).toBe('0');
  expect(await app.hits(ROUTE)).toBe(1);
  expect(app.errors).toEqual([]);
});
