// Classifies raw suite results with the suite's own determineTestResult (lib/display.mjs), per test
// group, for our runs and for the results the suite publishes (results/*.json in the package).
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const suiteDir = dirname(createRequire(import.meta.url).resolve('http-cache-tests/package.json'));
const suiteModule = async (path) => (await import(pathToFileURL(join(suiteDir, path)).href)).default;
const display = () => import(pathToFileURL(join(suiteDir, 'lib/display.mjs')).href);

/** The suite's symbols, by the names our files use. */
const KINDS = { '✅': 'pass', '⛔️': 'fail', '⚠️': 'optional_fail', Y: 'yes', N: 'no', '🔹': 'setup_fail', '⁉️': 'harness_fail', '⚪️': 'dependency_fail', '↻': 'retry', '-': 'untested' };
const zero = () => ({ pass: 0, fail: 0, optional_fail: 0, yes: 0, no: 0, setup_fail: 0, harness_fail: 0, dependency_fail: 0, retry: 0, untested: 0 });

/** The test groups a suite mode runs: browser = test-browser.html, shared = cli.mjs (plus Surrogate-Control). */
export async function suiteGroups(suiteMode) {
  const base = await suiteModule('tests/index.mjs');
  const groups = suiteMode === 'browser' ? [...base] : [...base, await suiteModule('tests/surrogate-control.mjs')];
  const applies = (t) => (suiteMode === 'browser' ? t.browser_skip !== true : t.browser_only !== true);
  return groups.map((g) => ({ ...g, tests: g.tests.filter(applies) }));
}

/** { totals, groups: [{ id, name, counts }], tests: { id: kind } } for one set of raw results. */
export async function classify(suiteMode, results) {
  const { determineTestResult } = await display();
  const groups = await suiteGroups(suiteMode);
  // Dependencies may point at tests of another group: look them up among all of them.
  const all = [...(await suiteModule('tests/index.mjs')), await suiteModule('tests/surrogate-control.mjs')];
  const totals = zero();
  const tests = {};
  const out = groups.map((group) => {
    const counts = zero();
    for (const test of group.tests) {
      const kind = KINDS[determineTestResult(all, test.id, results)[2]];
      counts[kind]++;
      totals[kind]++;
      tests[test.id] = kind;
    }
    return { id: group.id, name: group.name, counts };
  });
  return { totals, groups: out, tests };
}

export async function summarize(mode, results) {
  return classify(mode.suiteMode, results);
}

/** The suite's published results, classified for the suite mode they were run in. */
export async function published() {
  const index = await suiteModule('results/index.mjs');
  const out = [];
  for (const item of index) {
    const raw = JSON.parse(await readFile(join(suiteDir, 'results', item.file), 'utf8'));
    const suiteMode = item.type === 'browser' ? 'browser' : 'shared';
    const { totals, groups } = await classify(suiteMode, raw);
    out.push({ name: item.name, type: item.type, version: item.version, suiteMode, totals, groups });
  }
  return out;
}

export async function suiteVersion() {
  return JSON.parse(await readFile(join(suiteDir, 'package.json'), 'utf8')).version;
}

/** Writes results/<mode>.json (the suite's raw format, per test, after the retry) and results/summary.json. */
export async function writeResults(run, seconds) {
  const summary = {
    date: new Date().toISOString(), chromium: run.chromium, suite: `http-cache-tests ${await suiteVersion()}`, seconds: Math.round(seconds), modes: {},
  };
  for (const [name, mode] of Object.entries(run.modes)) {
    await writeFile(join(here, 'results', `${name}.json`), `${JSON.stringify(mode.results, null, 2)}\n`);
    summary.modes[name] = { totals: mode.summary.totals, firstRunTotals: mode.firstSummary.totals, retried: mode.retried, groups: mode.summary.groups, tests: mode.summary.tests };
  }
  await writeFile(join(here, 'results', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}
