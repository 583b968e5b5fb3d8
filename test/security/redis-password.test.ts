import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebugPodQueue } from '../../jobs/debug-pod-queue.js';
import { signGrant } from '../../src/actions/index.js';
import { diagnose, managedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';

// The bot on a Redis that requires a password (requirepass): it works through REDIS_URL's password; an attacker
// without it can write nothing; an attacker with it can write jobs, and the worker still refuses them.

const PASSWORD = randomBytes(16).toString('hex');
let server: RedisHandle;
let port: number;
let h: Harness;

beforeAll(async () => {
  server = await startRedis({ requirepass: PASSWORD });
  port = Number(new URL(server.url).port);
  h = await startHarness({ redisUrl: `redis://:${PASSWORD}@127.0.0.1:${port}` });
});
afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

describe('a Redis that requires a password', () => {
  it('the bot works through the password in REDIS_URL', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    await h.slack.waitFor(() => managedPods(h, 'demo')[0], 15_000, 'the clone');
  });

  it('without the password an attacker can write nothing', async () => {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect().catch(() => {});
    await expect(redis.hset(`${h.config.redis.prefix}:diagnosis:forged`, 'request', '{}')).rejects.toThrow(/NOAUTH/);
    redis.disconnect();
  });

  it('with the password, a forged job is still refused by the worker, and audited', async () => {
    const queue = createDebugPodQueue({
      connection: { url: `redis://:${PASSWORD}@127.0.0.1:${port}`, maxRetriesPerRequest: null },
      prefix: h.config.redis.prefix,
    });
    const actionId = `${randomBytes(12).toString('base64url')}.n`;
    const before = managedPods(h, 'debugdead-nodeshell').length;
    await queue.enqueueCreate(
      signGrant(
        {
          actionId,
          kind: 'node-shell',
          privilege: 'privileged',
          cluster: 'sim',
          namespace: 'demo',
          node: 'node-1',
          requester: 'U0MALLORY',
          approvers: ['U0ALICE01', 'U0BOB0002'],
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        },
        'not-the-key'.repeat(4),
      ),
    );
    await queue.close();
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'job.rejected' && e.requestId === actionId),
      15_000,
      'the refusal',
    );
    expect(managedPods(h, 'debugdead-nodeshell')).toHaveLength(before);
  });
});
