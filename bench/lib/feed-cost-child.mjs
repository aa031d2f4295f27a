// The server side of the feed's cost rows, alone in its own process so its memory and CPU are its
// own: one instance (in-process bus) serving K event-stream connections; `bare` mode is the peer, a
// hand-written node:http SSE fan-out with no backlog, ids or resume.
import { createServer } from 'node:http';
import { createFeedHandler, createMemoryBus, createPurger, toNodeListener } from '../../dist/server.js';

const bare = process.argv[2] === 'bare';
const bus = createMemoryBus();
const purger = createPurger(bus);
const clients = new Set();
const listener = bare
  ? (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('event: hello\ndata: {}\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    }
  : toNodeListener(createFeedHandler({ bus, heartbeatMs: 60_000 }));
let seq = 0;
const publish = bare
  ? () => {
      const data = `id: ${++seq}-0\ndata: ${JSON.stringify({ kind: 'delete', tags: ['products'], revalidationDeadlineSeconds: 0 })}\n\n`;
      for (const res of clients) res.write(data);
    }
  : () => purger.dangerouslyDeleteByTag('products');
const server = createServer(listener);
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

process.on('message', async (msg) => {
  if (msg.op === 'memory') {
    globalThis.gc?.();
    globalThis.gc?.();
    const usage = process.memoryUsage();
    process.send({ memory: usage.heapUsed + usage.external + usage.arrayBuffers });
  } else if (msg.op === 'publish') {
    const before = process.cpuUsage();
    for (let i = 0; i < msg.count; i++) await publish();
    // Let the writes reach the sockets before reading the CPU clock.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const used = process.cpuUsage(before);
    process.send({ cpuMicros: used.user + used.system });
  } else if (msg.op === 'exit') process.exit(0);
});
