/**
 * The invariant fuzzing suite (issue 7), shared by `npm test` (invariants.test.ts, a short run) and
 * `npm run fuzz` (invariants-long.fuzz.ts, 10,000 sequences or more, issue 14): fast-check drives
 * sequences of requests, clock advances, purges, unsafe writes and worker restarts through the real
 * worker in each layer configuration, and fuzz-checks.ts judges every step.
 */
import fc from 'fast-check';
import { afterAll, describe, test } from 'vitest';
import { pathSpec, steps } from './fuzz-model.ts';
import { FuzzRun, type FuzzConfig, type FuzzStats } from './fuzz-runner.ts';
import { startWorker, stopWorkers } from './harness.ts';

/** The layer configurations, each with its share of the sequences. */
export const CONFIGS: { config: FuzzConfig; share: number }[] = [
  { config: { layers: ['browser'], profile: 'vercel' }, share: 2 },
  { config: { layers: ['browser', 'edge'], profile: 'vercel' }, share: 3 },
  { config: { layers: ['browser', 'cdn', 'edge'], profile: 'vercel' }, share: 3 },
  { config: { layers: ['cdn', 'edge'], profile: 'rfc9111' }, share: 2 },
  { config: { layers: ['browser', 'edge'], profile: 'vercel', budget: 12_000 }, share: 2 },
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

export interface FuzzSuiteOptions {
  /** Sequences over all configurations (split by share). */
  sequences: number;
  /** Per configuration's test. */
  timeoutMs: number;
  /** Extra worker script parameters (e.g. the hot tier's bound). */
  params?: Record<string, string>;
  /** Called every `progressEvery` sequences with the running totals. */
  progressEvery?: number;
}

export function fuzzInvariants(options: FuzzSuiteOptions): void {
  const stats: FuzzStats = { sequences: 0, steps: 0, requests: 0, purges: 0, restarts: 0 };
  // A violation stops its configuration's run (fast-check then shrinks it and the test fails): counted here.
  let violations = 0;
  const started = Date.now();
  const line = () => `${JSON.stringify({ ...stats, violations, seconds: Math.round((Date.now() - started) / 1000) })}`;
  afterAll(async () => {
    console.log(`[hardening] invariant fuzzing: ${line()}`);
    await stopWorkers();
  });
  const counts = apportion(options.sequences, CONFIGS.map((c) => c.share));
  describe.each(CONFIGS.map((c, i) => ({ ...c, runs: counts[i] ?? 0 })))('invariants hold through the real worker: $config.layers ($config.profile, budget $config.budget)', ({ config, runs }) => {
    // A run too short to give this configuration a sequence (fewer than 12 in all) reports it skipped.
    test.skipIf(runs === 0)('after every step of random sequences', async () => {
      const worker = await startWorker({
        layers: config.layers.join(','),
        profile: config.profile,
        ...(config.budget === undefined ? {} : { budget: String(config.budget) }),
        ...options.params,
      });
      const property = fc.asyncProperty(world, async ([specs, sequence]) => {
        stats.sequences++;
        const run = new FuzzRun(worker, config, stats);
        await run.setup(specs);
        for (const step of sequence) await withDeadline(run.step(step), `step ${JSON.stringify(step)} of ${JSON.stringify(specs)}`);
        if (options.progressEvery && stats.sequences % options.progressEvery === 0) console.log(`[fuzz progress] ${line()}`);
      });
      try {
        await fc.assert(property, { numRuns: runs });
      } catch (error) {
        violations++;
        // Printed at once: a long run's report comes only at its very end (and a retried test's never).
        // fast-check's message names the counterexample; the violation itself is its cause.
        const cause = error instanceof Error && error.cause instanceof Error ? `\n  cause: ${error.cause.message.slice(0, 4000)}` : '';
        console.log(`[fuzz violation] ${String(error instanceof Error ? error.message : error).slice(0, 4000)}${cause}`);
        throw error;
      }
    }, options.timeoutMs);
  });
}

/**
 * Splits `total` sequences by `shares` so that the parts add up to exactly `total` (largest remainder:
 * rounding each part on its own could run one sequence more or fewer than asked).
 */
export function apportion(total: number, shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((share) => (total * share) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}
