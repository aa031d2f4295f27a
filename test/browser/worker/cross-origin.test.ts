/**
 * Cross-origin requests pass through untouched unless their origin is configured (`crossOrigin`);
 * configured origins' CORS requests go through the layers like same-origin ones.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CacheWorkerController, DecisionRecord } from '../../../sdk/worker/index.ts';
import { hits, scripted, startWorker, stopWorkers } from './harness.ts';

// The same dev server under another host name is another origin.
const other = `${location.protocol}//127.0.0.1:${location.port}`;

let worker: CacheWorkerController;
beforeAll(async () => {
  worker = await startWorker({ layers: 'browser', crossOrigin: other });
});
afterAll(stopWorkers);

test('a configured cross origin is cached by the layers (CORS mode)', async () => {
  const path = await scripted('cross', [{ headers: { 'Cache-Control': 'max-age=600' }, body: 'v{{hit}}' }]);
  const first = await fetch(other + path);
  expect(await first.text()).toBe('v1');
  expect(first.headers.get('cache-status')).toMatch(/^browser; fwd=uri-miss/);
  const second = await fetch(other + path);
  expect(await second.text()).toBe('v1');
  expect(second.headers.get('cache-status')).toMatch(/^browser; hit/);
  expect((await hits(path)).count).toBe(1);
});

test('a no-cors request to a configured origin passes through (an opaque response has no headers to obey)', async () => {
  const path = await scripted('cross-nocors', [{ headers: { 'Cache-Control': 'no-store' }, body: 'v{{hit}}' }]);
  const seen: DecisionRecord[] = [];
  const stop = worker.onDecision((record) => record.url.includes(path) && seen.push(record));
  await fetch(`${other}${path}?opaque`, { mode: 'no-cors' });
  await fetch(`${other}${path}?cors`);
  await expect.poll(() => seen.length, { timeout: 5000 }).toBe(1);
  stop();
  expect(seen[0]?.url).toBe(`${other}${path}?cors`);
  expect((await hits(path)).count).toBe(2);
});
