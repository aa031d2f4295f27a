// Runs inside the page: the suite's client, unchanged, with the page's fetch (so every request of the
// suite, its PUT /config and GET /state included, goes through the registered worker).
import { runTests, getResults } from '/client/runner.mjs';
import baseTests from '/tests/index.mjs';
import surrogate from '/tests/surrogate-control.mjs';

const params = new URLSearchParams(location.search);
const status = document.getElementById('status');

async function controlled(scriptUrl) {
  const control = navigator.serviceWorker.controller
    ? Promise.resolve()
    : new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  await navigator.serviceWorker.register(scriptUrl, { scope: '/' });
  await control;
}

window.conformance = (async () => {
  await controlled(`/sw.js?${params.get('sw')}`);
  // Browser mode is the suite's test-browser.html (tests/index.mjs, the page's cache modes in use);
  // shared mode is its cli.mjs (plus the Surrogate-Control tests, each request `cache: 'no-store'`).
  const browserCache = params.get('mode') === 'browser';
  const tests = browserCache ? baseTests : [...baseTests, surrogate];
  const only = params.get('ids')?.split(',');
  const selected = only
    ? tests.map((suite) => ({ ...suite, tests: suite.tests.filter((t) => only.includes(t.id)) })).filter((s) => s.tests.length)
    : tests;
  // As the suite's cli.mjs does for one `--id`: log every request and response (page console).
  if (params.get('dump') === '1') for (const suite of selected) for (const test of suite.tests) test.dump = true;
  // Shared mode is written for the suite's Node client (node-fetch), which has no cache modes and adds
  // no headers: the page sends the suite's requests in the default mode, so a shared layer sees exactly
  // the suite's headers, not the `Cache-Control: no-cache` Fetch would add for `no-store` (R156). The
  // page's HTTP cache still never answers: every request goes to the worker, which forwards no-store.
  const clientFetch = browserCache ? fetch : (url, init) => fetch(url, { ...init, cache: 'default' });
  status.textContent = 'running';
  // The suite's own parallelism knob: how many tests run at once (its default is 100).
  await runTests(selected, clientFetch, browserCache, undefined, Number(params.get('chunk') ?? 100));
  status.textContent = 'done';
  return getResults();
})();
