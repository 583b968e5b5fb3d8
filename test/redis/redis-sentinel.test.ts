import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, latest } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type RedisSentinelHandle, startRedisSentinel } from '../support/redis-server.js';

// A master, its replica and a Sentinel (real redis-server processes). The bot finds the master through the Sentinel;
// when the master dies, the Sentinel promotes the replica and the bot carries on against it.

let sentinel: RedisSentinelHandle;
let h: Harness;
beforeAll(async () => {
  sentinel = await startRedisSentinel({ sentinels: 1 });
  h = await startHarness({
    redisEnv: {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: sentinel.sentinelsEnv,
      REDIS_SENTINEL_NAME: sentinel.name,
    },
    configure: (c) => {
      c.debugClone.defaultTtlSeconds = 120;
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await sentinel?.stop();
});

async function cloneRunning(user: string, pod: string): Promise<void> {
  const summary = await diagnose(h, user, pod);
  await h.slack.user(user).click(summary, 'Create debug clone', { confirm: true });
  await h.slack.waitFor(
    () => (/:white_check_mark: Running/.test(visibleText(latest(h, summary.ts))) ? true : undefined),
    30_000,
    `the clone of ${pod} running`,
  );
}

async function masterPort(): Promise<number> {
  const s = new Redis(sentinel.sentinels[0]!.port, sentinel.sentinels[0]!.host);
  try {
    const [, port] = (await s.call('SENTINEL', 'get-master-addr-by-name', sentinel.name)) as [string, string];
    return Number(port);
  } finally {
    s.disconnect();
  }
}

describe('Redis behind Sentinel', () => {
  it('approvals and debug-pod jobs keep working after the master dies and the replica is promoted', async () => {
    expect(await masterPort()).toBe(sentinel.master.port);
    await cloneRunning('U0ALICE01', 'scratch-crash');

    await sentinel.killMaster();
    const deadline = Date.now() + 30_000;
    while ((await masterPort()) !== sentinel.replica.port) {
      if (Date.now() > deadline) throw new Error('the Sentinel did not promote the replica within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }

    // A new diagnosis record, approval, BullMQ job and audit record, all on the promoted replica.
    await cloneRunning('U0BOB0002', 'crash-exit1');
    const promoted = new Redis(sentinel.replica.port, sentinel.replica.host);
    try {
      expect(await promoted.call('ROLE')).toEqual(expect.arrayContaining(['master']));
      expect(await promoted.exists(`${h.config.redis.prefix}:audit`)).toBe(1);
    } finally {
      promoted.disconnect();
    }
  }, 90_000);
});
