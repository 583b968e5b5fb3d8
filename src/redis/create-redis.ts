import { Cluster, Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { RedisClient } from './redis-client.js';

/** How one connection behaves; the topology (standalone, Sentinel, Cluster) comes from the configuration. */
export interface RedisTuning {
  /** null for BullMQ's connections (its blocking commands wait forever). @defaultValue 20 (ioredis) */
  maxRetriesPerRequest?: number | null;
  /** @defaultValue true */
  enableOfflineQueue?: boolean;
  /** @defaultValue false */
  lazyConnect?: boolean;
  /** @defaultValue 10000 (ioredis) */
  connectTimeoutMs?: number;
  /** false: a dropped connection stays dropped (one-shot probes and CLI commands). @defaultValue true */
  reconnect?: boolean;
}

/**
 * The one place a Redis connection is made. REDIS_CLUSTER_NODES gives an ioredis `Cluster` (BullMQ accepts one, and
 * every key of ours carries the `{prefix}` hash tag, so each script's keys share a slot); REDIS_SENTINELS a client that
 * asks the Sentinels for the current master and asks again after a failover; otherwise REDIS_URL.
 */
export function createRedis(redis: Config['redis'], tuning: RedisTuning = {}): RedisClient {
  const common = {
    ...(tuning.maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest: tuning.maxRetriesPerRequest } : {}),
    ...(tuning.connectTimeoutMs !== undefined ? { connectTimeout: tuning.connectTimeoutMs } : {}),
  };
  const queueing = {
    ...(tuning.enableOfflineQueue !== undefined ? { enableOfflineQueue: tuning.enableOfflineQueue } : {}),
    ...(tuning.lazyConnect !== undefined ? { lazyConnect: tuning.lazyConnect } : {}),
  };
  const credentials = {
    ...(redis.username ? { username: redis.username } : {}),
    ...(redis.password ? { password: redis.password } : {}),
  };
  const noRetry = tuning.reconnect === false ? () => null : undefined;
  if (redis.cluster) {
    return new Cluster(redis.cluster.nodes, {
      redisOptions: { ...common, ...credentials },
      ...queueing,
      ...(noRetry ? { clusterRetryStrategy: noRetry } : {}),
    });
  }
  if (redis.sentinel) {
    return new Redis({
      sentinels: redis.sentinel.sentinels,
      name: redis.sentinel.name,
      ...(redis.sentinel.password ? { sentinelPassword: redis.sentinel.password } : {}),
      ...credentials,
      ...common,
      ...queueing,
      ...(noRetry ? { retryStrategy: noRetry, sentinelRetryStrategy: noRetry } : {}),
    });
  }
  return new Redis(redis.url, { ...common, ...queueing, ...(noRetry ? { retryStrategy: noRetry } : {}) });
}
