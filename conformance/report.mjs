// Writes conformance/README.md from results/summary.json, the suite's published results and
// explanations.mjs. Fails (exit 1) when a failing test has no explanation.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failures, optional } from './explanations.mjs';
import { published, suiteGroups } from './summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const summary = JSON.parse(await readFile(join(here, 'results', 'summary.json'), 'utf8'));
const others = await published();

const MODE_TITLES = {
  browser: 'Browser mode (`layers=browser`), beside the browsers\' published results',
  shared: 'Shared-cache mode (`layers=edge&profile=rfc9111`, `layers=cdn`), beside the reverse proxies\' and CDN\'s published results',
};
const OURS = { browser: ['browser'], shared: ['edge-rfc9111', 'cdn'] };
const cell = (c) => `${c.pass} / ${c.fail} / ${c.optional_fail}`;

const lines = [];
const out = (s = '') => lines.push(s);
out('# tiercache on the public HTTP caching test suite');
out();
out(`The suite behind [cache-tests.fyi](https://cache-tests.fyi) (\`${summary.suite}\`, pinned in package.json and run unchanged),`);
out(`in Chromium ${summary.chromium} against the built worker \`dist/sw.js\`, run ${summary.date.slice(0, 10)}.`);
out('Run it with `npm run conformance` (updates `results/` and this page); `npm test` fails when a mode passes fewer or');
out('fails more tests than `results/summary.json` (test/e2e/conformance.test.ts).');
out();
out('Each cell is **passed / failed / optional not met** (✅ / ⛔️ / ⚠️ in the suite\'s terms, counted by its own');
out('`determineTestResult`). Not counted there: the suite\'s informational checks (Y/N), tests skipped because a test they');
out('depend on did not pass (⚪️) and setup failures (🔹). The published results are the ones the npm package ships');
out('(`results/*.json`; Chrome 79, Firefox 73, Safari 14, nginx 1.18, Squid 4.13, ATS 8.0, httpd 2.4, Varnish 6.4,');
out('nuster, Fastly 2019), counted the same way over the same tests.');
out();
for (const suiteMode of ['browser', 'shared']) {
  const groups = (await suiteGroups(suiteMode)).filter((g) => g.tests.length > 0);
  const peers = others.filter((o) => o.suiteMode === suiteMode);
  const ours = OURS[suiteMode].filter((m) => summary.modes[m]);
  out(`## ${MODE_TITLES[suiteMode]}`);
  out();
  for (const m of ours) {
    const t = summary.modes[m].totals;
    const f = summary.modes[m].firstRunTotals;
    out(`- **${m}**: ${t.pass} passed, ${t.fail} failed, ${t.optional_fail} optional not met; checks ${t.yes} yes / ${t.no} no; ` +
      `${t.dependency_fail} not run for a dependency, ${t.setup_fail + t.retry + t.harness_fail} setup failures ` +
      `(first run, before the retry of ${summary.modes[m].retried.length} tests: ${f.pass} passed, ${f.fail} failed).`);
  }
  out();
  out(`| group | ${ours.map((m) => `**tiercache ${m}**`).join(' | ')} | ${peers.map((p) => p.name).join(' | ')} |`);
  out(`| --- | ${[...ours, ...peers].map(() => '---').join(' | ')} |`);
  for (const g of groups) {
    const row = [g.name, ...ours.map((m) => `**${cell(summary.modes[m].groups.find((x) => x.id === g.id).counts)}**`),
      ...peers.map((p) => cell(p.groups.find((x) => x.id === g.id).counts))];
    out(`| ${row.join(' | ')} |`);
  }
  out(`| **total** | ${[...ours.map((m) => `**${cell(summary.modes[m].totals)}**`), ...peers.map((p) => `**${cell(p.totals)}**`)].join(' | ')} |`);
  out();
}

