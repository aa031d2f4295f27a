// Streamed bodies (issue 15): what a page sees of a response a layer stores while it arrives.
// - stream.ttfb.*: time from fetch() to the first part of a streamed cacheable page (the origin sends
//   1 KB at once, 1 KB more 200 ms later), a fresh URL per request, so every layer stores it (a miss).
// - stream.ttfb-idle.*: the same, each request 150 ms after the previous page was read to its end (a
//   visitor's next navigation comes later than that), so the previous response's writes are done.
// - stream.fill.*: a stored miss back to back: a 10 KB cacheable body, a fresh URL per request, read
//   to its end (median per request).
// - stream.fill-busy.*: the same, the worker thread's busy time per request (V8's sampling profiler
//   over the DevTools protocol), for the workers.
// - stream.big.*: total time of a 120 MB cacheable body (max-age=600), read to its end, a fresh URL per
//   request; the tiercache variants have a 256 MiB budget per layer, so they store it while forwarding.
// - stream.memory.*: the worker's heap (V8 used heap + ArrayBuffer backing stores, read over the
//   DevTools protocol) at its peak while a 150 MB body passes, minus its idle size after a GC (MiB);
//   `.live`: the same with a garbage collection before each reading (what the worker really holds);
//   `.idle`: the idle size itself, measured in the same run.
// Contenders: no worker (`network`), a pass-through worker, tiercache with layers=browser (`tc-1`) and
// layers=browser,cdn,edge (`tc-3`); for the big body also the floor of storing while forwarding
// (bench/workers/tee-put.js: tee() + cache.put() of 1, 2 or 3 copies, `tee-put`, `tee-put-2`, `tee-put-3`),
// and for memory `tee-put-2` (the two copies tc-3 stores of a body the edge does not keep).
import { controlledFrame, originHits } from './http-suite.js';
import { log, median, roundReport, rotate } from './report.js';

const FIRST = `<!doctype html><p>${'f'.repeat(1000)}</p>`;
const REST = `<p>${'r'.repeat(1000)}</p>`;
const MiB = 2 ** 20;

const VARIANTS = [
  { id: 'network', frame: null },
  { id: 'passthrough', frame: 'passthrough' },
  { id: 'tc-1', frame: 'tc-stream-1', tiercache: true },
  { id: 'tc-3', frame: 'tc-stream-3', tiercache: true },
];
/**
 * Limits for the big body: a bare worker storing `copies` copies into as many Cache Storage caches while
 * it forwards (tiercache's three layers store this body twice: the edge does not store it, R40).
 */
const BIG_VARIANTS = [
  ...VARIANTS,
  { id: 'tee-put', frame: 'tee-put', copies: 1 },
  { id: 'tee-put-2', frame: 'tee-put-2', copies: 2 },
  { id: 'tee-put-3', frame: 'tee-put-3', copies: 3 },
];
const MEMORY_VARIANTS = [
  { id: 'passthrough', frame: 'passthrough', match: '/w/passthrough/sw.js' },
  { id: 'tc-3', frame: 'tc-stream-3', match: '/w/tc-stream-3/sw.js' },
  // The limit of the heap peak: the bare worker storing the two copies tc-3 stores (no bound on its tee).
  { id: 'tee-put-2', frame: 'tee-put-2', match: '/w/tee-put-2/sw.js', copies: 2 },
];

let unique = 0;
const freshPath = (kind, variant, round) => `/res/stream/${kind}/${variant}-${round}-${Date.now()}-${unique++}`;

/** Reads a body to its end: its length, and whether sampled bytes follow the server's pattern (i % 251). */
async function readPattern(body) {
  const reader = body.getReader();
  let offset = 0;
  let ok = true;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: offset, ok };
    for (let i = (4096 - (offset % 4096)) % 4096; i < value.length; i += 4096) if (value[i] !== (offset + i) % 251) ok = false;
    if (value.length && value[value.length - 1] !== (offset + value.length - 1) % 251) ok = false;
    offset += value.length;
  }
}

/** Pause before each request of the `stream.ttfb-idle.*` rows. */
const IDLE_MS = 150;

async function measureTtfb(variant, context, n, round, report, idle = false) {
  const row = `stream.${idle ? 'ttfb-idle' : 'ttfb'}.${variant.id}`;
  const times = [];
  let wrong = 0;
  let path = '';
  let cacheStatus = null;
  const before = await originHits('/res/stream/ttfb/');
  for (let i = 0; i < n; i++) {
    path = freshPath('ttfb', variant.id, round);
    if (idle) await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const start = performance.now();
    const response = await context.fetch(path);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? '';
    times.push((performance.now() - start) * 1000);
    for (let part = await reader.read(); !part.done; part = await reader.read()) text += part.value;
    if (text !== FIRST + REST) wrong++;
    cacheStatus = response.headers.get('cache-status');
  }
  report.sample(row, median(times));
  report.check(row, wrong === 0, `${wrong} of ${n} streamed pages differ from what the origin sent`);
  if (variant.tiercache) {
    // The last page was stored while it streamed: asked again, it is a hit and the origin is not reached.
    const again = await context.fetch(path);
    const text = await again.text();
    const status = again.headers.get('cache-status') ?? '';
    report.check(row, /^[^;]+; fwd=/.test(cacheStatus ?? '') && / hit/.test(status) && text === FIRST + REST, `stored while streaming: ${cacheStatus} then ${status}`);
  }
  const reached = (await originHits('/res/stream/ttfb/')) - before;
  report.check(row, reached === n, `origin reached ${reached}× for ${n} fresh URLs (expected ${n})`);
}

