import type { Config } from '../config/index.js';
import type { CheckResult } from './judge-readiness.js';

/**
 * /readyz's Redis check: ready when the connection is. The reason names the setting that chose the address
 * (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS), and `also` what else to check (an agent's ACL user).
 */
export function redisReadiness(
  status: string,
  redis: Pick<Config['redis'], 'cluster' | 'sentinel'>,
  also: string,
): CheckResult {
  if (status === 'ready') return { ok: true };
  const setting = redis.cluster ? 'REDIS_CLUSTER_NODES' : redis.sentinel ? 'REDIS_SENTINELS' : 'REDIS_URL';
  return { ok: false, reason: `Redis is not connected (${status}): check ${setting} and ${also}` };
}
