/**
 * Issue 7, invariant fuzzing of the whole worker: fast-check drives sequences of requests (variants,
 * visitors, Authorization, request cache modes, Pragma, HEAD), random but well-formed origin header
 * sets, clock advances, tag purges, purgeAll and unsafe writes through the real worker, in several
 * layer configurations, and fuzz-checks.ts judges every step. Counterexamples found are kept as
 * regression tests in invariants-regressions.test.ts.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { pathSpec, steps } from './fuzz-model.ts';
import { FuzzRun, type FuzzConfig, type FuzzStats } from './fuzz-runner.ts';
import { startWorker, stopWorkers } from './harness.ts';

const stats: FuzzStats = { sequences: 0, steps: 0, requests: 0, purges: 0 };
afterAll(async () => {
  console.log(`[hardening] invariant fuzzing: ${JSON.stringify(stats)}`);
  await stopWorkers();
});

const CONFIGS: { config: FuzzConfig; runs: number }[] = [
  { config: { layers: ['browser'], profile: 'vercel' }, runs: 20 },
  { config: { layers: ['browser', 'edge'], profile: 'vercel' }, runs: 30 },
  { config: { layers: ['browser', 'cdn', 'edge'], profile: 'vercel' }, runs: 30 },
  { config: { layers: ['cdn', 'edge'], profile: 'rfc9111' }, runs: 20 },
  { config: { layers: ['browser', 'edge'], profile: 'vercel', budget: 12_000 }, runs: 20 },
];

/** A request that never settles is a failure with its step named, not a suite that hangs. */
async function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for 15 s: ${what}`)), 15_000)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const world = fc.array(pathSpec, { minLength: 1, maxLength: 4 }).chain((specs) => fc.tuple(fc.constant(specs), steps(specs.length)));

describe.each(CONFIGS)('invariants hold through the real worker: $config.layers ($config.profile, budget $config.budget)', ({ config, runs }) => {
  test('after every step of random sequences', async () => {
    const worker = await startWorker({
      layers: config.layers.join(','),
      profile: config.profile,
      ...(config.budget === undefined ? {} : { budget: String(config.budget) }),
    });
    await fc.assert(
      fc.asyncProperty(world, async ([specs, sequence]) => {
        stats.sequences++;
        const run = new FuzzRun(worker, config, stats);
        await run.setup(specs);
        for (const step of sequence) await withDeadline(run.step(step), `step ${JSON.stringify(step)} of ${JSON.stringify(specs)}`);
      }),
      { numRuns: runs },
    );
  }, 240_000);
});
