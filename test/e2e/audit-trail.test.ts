import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/redis/index.js';
import { defaultWorkspace, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { newRedis } from '../support/redis.js';

const INCIDENT = 'C0INCIDENT';
const AUDIT = 'C0AUDIT00';

describe('the audit trail, anchored in the audit channel', () => {
  let h: Harness;
  let redis: RedisClient;
  beforeAll(async () => {
    const workspace = defaultWorkspace();
    h = await startHarness({
      slackWorkspace: {
        channels: [
          ...workspace.channels,
          { id: AUDIT, name: 'debugdead-audit', kind: 'private', members: ['U0BOT0099', 'U0ALICE01'] },
        ],
      },
      configure: (config) => {
        config.audit.channel = AUDIT;
        config.audit.anchorEvery = 2;
        config.approvers = { users: ['U0ALICE01', 'U0BOB0002'], groups: [] };
      },
    });
    redis = newRedis();
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.quit();
  });

  const anchorsPosted = () =>
    h.slack
      .channel(AUDIT)
      .messages()
      .filter((m) => m.text.includes('debugdead-audit-anchor'));

  async function verifyAnswer(user: string): Promise<string> {
    const before = h.slack.ephemerals(user).length;
    await h.slack.user(user).runCommand('/debugdead', 'audit verify', { channel: INCIDENT });
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals(user)
          .slice(before)
          .find((e) => /Audit trail/.test(e.text)),
      15_000,
      'the verification',
    );
    return visibleText(answer);
  }

  it('anchors are posted as records are written, and the trail verifies against them', async () => {
    for (const pod of ['crash-exit1', 'oom', 'healthy']) {
      await h.slack.user('U0ALICE01').runCommand('/debugdead', `${pod} demo`, { channel: INCIDENT });
    }
    await h.slack.waitFor(() => anchorsPosted().length >= 2 || undefined, 20_000, 'two anchors');
    const answer = await verifyAnswer('U0ALICE01');
    expect(answer).toMatch(/^:lock: Audit trail verified: records 1–\d+ \(\d+\), checked against [2-9]\d* anchor\(s\)/);
  });

  it("`audit @bob` typed as people type it reaches the bot as Bob's id (should_escape) and lists his records", async () => {
    await h.slack.user('U0BOB0002').runCommand('/debugdead', 'healthy demo', { channel: INCIDENT });
    await h.slack.waitFor(
      () => h.auditEntries().some((e) => e.action === 'diagnosis.done' && e.actor?.id === 'U0BOB0002'),
      20_000,
      "Bob's diagnosis",
    );
    const before = h.slack.ephemerals('U0ALICE01').length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'audit @bob', { channel: INCIDENT });
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals('U0ALICE01')
          .slice(before)
          .find((e) => /Audit trail/.test(e.text)),
      15_000,
      'the listing',
    );
    const text = visibleText(answer);
    expect(text).not.toMatch(/Mention the user/);
    expect(text).toMatch(/<@U0BOB0002> command\.received/);
    expect(text).not.toMatch(/<@U0ALICE01> command\.received sim:demo\/crash-exit1/);
  });

  it('what a person types is echoed as typed: Slack escapes it once, the bot once more, never twice', async () => {
    const before = h.slack.ephemerals('U0BOB0002').length;
    await h.slack.user('U0BOB0002').runCommand('/debugdead', 'a&b<c>', { channel: INCIDENT });
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals('U0BOB0002')
          .slice(before)
          .find((e) => /a&amp;b/.test(e.text)),
      15_000,
      'the usage answer',
    );
    expect(answer.text).toContain('`a&amp;b&lt;c&gt;`');
    expect(answer.text).not.toContain('&amp;amp;');
  });

  it('records dropped from Redis with the head rewound are named, against the anchors', async () => {
    const key = `${h.config.redis.prefix}:audit`;
    await h.bot.deps.audit.idle();
    const [hash, seq] = await redis.hmget(`${key}:head`, 'hash', 'seq');
    expect(hash).toBeTruthy();
    const anchoredSeq = Math.max(...anchorsPosted().map((m) => Number(/seq=(\d+)/.exec(m.text)![1])));
    const keep = anchoredSeq - 3;
    const kept = await redis.xrange(key, `${keep}-0`, `${keep}-0`);
    const keptRecord = JSON.parse(kept[0]![1][1]!) as { hash: string };
    for (let s = keep + 1; s <= Number(seq); s++) await redis.xdel(key, `${s}-0`);
    await redis.hset(`${key}:head`, 'hash', keptRecord.hash, 'seq', String(keep));

    const answer = await verifyAnswer('U0BOB0002');
    expect(answer).toMatch(/^:rotating_light: Audit trail NOT verified/);
    expect(answer).toMatch(new RegExp(`records ${keep + 1}–\\d+ missing`));
  });
});
