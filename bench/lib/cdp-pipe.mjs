// The DevTools protocol over Chromium's --remote-debugging-pipe (fd 3: to Chromium, fd 4: from it;
// each message is JSON followed by a NUL byte). Used only by the cold-start suite, to stop every
// Service Worker between samples; only the ServiceWorker domain is enabled, so no network reporting slows the fetches
// (unlike a Playwright-attached browser, see run-in-chromium.mjs).

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
  return {
    /**
     * The JS heap of the Service Worker whose script URL contains `match` (V8's used heap plus the
     * ArrayBuffer backing stores, where body chunks live); `gc` collects garbage first (an idle figure).
     */
    async workerMemory(match, gc) {
      let workerSession = workerSessions.get(match);
      if (!workerSession) {
        const { targetInfos } = await send('Target.getTargets');
        const worker = targetInfos.find((target) => target.type === 'service_worker' && target.url.includes(match));
        if (!worker) throw new Error(`no service worker target matching ${match}`);
        workerSession = (await send('Target.attachToTarget', { targetId: worker.targetId, flatten: true })).sessionId;
        workerSessions.set(match, workerSession);
      }
      if (gc) await send('HeapProfiler.collectGarbage', {}, workerSession);
      return send('Runtime.getHeapUsage', {}, workerSession);
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
