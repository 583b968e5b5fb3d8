import { describe, expect, it } from 'vitest';
import { redisReadiness } from '../../src/health/index.js';

const node = { host: 'redis-0', port: 6379 };

describe('redisReadiness', () => {
  it('is ready exactly when the connection is', () => {
    expect(redisReadiness('ready', {}, 'x')).toEqual({ ok: true });
    for (const status of ['connecting', 'reconnecting', 'end', 'wait', 'close']) {
      expect(redisReadiness(status, {}, 'x').ok).toBe(false);
    }
  });

  it.each([
    [{}, 'REDIS_URL'],
    [{ cluster: { nodes: [node] } }, 'REDIS_CLUSTER_NODES'],
    [{ sentinel: { name: 'mymaster', sentinels: [node] } }, 'REDIS_SENTINELS'],
  ])('names the setting that chose the address (%j)', (redis, setting) => {
    expect(redisReadiness('reconnecting', redis, "the agent's ACL user").reason).toBe(
      `Redis is not connected (reconnecting): check ${setting} and the agent's ACL user`,
    );
  });
});
