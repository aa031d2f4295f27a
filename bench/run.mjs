// `npm run bench`: tiercache side by side with its peers and the physical limits, in one run, as ratios.
// Usage: node bench/run.mjs [--quick] [--rounds=N] [--only=http,coldstart,stream,kv,tags,propagation,sizes,feed] [--fault=corrupt-body]
//   [--cold-entries=N] (coldstart: N more entries stored beside the one its tiercache row hits)
// Writes bench/results.json (full run of every suite), else bench/results/quick.json (--quick) or
// bench/results/partial.json (--only), plus a Markdown table in bench/results/. Exits non-zero when any
// sanity check fails or a suite cannot run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumExecutable } from '../tools/chromium.mjs';
import { buildBench } from './lib/build.mjs';
import { buildReport, renderMarkdown, renderText } from './lib/report.mjs';
import { removeLeftoverProfiles, runInChromium } from './lib/run-in-chromium.mjs';
import { startServer } from './lib/server.mjs';
import { runFeedSuite } from './lib/feed.mjs';
import { measureSizes } from './lib/sizes.mjs';
import { targets as targetList } from './lib/targets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const only = option('only')?.split(',');

/** Work per mode: full runs are the published numbers; --quick proves every row still runs and checks. */
// The http suite's ratios are near their bounds and noisy, so a full run takes more rounds of it
// (medians over at least 10 rounds, issue 14).
const MODE = quick
  ? { rounds: 1, httpRounds: 1, httpN: 20, pageLoads: 3, coldN: 3, kvN: { '1k': 10, '100k': 3 }, tagSizes: [200, 500, 1000], propN: 10, stream: { n: 3, bigBytes: 24 * 2 ** 20, memoryBytes: 32 * 2 ** 20 }, feed: { n: 5, tabs: 5, connections: 50, events: 20 }, timeoutMs: 90_000 }
  : { rounds: 5, httpRounds: 10, httpN: 300, pageLoads: 20, coldN: 20, kvN: { '1k': 200, '100k': 30 }, tagSizes: [1000, 10000, 50000], propN: 100, stream: { n: 10, bigBytes: 120 * 2 ** 20, memoryBytes: 150 * 2 ** 20 }, feed: { n: 40, tabs: 5, connections: 1000, events: 100 }, timeoutMs: 20 * 60_000 };
if (option('rounds')) MODE.rounds = MODE.httpRounds = Number(option('rounds'));

const samples = new Map(); // row → round → value
const unavailable = new Map(); // row → reason
const failedChecks = [];
let checkCount = 0;

function collect(msg) {
  if (msg.type === 'log') log(msg.text);
  if (msg.type !== 'round') return;
  for (const [row, reason] of Object.entries(msg.unavailable)) unavailable.set(row, reason);
  for (const check of msg.checks) {
    checkCount++;
    if (!check.ok) failedChecks.push({ suite: msg.suite, round: msg.round, ...check });
  }
  if (msg.warmup) return;
  for (const [row, value] of Object.entries(msg.samples)) {
    if (!samples.has(row)) samples.set(row, new Map());
    samples.get(row).set(msg.round, value);
  }
}

