/** Where Redis is, without its password: `redis://debugdead-redis:6379`. */
export function redisLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** A failed connect-and-PING as a sentence naming the fix (never the password). */
export function describeRedisProblem(err: unknown, url: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const where = redisLocation(url);
  if (/NOAUTH|WRONGPASS|invalid password|without any password configured|invalid username-password/i.test(message)) {
    return `Redis at ${where} refused the bot's credentials (${message.split('\n')[0]}): set REDIS_PASSWORD (the Secret debugdead-redis, key password) to the server's password, or remove it if the server has none.`;
  }
  return `Redis at ${where} is unreachable (${message.split('\n')[0]}): check REDIS_URL and that Redis runs and admits this pod (deploy/base/redis.yaml's NetworkPolicy admits pods labelled app.kubernetes.io/name=debugdead).`;
}
