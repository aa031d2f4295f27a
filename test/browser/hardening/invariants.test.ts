/**
 * Issue 7, invariant fuzzing of the whole worker: fast-check drives sequences of requests (variants,
 * visitors, Authorization, request cache modes, Pragma, HEAD), random but well-formed origin header
 * sets, clock advances, tag purges, purgeAll, unsafe writes and restarts (the browser stopping the
 * worker, so the next request is a cold start's) through the real worker, in several layer
 * configurations (hot tier on, its default), and fuzz-checks.ts judges every step.
 * Counterexamples found are kept as regression tests in invariants-regressions.test.ts. The long run
 * is `npm run fuzz` (invariants-long.fuzz.ts).
 */
import { fuzzInvariants } from './fuzz-suite.ts';

fuzzInvariants({ sequences: 120, timeoutMs: 240_000 });
