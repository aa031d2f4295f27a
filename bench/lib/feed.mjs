// The `feed` suite (issue 13): server-driven invalidation end to end, and what each connected tab
// costs the server. Node drives it (Redis, two app instances, Chromium tabs), not a bench page.
//
// Rows:
//   feed.propagation.p50 / .p99   publish on a server → the next request in every subscribed tab no
//                                 longer gets the purged content (ms; 5 tabs, 5 visitors, 2 instances)
//   feed.publish.p50              the publish call itself (Redis script round trip, ms)
//   feed.server.memory-per-tab    server memory per open event stream (bytes, marginal: after a first
//                                 batch of streams), with its peer …bare
//   feed.server.cpu-per-event     server CPU per event per connected tab (µs), with its peer …bare
import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumExecutable } from '../../tools/chromium.mjs';
import { startFeedApp } from '../../tools/feed-app.mjs';
import { startRedis } from './redis.mjs';

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** @param {{ root: string, rounds: number, n: number, tabs: number, connections: number, events: number, collect: Function, log: Function }} o */
export async function runFeedSuite(o) {
  await propagation(o);
  for (let round = 0; round <= o.rounds; round++) {
    const samples = {};
    const checks = [];
    for (const mode of ['tiercache', 'bare']) {
      const cost = await serverCost({ ...o, mode });
      const suffix = mode === 'bare' ? '.bare' : '';
      samples[`feed.server.memory-per-tab${suffix}`] = cost.memoryPerTab;
      samples[`feed.server.cpu-per-event${suffix}`] = cost.cpuPerEventPerTab;
      checks.push({ row: `feed.server.cpu-per-event${suffix}`, ok: cost.delivered, detail: cost.delivered ? 'every connection got every event' : 'events missing on some connection' });
    }
    o.collect({ type: 'round', suite: 'feed', round, warmup: round === 0, samples, unavailable: {}, checks });
  }
}

async function propagation(o) {
  const redis = await startRedis();
  const state = { version: 1 };
  const apps = [await startFeedApp({ redisUrl: redis.url, state }), await startFeedApp({ redisUrl: redis.url, state })];
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs, headless: true });
  try {
    const tabs = [];
    for (let i = 0; i < o.tabs; i++) {
      const page = await (await browser.newContext()).newPage(); // one visitor each: one subscription each
      await page.goto(apps[i % 2].origin);
      await page.evaluate(() => window.ready);
      await page.evaluate(() => window.product());
      tabs.push(page);
    }
    const deadline = Date.now() + 30_000;
    while (apps[0].streams.open + apps[1].streams.open < o.tabs) {
      if (Date.now() > deadline) throw new Error('not every tab subscribed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (let round = 0; round <= o.rounds; round++) {
      const latencies = [];
      const publishes = [];
      let missing = 0;
      for (let i = 0; i < o.n; i++) {
        state.version++;
        const expected = `products v${state.version}`;
        const seen = tabs.map((page) => page.evaluate((e) => window.waitFor(e), expected));
        await new Promise((resolve) => setTimeout(resolve, 20)); // the pollers run
        const started = Date.now();
        await apps[i % 2].purger.dangerouslyDeleteByTag('products');
        publishes.push(Date.now() - started);
        const times = await Promise.all(seen.map((p) => Promise.race([p, new Promise((resolve) => setTimeout(() => resolve(null), 30_000))])));
        for (const at of times) {
          if (at === null) missing++;
          else latencies.push(at - started);
        }
      }
      o.collect({
        type: 'round', suite: 'feed', round, warmup: round === 0, unavailable: {},
        samples: { 'feed.propagation.p50': percentile(latencies, 50), 'feed.propagation.p99': percentile(latencies, 99), 'feed.publish.p50': percentile(publishes, 50) },
        checks: [{ row: 'feed.propagation.p99', ok: missing === 0, detail: `${latencies.length} of ${latencies.length + missing} tab requests stopped getting the purged content` }],
      });
      o.log(`feed propagation round ${round}: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over ${latencies.length}`);
    }
  } finally {
    await browser.close();
    for (const app of apps) await app.close();
    await redis.stop();
  }
}

async function serverCost({ root, connections, events, mode }) {
  const child = fork(join(root, 'bench/lib/feed-cost-child.mjs'), [mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  const sockets = [];
  const counts = [];
  try {
    const { port } = await next();
    const ask = async (msg) => (child.send(msg), next());
    // Opens n event streams; resolves once each got its first bytes (hello), or after 30 s.
    const open = async (n) => {
      const hellos = [];
      for (let k = 0; k < n; k++) {
        const i = sockets.length;
        const socket = connect(port, '127.0.0.1');
        socket.setEncoding('utf8');
        counts[i] = 0;
        let partial = '';
        socket.on('data', (text) => {
          const lines = (partial + text).split('\n');
          partial = lines.pop();
          for (const line of lines) {
            if (line.startsWith('data: {"kind"')) counts[i]++;
            else if (line === 'event: hello') hellos[k] = true;
          }
        });
        socket.write(`GET /feed HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
        sockets.push(socket);
      }
      const deadline = Date.now() + 30_000;
      while (hellos.filter(Boolean).length < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    // The marginal cost of one more tab: a first batch pays what is paid once (code loaded and compiled
    // on first use, the server's own buffers), which spread over a quick run's 50 tabs read as 7.6×.
    await open(Math.min(50, connections));
    const before = (await ask({ op: 'memory' })).memory;
    await open(connections);
    const after = (await ask({ op: 'memory' })).memory;
    const { cpuMicros } = await ask({ op: 'publish', count: events });
    const deadline = Date.now() + 10_000;
    while (counts.some((c) => c < events) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return { memoryPerTab: Math.max(1, (after - before) / connections), cpuPerEventPerTab: cpuMicros / events / sockets.length, delivered: counts.every((c) => c === events) };
  } finally {
    for (const socket of sockets) socket.destroy();
    child.send({ op: 'exit' });
  }
}
