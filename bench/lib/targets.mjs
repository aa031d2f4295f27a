// The targets of performance.md, each a ratio against a peer row measured in the same run (or an
// absolute bound where the guide gives one), and the peer every tiercache row is compared with.

export const KV_VALUES = ['1k', '100k', '100k-random'];
export const KV_OPS = ['get-warm', 'get-cold', 'set', 'set-100', 'delete'];
export const KV_STORES = ['tiercache', 'raw', 'floor', 'idb', 'idb-keyval', 'map'];

/** The peer a tiercache row is divided by (same round), when no target names another. */
export function peerOf(row) {
  const kv = /^kv\.([\w-]+)\.([\w-]+)\.tiercache$/.exec(row);
  if (kv) return `kv.${kv[1]}.${kv[2]}.raw`;
  const tags = /^tags\.(\d+)\.tiercache$/.exec(row);
  if (tags) return `tags.${tags[1]}.multientry`;
  if (row === 'http.tc-hit' || row === 'http.tc-hit-3') return 'http.workbox';
  if (row === 'http.tc-miss') return 'http.passthrough';
  if (row === 'feed.server.memory-per-tab' || row === 'feed.server.cpu-per-event') return `${row}.bare`;
  if (row === 'http.page.tc') return 'http.page.workbox';
  if (row === 'cold.tc-hit') return 'cold.workbox';
  const stream = /^stream\.(ttfb|ttfb-idle|big|fill)\.(tc-\d|passthrough|tee-put(-\d)?)$/.exec(row);
  if (stream) return `stream.${stream[1]}.network`;
  return null;
}

/**
 * Same-round ratios reported for reading, with no bound (no target in performance.md names them):
 * where a tiercache row stands between its peer and the floor or limit below it.
 */
export const COMPARISONS = [
  // Issue 14, cold start: how much of the gap to Workbox its storage format costs (IndexedDB, then
  // Cache Storage), and how much is tiercache's code above that floor.
  { what: 'cold start: floor of the storage format vs Workbox', row: 'cold.floor', peer: 'cold.workbox' },
  { what: 'cold start: tiercache vs the floor of its storage format', row: 'cold.tc-hit', peer: 'cold.floor' },
  // The floor again with a script as large as tiercache's, parsed and compiled but not run: how much of
  // the gap is only the script's size, and tiercache's own startup work and first hit above that.
  { what: 'cold start: the floor loading a script of tiercache\'s size vs Workbox', row: 'cold.floor-sized', peer: 'cold.workbox' },
  { what: 'cold start: tiercache vs the floor loading a script of its size', row: 'cold.tc-hit', peer: 'cold.floor-sized' },
  { what: 'cold start: a worker answering from its script vs Workbox (limit)', row: 'cold.memory', peer: 'cold.workbox' },
  // Issue 14, cold get: what the runtime cache's record format costs (the value's JSON text, R98, read in
  // a transaction with the tag marks), and tiercache's own code above that floor.
  { what: 'runtime cache get, 1 KB, cold key: the floor of its storage format vs raw', row: 'kv.1k.get-cold.floor', peer: 'kv.1k.get-cold.raw' },
  { what: 'runtime cache get, 1 KB, cold key: tiercache vs the floor of its format', row: 'kv.1k.get-cold.tiercache', peer: 'kv.1k.get-cold.floor' },
  // Issue 14, miss: what adding one header costs any worker (a layer's Cache-Status member), and
  // tiercache's miss above that floor.
  { what: 'miss: a worker adding one header vs a pass-through worker (floor)', row: 'http.passthrough-stamped', peer: 'http.passthrough' },
  { what: 'miss: tiercache vs a worker adding one header', row: 'http.tc-miss', peer: 'http.passthrough-stamped' },
  // Issue 15, first byte: the layers against a worker that only forwards, back to back (the previous
  // page's writes still running) and after a pause (a visitor's next navigation).
  { what: 'first part of a stored streamed page, back to back: three layers vs a pass-through worker', row: 'stream.ttfb.tc-3', peer: 'stream.ttfb.passthrough' },
  { what: 'first part of a stored streamed page, worker idle: one layer vs a pass-through worker', row: 'stream.ttfb-idle.tc-1', peer: 'stream.ttfb-idle.passthrough' },
  { what: 'first part of a stored streamed page, worker idle: three layers vs a pass-through worker', row: 'stream.ttfb-idle.tc-3', peer: 'stream.ttfb-idle.passthrough' },
  // A miss that is stored (a first visit's subresources) against the same through a worker that stores
  // nothing: what keeping a response costs per request, with one layer and with three.
  { what: 'stored miss, 10 KB, back to back: one layer vs a pass-through worker', row: 'stream.fill.tc-1', peer: 'stream.fill.passthrough' },
  { what: 'stored miss, 10 KB, back to back: three layers vs a pass-through worker', row: 'stream.fill.tc-3', peer: 'stream.fill.passthrough' },
  { what: 'worker thread per stored miss: one layer vs a pass-through worker', row: 'stream.fill-busy.tc-1', peer: 'stream.fill-busy.passthrough' },
  { what: 'worker thread per stored miss: three layers vs a pass-through worker', row: 'stream.fill-busy.tc-3', peer: 'stream.fill-busy.passthrough' },
  // Issue 15, 120 MB: tiercache against the bare worker storing the same copies while it forwards (the
  // three layers store this body twice: the edge does not keep it, R40).
  { what: '120 MB, one layer vs a bare worker storing one copy (floor)', row: 'stream.big.tc-1', peer: 'stream.big.tee-put' },
  { what: '120 MB, three layers vs a bare worker storing two copies (floor)', row: 'stream.big.tc-3', peer: 'stream.big.tee-put-2' },
  // Issue 15, memory: chunks a worker reads in JavaScript stay in its heap until V8 collects them, so the
  // peak as read is set by when V8 collects; the bare worker storing the same two copies shows that floor.
  { what: 'heap peak, 150 MB through three layers vs a bare worker storing two copies', row: 'stream.memory.tc-3', peer: 'stream.memory.tee-put-2' },
  { what: 'held after GC, 150 MB through three layers vs a bare worker storing two copies', row: 'stream.memory.tc-3.live', peer: 'stream.memory.tee-put-2.live' },
];

