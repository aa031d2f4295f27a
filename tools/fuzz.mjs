// `npm run fuzz [-- --sequences=N]`: the long invariant fuzzing run (test/browser/hardening/
// invariants-long.fuzz.ts), outside `npm test`. The browser project builds the worker it serves itself.
import { spawnSync } from 'node:child_process';

const arg = process.argv.find((a) => a.startsWith('--sequences='));
const sequences = arg ? Number(arg.split('=')[1]) : 10_000;
if (!Number.isSafeInteger(sequences) || sequences < 1) {
  console.error(`--sequences must be a positive whole number, got ${arg}`);
  process.exit(2);
}
const run = (command, args, env = process.env) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;
process.exit(run('npx', ['vitest', 'run', '--project', 'fuzz'], { ...process.env, FUZZ_SEQUENCES: String(sequences) }));
