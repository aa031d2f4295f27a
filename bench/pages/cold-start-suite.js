// Cold start: one hit right after every Service Worker was stopped (the runner stops them through the
// DevTools protocol, as DevTools' "stop" does), so the measured fetch starts the worker: its script is
// parsed and run, its stores opened, then it answers from them. Body read, per request.
import { controlledFrame, originHits, sameBytes } from './http-suite.js';
import { median, roundReport, rotate } from './report.js';

const VARIANTS = [
  { row: 'cold.workbox', frame: 'workbox', path: '/res/hit/cold-workbox/r' },
  { row: 'cold.tc-hit', frame: 'tc-browser', path: '/res/hit/cold-tc-browser/r', tiercache: true },
  // The floor of tiercache's format (IndexedDB record, then the Cache Storage body; its warm-up fetch
  // answers once both are stored) and the limit of any worker (the body in its script).
  { row: 'cold.floor', frame: 'cold-floor', path: '/res/hit/cold-floor/r' },
  // The same floor loading a script as large as tiercache's (dist/sw.js inside it, never run).
  { row: 'cold.floor-sized', frame: 'cold-floor-sized', path: '/res/hit/cold-floor-sized/r' },
  { row: 'cold.memory', frame: 'cold-memory', path: '/res/hit/cold-memory/r' },
];

async function stopWorkers() {
  const response = await fetch('/bench/stop-workers', { method: 'POST' });
  if (response.status !== 204) throw new Error(`stopping the workers failed: ${response.status} ${await response.text()}`);
}

// The worker's inspect command (the SDK's controller.inspect(), sent raw because the frame is the page
// it controls) answers once the layers' writes in progress have settled: stopping the worker before a
// store's Cache Storage put commits would lose the entry and turn every measured hit into a miss.
function writesSettled(context) {
  const channel = new MessageChannel();
  const reply = new Promise((resolve) => (channel.port1.onmessage = resolve));
  context.navigator.serviceWorker.controller.postMessage({ tag: 'tiercache/1', id: 'cold-warm-up', command: { op: 'inspect' } }, [channel.port2]);
  return reply;
}

async function measure(variant, context, n, reference, report) {
  const before = await originHits(variant.path);
  const times = [];
  let wrong = 0;
  let cacheStatus = null;
  for (let i = 0; i < n; i++) {
    await stopWorkers();
    const start = performance.now();
    const response = await context.fetch(variant.path);
    const body = await response.arrayBuffer();
    times.push((performance.now() - start) * 1000);
    if (!sameBytes(body, reference)) wrong++;
    cacheStatus = response.headers.get('cache-status');
  }
  const reached = (await originHits(variant.path)) - before;
  report.sample(variant.row, median(times));
  report.check(variant.row, reached === 0, `origin reached ${reached}× for ${n} cold hits (expected 0)`);
  report.check(variant.row, wrong === 0, `${wrong} of ${n} bodies differ from the 10 KB resource`);
  if (variant.tiercache) report.check(variant.row, cacheStatus?.includes('hit') === true, `Cache-Status: ${cacheStatus}`);
}

/** Fills tiercache's store with `count` more entries (a real app's store holds hundreds; issue 14). */
async function storeMore(context, count) {
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => context.fetch(`/res/hit/cold-fill/${i + j}`).then((r) => r.arrayBuffer()));
    await Promise.all(batch);
  }
}

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const n = Number(params.get('n'));
  const entries = Number(params.get('entries') ?? 0);
  const reference = await (await fetch('/res/miss/reference')).arrayBuffer();
  const contexts = new Map();
  for (const variant of VARIANTS) contexts.set(variant.row, await controlledFrame(variant.frame));
  for (let round = 0; round <= rounds; round++) {
    const report = roundReport('coldstart', round, round === 0);
    for (const variant of rotate(VARIANTS, round)) {
      // Round 0 is the warm-up: it also stores what the measured requests hit.
      if (round === 0) {
        await (await contexts.get(variant.row).fetch(variant.path)).arrayBuffer();
        if (variant.tiercache) await storeMore(contexts.get(variant.row), entries);
        if (variant.tiercache) await writesSettled(contexts.get(variant.row));
      }
      await measure(variant, contexts.get(variant.row), n, reference, report);
    }
    await report.send();
  }
}