/**
 * @param {{ tagSizes: number[] }} options
 * @returns target definitions: `ratio` ones divide `row` by `peer` round by round; `absolute` ones
 *   bound the row's own median (its unit)
 */
export function targets({ tagSizes }) {
  const largest = Math.max(...tagSizes);
  const smallest = Math.min(...tagSizes);
  const ratio = (what, row, peer, max, note) => ({ kind: 'ratio', what, row, peer, max, note });
  const absolute = (what, row, max, unit) => ({ kind: 'absolute', what, row, max, unit });
  const list = [
    ratio('runtime cache get, 1 KB, warm key', 'kv.1k.get-warm.tiercache', 'kv.1k.get-warm.raw', 0.5),
    ratio('runtime cache get, 1 KB, warm key (stretch)', 'kv.1k.get-warm.tiercache', 'kv.1k.get-warm.raw', 0.1),
    ratio('runtime cache get, 1 KB, cold key', 'kv.1k.get-cold.tiercache', 'kv.1k.get-cold.raw', 1.1),
    ratio('runtime cache set, 1 KB, one at a time', 'kv.1k.set.tiercache', 'kv.1k.set.raw', 1.1),
    ratio('runtime cache get, 1 KB, cold key (issue 14)', 'kv.1k.get-cold.tiercache', 'kv.1k.get-cold.raw', 1.0),
    ratio('runtime cache set, 100 concurrent (per item)', 'kv.1k.set-100.tiercache', 'kv.1k.set.raw', 0.3),
    ratio(`expireTag at ${largest} entries`, `tags.${largest}.tiercache`, `tags.${largest}.multientry`, 1.0),
    ratio(
      `expireTag (stretch): cost at ${largest} / cost at ${smallest} entries`,
      `tags.${largest}.tiercache`,
      `tags.${smallest}.tiercache`,
      // "Independent of entry count", read as: within 1.5× while the store grows 50× (noise allowance).
      1.5,
    ),
    ratio('worker hit, 10 KB vs Workbox CacheFirst', 'http.tc-hit', 'http.workbox', 1.0),
    // Issue 14: clearly faster than Workbox, and near the fastest a worker hit can be.
    ratio('worker hit, 10 KB vs Workbox CacheFirst (issue 14)', 'http.tc-hit', 'http.workbox', 0.9),
    ratio('worker hit, 10 KB vs a worker answering from memory (limit)', 'http.tc-hit', 'http.memory', 1.1),
    ratio('worker hit, 10 KB, three layers vs Workbox CacheFirst', 'http.tc-hit-3', 'http.workbox', 1.0),
    ratio('worker hit, 10 KB vs browser HTTP cache hit', 'http.tc-hit', 'http.httpcache', 1.2),
    ratio('worker miss, 10 KB vs pass-through worker', 'http.tc-miss', 'http.passthrough', 1.1),
    ratio('worker miss, 10 KB vs pass-through worker (issue 14)', 'http.tc-miss', 'http.passthrough', 1.05),
    ratio('page load, 50 hits: total time vs Workbox CacheFirst', 'http.page.tc', 'http.page.workbox', 0.9),
    ratio('cold start: a hit right after the worker was stopped vs Workbox', 'cold.tc-hit', 'cold.workbox', 1.2),
    // Issue 15: a stored body streams through every layer.
    ratio('120 MB cacheable body, three layers: total time vs no worker', 'stream.big.tc-3', 'stream.big.network', 1.3),
  ];
  for (const kind of ['expireTag', 'delete']) {
    for (const observer of ['tab', 'worker']) {
      list.push(absolute(`invalidation (${kind}) visible in ${observer === 'tab' ? 'another tab' : 'the worker'}, p99`, `prop.${kind}.${observer}.p99`, 10, 'ms'));
    }
  }
  list.push(absolute('worker memory above idle while 150 MB pass through three layers (held, after GC)', 'stream.memory.tc-3.live', 8, 'MiB'));
  list.push(absolute('worker memory above idle while 150 MB pass through three layers (heap peak)', 'stream.memory.tc-3', 8, 'MiB'));
  list.push(absolute('dist/sdk.js min+gzip, runtime cache alone', 'size.runtime-cache', 5 * 1024, 'bytes'));
  // Issue 13: a server purge reaches every subscribed tab's next request within Vercel's 300 ms (R82).
  list.push(absolute('server purge → no tab gets the purged content, p50', 'feed.propagation.p50', 300, 'ms'));
  list.push(absolute('server purge → no tab gets the purged content, p99', 'feed.propagation.p99', 300, 'ms'));
  list.push(absolute('tiercache/devtools panel chunk, min+gzip', 'size.devtools-panel', 30 * 1024, 'bytes'));
  return list;
}
