import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RateLimitPolicy, type RateLimitWait, slackWebClientOptions } from '../../handlers/index.js';
import { createSlackChat } from '../../handlers/slack-chat.js';
import { isChatError } from '../../src/conversation/chat-port.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { POST_MESSAGE_PER_CHANNEL, RateLimiter } from '../sim/slack/rate-limiter.js';

describe('rate limits over HTTP', () => {
  let sim: SlackSim;
  beforeEach(async () => {
    sim = await startSlackSim();
  });
  afterEach(() => sim.close());

  const post = (channel: string) =>
    fetch(`${sim.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${sim.botToken}` },
      body: new URLSearchParams({ channel, text: 'hi' }).toString(),
    });

  it('chat.postMessage allows a short burst per channel, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst + 1; i++) statuses.push((await post('C0INCIDENT')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await post('C0INCIDENT');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(sim.rateLimited()).toBe(2);
  });

  it('the limit is per channel: another channel is not affected', async () => {
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++) await post('C0INCIDENT');
    expect((await post('C0INCIDENT')).status).toBe(429);
    expect((await post('G0PLATFORM')).status).toBe(200);
  });

  it('switched off, nothing is limited', async () => {
    sim.rateLimits(false);
    for (let i = 0; i < 10; i++) expect((await post('C0INCIDENT')).status).toBe(200);
    expect(sim.rateLimited()).toBe(0);
  });

  /** The bot's own Slack client (src/app.ts's configuration), with its rate-limit waits recorded. */
  const botClient = (token: string, policy: RateLimitPolicy = {}) => {
    const waits: RateLimitWait[] = [];
    const client = new WebClient(
      token,
      slackWebClientOptions({ apiUrl: sim.apiUrl, rateLimits: { ...policy, onRateLimited: (w) => waits.push(w) } }),
    );
    return { client, waits };
  };

  it("the bot's client waits Retry-After and asks again until the message goes through", async () => {
    const { client, waits } = botClient(sim.botToken);
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++)
      await client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` });
    const started = Date.now();
    const res = await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'after the pause' });
    expect(res.ok).toBe(true);
    expect(waits).toEqual([{ method: 'chat.postMessage', retryAfterSeconds: 1, waited: true }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.rateLimited()).toBe(1);
    expect(sim.channel('C0INCIDENT').latest()?.text).toBe('after the pause');
  });

  it('the pause is Retry-After, taken through the injected sleep', async () => {
    const pauses: number[] = [];
    const { client } = botClient(sim.botToken, {
      sleep: (ms) => {
        pauses.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++)
      await client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` });
    expect((await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x' })).ok).toBe(true);
    expect(pauses).toEqual([1000]);
  });

  it("while one channel's call waits out its limit, calls to another channel go through", async () => {
    const { client } = botClient(sim.botToken);
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++)
      await client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` });
    const waiting = client.chat.postMessage({ channel: 'C0INCIDENT', text: 'waits' });
    await sim.waitFor(() => sim.rateLimited() === 1, 5000, 'the 429');
    const started = Date.now();
    await client.chat.postMessage({ channel: 'G0PLATFORM', text: 'elsewhere' });
    expect(Date.now() - started).toBeLessThan(900);
    expect(sim.channel('C0INCIDENT').latest()?.text).not.toBe('waits');
    expect((await waiting).ok).toBe(true);
  });

  it('past its patience a call fails as ChatError ratelimited, carrying Retry-After as a number', async () => {
    const { client, waits } = botClient(sim.botToken, { maxWaits: 0 });
    const chat = createSlackChat(client as never);
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++) await chat.post('C0INCIDENT', { text: `m${i}` });
    const err = await chat.post('C0INCIDENT', { text: 'x' }).catch((e: unknown) => e);
    expect(isChatError(err, 'ratelimited')).toBe(true);
    expect(err).toMatchObject({ code: 'ratelimited', retryAfterSeconds: 1 });
    expect(waits).toEqual([{ method: 'chat.postMessage', retryAfterSeconds: 1, waited: false }]);
  });

  it('a wait the policy allows in all is bounded: Retry-After past maxWaitSeconds is not waited', async () => {
    const { client, waits } = botClient(sim.appToken, { maxWaitSeconds: 5 });
    await client.apps.connections.open();
    // Tier 1 refills one call a minute: Retry-After is about 60 s.
    await expect(client.apps.connections.open()).rejects.toMatchObject({ code: ErrorCode.RateLimitedError });
    expect(waits).toEqual([{ method: 'apps.connections.open', retryAfterSeconds: expect.any(Number), waited: false }]);
    expect(waits[0]?.retryAfterSeconds).toBeGreaterThan(5);
  });
});

describe('RateLimiter (token buckets)', () => {
  it.each([
    ['chat.update (Tier 3)', 'chat.update', 50],
    ['chat.postEphemeral (Tier 4)', 'chat.postEphemeral', 100],
    ['usergroups.users.list (Tier 2)', 'usergroups.users.list', 20],
  ])('%s allows its per-minute allowance in a burst, then asks to wait', (_what, method, allowance) => {
    const limiter = new RateLimiter();
    const waits = Array.from({ length: allowance + 1 }, () => limiter.take(method, undefined, 0));
    expect(waits.slice(0, allowance).every((w) => w === 0)).toBe(true);
    expect(waits[allowance]).toBeGreaterThanOrEqual(1);
  });

  it('chat.postMessage refills one message per second', () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++) limiter.take('chat.postMessage', 'C', 0);
    expect(limiter.take('chat.postMessage', 'C', 0)).toBe(1);
    expect(limiter.take('chat.postMessage', 'C', 1000)).toBe(0);
  });
});
