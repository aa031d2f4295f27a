// HTTP through the worker: page fetch() of a 10 KB same-origin resource, body read, per request.
// Each worker variant gets its own scope /w/<variant>/; an iframe in that scope is controlled by it and
// its fetch() (called from here, so one clock) is the measured request. Paths under /res/hit/ answer
// max-age=3600, under /res/miss/ no-store; the server counts every request that reaches it.
import { median, roundReport, rotate } from './report.js';

const TIERCACHE_QUERY = 'include=/res/&profile=vercel';

/** Every contender: where it fetches from, and how many origin hits a measured batch may cause. */
const VARIANTS = [
  { row: 'http.network', frame: null, path: '/res/miss/network/r', originHits: 'all' },
  { row: 'http.httpcache', frame: null, path: '/res/hit/httpcache/r', originHits: 'none' },
  { row: 'http.passthrough', frame: 'passthrough', path: '/res/miss/passthrough/r', originHits: 'all' },
  { row: 'http.workbox', frame: 'workbox', path: '/res/hit/workbox/r', originHits: 'none' },
  { row: 'http.tc-hit', frame: 'tc-browser', path: '/res/hit/tc-browser/r', originHits: 'none', tiercache: true },
  { row: 'http.tc-hit-3', frame: 'tc-layers', path: '/res/hit/tc-layers/r', originHits: 'none', tiercache: true },
  { row: 'http.tc-miss', frame: 'tc-miss', path: '/res/miss/tc-miss/r', originHits: 'all', tiercache: true },
];

const WORKER_URLS = {
  passthrough: '/w/passthrough/sw.js',
  workbox: '/w/workbox/sw.js',
  'tc-browser': `/w/tc-browser/sw.js?layers=browser&store=bench-browser&${TIERCACHE_QUERY}`,
  'tc-layers': `/w/tc-layers/sw.js?layers=browser,cdn,edge&store=bench-layers&${TIERCACHE_QUERY}`,
  'tc-miss': `/w/tc-miss/sw.js?layers=browser&store=bench-miss&${TIERCACHE_QUERY}`,
};

async function controlledFrame(variant) {
  const scope = `/w/${variant}/`;
  const registration = await navigator.serviceWorker.register(WORKER_URLS[variant], { scope });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker && worker.state !== 'activated') {
    await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve(undefined)));
  }
  // A page loaded into the scope after activation is controlled (no clients.claim() needed).
  const frame = document.createElement('iframe');
  frame.src = `${scope}frame.html`;
  await new Promise((resolve) => {
    frame.onload = resolve;
    document.body.append(frame);
  });
  if (!frame.contentWindow.navigator.serviceWorker.controller) throw new Error(`${variant}: frame not controlled`);
  return frame.contentWindow;
}

const originHits = async (prefix) => (await (await fetch(`/bench/hits?prefix=${prefix}`)).json()).count;

function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

async function measure(variant, context, n, reference, report) {
  const prefix = variant.path;
  const before = await originHits(prefix);
  const times = [];
  const bodies = [];
  let cacheStatus = null;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const response = await context.fetch(variant.path);
    const body = await response.arrayBuffer();
    times.push((performance.now() - start) * 1000);
    bodies.push(body);
    cacheStatus = response.headers.get('cache-status');
  }
  const reached = (await originHits(prefix)) - before;
  const expected = variant.originHits === 'all' ? n : 0;
  report.sample(variant.row, median(times));
  report.check(variant.row, reached === expected, `origin reached ${reached}× for ${n} requests (expected ${expected})`);
  const wrong = bodies.filter((body) => !sameBytes(body, reference)).length;
  report.check(variant.row, wrong === 0, `${wrong} of ${n} bodies differ from the 10 KB resource`);
  if (variant.tiercache) report.check(variant.row, cacheStatus !== null, `Cache-Status: ${cacheStatus}`);
  return cacheStatus;
}

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const n = Number(params.get('n'));
  const reference = await (await fetch('/res/miss/reference')).arrayBuffer();
  const contexts = new Map();
  for (const variant of VARIANTS) contexts.set(variant.row, variant.frame ? await controlledFrame(variant.frame) : window);

  // The tiercache worker answers with Cache-Status on everything it handles (architecture.md). Without
  // it, the layer chain has not landed in dist/sw.js yet: its rows are reported as not available.
  const probe = await contexts.get('http.tc-hit').fetch('/res/miss/probe');
  await probe.arrayBuffer();
  const layersMissing = probe.headers.get('cache-status') === null;

  for (let round = 0; round <= rounds; round++) {
    const report = roundReport('http', round, round === 0);
    for (const variant of rotate(VARIANTS, round)) {
      if (variant.tiercache && layersMissing) {
        report.unavailable(variant.row, 'dist/sw.js answers without Cache-Status: the worker layers are not built yet');
        continue;
      }
      // Round 0 is the warm-up: it also fills the caches the hit rows are meant to hit.
      if (round === 0 && variant.originHits === 'none') await (await contexts.get(variant.row).fetch(variant.path)).arrayBuffer();
      await measure(variant, contexts.get(variant.row), n, reference, report);
    }
    await report.send();
  }
}
