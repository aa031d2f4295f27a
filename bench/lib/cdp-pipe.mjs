// The DevTools protocol over Chromium's --remote-debugging-pipe (fd 3: to Chromium, fd 4: from it;
// each message is JSON followed by a NUL byte). Used by the cold-start suite, to stop every Service
// Worker between samples, and by the stream suite, to read a worker's heap and profile its thread; only
// the ServiceWorker domain and, on a worker, the heap and profiler are used, so no network reporting
// slows the fetches (unlike a Playwright-attached browser, see run-in-chromium.mjs).

/** @param {import('node:stream').Writable} toChromium @param {import('node:stream').Readable} fromChromium */
export function cdpPipe(toChromium, fromChromium) {
  let nextId = 1;
  const pending = new Map();
  let buffered = '';
  fromChromium.setEncoding('utf8');
  fromChromium.on('data', (chunk) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) continue; // an event: none is subscribed to
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject, method });
      toChromium.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  let session;
  const workerSessions = new Map();
  /** A session on the Service Worker whose script URL contains `match` (attached once). */
  const workerSession = async (match) => {
    let id = workerSessions.get(match);
    if (!id) {
      const { targetInfos } = await send('Target.getTargets');
      const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.includes(match));
      if (!worker) throw new Error(`no service worker target matching ${match}`);
      id = (await send('Target.attachToTarget', { targetId: worker.targetId, flatten: true })).sessionId;
      workerSessions.set(match, id);
    }
    return id;
  };
  return {
    /**
     * The JS heap of the Service Worker whose script URL contains `match` (V8's used heap plus the
     * ArrayBuffer backing stores, where body chunks live); `gc` collects garbage first (an idle figure).
     */
    async workerMemory(match, gc) {
      const id = await workerSession(match);
      if (gc) await send('HeapProfiler.collectGarbage', {}, id);
      return send('Runtime.getHeapUsage', {}, id);
    },
    /**
     * The time the worker's thread was busy (µs) between `start` and `stop`: V8's sampling profiler
     * (every 50 µs), every sample but `(idle)` counted, so native work (blob registration, IPC, garbage
     * collection) is in it. CPU time of the worker, so less sensitive than latency to what else runs.
     */
    async workerBusy(match, op) {
      const id = await workerSession(match);
      if (op === 'start') {
        await send('Profiler.enable', {}, id);
        await send('Profiler.setSamplingInterval', { interval: 50 }, id);
        await send('Profiler.start', {}, id);
        return { busyUs: 0 };
      }
      const { profile } = await send('Profiler.stop', {}, id);
      const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
      // timeDeltas[i] is the time before sample i, so sample i lasted until timeDeltas[i + 1].
      let busyUs = 0;
      profile.samples.forEach((node, i) => {
        if (!idle.has(node)) busyUs += profile.timeDeltas[i + 1] ?? 0;
      });
      return { busyUs };
    },
    /** Stops every running Service Worker of the browser (as DevTools' "stop" does) and resolves once stopped. */
    async stopAllWorkers() {
      if (!session) {
        const { targetInfos } = await send('Target.getTargets');
        const page = targetInfos.find((target) => target.type === 'page');
        if (!page) throw new Error('no page target to attach to');
        session = (await send('Target.attachToTarget', { targetId: page.targetId, flatten: true })).sessionId;
        // Required by stopAllWorkers; it only reports worker registrations and versions (no network).
        await send('ServiceWorker.enable', {}, session);
      }
      await send('ServiceWorker.stopAllWorkers', {}, session);
    },
  };
}
