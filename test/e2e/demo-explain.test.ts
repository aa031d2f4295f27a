/**
 * The header playground beside the editor: for each seed example, the winning header per layer, the
 * TTL and what the page receives, as the policy engine's explain() computes them in the real page.
 */
import { expect, test } from 'vitest';
import { useDemo } from './support/demo-harness.ts';

const demo = useDemo();

async function pick(presetId: string): Promise<void> {
  await demo.page.click(`[data-testid="preset-${presetId}"]`);
  await demo.page.waitForSelector(`[data-testid="preset-${presetId}"][aria-pressed=true]`);
}

const winner = (layer: string) => demo.page.getAttribute(`[data-testid=explain-${layer}]`, 'data-winner');
const card = (layer: string) => demo.page.innerText(`[data-testid=explain-${layer}]`);
const pageReceives = () => demo.page.innerText('[data-testid=explain-page]');

test('R1, R26–R28 (V3): s-maxage=1 · CDN 60 · Vercel 3600 — each layer obeys its own header', async () => {
  await pick('function-three-headers');
  await demo.screenshot('demo-explain-three-headers', { fullPage: false });
  expect(await winner('edge')).toBe('Vercel-CDN-Cache-Control');
  expect(await winner('cdn')).toBe('CDN-Cache-Control');
  expect(await winner('browser')).toBe('Cache-Control');
  expect(await card('edge')).toMatch(/TTL\s+3600 s/);
  const received = await pageReceives();
  expect(received).toContain('Cache-Control: public, s-maxage=1');
  expect(received).toContain('CDN-Cache-Control: public, s-maxage=60');
  expect(received).not.toContain('Vercel-CDN-Cache-Control');
  expect(demo.errors).toEqual([]);
});

test('R1, R4 (V4): max-age 10 · CDN 60 · Vercel 3600 — TTLs 3600 s, 60 s and 10 s', async () => {
  await pick('targeted-ttls');
  expect(await winner('edge')).toBe('Vercel-CDN-Cache-Control');
  expect(await winner('cdn')).toBe('CDN-Cache-Control');
  expect(await winner('browser')).toBe('Cache-Control');
  expect(await card('edge')).toMatch(/TTL\s+3600 s/);
  expect(await card('cdn')).toMatch(/TTL\s+60 s/);
  expect(await card('browser')).toMatch(/TTL\s+10 s/);
  expect(demo.errors).toEqual([]);
});

test('R9, R12, R29, R30: s-maxage=1, stale-while-revalidate=59 — Cache-Control wins at the edge and is rewritten for the browser', async () => {
  await pick('vercel-json-swr');
  expect(await winner('edge')).toBe('Cache-Control');
  expect(await card('edge')).toMatch(/stale-while-revalidate\s+59 s/);
  expect(await demo.page.innerText('[data-testid=explain-stripped-edge]')).toContain('s-maxage');
  expect(await pageReceives()).toContain('Cache-Control: public, max-age=0, must-revalidate');
  expect(demo.errors).toEqual([]);
});

test('R29 (V2): Cache-Control only — the browser receives max-age=10 without s-maxage', async () => {
  await pick('cache-control-only');
  expect(await winner('edge')).toBe('Cache-Control');
  const stripped = await demo.page.innerText('[data-testid=explain-stripped-edge]');
  expect(stripped).toContain('s-maxage');
  expect(stripped).toContain('stale-while-revalidate');
  expect(await pageReceives()).toContain('Cache-Control: max-age=10');
  expect(demo.errors).toEqual([]);
});

test('R52: the Vary presets are explained with Cache-Control s-maxage=3600 at the edge', async () => {
  for (const preset of ['vary-country', 'vary-multiple', 'function-s-maxage']) {
    await pick(preset);
    expect(await winner('edge')).toBe('Cache-Control');
    expect(await demo.page.getAttribute('[data-testid=explain-edge]', 'data-stored')).toBe('true');
  }
  expect(demo.errors).toEqual([]);
});

test('R48, R20: the static file presets are stored at the edge and the browser obeys max-age', async () => {
  for (const preset of ['static-public', 'static-immutable']) {
    await pick(preset);
    expect(await demo.page.getAttribute('[data-testid=explain-edge]', 'data-stored')).toBe('true');
    expect(await winner('browser')).toBe('Cache-Control');
  }
  expect(await card('browser')).toContain('immutable');
  expect(demo.errors).toEqual([]);
});

test('R42, R43, R44: criterion presets explain why the edge does not store', async () => {
  const cases: [string, string][] = [
    ['criterion-private', 'private'],
    ['criterion-no-store', 'no-store'],
    ['criterion-vary-star', 'vary-star'],
    ['criterion-vary-cookie', 'vary-cookie'],
    ['criterion-authorization', 'authorization'],
    ['criterion-status', 'status'],
  ];
  for (const [preset, reason] of cases) {
    await pick(preset);
    expect(await demo.page.getAttribute('[data-testid=explain-edge]', 'data-stored')).toBe('false');
    expect(await card('edge')).toContain(`not stored: ${reason}`);
  }
  expect(demo.errors).toEqual([]);
});

test('R1: editing a header updates the playground at once', async () => {
  await pick('function-s-maxage');
  await demo.page.fill('[data-testid=edit-vercelCdnCacheControl]', 'max-age=90');
  expect(await winner('edge')).toBe('Vercel-CDN-Cache-Control');
  expect(await card('edge')).toMatch(/TTL\s+90 s/);
  await demo.screenshot('demo-explain-edited', { fullPage: false });
  expect(demo.errors).toEqual([]);
});
