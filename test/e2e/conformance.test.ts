/**
 * The score on the public HTTP caching test suite cannot slip: `node conformance/run.mjs` runs the
 * suite (http-cache-tests, unchanged) in real Chromium against the built worker (dist/sw.js; `npm test`
 * builds it first) in its three modes side by side, and each mode must pass at least as many tests and
 * fail no more than the results committed in conformance/results/summary.json. It takes about 1–2
 * minutes on an idle 2-core machine and 4–5 minutes on one shared by seven busy jobs (load average ~37);
 * the timeouts leave room for the latter.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

type Kind = 'pass' | 'fail' | 'optional_fail' | 'yes' | 'no' | 'setup_fail' | 'harness_fail' | 'dependency_fail' | 'retry' | 'untested';
interface ModeScore {
  totals: Record<Kind, number>;
  tests: Record<string, Kind>;
}
interface Run {
  seconds: number;
  modes: Record<string, ModeScore>;
}

function run(out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['conformance/run.mjs', '--out', out], { timeout: 560_000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('http-cache-tests: no mode passes fewer or fails more tests than the committed results', { timeout: 600_000 }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tiercache-conformance-')), 'run.json');
  const { code, stdout, stderr } = await run(out);
  expect(code, `${stdout}\n${stderr}`).toBe(0);
  const now = JSON.parse(readFileSync(out, 'utf8')) as Run;
  const committed = JSON.parse(readFileSync('conformance/results/summary.json', 'utf8')) as Run;
  expect(Object.keys(now.modes).sort()).toEqual(Object.keys(committed.modes).sort());
  for (const [mode, before] of Object.entries(committed.modes)) {
    const after = now.modes[mode] as ModeScore;
    // Name the tests that no longer pass, so a slip says what broke.
    const lost = Object.entries(before.tests).filter(([id, kind]) => kind === 'pass' && after.tests[id] !== 'pass').map(([id]) => `${id} → ${after.tests[id]}`);
    expect(after.totals.pass, `${mode}: passed fell (${lost.join(', ')})`).toBeGreaterThanOrEqual(before.totals.pass);
    const failing = Object.entries(after.tests).filter(([id, kind]) => kind === 'fail' && before.tests[id] !== 'fail').map(([id]) => id);
    expect(after.totals.fail, `${mode}: failed rose (${failing.join(', ')})`).toBeLessThanOrEqual(before.totals.fail);
  }
});
