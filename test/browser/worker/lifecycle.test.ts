/**
 * Registration, configuration and the page ↔ worker protocol: deployment-scoped edge keys (R50),
 * invalid configuration reported and defaulted, requests the layers must leave alone, malformed
 * messages.
 */
import { afterAll, expect, test } from 'vitest';
import type { CommandMessage, ReplyMessage } from '../../../sdk/protocol.ts';
import { registerCacheWorker } from '../../../sdk/worker/index.ts';
import { get, hits, scripted, startWorker, stopWorkers } from './harness.ts';

afterAll(stopWorkers);

test('R50: a new deployment starts cold and the old deployment\'s edge entries are removed on activate', async () => {
  const store = `deploy-${Math.random().toString(36).slice(2)}`;
  const first = await startWorker({ layers: 'edge', deployment: 'dpl-one', store });
  const path = await scripted('deploy', [{ headers: { 'Cache-Control': 's-maxage=3600' }, body: 'v{{hit}}' }]);
  await get(path);
  expect((await get(path)).xVercelCache).toBe('HIT');
  expect((await first.inspect()).entries.map((e) => e.deployment)).toEqual(['dpl-one']);

  const second = await startWorker({ layers: 'edge', deployment: 'dpl-two', store });
  expect((await second.inspect()).config.deployment).toBe('dpl-two');
  const cold = await get(path);
  expect(cold.xVercelCache).toBe('MISS');
  expect(cold.body).toBe('v2');
  await expect.poll(async () => (await second.inspect()).entries.map((e) => e.deployment), { timeout: 5000 }).toEqual(['dpl-two']);
  expect((await hits(path)).count).toBe(2);
});

test('invalid configuration is reported in inspect() and defaulted; the site keeps working', async () => {
  const worker = await registerCacheWorker('/sw.js?layers=browser,bogus&profile=fastly&budget=-5&include=/__origin/r/&staticPrefix=assets', { scope: '/' });
  const { config } = await worker.inspect();
  expect(config.layers).toEqual(['browser']);
  expect(config.profile).toBe('vercel');
  expect(config.budgetBytes).toBeUndefined();
  expect(config.staticPrefix).toBe('/assets/');
  expect(config.issues.map((i) => i.param).sort()).toEqual(['budget', 'layers', 'profile', 'staticPrefix']);
  const path = await scripted('still-works', [{ headers: { 'Cache-Control': 'max-age=60' }, body: 'ok' }]);
  expect((await get(path)).cacheStatus).toMatch(/^browser; fwd=uri-miss/);
});

test('the worker never answers for its own script, nor for paths outside `include`', async () => {
  await startWorker({ layers: 'browser', include: '/__origin/r/,/sw.js' });
  const script = await fetch(navigator.serviceWorker.controller?.scriptURL ?? '/sw.js');
  expect(script.ok).toBe(true);
  expect(script.headers.get('cache-status')).toBeNull();
  const outside = await fetch('/__origin/hits?path=none');
  expect(outside.headers.get('cache-status')).toBeNull();
});

test('registerCacheWorker rejects bad options with typed errors', async () => {
  await expect(registerCacheWorker('', {})).rejects.toMatchObject({ code: 'invalid-argument' });
  await expect(registerCacheWorker('/sw.js', { layers: ['edge', 'nope' as 'edge'] })).rejects.toMatchObject({ code: 'invalid-options' });
  await expect(registerCacheWorker('/sw.js', { timeoutMs: -1 })).rejects.toMatchObject({ code: 'invalid-options' });
  await expect(registerCacheWorker('/no-such-worker.js', { scope: '/' })).rejects.toMatchObject({ code: 'worker-registration-failed' });
});

test('a malformed message gets an invalid-message reply and changes nothing', async () => {
  const worker = await startWorker({ layers: 'browser' });
  const send = (command: unknown) =>
    new Promise<ReplyMessage>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event: MessageEvent<ReplyMessage>) => resolve(event.data);
      const message = { tag: 'tiercache/1', id: 'm1', command } as CommandMessage;
      navigator.serviceWorker.controller?.postMessage(message, [channel.port2]);
    });
  for (const bad of [null, { op: 'explode' }, { op: 'setClockOffset', ms: 'soon' }, { op: 'invalidateByTag', tags: [] }, { op: 'dangerouslyDeleteByTag', tags: ['a'], revalidationDeadlineSeconds: -3 }]) {
    const reply = await send(bad);
    expect(reply).toMatchObject({ ok: false, id: 'm1', error: { code: 'invalid-message' } });
  }
  expect((await worker.inspect()).clockOffsetMs).toBe(0);
  await expect(worker.setVisitorLocation({ country: 'Ü' })).rejects.toMatchObject({ code: 'invalid-message' });
  expect((await worker.inspect()).visitor).toBeNull();
});

test('fault injection is refused unless the worker was started with testHooks=1', async () => {
  const worker = await startWorker({ layers: 'browser' });
  const channel = new MessageChannel();
  const reply = new Promise<ReplyMessage>((resolve) => (channel.port1.onmessage = (e: MessageEvent<ReplyMessage>) => resolve(e.data)));
  const message: CommandMessage = { tag: 'tiercache/1', id: 'f', command: { op: 'injectStorageFault', failNext: 1 } };
  navigator.serviceWorker.controller?.postMessage(message, [channel.port2]);
  expect(await reply).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
  expect((await worker.inspect()).config.testHooks).toBe(false);
});

test('onDecision streams one record per request with each layer\'s decision and whether the origin was contacted', async () => {
  const worker = await startWorker({ layers: 'browser,cdn,edge' });
  const path = await scripted('decisions', [{ headers: { 'Cache-Control': 'max-age=60, s-maxage=60' }, body: 'x' }]);
  const records: import('../../../sdk/worker/index.ts').DecisionRecord[] = [];
  const stop = worker.onDecision((record) => {
    if (record.url.endsWith(path)) records.push(record);
  });
  await get(path);
  await get(path);
  await expect.poll(() => records.length, { timeout: 5000 }).toBe(2);
  stop();
  expect(records[0]?.originContacted).toBe(true);
  expect(records[0]?.layers.map((l) => [l.layer, l.outcome, l.forwarded, l.stored])).toEqual([
    ['browser', 'miss', true, true],
    ['cdn', 'miss', true, true],
    ['edge', 'miss', true, true],
  ]);
  expect(records[1]?.originContacted).toBe(false);
  expect(records[1]?.layers).toEqual([{ layer: 'browser', outcome: 'hit', reason: 'fresh', forwarded: false, stored: false }]);
  expect(records[1]?.cacheStatus).toContain('browser; hit');
  expect(records[0]?.xVercelCache).toBe('MISS');
});

test('the clock offset and visitor survive a worker restart (a new worker instance on the same store)', async () => {
  const store = `restart-${Math.random().toString(36).slice(2)}`;
  const first = await startWorker({ layers: 'edge', store });
  await first.setClockOffset(123_000);
  await first.setVisitorLocation({ country: 'JP', region: 'hnd1' });
  await stopWorkers();
  const second = await startWorker({ layers: 'edge', store, deployment: 'other-instance' });
  const state = await second.inspect();
  expect(state.clockOffsetMs).toBe(123_000);
  expect(state.visitor).toEqual({ country: 'JP', region: 'hnd1' });
  await second.setClockOffset(0);
  await second.setVisitorLocation(null);
});
