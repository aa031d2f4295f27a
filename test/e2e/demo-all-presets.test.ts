/**
 * Every preset of the demo played to its end in real Chromium, checked against what the spec says the
 * edge does (the detailed ones, SWR, Vary by country, tags and two criteria, are in demo-presets).
 * `''` means the edge was not asked: a layer nearer the page answered from its own copy.
 */
import { expect, test } from 'vitest';
import { playPreset, useDemo, timelineRows } from './support/demo-harness.ts';

const demo = useDemo();

const cases: { rule: string; preset: string; edge: string[]; origin: number }[] = [
  { rule: 'R1, R7 (V3)', preset: 'function-three-headers', edge: ['MISS', '', 'HIT'], origin: 1 },
  { rule: 'R1, R4 (V4)', preset: 'targeted-ttls', edge: ['MISS', '', '', 'HIT'], origin: 1 },
  { rule: 'R29 (V2)', preset: 'cache-control-only', edge: ['MISS', 'HIT', 'STALE'], origin: 2 },
  { rule: 'R9 (V1)', preset: 'function-s-maxage', edge: ['MISS', 'HIT', 'REVALIDATED'], origin: 2 },
  { rule: 'R52', preset: 'vary-multiple', edge: ['MISS', 'MISS', 'HIT'], origin: 2 },
  { rule: 'R48', preset: 'static-public', edge: ['MISS', '', 'HIT'], origin: 1 },
  { rule: 'R20, R48', preset: 'static-immutable', edge: ['MISS', ''], origin: 1 },
  { rule: 'R50', preset: 'new-deployment', edge: ['MISS', 'HIT', 'MISS', 'HIT'], origin: 2 },
  { rule: 'R14 (V15)', preset: 'stale-if-error', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R36', preset: 'criterion-method', edge: ['BYPASS', 'BYPASS'], origin: 2 },
  { rule: 'R37', preset: 'criterion-range', edge: ['BYPASS', 'BYPASS'], origin: 2 },
  { rule: 'R39', preset: 'criterion-status', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R40', preset: 'criterion-too-large', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R41', preset: 'criterion-set-cookie', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R16 (V6)', preset: 'criterion-private', edge: ['MISS', ''], origin: 1 },
  { rule: 'R17 (V10)', preset: 'criterion-no-cache', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R17', preset: 'criterion-no-store', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R43 (V8)', preset: 'criterion-vary-star', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R18 (V5)', preset: 'no-headers', edge: ['MISS', 'MISS'], origin: 2 },
  { rule: 'R2 (V14)', preset: 'targeted-beats-no-store', edge: ['MISS', ''], origin: 1 },
  { rule: 'R3 (V12)', preset: 'unparsable-targeted', edge: ['MISS', 'REVALIDATED'], origin: 2 },
  { rule: 'R25', preset: 'recommended-semi-static', edge: ['MISS', '', 'HIT'], origin: 1 },
];

for (const { rule, preset, edge, origin } of cases) {
  test(`${rule}: the ${preset} preset plays to its end with the edge results the spec gives`, async () => {
    await playPreset(demo.page, preset);
    const rows = await timelineRows(demo.page);
    expect(rows.map((row) => row.edge)).toEqual(edge);
    expect(await demo.page.innerText('[data-testid=origin-count]')).toBe(String(origin));
    expect(demo.errors).toEqual([]);
  });
}

test('R14, R144: with stale-if-error the page still gets 200 from a downstream stale copy while the edge passes the 500 on', async () => {
  await playPreset(demo.page, 'stale-if-error');
  await demo.screenshot('demo-stale-if-error');
  const rows = await timelineRows(demo.page);
  expect(rows.map((row) => row.status)).toEqual(['200', '200']);
  expect(rows[1]?.cdn).toBe('STALE');
  expect(demo.errors).toEqual([]);
});
