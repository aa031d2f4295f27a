/**
 * `npm run fuzz` (issue 14): the invariant fuzzing of invariants.test.ts at length — 10,000 sequences
 * by default (`npm run fuzz -- --sequences=N`), split over the layer configurations, with the hot tier
 * on at a small bound (64 KiB, so its LRU evicts and refills all the time) — outside `npm test`.
 * Progress and the final figures (sequences, steps, restarts, violations, seconds) are printed as it
 * runs; any violation fails the run with fast-check's shrunk counterexample.
 */
import { inject } from 'vitest';
import { fuzzInvariants } from './fuzz-suite.ts';

const sequences = inject('fuzzSequences');
fuzzInvariants({
  sequences,
  // About a second a sequence on a loaded 2-core machine; three times that before a test gives up.
  timeoutMs: Math.max(240_000, sequences * 3_000),
  params: { hot: String(64 * 1024) },
  progressEvery: 100,
});

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSequences: number;
  }
}
