import { afterAll, expect, test } from 'vitest';

afterAll(async () => {
  for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
});

async function registerAndWaitForControl(url: string): Promise<ServiceWorkerRegistration> {
  const controlled = navigator.serviceWorker.controller
    ? Promise.resolve()
    : new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  const registration = await navigator.serviceWorker.register(url, { scope: '/' });
  await controlled;
  return registration;
}

test('the built dist/sw.js registers as a classic worker, controls the test page and passes a request through', async () => {
  await registerAndWaitForControl('/sw.js?layers=browser');
  expect(navigator.serviceWorker.controller?.scriptURL).toBe(`${location.origin}/sw.js?layers=browser`);
  const script = await fetch('/sw.js');
  expect(script.headers.get('content-type')).toContain('javascript');
  const source = await script.text();
  // One self-contained classic script: no module syntax, and workbox's NODE_ENV checks were replaced.
  expect(source).not.toMatch(/^\s*(import|export)\s/m);
  expect(source).not.toContain('process.env.NODE_ENV');

  // A request to the local origin goes through the controlled page's worker and reaches the origin.
  const path = `harness-${crypto.randomUUID()}`;
  await fetch('/__origin/script', {
    method: 'POST',
    body: JSON.stringify({ path, responses: [{ headers: { 'Cache-Control': 'no-store' }, body: 'hello {{hit}}' }] }),
  });
  const response = await fetch(`/__origin/r/${path}`);
  expect(await response.text()).toBe('hello 1');
  const hits = (await (await fetch(`/__origin/hits?path=${path}`)).json()) as { count: number };
  expect(hits.count).toBe(1);
});
