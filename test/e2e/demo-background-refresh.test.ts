/**
 * The demo's timeline shows background refreshes (R12, R78) as rows of their own, built from the
 * worker's `background` decision records: who refreshed, why, what came of it, and the origin contact.
 */
import { expect, test } from 'vitest';
import { playPreset, useDemo, timelineRows } from './support/demo-harness.ts';

const demo = useDemo();

const refreshRows = () =>
  demo.page.$$eval('[data-testid=timeline-refresh]', (rows) =>
    rows.map((row) => {
      const el = row as HTMLElement;
      return { edge: el.dataset.edge ?? '', origin: el.dataset.origin ?? '', outcome: el.dataset.outcome ?? '', why: el.querySelector('[data-testid=timeline-why]')?.textContent ?? '' };
    }));

test('R12: the SWR preset shows the edge\'s background refresh after the STALE answer, with the origin reached', async () => {
  await playPreset(demo.page, 'vercel-json-swr');
  await demo.screenshot('demo-background-refresh');
  expect((await timelineRows(demo.page)).map((row) => row.edge)).toEqual(['MISS', 'HIT', 'STALE', 'HIT']);
  await expect.poll(refreshRows, { timeout: 5000 }).toHaveLength(1);
  const [refresh] = await refreshRows();
  // The demo's origin sends an ETag, so the refresh is answered 304 and freshens the copy.
  expect(refresh).toMatchObject({ origin: 'true', outcome: 'updated', edge: 'REVALIDATED' });
  expect(refresh?.why).toContain('304');
  expect(refresh?.why).toContain('Background refresh by');
  expect(refresh?.why).toContain('stale-while-revalidate');
  expect(demo.errors).toEqual([]);
});
