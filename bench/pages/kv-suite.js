// Runtime cache vs raw IndexedDB, idb, idb-keyval and Map+structuredClone: get (warm, cold), set (one at
// a time, 100 concurrent), delete, per value kind. One round per page load: a cold get reads keys that
// the previous page load wrote, so no contender can hold them in memory. Samples are µs per operation.
import { TIERCACHE_MISSING, openStores, takeTiercacheReports } from './kv-stores.js';
import { log, roundReport, rotate } from './report.js';
import { VALUE_KINDS } from './values.js';

const BATCH = 100;

async function timePerOp(count, fn) {
  const start = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  return ((performance.now() - start) * 1000) / count;
}

/** Reads `keys(i)` for i < n and counts answers that are not the expected JSON (or not null). */
async function verify(store, n, key, expected) {
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const value = await store.get(key(i));
    if (expected === null ? value !== null : JSON.stringify(value) !== expected[i]) wrong++;
  }
  return wrong;
}

async function coldGets({ stores, kind, n, expected, report, round }) {
  for (const [name, store] of rotate(Object.entries(stores), round)) {
    if (name === 'map') continue; // nothing in memory survives a page load: there is no cold key
    const row = `kv.${kind}.get-cold.${name}`;
    const key = (i) => `cold:${kind}:${i}`;
    const got = [];
    report.sample(row, await timePerOp(n, async (i) => void got.push(await store.get(key(i)))));
    const wrong = got.filter((value, i) => JSON.stringify(value) !== expected[i]).length;
    report.check(row, wrong === 0, `${wrong} of ${n} values written by the previous page load read back wrong`);
  }
}

async function roundFor({ name, store, kind, n, values, expected, report }) {
  const row = (op) => `kv.${kind}.${op}.${name}`;
  const key = (prefix) => (i) => `${prefix}:${kind}:${i}`;

  report.sample(row('set'), await timePerOp(n, (i) => store.set(key('k')(i), values[i])));
  report.check(row('set'), (await verify(store, n, key('k'), expected)) === 0, 'every value set one at a time reads back equal');

  await verify(store, n, key('k'), expected); // make the keys warm
  const got = [];
  report.sample(row('get-warm'), await timePerOp(n, async (i) => void got.push(await store.get(key('k')(i)))));
  const wrong = got.filter((value, i) => JSON.stringify(value) !== expected[i]).length;
  report.check(row('get-warm'), wrong === 0, `${wrong} of ${n} warm gets returned a wrong value`);

  const batches = Math.max(1, Math.floor(n / BATCH));
  const start = performance.now();
  for (let b = 0; b < batches; b++) {
    await Promise.all(Array.from({ length: BATCH }, (_, j) => store.set(key('c')(b * BATCH + j), values[(b * BATCH + j) % n])));
  }
  report.sample(row('set-100'), ((performance.now() - start) * 1000) / (batches * BATCH));
  const concurrentExpected = Array.from({ length: batches * BATCH }, (_, i) => expected[i % n]);
  const wrongConcurrent = await verify(store, batches * BATCH, key('c'), concurrentExpected);
  report.check(row('set-100'), wrongConcurrent === 0, `${wrongConcurrent} of ${batches * BATCH} concurrent sets read back wrong`);

  report.sample(row('delete'), await timePerOp(n, (i) => store.delete(key('k')(i))));
  const left = await verify(store, n, key('k'), null);
  report.check(row('delete'), left === 0, `${left} of ${n} deleted keys still answer`);

  // The next page load reads these as cold keys.
  for (let i = 0; i < n; i++) await store.set(key('cold')(i), values[i]);
}

/** A tiercache check also fails when tiercache reported anything through onError since the last one. */
function withReports(report) {
  return {
    ...report,
    check(row, ok, detail) {
      const reports = row.endsWith('.tiercache') ? takeTiercacheReports() : [];
      report.check(row, ok && reports.length === 0, reports.length ? `${detail}; onError: ${reports.slice(0, 3).join(' | ')} (${reports.length} reports)` : detail);
    },
  };
}

export async function run(params) {
  const round = Number(params.get('round'));
  const rounds = Number(params.get('rounds'));
  const sizes = { '1k': Number(params.get('n1k')), '100k': Number(params.get('n100k')), '100k-random': Number(params.get('n100k')) };
  const stores = await openStores();
  const report = withReports(roundReport('kv', round, round === 0));
  if (TIERCACHE_MISSING) for (const op of ['get-warm', 'get-cold', 'set', 'set-100', 'delete']) for (const kind of Object.keys(sizes)) report.unavailable(`kv.${kind}.${op}.tiercache`, TIERCACHE_MISSING);

  for (const [kind, n] of Object.entries(sizes)) {
    const started = performance.now();
    const values = Array.from({ length: n }, (_, i) => VALUE_KINDS[kind](i));
    const expected = values.map((value) => JSON.stringify(value));
    if (round > 0) await coldGets({ stores, kind, n, expected, report, round });
    for (const [name, store] of rotate(Object.entries(stores), round)) {
      // --quick: the warm-up page load only writes the keys the measured round reads cold.
      if (round === 0 && params.get('lightWarmup') === '1') {
        for (let i = 0; i < n; i++) await store.set(`cold:${kind}:${i}`, values[i]);
      } else {
        await roundFor({ name, store, kind, n, values, expected, report });
      }
    }
    await log(`kv round ${round}: ${kind} × ${n} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await report.send();
  if (round >= rounds) return true;
  const next = new URLSearchParams(params);
  next.set('round', String(round + 1));
  location.assign(`${location.pathname}?${next}`);
  return false;
}
