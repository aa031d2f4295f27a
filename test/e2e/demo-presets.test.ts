/**
 * The demo's presets played over time in real Chromium: the worker registered by the page, the local
 * origin answering, the timeline built from the worker's decision events. Each test checks the
 * statuses a developer would read in the timeline and how often the origin was really reached.
 */
import { expect, test } from 'vitest';
import { playPreset, useDemo, timelineRows } from './support/demo-harness.ts';

const demo = useDemo();

const originCount = () => demo.page.innerText('[data-testid=origin-count]');

test('R12: the seed SWR preset (s-maxage=1, stale-while-revalidate=59) plays MISS, HIT, STALE, HIT at the edge', async () => {
  await playPreset(demo.page, 'vercel-json-swr');
  await demo.screenshot('demo-vercel-json-swr');
  // `DEMO_SCREENSHOT=1` refreshes the README's picture of the demo (committed; not written otherwise).
  if (process.env.DEMO_SCREENSHOT) await demo.screenshot('readme', { path: 'demo/screenshot.png' });
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.edge)).toEqual(['MISS', 'HIT', 'STALE', 'HIT']);
  // Only the cold request waited for the origin; the STALE one was refreshed in the background.
  expect(rows.map((row) => row.origin)).toEqual(['true', 'false', 'false', 'false']);
  expect(await originCount()).toBe('2');
  expect(demo.errors).toEqual([]);
});

test('R44: the Vary: Cookie criterion preset plays MISS then MISS at the edge and reaches the origin each time', async () => {
  await playPreset(demo.page, 'criterion-vary-cookie');
  await demo.screenshot('demo-criterion-vary-cookie');
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.edge)).toEqual(['MISS', 'MISS']);
  expect(rows.map((row) => row.origin)).toEqual(['true', 'true']);
  expect(await originCount()).toBe('2');
  expect(demo.errors).toEqual([]);
});

test('R38: the Authorization criterion preset is never stored at the edge: x-vercel-cache MISS, MISS', async () => {
  await playPreset(demo.page, 'criterion-authorization');
  await demo.screenshot('demo-criterion-authorization');
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.xVercelCache)).toEqual(['MISS', 'MISS']);
  expect(rows.map((row) => row.origin)).toEqual(['true', 'true']);
  expect(await originCount()).toBe('2');
  expect(demo.errors).toEqual([]);
});

test('R52: the Vary: X-Vercel-IP-Country preset keeps one edge copy per visitor country', async () => {
  await playPreset(demo.page, 'vary-country');
  await demo.screenshot('demo-vary-country');
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.edge)).toEqual(['MISS', 'HIT', 'MISS', 'HIT']);
  expect(await originCount()).toBe('2');
  // The origin really saw both countries through the simulated x-vercel-ip-country header.
  const bodies = await demo.page.$$eval('[data-testid=received-headers]', (pres) => pres.map((pre) => pre.textContent ?? ''));
  expect(bodies.some((body) => body.includes('Hello from GB!'))).toBe(true);
  expect(bodies.some((body) => body.includes('Hello from US!'))).toBe(true);
  expect(demo.errors).toEqual([]);
});

test('R78, R79, R83: the tags preset shows invalidate (STALE, refreshed in the background), delete and purge all (origin again)', async () => {
  await playPreset(demo.page, 'tags-and-purge');
  await demo.screenshot('demo-tags-and-purge');
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.edge)).toEqual(['MISS', 'HIT', 'STALE', 'HIT', expect.any(String), 'MISS']);
  // After dangerouslyDeleteByTag the request waits for the origin (R79); after purge all, too (R83).
  expect(rows.map((row) => row.origin)).toEqual(['true', 'false', 'false', 'false', 'true', 'true']);
  expect(await originCount()).toBe('4');
  expect(demo.errors).toEqual([]);
});

test('R1, R4, R33: after max-age 10 · CDN 60 · Vercel 3600 plays out, the lanes show the edge fresh and the others expired', async () => {
  await playPreset(demo.page, 'targeted-ttls');
  await demo.screenshot('demo-targeted-ttls');
  // Each layer answered in turn: browser (10 s), then CDN (60 s), then the edge (3600 s).
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => [row.browser, row.cdn, row.edge].filter(Boolean).at(-1))).toEqual(['MISS', 'HIT', 'HIT', 'HIT']);
  expect(await demo.page.getAttribute('[data-testid=lane-edge]', 'data-state')).toBe('fresh');
  // The CDN and the browser revalidated against an edge copy 76 s old (Age): stale on arrival (R33).
  expect(await demo.page.getAttribute('[data-testid=lane-cdn]', 'data-state')).toBe('expired');
  expect(await demo.page.getAttribute('[data-testid=lane-browser]', 'data-state')).toBe('expired');
  expect(await demo.page.locator('[data-testid=lane-edge] .seg.fresh').count()).toBeGreaterThan(0);
  expect(demo.errors).toEqual([]);
});
