import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { keysMatching, newRedis } from '../support/redis.js';
import { commandBody, postSigned } from '../support/signed-post.js';

describe('HTTP mode: a signed request is accepted once, within five minutes either way', () => {
  let h: Harness;
  let url: string;
  const diagnosesOf = (pod: string) =>
    h.auditEntries().filter((e) => e.action === 'command.received' && e.target?.pod === pod).length;
  const body = (pod: string) =>
    commandBody({ text: `${pod} demo`, user: 'U0ALICE01', channel: INCIDENT, responseUrl: `${h.slack.url}/nowhere` });

  beforeAll(async () => {
    h = await startHarness({ mode: 'http' });
    url = `http://127.0.0.1:${h.bot.port}/slack/events`;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a captured command replayed inside the window is refused and runs once', async () => {
    const captured = body('crash-exit1');
    const ts = Math.floor(Date.now() / 1000);
    expect(await postSigned(url, h.slack.signingSecret, captured, { timestampSec: ts })).toBe(200);
    const replays = await Promise.all(
      Array.from({ length: 5 }, () => postSigned(url, h.slack.signingSecret, captured, { timestampSec: ts })),
    );
    expect(replays).toEqual([401, 401, 401, 401, 401]);
    await h.slack.waitFor(() => (diagnosesOf('crash-exit1') > 0 ? true : undefined), 10_000, 'the one diagnosis');
    await new Promise((r) => setTimeout(r, 300));
    expect(diagnosesOf('crash-exit1')).toBe(1);
  });

  it('concurrent copies of one request: exactly one gets through', async () => {
    const captured = body('oom');
    const ts = Math.floor(Date.now() / 1000);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => postSigned(url, h.slack.signingSecret, captured, { timestampSec: ts })),
    );
    expect(statuses.sort()).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
  });

  it('remembers a signature only until its window closes', async () => {
    const captured = body('liveness');
    const ts = Math.floor(Date.now() / 1000) - 290;
    expect(await postSigned(url, h.slack.signingSecret, captured, { timestampSec: ts })).toBe(200);
    const redis = newRedis();
    const keys = await keysMatching(redis, `${h.config.redis.prefix}:http-seen:*`);
    const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
    await redis.quit();
    // Each key lives until its request's timestamp is five minutes old (plus a second), never forever.
    expect(ttls.length).toBeGreaterThan(0);
    expect(ttls.every((t) => t > 0 && t <= 301)).toBe(true);
    expect(Math.min(...ttls)).toBeLessThanOrEqual(11);
  });

  it.each([
    ['six minutes old', -360],
    ['six minutes ahead', 360],
    ['a day ahead', 86_400],
  ])('a correctly signed request with a timestamp %s is refused', async (_name, offset) => {
    const ts = Math.floor(Date.now() / 1000) + offset;
    expect(await postSigned(url, h.slack.signingSecret, body('crash-exit1'), { timestampSec: ts })).toBe(401);
  });

  it.each([
    ['signed with another secret', { secret: 'not-the-secret' }],
    ['without a signature', { headers: { 'x-slack-signature': '' } }],
    ['with a signature of the wrong version', { headers: { 'x-slack-signature': `v1=${'0'.repeat(64)}` } }],
    ['without a timestamp', { headers: { 'x-slack-request-timestamp': '' } }],
  ])('a request %s is refused', async (_name, variant: { secret?: string; headers?: Record<string, string> }) => {
    const status = await postSigned(url, variant.secret ?? h.slack.signingSecret, body('crash-exit1'), {
      ...(variant.headers ? { headers: variant.headers } : {}),
    });
    expect(status).toBe(401);
  });

  it("the simulator's own deliveries still work: a command over HTTP is answered", async () => {
    const delivery = await h.slack.user('U0BOB0002').runCommand('/debugdead', 'help', { channel: INCIDENT });
    expect(delivery).toMatchObject({ httpStatus: 200, acked: true });
  });
});