function chromiumVersion() {
  try {
    return execFileSync(chromiumExecutable(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const started = Date.now();
const log = (text) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${text}\n`);
const router = { handler: null, stopWorkers: null, workerMemory: null };
const suiteErrors = [];
let server;
let buildDir;
try {
  log('building bench pages and peer workers');
  const built = await buildBench({ root });
  buildDir = built.buildDir;
  const workers = built.workers;
  if (!only || only.includes('sizes')) {
    log('sizes');
    const { sizes, notes } = await measureSizes({ root, buildDir });
    for (const [row, bytes] of Object.entries(sizes)) {
      samples.set(row, new Map([[1, bytes]]));
      // A bundle tree-shaken to (almost) nothing would be a fast wrong answer too.
      collect({ type: 'round', suite: 'sizes', round: 1, warmup: true, samples: {}, unavailable: {}, checks: [{ row, ok: bytes > 300, detail: `${bytes} bytes min+gzip` }] });
    }
    for (const [row, reason] of Object.entries(notes)) unavailable.set(row, reason);
  }
  server = await startServer({
    root, buildDir, workers, fault: option('fault'),
    onReport: (msg) => router.handler?.(msg),
    onStopWorkers: () => (router.stopWorkers ? router.stopWorkers() : Promise.reject(new Error('this suite runs without DevTools'))),
    onWorkerMemory: (match, gc) => (router.workerMemory ? router.workerMemory(match, gc) : Promise.reject(new Error('this suite runs without DevTools'))),
    onWorkerBusy: (match, op) => (router.workerBusy ? router.workerBusy(match, op) : Promise.reject(new Error('this suite runs without DevTools'))),
  });
  const suites = {
    http: { n: MODE.httpN, pageLoads: MODE.pageLoads, pageN: 50, rounds: MODE.httpRounds },
    // The only suite with the DevTools protocol open (a pipe, nothing enabled): it stops the workers.
    coldstart: { n: MODE.coldN, entries: option('cold-entries') ?? '0', devtools: true },
    // Issue 15: streamed bodies (time to first byte, a 120 MB body, worker memory while 150 MB pass).
    // DevTools (a pipe) only reads the worker's heap between and during the transfers.
    stream: { ...MODE.stream, devtools: true },
    kv: { n1k: MODE.kvN['1k'], n100k: MODE.kvN['100k'], lightWarmup: quick ? '1' : '0' },
    tags: { sizes: MODE.tagSizes.join(',') },
    propagation: { n: MODE.propN },
  };
  for (const [suite, params] of Object.entries(suites)) {
    if (only && !only.includes(suite)) continue;
    const { devtools = false, rounds = MODE.rounds, ...pageParams } = params;
    log(`${suite}: ${rounds} round(s) after a warm-up`);
    const query = new URLSearchParams({ suite, rounds: String(rounds), round: '0', ...pageParams });
    try {
      await runInChromium({ url: `${server.origin}/bench/page.html?${query}`, router, onMessage: collect, timeoutMs: MODE.timeoutMs, devtools });
    } catch (error) {
      suiteErrors.push({ suite, error: String(error instanceof Error ? error.message : error) });
      log(`${suite} FAILED: ${suiteErrors.at(-1).error}`);
    }
  }
  if (!only || only.includes('feed')) {
    log(`feed: ${MODE.rounds} round(s) after a warm-up (Redis, 2 server instances, ${MODE.feed.tabs} tabs)`);
    try {
      await runFeedSuite({ root, rounds: MODE.rounds, ...MODE.feed, collect, log });
    } catch (error) {
      suiteErrors.push({ suite: 'feed', error: String(error instanceof Error ? error.message : error) });
      log(`feed FAILED: ${suiteErrors.at(-1).error}`);
    }
  }
} finally {
  await server?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  await removeLeftoverProfiles();
}

const report = buildReport({ samples, unavailable, targets: targetList({ tagSizes: MODE.tagSizes }) });
const machine = {
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  // Other work on the machine skews absolute numbers (and, less, ratios): recorded so a reader can tell.
  loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  chromium: chromiumVersion(),
};
const result = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  rounds: MODE.rounds,
  work: MODE,
  machine,
  checks: { total: checkCount, failed: failedChecks },
  suiteErrors,
  verdicts: report.verdicts,
  comparisons: report.comparisons,
  rows: report.rows,
};
console.log(renderText(report));
console.log(`\n${machine.chromium}; ${machine.cores} cores (${machine.cpu}); Node ${machine.node}; mode ${result.mode}, ${MODE.rounds} round(s)`);
console.log(`sanity checks: ${checkCount - failedChecks.length} passed, ${failedChecks.length} failed`);
for (const failure of failedChecks) console.log(`  FAILED ${failure.row} (round ${failure.round}): ${failure.detail}`);
for (const failure of suiteErrors) console.log(`  SUITE FAILED ${failure.suite}: ${failure.error}`);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
// Only a full run of every suite replaces the committed bench/results.json.
const name = quick ? 'quick' : only ? 'partial' : 'full';
writeFileSync(join(root, 'bench', name === 'full' ? 'results.json' : `results/${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(root, 'bench', 'results', `${name}.md`), `${renderMarkdown(report)}\n`);
process.exitCode = failedChecks.length || suiteErrors.length || checkCount === 0 ? 1 : 0;