const FILL_BYTES = 10240;

/** Fetches one fresh 10 KB cacheable body and reads it to its end: its path, time (µs) and whether it was intact. */
async function fillOnce(variant, context, round) {
  const path = freshPath(`big/${FILL_BYTES}`, variant.id, round);
  const start = performance.now();
  const { bytes, ok } = await readPattern((await context.fetch(path)).body);
  return { path, us: (performance.now() - start) * 1000, intact: bytes === FILL_BYTES && ok };
}

/**
 * A stored miss, back to back: a 10 KB cacheable body (`public, max-age=600`, Content-Length), a fresh
 * URL per request, read to its end, `n` × 10 in a row (a first visit's subresources). Each stored
 * response leaves its writes (Cache Storage, IndexedDB, the hot tier) to run during the next request,
 * so the median per request includes what keeping a response costs the worker.
 */
async function measureFill(variant, context, n, round, report) {
  const row = `stream.fill.${variant.id}`;
  const count = n * 10;
  const times = [];
  let wrong = 0;
  let path = '';
  const before = await originHits(`/res/stream/big/${FILL_BYTES}/`);
  for (let i = 0; i < count; i++) {
    const fill = await fillOnce(variant, context, round);
    path = fill.path;
    times.push(fill.us);
    if (!fill.intact) wrong++;
  }
  report.sample(row, median(times));
  report.check(row, wrong === 0, `${wrong} of ${count} bodies differ from what the origin sent`);
  if (variant.tiercache) {
    // Stored: the last one asked again is a hit and the origin is not reached.
    const again = await context.fetch(path);
    const { bytes } = await readPattern(again.body);
    report.check(row, / hit/.test(again.headers.get('cache-status') ?? '') && bytes === FILL_BYTES, `stored: ${again.headers.get('cache-status')}`);
  }
  const reached = (await originHits(`/res/stream/big/${FILL_BYTES}/`)) - before;
  report.check(row, reached === count, `origin reached ${reached}× for ${count} fresh URLs (expected ${count})`);
}

/**
 * The worker thread's busy time per stored miss (`stream.fill-busy.*`, ms): the fill above, `n` × 5 in a
 * row, with the worker's thread profiled from the first request until its writes have landed (300 ms
 * after the last body was read; the pass-through worker stores nothing and is the floor). CPU time,
 * so it separates builds that the page-side medians, at ±2 ms between runs, do not.
 */
async function measureFillBusy(variant, context, n, round, report) {
  const row = `stream.fill-busy.${variant.id}`;
  const match = `/w/${variant.frame}/sw.js`;
  const count = n * 5;
  const profile = async (op) => {
    const response = await fetch(`/bench/worker-busy?match=${encodeURIComponent(match)}&op=${op}`);
    if (!response.ok) throw new Error(`worker busy: ${response.status} ${await response.text()}`);
    return response.json();
  };
  await profile('start');
  let wrong = 0;
  for (let i = 0; i < count; i++) if (!(await fillOnce(variant, context, round)).intact) wrong++;
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { busyUs } = await profile('stop');
  report.sample(row, busyUs / count);
  report.check(row, wrong === 0 && busyUs > 0, `${wrong} of ${count} bodies wrong; worker busy ${busyUs} µs`);
}

/**
 * Before each big transfer: the previous contender's stores may still be copying its body into Cache
 * Storage (the browser process, on the same cores), which slowed whichever contender came next (one
 * run measured the same worker under two names, one after the other: 1.16x, then 2.21x the no-worker time).
 */
const SETTLE_MS_PER_MIB = 25; // 3 s before a 120 MiB body

async function measureBig(variant, context, bytes, round, report) {
  const row = `stream.big.${variant.id}`;
  await new Promise((resolve) => setTimeout(resolve, (bytes / MiB) * SETTLE_MS_PER_MIB));
  const path = freshPath(`big/${bytes}`, variant.id, round);
  const start = performance.now();
  const response = await context.fetch(path);
  const read = await readPattern(response.body);
  const ms = performance.now() - start;
  report.sample(row, ms * 1000);
  report.check(row, read.bytes === bytes && read.ok, `${read.bytes} of ${bytes} bytes, pattern ${read.ok ? 'intact' : 'WRONG'}`);
  if (variant.tiercache) report.check(row, (response.headers.get('cache-status') ?? '').includes('fwd='), `Cache-Status: ${response.headers.get('cache-status')}`);
  if (variant.copies) await checkStoredCopies(variant.copies, path, bytes, report, row);
  return ms;
}

