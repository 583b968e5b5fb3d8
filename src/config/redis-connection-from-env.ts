import type { Environment } from './build-config.js';
import type { Config, RedisNode } from './types.js';

type RedisConnection = Pick<Config['redis'], 'cluster' | 'sentinel' | 'username' | 'password'>;

/**
 * Pure: the Redis topology the environment names, besides REDIS_URL. REDIS_CLUSTER_NODES (`host:port,host:port`)
 * selects a Redis Cluster; REDIS_SENTINELS (same shape) with REDIS_SENTINEL_NAME (the monitored master's name) and
 * optionally REDIS_SENTINEL_PASSWORD selects Sentinel. Setting both is refused: the bot would not know which is meant.
 */
export function redisConnectionFromEnv(env: Environment, errors: string[]): RedisConnection {
  const out: RedisConnection = {};
  if (env.REDIS_USERNAME) out.username = env.REDIS_USERNAME;
  if (env.REDIS_PASSWORD) out.password = env.REDIS_PASSWORD;
  const clusterNodes = parseNodes('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES, errors);
  const sentinels = parseNodes('REDIS_SENTINELS', env.REDIS_SENTINELS, errors);
  if (clusterNodes && sentinels) {
    errors.push(
      'REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one of them (a Redis Cluster, or a master behind Sentinel)',
    );
  }
  if (clusterNodes) out.cluster = { nodes: clusterNodes };
  if (sentinels) {
    const name = env.REDIS_SENTINEL_NAME;
    if (!name)
      errors.push(
        'REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the master name Sentinel monitors, e.g. "mymaster")',
      );
    out.sentinel = {
      name: name ?? '',
      sentinels,
      ...(env.REDIS_SENTINEL_PASSWORD ? { password: env.REDIS_SENTINEL_PASSWORD } : {}),
    };
  } else if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS?.trim()) {
    errors.push("REDIS_SENTINEL_NAME: set REDIS_SENTINELS too (the Sentinels' host:port list)");
  }
  return out;
}

function parseNodes(name: string, value: string | undefined, errors: string[]): RedisNode[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const nodes: RedisNode[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) {
      errors.push(`${name}: expected "host:port" entries separated by commas, got "${entry}"`);
      continue;
    }
    nodes.push({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return nodes.length ? nodes : undefined;
}
