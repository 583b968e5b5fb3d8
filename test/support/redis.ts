import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { buildConfig, type Config } from '../../src/config/index.js';
import { createRedis, type RedisClient } from '../../src/redis/index.js';

/**
 * The URL of the run's private Redis (or REDIS_URL), started by the vitest global setup. On a Redis Cluster run it is
 * one node's: use testRedisEnv() or newRedis() for anything that touches keys.
 */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** The environment that points a bot at the run's Redis: REDIS_URL, or REDIS_CLUSTER_NODES on a cluster run. */
export function testRedisEnv(): { REDIS_URL: string; REDIS_CLUSTER_NODES?: string } {
  const nodes = inject('redisClusterNodes');
  return nodes ? { REDIS_URL: testRedisUrl(), REDIS_CLUSTER_NODES: nodes } : { REDIS_URL: testRedisUrl() };
}

/** The run's Redis as the configuration describes it (standalone or cluster), under `prefix`. */
export function testRedisConfig(prefix = uniquePrefix('cfg')): Config['redis'] {
  const built = buildConfig({ redis: { prefix } }, testRedisEnv());
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.config.redis;
}

/** True when the run's Redis is a Redis Cluster (DEBUGDEAD_TEST_REDIS=cluster). */
export function onRedisCluster(): boolean {
  return inject('redisClusterNodes') !== '';
}

/**
 * A key prefix no other test shares, so tests running side by side cannot see each other's keys or queues. A hash
 * tag, like the bot's own prefix, so a test's keys share one Redis Cluster slot.
 */
export function uniquePrefix(label: string): string {
  return `{t-${label}-${randomBytes(4).toString('hex')}}`;
}

/**
 * A new connection to the test Redis (a Cluster client on a cluster run); BullMQ requires maxRetriesPerRequest null on
 * worker connections.
 */
export function newRedis(): RedisClient {
  return createRedis(testRedisConfig(), { maxRetriesPerRequest: null });
}

/** Every key matching `pattern`, from every master of a cluster (KEYS on a Cluster client asks one node only). */
export async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  // A Cluster client knows its masters only once it has read the slot map.
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const nodes = 'nodes' in redis && typeof redis.nodes === 'function' ? redis.nodes('master') : [redis];
  return (await Promise.all(nodes.map((n) => n.keys(pattern)))).flat();
}
