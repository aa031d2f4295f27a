/**
 * Counterexamples the invariant fuzzer (invariants.test.ts) found, kept as plain regression tests with
 * the shrunk sequence spelled out (seed and path in each test's comment).
 */
import { afterAll, expect, test } from 'vitest';
import { get, hits, script, startWorker, stopWorkers, uniquePath } from './harness.ts';
import { members } from './fuzz-oracle.ts';

afterAll(stopWorkers);

// Fuzz seed 978995991 (path 9:0:0:1:1:1:0:0:0:0:0:0:0), config browser,cdn,edge: a page-side layer that
// freshened its copy through a 304 answered by the layer above lost that layer's Cache-Status member:
// `cdn; fwd=stale; fwd-status=304; …, browser; fwd=stale; fwd-status=304; …` with no `edge` member.
test('RFC 9211: a response freshened by a 304 from an upstream layer keeps one Cache-Status member per layer', async () => {
  const worker = await startWorker({ layers: 'browser,cdn,edge' });
  const path = await script(uniquePath('regress-304-members'), [{ etag: '"r1"', body: 'v{{hit}}' }]);
  for (let i = 0; i < 3; i++) {
    const seen = await get(path);
    expect(seen.body).toBe('v1');
    expect(members(seen.cacheStatus).map((m) => m.layer)).toEqual(['edge', 'cdn', 'browser']);
  }
  expect((await hits(path)).count).toBe(3); // no Cache-Control: every use is revalidated (R18)
  await worker.purgeAll();
});
