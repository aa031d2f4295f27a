/** One server instance of a test: node:http serving the feed handler, publishing through a purger. */
import { createServer, type Server } from 'node:http';
import { createClient } from 'redis';
import { closeRedisClient, createFeedHandler, createMemoryBus, createPurger, createRedisBus, toNodeListener, type FeedHandlerOptions, type InvalidationBus, type Purger } from '../../../server/index.ts';

export interface Instance {
  url: string;
  bus: InvalidationBus;
  purger: Purger;
  errors: unknown[];
  /** A clean shutdown. */
  close(): Promise<void>;
  /** As a crashed process: sockets destroyed, the Redis connections dropped without goodbye. */
  kill(): Promise<void>;
}

export interface InstanceOptions extends Partial<Omit<FeedHandlerOptions, 'bus'>> {
  redisUrl?: string;
  backlog?: number;
  /** Wait between reconnect attempts (default 50–200 ms; node-redis' own default reaches 2 s). */
  reconnectDelayMs?: number;
}

export async function startInstance(options: InstanceOptions = {}): Promise<Instance> {
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  const client = options.redisUrl ? createClient({ url: options.redisUrl, socket: { reconnectStrategy: (retries) => options.reconnectDelayMs ?? Math.min(50 * (retries + 1), 200) } }) : undefined;
  client?.on('error', onError);
  await client?.connect();
  const bus = client ? await createRedisBus({ client, backlog: options.backlog, onError }) : createMemoryBus({ backlog: options.backlog });
  const handler = createFeedHandler({ ...options, bus, onError });
  const server: Server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  const stopServer = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${address.port}/feed`,
    bus,
    purger: createPurger(bus),
    errors,
    async close() {
      await stopServer();
      await bus.close();
      if (client) await closeRedisClient(client);
    },
    async kill() {
      await stopServer();
      client?.destroy();
    },
  };
}
