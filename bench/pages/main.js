// Entry of the bench page bundle: runs the suite named by ?suite= and reports to the local server.
import { post } from './report.js';

const suites = {
  kv: () => import('./kv-suite.js'),
  tags: () => import('./tags-suite.js'),
  http: () => import('./http-suite.js'),
  coldstart: () => import('./cold-start-suite.js'),
  stream: () => import('./stream-suite.js'),
  propagation: () => import('./propagation-suite.js'),
  'propagation-peer': () => import('./propagation-peer.js'),
};

const fail = (message) => void post({ type: 'error', message });
addEventListener('error', (event) => fail(`${event.message} (${event.filename}:${event.lineno})`));
addEventListener('unhandledrejection', (event) => fail(String(event.reason?.stack ?? event.reason)));

const params = new URLSearchParams(location.search);
const load = suites[params.get('suite') ?? ''];
if (!load) {
  fail(`unknown suite ${params.get('suite')}`);
} else {
  const suite = await load();
  // A suite returns false when it continues in another page load (kv: cold keys need a fresh page).
  const finished = await suite.run(params);
  if (finished !== false) await post({ type: 'done' });
}
