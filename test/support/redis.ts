import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** The URL of the run's private Redis (or REDIS_URL), started by the vitest global setup. */
export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A key prefix no other test shares, so tests running side by side cannot see each other's keys or queues. */
export function uniquePrefix(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`;
}

/** A new ioredis connection to the test Redis; BullMQ requires maxRetriesPerRequest null on worker connections. */
export function newRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null, lazyConnect: false });
}
