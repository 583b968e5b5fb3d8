import type { RedisClient } from '../redis/index.js';

/**
 * Signatures of HTTP requests already accepted, in Redis so every replica sees them, each kept until its request
 * would be stale anyway: a captured request replayed inside Slack's five-minute window is refused.
 */
export class SeenSignatures {
  constructor(private readonly options: { redis: RedisClient; prefix: string }) {}

  /** True the first time a signature is offered, false for a replay. Throws when Redis cannot answer. */
  async first(signature: string, staleAfterSec: number, nowMs: number): Promise<boolean> {
    const ttl = Math.max(1, staleAfterSec - Math.floor(nowMs / 1000) + 1);
    const set = await this.options.redis.set(`${this.options.prefix}:http-seen:${signature}`, '1', 'EX', ttl, 'NX');
    return set === 'OK';
  }
}
