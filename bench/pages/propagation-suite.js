// Invalidation propagation: from expireTag / delete resolving in this tab to the new state being seen
// by a second tab and by a worker, each watching through its own runtime cache object (watch.js). The
// floor beside it: a bare BroadcastChannel message to the tab and a postMessage to the worker.
// Samples are per round: p50 and p99 of the latencies, in ms.
import * as tiercache from '../../dist/sdk.js';
import { TIERCACHE_TIMEOUT_MS } from './tiercache-options.js';
import { roundReport } from './report.js';
import { now } from './watch.js';

const CHANNEL = 'tiercache-bench-propagation';
const NAMESPACE = 'prop';
const TIMEOUT_MS = 5000;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

/** Waits for a channel message matching `test`, or null after TIMEOUT_MS. */
function nextMessage(channel, test) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), TIMEOUT_MS);
    const listener = ({ data }) => test(data) && finish(data);
    function finish(data) {
      clearTimeout(timer);
      channel.removeEventListener('message', listener);
      resolve(data);
    }
    channel.addEventListener('message', listener);
  });
}

async function probeWorker() {
  const registration = await navigator.serviceWorker.register('/w/probe/sw.js', { scope: '/w/probe/' });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker.state !== 'activated') {
    await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve(undefined)));
  }
  return registration.active;
}

async function floor({ channel, worker, n, report }) {
  const tab = [];
  const inWorker = [];
  for (let i = 0; i < n; i++) {
    const fromTab = nextMessage(channel, (m) => m.from === 'tab' && m.pong === i);
    channel.postMessage({ ping: i, at: now() });
    tab.push((await fromTab)?.latency ?? Infinity);
    const fromWorker = nextMessage(channel, (m) => m.from === 'worker' && m.pong === i);
    worker.postMessage({ channel: CHANNEL, ping: i, at: now() });
    inWorker.push((await fromWorker)?.latency ?? Infinity);
  }
  for (const [observer, latencies] of [['tab', tab], ['worker', inWorker]]) {
    report.sample(`prop.message.${observer}.p50`, percentile(latencies, 50));
    report.sample(`prop.message.${observer}.p99`, percentile(latencies, 99));
    report.check(`prop.message.${observer}.p99`, latencies.every(Number.isFinite), 'every message arrived');
  }
}

async function invalidations({ channel, worker, cache, n, round, report }) {
  const latencies = { expireTag: { tab: [], worker: [] }, delete: { tab: [], worker: [] } };
  for (let i = 0; i < n; i++) {
    const kind = i % 2 ? 'delete' : 'expireTag';
    const key = `p${round}-${i}`;
    const tag = `pt${round}-${i}`;
    await cache.set(key, { i, round }, { tags: [tag] });
    const watching = Promise.all(['tab', 'worker'].map((from) => nextMessage(channel, (m) => m.from === from && m.watching === key)));
    const seen = ['tab', 'worker'].map((from) => nextMessage(channel, (m) => m.from === from && m.seen === key));
    channel.postMessage({ watch: key });
    worker.postMessage({ channel: CHANNEL, namespace: NAMESPACE, watch: key });
    const ready = await watching;
    report.check(`prop.${kind}.tab.p99`, ready.every(Boolean), `tab and worker read ${key} before the ${kind}`);
    await (kind === 'delete' ? cache.delete(key) : cache.expireTag(tag));
    const resolvedAt = now();
    report.check(`prop.${kind}.tab.p99`, (await cache.get(key)) === null, `${key} is gone in the tab that ran ${kind}`);
    const [tab, inWorker] = await Promise.all(seen);
    report.check(`prop.${kind}.tab.p99`, tab !== null, `another tab saw ${key} gone within ${TIMEOUT_MS} ms`);
    report.check(`prop.${kind}.worker.p99`, inWorker !== null, `the worker saw ${key} gone within ${TIMEOUT_MS} ms`);
    // Seen before the call resolved counts as 0: the new state was visible by the time it resolved.
    latencies[kind].tab.push(tab ? Math.max(0, tab.at - resolvedAt) : Infinity);
    latencies[kind].worker.push(inWorker ? Math.max(0, inWorker.at - resolvedAt) : Infinity);
  }
  for (const [kind, byObserver] of Object.entries(latencies)) {
    for (const [observer, values] of Object.entries(byObserver)) {
      report.sample(`prop.${kind}.${observer}.p50`, percentile(values, 50));
      report.sample(`prop.${kind}.${observer}.p99`, percentile(values, 99));
    }
  }
}

export async function run(params) {
  const rounds = Number(params.get('rounds'));
  const n = Number(params.get('n'));
  const channel = new BroadcastChannel(CHANNEL);
  const worker = await probeWorker();
  const peerReady = nextMessage(channel, (m) => m.from === 'tab' && m.ready);
  const peer = window.open(`/bench/page.html?suite=propagation-peer&channel=${CHANNEL}&namespace=${NAMESPACE}`);
  if (!(await peerReady)) throw new Error('the second tab did not start');
  const cache = typeof tiercache.getCache === 'function' ? tiercache.getCache({ namespace: NAMESPACE, timeoutMs: TIERCACHE_TIMEOUT_MS }) : null;
  for (let round = 0; round <= rounds; round++) {
    const report = roundReport('propagation', round, round === 0);
    await floor({ channel, worker, n, report });
    if (cache) await invalidations({ channel, worker, cache, n, round, report });
    else {
      for (const kind of ['expireTag', 'delete']) {
        for (const observer of ['tab', 'worker']) {
          for (const p of ['p50', 'p99']) report.unavailable(`prop.${kind}.${observer}.${p}`, 'dist/sdk.js does not export getCache yet');
        }
      }
    }
    await report.send();
  }
  peer?.close();
}