/**
 * The tee-put limits really stored every copy (Cache Storage is the page's too: same origin): waits
 * for each cache to hold the body at its full size, then deletes the caches so they do not grow over
 * the rounds (the next transfer's settling time covers the deletion's disk work).
 */
async function checkStoredCopies(copies, path, bytes, report, row) {
  const names = Array.from({ length: copies }, (_, i) => `tee-put-${copies}-${i}`);
  const sizes = [];
  const deadline = performance.now() + 60_000;
  for (const name of names) {
    let stored;
    while (!(stored = await (await caches.open(name)).match(path)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    sizes.push(stored ? (await stored.blob()).size : null);
  }
  report.check(row, sizes.every((size) => size === bytes), `stored copies: ${sizes.map((size) => size ?? 'none after 60 s').join(', ')} bytes (expected ${copies} × ${bytes})`);
  for (const name of names) await caches.delete(name);
  const left = (await caches.keys()).filter((name) => name.startsWith('tee-put-'));
  report.check(row, left.length === 0, `caches left after clearing: ${left.join(', ') || 'none'}`);
}

async function workerMemory(match, gc) {
  const response = await fetch(`/bench/worker-memory?match=${encodeURIComponent(match)}&gc=${gc ? 1 : 0}`);
  if (!response.ok) throw new Error(`worker memory: ${response.status} ${await response.text()}`);
  return response.json();
}
const heapOf = (usage) => usage.usedSize + (usage.backingStorageSize ?? 0);

/**
 * One 150 MB transfer while the worker's heap is read every 50 ms: `collect` false reads it as it is
 * (garbage not yet collected included), true collects garbage before each read (what is really held).
 */
async function peakAbove(variant, context, bytes, round, collect, report, row) {
  // The worker must be running to be read: a small fetch wakes it.
  await (await context.fetch('/res/miss/reference')).arrayBuffer();
  const idleUsage = await workerMemory(variant.match, true);
  const idle = heapOf(idleUsage);
  let peak = idle;
  let transferring = true;
  const path = freshPath(`big/${bytes}`, variant.id, round);
  const transfer = context.fetch(path).then((response) => readPattern(response.body)).finally(() => (transferring = false));
  while (transferring) {
    peak = Math.max(peak, heapOf(await workerMemory(variant.match, collect)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const read = await transfer;
  report.sample(row, (peak - idle) / MiB);
  report.sample(`${row}.idle`, idle / MiB); // the worker's own heap at rest, garbage collected (MiB)
  report.check(row, read.bytes === bytes && read.ok, `${read.bytes} of ${bytes} bytes, pattern ${read.ok ? 'intact' : 'WRONG'}`);
  report.check(row, idleUsage.backingStorageSize !== undefined, 'Runtime.getHeapUsage reports ArrayBuffer backing stores');
  // The floor stored its copies while it forwarded (and they are cleared before the next transfer).
  if (variant.copies) await checkStoredCopies(variant.copies, path, bytes, report, row);
}

async function measureMemory(variant, context, bytes, round, report) {
  await peakAbove(variant, context, bytes, round, false, report, `stream.memory.${variant.id}`);
  await peakAbove(variant, context, bytes, round, true, report, `stream.memory.${variant.id}.live`);
}

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const n = Number(params.get('n'));
  const bigBytes = Number(params.get('bigBytes'));
  const memoryBytes = Number(params.get('memoryBytes'));
  const contexts = new Map();
  for (const variant of BIG_VARIANTS) contexts.set(variant.id, variant.frame ? await controlledFrame(variant.frame) : window);
  for (let round = 0; round <= rounds; round++) {
    const report = roundReport('stream', round, round === 0);
    for (const variant of rotate(VARIANTS, round)) await measureTtfb(variant, contexts.get(variant.id), n, round, report);
    for (const variant of rotate(VARIANTS, round)) await measureTtfb(variant, contexts.get(variant.id), n, round, report, true);
    for (const variant of rotate(VARIANTS, round)) await measureFill(variant, contexts.get(variant.id), n, round, report);
    for (const variant of rotate(VARIANTS.filter((v) => v.frame), round)) await measureFillBusy(variant, contexts.get(variant.id), n, round, report);
    const big = {};
    for (const variant of rotate(BIG_VARIANTS, round)) big[variant.id] = await measureBig(variant, contexts.get(variant.id), bigBytes, round, report);
    // Per round, so same-round ratios between any two contenders (e.g. tc-1 / tee-put) can be read off.
    await log(`stream round ${round}, big body (ms): ${BIG_VARIANTS.map((v) => `${v.id} ${big[v.id].toFixed(0)}`).join(', ')}`);
    for (const variant of rotate(MEMORY_VARIANTS, round)) await measureMemory(variant, contexts.get(variant.id), memoryBytes, round, report);
    await report.send();
  }
}
