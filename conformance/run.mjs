// Drives the public HTTP caching test suite (http-cache-tests, pinned in package.json, run unchanged)
// in real Chromium against the built worker (dist/sw.js), one mode per isolated browser context:
//
//   browser       the suite's browser mode (test-browser.html) against `layers=browser`
//   edge-rfc9111  its shared-cache mode (cli.mjs) against `layers=edge&profile=rfc9111`
//   cdn           its shared-cache mode against `layers=cdn`
//
// Each mode gets its own origin: a small node:http front on 127.0.0.1 that serves the worker script at
// /sw.js, this folder's driver page, the suite's client files, and otherwise calls the suite's own
// server handlers (config, test, state) in this process, exactly as its server.mjs dispatches them.
// The page's HTTP cache never answers underneath the worker: in browser mode every request goes to
// the worker first and the worker's own upstream fetches use `cache: 'no-store'`; in shared mode the
// suite itself sends `cache: 'no-store'` and the worker is the only cache in the path.
//
// Usage: node conformance/run.mjs [--write] [--out run.json] [--mode browser,edge-rfc9111,cdn] [--id test-id,test-id [--dump]]
//   --write  updates results/ (then `node conformance/report.mjs` rewrites README.md); --out  writes this run's counts elsewhere;
//   --dump   logs each request and response of the selected tests, as the suite's cli.mjs does for one --id
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumExecutable } from '../tools/chromium.mjs';
import { suiteGroups, summarize, writeResults } from './summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
export const suiteDir = dirname(createRequire(import.meta.url).resolve('http-cache-tests/package.json'));
const suiteModule = (path) => import(pathToFileURL(join(suiteDir, path)).href);

/** The modes, each a worker configuration and the suite mode run against it. */
export const MODES = [
  { name: 'browser', suiteMode: 'browser', sw: 'layers=browser' },
  { name: 'edge-rfc9111', suiteMode: 'shared', sw: 'layers=edge&profile=rfc9111' },
  { name: 'cdn', suiteMode: 'shared', sw: 'layers=cdn' },
];

const MIME = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.liquid': 'text/plain' };

async function suiteHandlers() {
  const [config, state, test] = await Promise.all(
    ['server/handle-config.mjs', 'server/handle-state.mjs', 'server/handle-test.mjs'].map(suiteModule),
  );
  return { config: config.default, state: state.default, test: test.default };
}

async function sendFile(response, file, extraHeaders = {}) {
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', ...extraHeaders });
    response.end(body);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found');
  }
}

