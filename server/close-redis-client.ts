import type { RedisConnection } from './redis-bus.ts';

/**
 * Closes a node-redis client promptly whatever its state. Its close() waits for the replies of queued
 * commands, which never come while it reconnects (Redis restarted or down: close() stops the reconnect
 * loop, so nothing settles it), nor when the connection drops during the close (only 'error' is
 * emitted). Then destroy(): what was queued is rejected, never left pending. The bus closes its own
 * subscription with it; apps close the client they passed in with it too.
 */
export async function closeRedisClient(client: Pick<RedisConnection, 'close' | 'destroy' | 'isOpen' | 'isReady' | 'on'>): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  let lost = () => {};
  const dropped = new Promise<'dropped'>((resolve) => (lost = () => resolve('dropped')));
  client.on('error', lost);
  if ((await Promise.race([client.close(), dropped])) === 'dropped') client.destroy();
}
