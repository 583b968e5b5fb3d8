import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';

const CHANNEL = 'C0INCIDENT';

describe('when Redis goes away', () => {
  let redis: RedisHandle;
  let h: Harness;
  beforeAll(async () => {
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    redis = await startRedis(); // a private one: this test kills it
    if (saved !== undefined) process.env.REDIS_URL = saved;
    h = await startHarness({ redisUrl: redis.url, logLevel: 'fatal' });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  it('a click says the bot cannot reach Redis; a new command still gets its diagnosis, without buttons', async () => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo', { channel: CHANNEL });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => m.text.startsWith('demo/oom ')),
      15_000,
      'the diagnosis',
    );
    await redis.stop();

    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const told = await h.slack.waitFor(
      () => h.slack.ephemerals('U0ALICE01').find((e) => /cannot reach its Redis/.test(e.text)),
      20_000,
      'the Redis outage explained',
    );
    expect(told.text).toMatch(/nothing was done/);

    await h.slack.user('U0BOB0002').runCommand('/debugdead', 'crash-exit1 demo', { channel: CHANNEL });
    const second = await h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => m.text.startsWith('demo/crash-exit1 ')),
      30_000,
      'the diagnosis during the outage',
    );
    const text = visibleText(second);
    expect(text).toMatch(/CrashLoopBackOff, exit 1/);
    expect(text).toMatch(/Buttons are unavailable: the bot cannot reach Redis/);
    expect(text).not.toContain('Create debug clone');
  });
});
