/**
 * The benchmark suite cannot rot: `node bench/run.mjs --quick` (one round, small N, every row, sanity
 * checks on) must run against the built dist/ and exit 0 with every check passing and every row
 * measured. Timings are not asserted here (performance is judged by the full run's ratios).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

interface QuickResult {
  mode: string;
  checks: { total: number; failed: { row: string; detail: string }[] };
  suiteErrors: { suite: string; error: string }[];
  rows: { row: string; median?: number; unavailable?: string }[];
  verdicts: { what: string; status: string }[];
}

// The cold-start suite and the page loads added ~20 s to a quick run (issue 14): room for a loaded CI box.
function runQuick(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bench/run.mjs', '--quick', ...extra], { timeout: 230_000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

test('bench --quick runs every row against the built artifacts, and every sanity check passes', { timeout: 240_000 }, async () => {
  const { code, stdout, stderr } = await runQuick();
  expect(code, `${stdout}\n${stderr}`).toBe(0);

  const result = JSON.parse(readFileSync('bench/results/quick.json', 'utf8')) as QuickResult;
  expect(result.mode).toBe('quick');
  expect(result.suiteErrors).toEqual([]);
  expect(result.checks.failed).toEqual([]);
  expect(result.checks.total).toBeGreaterThan(100);
  expect(stdout).toContain(`sanity checks: ${result.checks.total} passed, 0 failed`);

  // Every group of the issue is there, tiercache rows included, each with a measured value.
  for (const row of [
    'kv.1k.get-warm.tiercache', 'kv.1k.get-cold.tiercache', 'kv.1k.set.tiercache', 'kv.1k.set-100.tiercache', 'kv.1k.delete.tiercache',
    'kv.100k.get-warm.raw', 'kv.100k-random.set.idb-keyval', 'kv.1k.get-warm.map',
    'tags.1000.tiercache', 'tags.1000.multientry', 'tags.1000.scan',
    'http.tc-hit', 'http.tc-hit-3', 'http.tc-miss', 'http.network', 'http.httpcache', 'http.passthrough', 'http.passthrough-stamped', 'http.workbox', 'http.memory',
    'http.page.tc', 'http.page.workbox', 'http.page.memory', 'cold.tc-hit', 'cold.workbox', 'cold.floor', 'cold.floor-sized', 'cold.memory',
    'stream.ttfb.network', 'stream.ttfb.tc-3', 'stream.ttfb-idle.network', 'stream.ttfb-idle.tc-3', 'stream.big.passthrough', 'stream.big.tc-3', 'stream.big.tee-put', 'stream.big.tee-put-3', 'stream.memory.tc-3', 'stream.memory.tc-3.live', 'stream.memory.tee-put-2',
    'stream.fill.passthrough', 'stream.fill.tc-1', 'stream.fill.tc-3', 'stream.fill-busy.passthrough', 'stream.fill-busy.tc-1', 'stream.fill-busy.tc-3',
    'prop.expireTag.tab.p99', 'prop.delete.worker.p99', 'prop.message.tab.p50',
    'feed.propagation.p50', 'feed.propagation.p99', 'feed.publish.p50', 'feed.server.memory-per-tab', 'feed.server.cpu-per-event',
    'size.sdk', 'size.sw', 'size.runtime-cache', 'size.idb-keyval', 'size.workbox-worker',
  ]) {
    const found = result.rows.find((r) => r.row === row);
    expect(found?.unavailable, row).toBeUndefined();
    expect(found?.median, row).toBeGreaterThan(0);
  }
  for (const verdict of result.verdicts) expect(['met', 'not met'], verdict.what).toContain(verdict.status);
});

test('a fast wrong answer cannot pass: corrupted bodies fail the HTTP checks and the run exits non-zero', { timeout: 120_000 }, async () => {
  const { code, stdout } = await runQuick('--only=http', '--fault=corrupt-body');
  expect(code).toBe(1);
  for (const row of ['http.network', 'http.httpcache', 'http.passthrough', 'http.passthrough-stamped', 'http.workbox', 'http.memory', 'http.tc-hit', 'http.tc-hit-3', 'http.tc-miss', 'http.page.tc', 'http.page.workbox', 'http.page.memory']) {
    expect(stdout).toMatch(new RegExp(`FAILED ${row.replaceAll('.', '\\.')} \\(round 1\\): \\d+ of \\d+ bodies differ`));
  }
});