/** One origin: the worker script, the driver page, the suite's files and its server handlers. */
async function startFront(handlers) {
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://front.invalid/');
    const segments = url.pathname.split('/');
    const dispatch = segments[1];
    if (url.pathname === '/sw.js') {
      void sendFile(response, join(root, 'dist/sw.js'), { 'Cache-Control': 'no-store' });
    } else if (dispatch === '__conformance') {
      void sendFile(response, join(here, segments[2] === 'driver.mjs' ? 'driver.mjs' : 'driver.html'), { 'Cache-Control': 'no-store' });
    } else if (dispatch === 'config' || dispatch === 'test' || dispatch === 'state') {
      // The suite's handlers, as its server.mjs calls them (path segments after the dispatch one).
      handlers[dispatch](segments.slice(2), request, response);
    } else {
      const path = normalize(url.pathname);
      if (!/^\/(client|lib|tests|asset)\//.test(path)) {
        response.writeHead(404, { 'Content-Type': 'text/plain' });
        response.end('not found');
        return;
      }
      void sendFile(response, join(suiteDir, path), { 'Cache-Control': 'no-store' });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Runs one mode in its own browser context; resolves to the suite's raw results ({ id: true | [kind, message] }). */
async function runMode(browser, handlers, mode, ids, chunk = 100, dump = false) {
  const front = await startFront(handlers);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    if (dump) page.on('console', (message) => console.log(`[${mode.name}] ${message.text()}`));
    const { port } = front.address();
    const query = new URLSearchParams({ mode: mode.suiteMode, sw: mode.sw, chunk: String(chunk), dump: dump ? '1' : '0', ...(ids ? { ids: ids.join(',') } : {}) });
    await page.goto(`http://127.0.0.1:${port}/__conformance/?${query}`);
    const results = await page.evaluate(() => window.conformance, undefined);
    if (errors.length) throw new Error(`${mode.name}: page errors: ${errors.join('; ')}`);
    return results;
  } finally {
    await context.close();
    await new Promise((resolve) => front.close(resolve));
  }
}

/**
 * One mode: the whole suite, then a second run, in a fresh context and ten tests at a time, of every
 * test that did not pass (informational checks only when a test depends on them).
 * Many tests wait 2–3 s and then expect a response to be (or no longer be) fresh; on a loaded 2-core
 * machine a slow page turns them into setup failures that say nothing about the cache. The retry is the
 * same policy as the project's browser tests (`retry: 1`); the first-run outcome is kept beside it.
 */
async function runModeWithRetry(browser, handlers, mode, ids, dump) {
  const first = await runMode(browser, handlers, mode, ids, 100, dump);
  // Informational checks (Y/N) count neither as passed nor as failed: retried only when another test
  // depends on them.
  const tests = (await suiteGroups(mode.suiteMode)).flatMap((g) => g.tests);
  const needed = new Set(tests.flatMap((t) => t.depends_on ?? []));
  const checks = new Set(tests.filter((t) => t.kind === 'check').map((t) => t.id));
  const again = Object.keys(first).filter((id) => first[id] !== true && (!checks.has(id) || needed.has(id)));
  // Ten at a time (the suite's chunk size; 100 in the first run): a retried test gets a quiet page.
  const second = again.length ? await runMode(browser, handlers, mode, again, 10) : {};
  return { first, results: { ...first, ...second }, retried: again };
}

/**
 * Runs the given modes side by side (each waits mostly on the suite's 3-second pauses, so they overlap
 * well on two cores) and returns { chromium, modes: { [mode]: { results, first, retried, summary, firstSummary } } }.
 */
export async function runConformance({ modes = MODES.map((m) => m.name), ids, dump = false } = {}) {
  const handlers = await suiteHandlers();
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
  try {
    const selected = MODES.filter((m) => modes.includes(m.name));
    const runs = await Promise.all(selected.map((mode) => runModeWithRetry(browser, handlers, mode, ids, dump)));
    const out = {};
    for (const [i, mode] of selected.entries()) {
      const run = runs[i];
      out[mode.name] = { ...run, summary: await summarize(mode, run.results), firstSummary: await summarize(mode, run.first) };
    }
    return { chromium: browser.version(), modes: out };
  } finally {
    await browser.close();
  }
}

/** One line per mode, as the README and the guard count them. */
export function scoreLine(name, totals) {
  const t = totals;
  return `${name}: ${t.pass} passed, ${t.fail} failed, ${t.optional_fail} optional not met, checks ${t.yes} yes / ${t.no} no, ` +
    `${t.dependency_fail} dependency, ${t.setup_fail + t.retry + t.harness_fail} setup/retry`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const started = Date.now();
  const ids = option('--id')?.split(',');
  const run = await runConformance({ modes: option('--mode')?.split(','), ids, dump: args.includes('--dump') });
  for (const [name, mode] of Object.entries(run.modes)) {
    console.log(scoreLine(name, mode.summary.totals));
    console.log(`  (first run: ${scoreLine(name, mode.firstSummary.totals)}; ${mode.retried.length} retried)`);
    if (ids) console.log(JSON.stringify(mode.results, null, 2));
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`Chromium ${run.chromium}; ${seconds.toFixed(1)} s`);
  if (args.includes('--write')) await writeResults(run, seconds);
  const out = option('--out');
  if (out) {
    const modes = Object.fromEntries(Object.entries(run.modes).map(([name, m]) => [name, { totals: m.summary.totals, tests: m.summary.tests }]));
    await writeFile(out, JSON.stringify({ chromium: run.chromium, seconds, modes }));
  }
}
