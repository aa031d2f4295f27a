/**
 * Edge specifics: simulated visitor location on origin requests (R126, R127), Vary on those headers,
 * and static files under the static prefix (R48).
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { CacheWorkerController } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, SECOND, startWorker, stopWorkers } from './harness.ts';

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'edge', staticPrefix: '/__origin/r/static/' });
});
beforeEach(async () => {
  await worker.setClockOffset(0);
  await worker.setVisitorLocation(null);
});
afterAll(stopWorkers);

test('R126/R127: the visitor location reaches the origin as x-vercel-ip-* headers and x-vercel-id', async () => {
  const path = await scripted('geo', [{ headers: { 'Cache-Control': 'no-store' }, body: '{{req.x-vercel-ip-country}}' }]);
  await worker.setVisitorLocation({
    country: 'BR', countryRegion: 'SP', city: 'São Paulo', latitude: '-23.5', longitude: '-46.6', postalCode: '01000', region: 'gru1',
  });
  expect((await get(path)).body).toBe('BR');
  const headers = (await hits(path)).requests[0]?.headers ?? {};
  expect(headers['x-vercel-ip-country']).toBe('BR');
  expect(headers['x-vercel-ip-country-region']).toBe('SP');
  expect(headers['x-vercel-ip-city']).toBe('S%C3%A3o%20Paulo');
  expect(headers['x-vercel-ip-latitude']).toBe('-23.5');
  expect(headers['x-vercel-ip-longitude']).toBe('-46.6');
  expect(headers['x-vercel-ip-postal-code']).toBe('01000');
  expect(headers['x-vercel-id']).toMatch(/^gru1::/);
  expect((await worker.inspect()).visitor?.country).toBe('BR');
});

test('R127: without a location only x-vercel-id (region dev1) is added', async () => {
  const path = await scripted('geo-none', [{ headers: { 'Cache-Control': 'no-store' }, body: 'x' }]);
  await get(path);
  const headers = (await hits(path)).requests[0]?.headers ?? {};
  expect(headers['x-vercel-id']).toMatch(/^dev1::/);
  expect(headers['x-vercel-ip-country']).toBeUndefined();
});

test('R52: Vary: X-Vercel-IP-Country really varies by the simulated visitor', async () => {
  const path = await scripted('geo-vary', [{ headers: { 'Cache-Control': 's-maxage=600', Vary: 'X-Vercel-IP-Country' }, body: 'hello {{req.x-vercel-ip-country}}' }]);
  await worker.setVisitorLocation({ country: 'DE' });
  expect((await get(path)).body).toBe('hello DE');
  expect((await get(path)).xVercelCache).toBe('HIT');
  await worker.setVisitorLocation({ country: 'US' });
  const us = await get(path);
  expect([us.body, us.xVercelCache]).toEqual(['hello US', 'MISS']);
  await worker.setVisitorLocation({ country: 'DE' });
  const de = await get(path);
  expect([de.body, de.xVercelCache]).toEqual(['hello DE', 'HIT']);
  expect((await hits(path)).count).toBe(2);
});

test('R48: static files are cached at the edge whatever their headers, with the query ignored', async () => {
  const path = await scripted('static/app.js', [{ headers: { 'Cache-Control': 'public, max-age=0, must-revalidate' }, body: 'v{{hit}}' }]);
  expect((await get(`${path}?v=1`)).xVercelCache).toBe('MISS');
  const again = await get(`${path}?v=2`);
  expect([again.xVercelCache, again.body]).toEqual(['HIT', 'v1']);
  await worker.setClockOffset(30 * 24 * 3600 * SECOND);
  expect((await get(path)).xVercelCache).toBe('HIT');
  expect((await hits(path)).count).toBe(1);
});
