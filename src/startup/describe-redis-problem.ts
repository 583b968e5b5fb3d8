/** Where Redis is, without its password: `redis://debugdead-redis:6379`. */
export function redisLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** The Redis the configuration points at, and the variable that says so. */
interface RedisTarget {
  url: string;
  cluster?: { nodes: { host: string; port: number }[] };
  sentinel?: { name: string; sentinels: { host: string; port: number }[] };
}

const hostPorts = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');

/** A failed connect-and-PING as a sentence naming the fix (never the password). */
export function describeRedisProblem(err: unknown, target: string | RedisTarget): string {
  const message = err instanceof Error ? err.message : String(err);
  const t = typeof target === 'string' ? { url: target } : target;
  const [where, variable] = t.cluster
    ? [`the Redis Cluster at ${hostPorts(t.cluster.nodes)}`, 'REDIS_CLUSTER_NODES']
    : t.sentinel
      ? [
          `master "${t.sentinel.name}" via Sentinels ${hostPorts(t.sentinel.sentinels)}`,
          'REDIS_SENTINELS and REDIS_SENTINEL_NAME',
        ]
      : [redisLocation(t.url), 'REDIS_URL'];
  if (t.cluster || t.sentinel) {
    if (/NOAUTH|WRONGPASS|invalid password|without any password configured|invalid username-password/i.test(message)) {
      return `Redis (${where}) refused the bot's credentials (${message.split('\n')[0]}): set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user) to the nodes' password.`;
    }
    return `Redis (${where}) is unreachable (${message.split('\n')[0]}): check ${variable} and that the nodes admit this pod.`;
  }
  if (/NOAUTH|WRONGPASS|invalid password|without any password configured|invalid username-password/i.test(message)) {
    return `Redis at ${where} refused the bot's credentials (${message.split('\n')[0]}): set REDIS_PASSWORD (the Secret debugdead-redis, key password) to the server's password, or remove it if the server has none.`;
  }
  return `Redis at ${where} is unreachable (${message.split('\n')[0]}): check REDIS_URL and that Redis runs and admits this pod (deploy/base/redis.yaml's NetworkPolicy admits pods labelled app.kubernetes.io/name=debugdead).`;
}
