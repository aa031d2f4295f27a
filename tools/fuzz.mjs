// `npm run fuzz [-- --sequences=N]`: the long invariant fuzzing run (test/browser/hardening/
// invariants-long.fuzz.ts), outside `npm test`. The browser project builds the worker it serves itself.
//
// The sequences run in rounds of at most ROUND, each a fresh `vitest run` (a fresh Chromium and test
// page); the totals of the rounds are added up and must come to exactly N. Why: Playwright keeps the
// DevTools Network domain enabled on the test page, and Chromium then keeps a record of every request
// the page made (NetworkResourcesData: request and loader objects, up to 200 MB of bodies) until the
// page navigates, which a test page never does. Each sequence's requests, origin scripting and hit
// counts are page requests, so the page's renderer grew by about 0.2 MB a sequence (measured: 264 MB
// at the start, 646 MB after 1,900 sequences, while the page's and the worker's JS heaps stayed flat),
// and a single 10,020-sequence run lost its page after 6,600. A round starts from a new page, so
// that growth is bounded by a round, not by the run.
import { spawn } from 'node:child_process';

/** Sequences per round: rounds of 2,004 completed every time on a 2-core machine (about 7 minutes). */
const ROUND = 2_000;

const arg = process.argv.find((a) => a.startsWith('--sequences='));
const sequences = arg ? Number(arg.split('=')[1]) : 10_000;
if (!Number.isSafeInteger(sequences) || sequences < 1) {
  console.error(`--sequences must be a positive whole number, got ${arg}`);
  process.exit(2);
}

/** Runs one round; resolves with its exit status and the figures its last summary line printed. */
function round(count) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--project', 'fuzz'], {
      stdio: ['inherit', 'pipe', 'inherit'],
      env: { ...process.env, FUZZ_SEQUENCES: String(count) },
    });
    let tail = '';
    let figures;
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail += chunk.toString();
      const lines = tail.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        const found = /\[hardening\] invariant fuzzing: (\{[^}]*\})/.exec(line);
        if (found?.[1]) figures = JSON.parse(found[1]);
      }
    });
    child.on('close', (status) => resolve({ status: status ?? 1, figures }));
  });
}

const rounds = Math.ceil(sequences / ROUND);
const total = { sequences: 0, steps: 0, requests: 0, purges: 0, restarts: 0, violations: 0 };
const started = Date.now();
let status = 0;
for (let i = 0; i < rounds && status === 0; i++) {
  // Even rounds: the first `sequences % rounds` get one more.
  const count = Math.floor(sequences / rounds) + (i < sequences % rounds ? 1 : 0);
  console.log(`[fuzz] round ${i + 1} of ${rounds}: ${count} sequences in a fresh browser (${total.sequences} done before)`);
  const result = await round(count);
  status = result.status;
  if (!result.figures) {
    console.error(`[fuzz] round ${i + 1} printed no figures`);
    status ||= 1;
    break;
  }
  for (const key of Object.keys(total)) total[key] += result.figures[key] ?? 0;
}
const line = JSON.stringify({ ...total, rounds, seconds: Math.round((Date.now() - started) / 1000) });
console.log(`[fuzz] total: ${line}`);
if (status === 0 && total.sequences !== sequences) {
  console.error(`[fuzz] ran ${total.sequences} sequences, ${sequences} were asked`);
  status = 1;
}
process.exit(status);
