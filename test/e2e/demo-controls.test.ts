/**
 * The toolbar in real Chromium: toggling layers re-registers the worker with another `layers=` query,
 * a burst sends concurrent requests whose rows all get their decision records, time travel and purge
 * act on the worker, the country switch reaches the origin, and the keyboard shortcut sends.
 */
import { expect, test } from 'vitest';
import { useDemo, timelineRows } from './support/demo-harness.ts';

const demo = useDemo('function-s-maxage');

const ready = () => demo.page.waitForSelector('[data-testid=send]:not([disabled])');
const originCount = () => demo.page.innerText('[data-testid=origin-count]');
const rowCount = () => demo.page.locator('[data-testid=timeline-row]').count();

async function send(times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await rowCount();
    await demo.page.click('[data-testid=send]');
    await expect.poll(async () => (await timelineRows(demo.page)).filter((row) => row.origin !== '').length).toBe(before + 1);
    await ready();
  }
}

test('architecture "Contracts": unchecking layers re-registers the worker with layers=edge, and only the edge answers', async () => {
  const { page } = demo;
  await page.fill('[data-testid=edit-path]', 'controls/layers');
  await page.uncheck('[data-testid=layer-browser]');
  await ready();
  await page.uncheck('[data-testid=layer-cdn]');
  await ready();
  await expect.poll(() => page.innerText('[data-testid=pill-layers]')).toContain('edge');
  const scriptURL = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '');
  expect(new URL(scriptURL).searchParams.get('layers')).toBe('edge');
  await page.click('[data-testid=clear]');
  await send(2);
  const rows = await timelineRows(page);
  expect(rows.map((row) => [row.browser, row.cdn, row.edge])).toEqual([['', '', 'MISS'], ['', '', 'HIT']]);
  expect(await originCount()).toBe('1');
  await demo.screenshot('demo-controls-layers');
  expect(demo.errors).toEqual([]);
});

test('R59: a burst of 5 concurrent requests gets 5 timeline rows and reaches the origin once', async () => {
  const { page } = demo;
  await page.fill('[data-testid=edit-path]', 'controls/burst');
  await page.click('[data-testid=clear]');
  await page.fill('[data-testid=burst-count]', '5');
  await page.click('[data-testid=burst]');
  await expect.poll(async () => (await timelineRows(page)).filter((row) => row.edge !== '').length).toBe(5);
  await ready();
  expect(await originCount()).toBe('1');
  expect(demo.errors).toEqual([]);
});

test('R60, R83: time travel past s-maxage sends the edge back to the origin; purge all empties it', async () => {
  const { page } = demo;
  await page.fill('[data-testid=edit-path]', 'controls/time');
  await page.click('[data-testid=clear]');
  await send(2);
  await page.click('[data-testid=advance-60]');
  await ready();
  await page.click('[data-testid=advance-1]');
  await ready();
  await expect.poll(() => page.innerText('[data-testid=clock]')).toBe('+61 s');
  await send();
  await page.click('[data-testid=purge-all]');
  await ready();
  await send();
  const rows = await timelineRows(page);
  expect(rows.map((row) => row.edge)).toEqual(['MISS', 'HIT', 'REVALIDATED', 'MISS']);
  expect(rows.map((row) => row.origin)).toEqual(['true', 'false', 'true', 'true']);
  await page.click('[data-testid=reset-clock]');
  await ready();
  expect(demo.errors).toEqual([]);
});

test('R52, R55: the country switch reaches the origin as x-vercel-ip-country, and the S key sends', async () => {
  const { page } = demo;
  await page.click('[data-testid="preset-vary-country"]');
  await page.click('[data-testid=clear]');
  await page.selectOption('[data-testid=country]', 'JP');
  await ready();
  await page.locator('body').press('s');
  await expect.poll(() => page.locator('[data-testid=received-headers]').first().textContent()).toContain('Hello from JP!');
  await ready();
  const hits = await page.evaluate(async () => (await (await fetch('/__origin/hits?path=api/data')).json()) as { requests: { headers: Record<string, string> }[] });
  expect(hits.requests.at(-1)?.headers['x-vercel-ip-country']).toBe('JP');
  expect(demo.errors).toEqual([]);
});
