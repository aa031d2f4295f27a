// Streamed bodies (issue 15): what a page sees of a response a layer stores while it arrives.
// - stream.ttfb.*: time from fetch() to the first part of a streamed cacheable page (the origin sends
//   1 KB at once, 1 KB more 200 ms later), a fresh URL per request, so every layer stores it (a miss).
// - stream.big.*: total time of a 120 MB cacheable body (max-age=600), read to its end, a fresh URL per
//   request; the tiercache variants have a 256 MiB budget per layer, so they store it while forwarding.
// - stream.memory.*: the worker's heap (V8 used heap + ArrayBuffer backing stores, read over the
//   DevTools protocol) at its peak while a 150 MB body passes, minus its idle size after a GC (MiB);
//   `.live`: the same with a garbage collection before each reading (what the worker really holds);
//   `.idle`: the idle size itself, measured in the same run.
// Contenders: no worker (`network`), a pass-through worker, tiercache with layers=browser (`tc-1`) and
// layers=browser,cdn,edge (`tc-3`).
import { controlledFrame, originHits } from './http-suite.js';
import { median, roundReport, rotate } from './report.js';

const FIRST = `<!doctype html><p>${'f'.repeat(1000)}</p>`;
const REST = `<p>${'r'.repeat(1000)}</p>`;
const MiB = 2 ** 20;

const VARIANTS = [
  { id: 'network', frame: null },
  { id: 'passthrough', frame: 'passthrough' },
  { id: 'tc-1', frame: 'tc-stream-1', tiercache: true },
  { id: 'tc-3', frame: 'tc-stream-3', tiercache: true },
];
const MEMORY_VARIANTS = [
  { id: 'passthrough', frame: 'passthrough', match: '/w/passthrough/sw.js' },
  { id: 'tc-3', frame: 'tc-stream-3', match: '/w/tc-stream-3/sw.js' },
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

async function measureTtfb(variant, context, n, round, report) {
  const row = `stream.ttfb.${variant.id}`;
  const times = [];
  let wrong = 0;
  let path = '';
  let cacheStatus = null;
  const before = await originHits('/res/stream/ttfb/');
  for (let i = 0; i < n; i++) {
    path = freshPath('ttfb', variant.id, round);
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

/**
 * Before each big transfer: the previous contender's stores may still be copying its body into Cache
 * Storage (the browser process, on the same cores), which slowed whichever contender came next (one
 * run measured the same worker under two names, one after the other: 1.16x, then 2.21x the no-worker time).
 */
const SETTLE_MS_PER_MIB = 25; // 3 s before a 120 MiB body

async function measureBig(variant, context, bytes, round, report) {
  const row = `stream.big.${variant.id}`;
  await new Promise((resolve) => setTimeout(resolve, (bytes / MiB) * SETTLE_MS_PER_MIB));
  const start = performance.now();
  const response = await context.fetch(freshPath(`big/${bytes}`, variant.id, round));
  const read = await readPattern(response.body);
  report.sample(row, (performance.now() - start) * 1000);
  report.check(row, read.bytes === bytes && read.ok, `${read.bytes} of ${bytes} bytes, pattern ${read.ok ? 'intact' : 'WRONG'}`);
  if (variant.tiercache) report.check(row, (response.headers.get('cache-status') ?? '').includes('fwd='), `Cache-Status: ${response.headers.get('cache-status')}`);
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
  const transfer = context.fetch(freshPath(`big/${bytes}`, variant.id, round)).then((response) => readPattern(response.body)).finally(() => (transferring = false));
  while (transferring) {
    peak = Math.max(peak, heapOf(await workerMemory(variant.match, collect)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const read = await transfer;
  report.sample(row, (peak - idle) / MiB);
  report.sample(`${row}.idle`, idle / MiB); // the worker's own heap at rest, garbage collected (MiB)
  report.check(row, read.bytes === bytes && read.ok, `${read.bytes} of ${bytes} bytes, pattern ${read.ok ? 'intact' : 'WRONG'}`);
  report.check(row, idleUsage.backingStorageSize !== undefined, 'Runtime.getHeapUsage reports ArrayBuffer backing stores');
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
  for (const variant of VARIANTS) contexts.set(variant.id, variant.frame ? await controlledFrame(variant.frame) : window);
  for (let round = 0; round <= rounds; round++) {
    const report = roundReport('stream', round, round === 0);
    for (const variant of rotate(VARIANTS, round)) await measureTtfb(variant, contexts.get(variant.id), n, round, report);
    for (const variant of rotate(VARIANTS, round)) await measureBig(variant, contexts.get(variant.id), bigBytes, round, report);
    for (const variant of rotate(MEMORY_VARIANTS, round)) await measureMemory(variant, contexts.get(variant.id), memoryBytes, round, report);
    await report.send();
  }
}