out('## Every remaining failure, and why');
out();
out('`sw`: a Service Worker (or Chromium underneath it) cannot do it. `spec`: a decision of');
out('[semantics.md](../../shared/spec/semantics.md) or of [sw/policy/README.md](../sw/policy/README.md).');
out();
const missing = [];
const failing = new Map();
for (const [mode, m] of Object.entries(summary.modes)) {
  for (const [id, kind] of Object.entries(m.tests)) {
    if (kind !== 'fail') continue;
    if (!failures[id]) missing.push(`${mode}: ${id}`);
    failing.set(id, [...(failing.get(id) ?? []), mode]);
  }
}
out('| test | modes | why | |');
out('| --- | --- | --- | --- |');
for (const [id, modes] of [...failing].sort()) out(`| \`${id}\` | ${modes.join(', ')} | ${failures[id]?.why ?? '?'} | ${failures[id]?.text ?? 'UNEXPLAINED'} |`);
out();
out('## Optional (optimal) tests not met');
out();
const opt = new Map();
for (const [mode, m] of Object.entries(summary.modes)) {
  for (const [id, kind] of Object.entries(m.tests)) if (kind === 'optional_fail') opt.set(id, [...(opt.get(id) ?? []), mode]);
}
for (const [prefix, why, text] of optional) {
  const ids = [...opt.keys()].filter((id) => id.startsWith(prefix));
  if (!ids.length) continue;
  for (const id of ids) opt.delete(id);
  out(`- ${why}: ${text} ${ids.map((id) => `\`${id}\``).join(', ')}`);
}
for (const [id, modes] of opt) out(`- \`${id}\` (${modes.join(', ')})`);
out();
out('## How the run works');
out();
out('- `conformance/run.mjs` starts one small `node:http` front per mode on 127.0.0.1 (a free port): it serves');
out('  `dist/sw.js` at `/sw.js`, the driver page (`driver.html`, `driver.mjs`), the suite\'s own client files, and answers');
out('  `/config/`, `/test/`, `/state/` with the suite\'s own server handlers (imported from the package, called exactly as');
out('  its `server.mjs` does). Suite and worker share one origin, so the worker intercepts every request of the suite.');
out('- The driver page loads the suite\'s client (`client/runner.mjs`), registers `/sw.js?<layers>` with scope `/`, waits');
out('  until the worker controls the page, then calls the suite\'s `runTests` with the page\'s `fetch`: browser mode as');
out('  `test-browser.html` does (`tests/index.mjs`, the suite\'s own cache modes), shared mode as `cli.mjs` does (plus the');
out('  Surrogate-Control tests).');
out('- The page\'s HTTP cache never answers underneath the worker: every request of the page goes to the worker first,');
out('  and the worker\'s own upstream fetches use `cache: \'no-store\'`; each mode runs in a fresh browser context.');
out('  Shared mode is written for the suite\'s Node client (node-fetch, which has no cache modes and adds no headers), so');
out('  the driver sends its requests in the default mode: a shared layer sees exactly the suite\'s request headers, not the');
out('  `Cache-Control: no-cache` that Fetch adds for `no-store` (R156). One exception the page cannot avoid: Chromium gives');
out('  a conditional `fetch()` the cache mode `no-cache` (P3), which reaches a shared layer as `Cache-Control: max-age=0`.');
out('- `node conformance/run.mjs --mode edge-rfc9111 --id <test-id> --dump` runs single tests and logs every request and');
out('  response, as the suite\'s `npm run cli --id` does.');
out('- The three modes run side by side in one Chromium. Every test that does not pass (an informational check only when');
out('  another test depends on it) is run once more, in a fresh');
out('  context and ten at a time (the suite\'s `chunkSize`; 100 in the first run): many tests wait 2–3 s and then expect a');
out('  response to be fresh or stale, and on a loaded machine a slow page makes them miss. The first-run counts are kept');
out('  in `results/summary.json` (`firstRunTotals`) and shown above.');
out(`- This run took ${summary.seconds} s for all three modes on a shared 2-core machine under heavy load.`);
out();
await writeFile(join(here, 'README.md'), `${lines.join('\n')}\n`);
if (missing.length) {
  console.error(`failures without an explanation in explanations.mjs:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('conformance/README.md written');
