// HTTP through the worker: page fetch() of a 10 KB same-origin resource, body read, per request.
// Each worker variant gets its own scope /w/<variant>/; an iframe in that scope is controlled by it and
// its fetch() (called from here, so one clock) is the measured request. Paths under /res/hit/ answer
// max-age=3600, under /res/miss/ no-store; the server counts every request that reaches it.
// The page-load rows navigate the frame to a page whose script fetches 50 hits at once (total time from
// setting the frame's src to the page posting its 50 bodies back).
import { median, roundReport, rotate } from './report.js';

const TIERCACHE_QUERY = 'include=/res/&profile=vercel';

/** Every contender: where it fetches from, and how many origin hits a measured batch may cause. */
const VARIANTS = [
  { row: 'http.network', frame: null, path: '/res/miss/network/r', originHits: 'all' },
  { row: 'http.httpcache', frame: null, path: '/res/hit/httpcache/r', originHits: 'none' },
  { row: 'http.passthrough', frame: 'passthrough', path: '/res/miss/passthrough/r', originHits: 'all' },
  // The floor of a miss: forwarded with one header added, as any layer must (bench/workers/pass-through-stamped.js).
  { row: 'http.passthrough-stamped', frame: 'passthrough-stamped', path: '/res/miss/passthrough-stamped/r', originHits: 'all', stamps: true },
  { row: 'http.workbox', frame: 'workbox', path: '/res/hit/workbox/r', originHits: 'none' },
  // The limit: a bare worker answering from a body in its own memory (bench/workers/memory-hit.js).
  { row: 'http.memory', frame: 'memory', path: '/res/hit/memory/r', originHits: 'none' },
  { row: 'http.tc-hit', frame: 'tc-browser', path: '/res/hit/tc-browser/r', originHits: 'none', tiercache: true },
  { row: 'http.tc-hit-3', frame: 'tc-layers', path: '/res/hit/tc-layers/r', originHits: 'none', tiercache: true },
  { row: 'http.tc-miss', frame: 'tc-miss', path: '/res/miss/tc-miss/r', originHits: 'all', tiercache: true },
];

/** Page loads of 50 hits: the memory limit, Workbox, tiercache (browser layer). */
const PAGE_VARIANTS = [
  { row: 'http.page.memory', frame: 'memory' },
  { row: 'http.page.workbox', frame: 'workbox' },
  { row: 'http.page.tc', frame: 'tc-browser', tiercache: true },
];

export const WORKER_URLS = {
  passthrough: '/w/passthrough/sw.js',
  'passthrough-stamped': '/w/passthrough-stamped/sw.js',
  memory: '/w/memory/sw.js',
  workbox: '/w/workbox/sw.js',
  // The cold-start suite's floor of tiercache's storage format, and its limit (bench/workers/cold-*.js).
  'cold-floor': '/w/cold-floor/sw.js',
  'cold-floor-sized': '/w/cold-floor-sized/sw.js',
  'cold-memory': '/w/cold-memory/sw.js',
  'tc-browser': `/w/tc-browser/sw.js?layers=browser&store=bench-browser&${TIERCACHE_QUERY}`,
  'tc-layers': `/w/tc-layers/sw.js?layers=browser,cdn,edge&store=bench-layers&${TIERCACHE_QUERY}`,
  'tc-miss': `/w/tc-miss/sw.js?layers=browser&store=bench-miss&${TIERCACHE_QUERY}`,
  // The stream suite: a budget of 256 MiB per layer, so a 120 MB body is stored, not only passed on.
  'tc-stream-1': `/w/tc-stream-1/sw.js?layers=browser&store=bench-stream-1&budget=268435456&${TIERCACHE_QUERY}`,
  'tc-stream-3': `/w/tc-stream-3/sw.js?layers=browser,cdn,edge&store=bench-stream-3&budget=268435456&${TIERCACHE_QUERY}`,
  // The stream suite's limits: tee() + cache.put() of that many copies while forwarding.
  'tee-put': '/w/tee-put/sw.js?copies=1',
  'tee-put-2': '/w/tee-put-2/sw.js?copies=2',
  'tee-put-3': '/w/tee-put-3/sw.js?copies=3',
};

export async function controlledFrame(variant) {
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

export const originHits = async (prefix) => (await (await fetch(`/bench/hits?prefix=${prefix}`)).json()).count;

export function sameBytes(a, b) {
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
  if (variant.tiercache || variant.stamps) report.check(variant.row, cacheStatus !== null, `Cache-Status: ${cacheStatus}`);
  return cacheStatus;
}

/** One page load in `frame` (scope of `variant`): resolves with its time (µs) and the bodies it read. */
function pageLoad(frame, variant, n) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const onMessage = (event) => {
      if (event.source !== frame.contentWindow || !event.data?.pageLoad) return;
      const time = (performance.now() - start) * 1000;
      removeEventListener('message', onMessage);
      if (event.data.error) reject(new Error(`${variant}: page load failed: ${event.data.error}`));
      else resolve({ time, bodies: event.data.bodies });
    };
    addEventListener('message', onMessage);
    frame.src = `/w/${variant}/page-load.html?n=${n}`;
  });
}

async function measurePageLoads(variant, frame, loads, n, reference, report) {
  const prefix = `/res/hit/page-${variant.frame}/`;
  const before = await originHits(prefix);
  const times = [];
  let wrong = 0;
  let count = 0;
  for (let i = 0; i < loads; i++) {
    const { time, bodies } = await pageLoad(frame, variant.frame, n);
    times.push(time);
    count += bodies.length;
    wrong += bodies.filter((body) => !sameBytes(body, reference)).length;
  }
  const reached = (await originHits(prefix)) - before;
  report.sample(variant.row, median(times));
  report.check(variant.row, reached === 0, `origin reached ${reached}× in ${loads} page loads of ${n} hits (expected 0)`);
  report.check(variant.row, count === loads * n && wrong === 0, `${wrong} of ${count} bodies differ from the 10 KB resource (expected ${loads * n} bodies)`);
}

/** A frame in the variant's scope for page loads (the controlled frame of the per-request rows stays put). */
async function pageFrame(variant) {
  const frame = document.createElement('iframe');
  frame.src = `/w/${variant}/frame.html`;
  await new Promise((resolve) => {
    frame.onload = resolve;
    document.body.append(frame);
  });
  return frame;
}

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const n = Number(params.get('n'));
  const reference = await (await fetch('/res/miss/reference')).arrayBuffer();
  const contexts = new Map();
  for (const variant of VARIANTS) contexts.set(variant.row, variant.frame ? await controlledFrame(variant.frame) : window);
  const pageLoads = Number(params.get('pageLoads'));
  const pageN = Number(params.get('pageN'));
  const frames = new Map();
  for (const variant of PAGE_VARIANTS) frames.set(variant.row, await pageFrame(variant.frame));

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
    for (const variant of rotate(PAGE_VARIANTS, round)) {
      if (variant.tiercache && layersMissing) {
        report.unavailable(variant.row, 'dist/sw.js answers without Cache-Status: the worker layers are not built yet');
        continue;
      }
      // The warm-up round's loads fill the caches (their origin hits are checked against 0 too, so
      // the warm-up loads once unchecked first).
      if (round === 0) await pageLoad(frames.get(variant.row), variant.frame, pageN);
      await measurePageLoads(variant, frames.get(variant.row), pageLoads, pageN, reference, report);
    }
    await report.send();
  }
}
