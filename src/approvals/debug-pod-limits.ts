import type { Limits } from '../config/index.js';
import type { RedisClient } from '../redis/index.js';

/** Which limit stopped a creation. */
export type CreationLimit = keyof Limits;

/** A reservation's outcome: made (or made before, by an earlier attempt of the same job), or refused with a sentence. */
export type LimitVerdict =
  | { ok: true }
  | { ok: false; limit: CreationLimit; count: number; max: number; message: string };

/**
 * Checks every limit and, when all pass, counts the pod in all of them, in one step, so two replicas racing for the
 * last place cannot both take it. Each set is a sorted set of `ns/pod` members; active sets score by the pod's latest
 * possible end (its maximum TTL, so a pod whose deletion we missed still counts until the kubelet ends it), the
 * creation set by creation time. Entries past their score are dropped first.
 * KEYS: active per user, active per namespace, active in the cluster, created per user.
 * ARGV: now ms, member, pod's latest end ms, one hour ago ms, max per user, per namespace, cluster-wide, per hour,
 *   key lifetime ms.
 * Returns {1} reserved (or already reserved by this member), {0, limit name, count} refused.
 */
const RESERVE_SCRIPT = `
for i = 1, 3 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[4])
if redis.call('ZSCORE', KEYS[3], ARGV[2]) then return {1} end
local checks = {{1, ARGV[5], 'activePerUser'}, {2, ARGV[6], 'activePerNamespace'}, {3, ARGV[7], 'activeCluster'},
  {4, ARGV[8], 'createdPerUserPerHour'}}
for _, c in ipairs(checks) do
  local n = redis.call('ZCARD', KEYS[c[1]])
  if n >= tonumber(c[2]) then return {0, c[3], n} end
end
for i = 1, 3 do
  redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
  redis.call('PEXPIRE', KEYS[i], ARGV[9])
end
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[4], ARGV[9])
return {1}
`;

const EXPLAIN: Record<CreationLimit, (max: number) => string> = {
  activePerUser: (max) => `the requester already has ${max} debug pods running (limits.activePerUser)`,
  activePerNamespace: (max) => `the namespace already has ${max} debug pods (limits.activePerNamespace)`,
  activeCluster: (max) => `the cluster already has ${max} debug pods (limits.activeCluster)`,
  createdPerUserPerHour: (max) =>
    `the requester created ${max} debug pods in the last hour (limits.createdPerUserPerHour)`,
};

/** The limits on debug pods, counted in Redis so they hold across replicas. */
export class DebugPodLimits {
  constructor(private readonly options: { redis: RedisClient; prefix: string; limits: Limits }) {}

  /** Counts a pod about to be created; refuses when any limit is reached. Idempotent per pod. */
  async reserve(
    pod: { namespace: string; name: string; user: string; endsAt: Date },
    now: Date,
  ): Promise<LimitVerdict> {
    const { limits } = this.options;
    const member = `${pod.namespace}/${pod.name}`;
    const keepMs = Math.max(pod.endsAt.getTime() - now.getTime(), 0) + 3_600_000;
    const [ok, limit, count] = (await this.options.redis.eval(
      RESERVE_SCRIPT,
      4,
      this.key(`active:user:${pod.user}`),
      this.key(`active:ns:${pod.namespace}`),
      this.key('active:cluster'),
      this.key(`created:user:${pod.user}`),
      String(now.getTime()),
      member,
      String(pod.endsAt.getTime()),
      String(now.getTime() - 3_600_000),
      String(limits.activePerUser),
      String(limits.activePerNamespace),
      String(limits.activeCluster),
      String(limits.createdPerUserPerHour),
      String(keepMs),
    )) as [number, CreationLimit?, number?];
    if (ok === 1) return { ok: true };
    const name = limit as CreationLimit;
    const max = limits[name];
    return { ok: false, limit: name, count: Number(count), max, message: `Limit reached: ${EXPLAIN[name]!(max)}.` };
  }

  /** The pod is gone: it no longer counts as active (it still counts in the hourly creations). */
  async release(pod: { namespace: string; name: string; user?: string }): Promise<void> {
    const member = `${pod.namespace}/${pod.name}`;
    const multi = this.options.redis
      .multi()
      .zrem(this.key(`active:ns:${pod.namespace}`), member)
      .zrem(this.key('active:cluster'), member);
    if (pod.user) multi.zrem(this.key(`active:user:${pod.user}`), member);
    await multi.exec();
  }

  private key(rest: string): string {
    return `${this.options.prefix}:limits:${rest}`;
  }
}
