import type { Config } from '../config/index.js';
import { createRedis } from './create-redis.js';

/** Connects and PINGs once, without the shared connection's retries: the start-up check's question. */
export async function pingRedis(redis: Config['redis']): Promise<void> {
  const probe = createRedis(redis, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeoutMs: 3000,
    reconnect: false,
  });
  // A refused AUTH arrives as an 'error' event, and connect() then rejects with only "Connection is closed.".
  let refused: Error | undefined;
  probe.on('error', (err: Error) => {
    refused ??= err;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw refused ?? e;
  } finally {
    probe.disconnect();
  }
}
