import { ErrorCode, type WebAPIRateLimitedError, WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  it('a WebClient with rejectRateLimitedCalls throws the rate-limit error with retryAfter', async () => {
    const client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++)
      await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'x' });
    const err = (await client.chat
      .postMessage({ channel: 'C0INCIDENT', text: 'x' })
      .catch((e) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(1);
  });

  it('a WebClient waits Retry-After and retries until the message goes through', async () => {
    const client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    });
    const pauses: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => pauses.push(seconds));
    for (let i = 0; i < POST_MESSAGE_PER_CHANNEL.burst; i++)
      await client.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` });
    const started = Date.now();
    const res = await client.chat.postMessage({ channel: 'C0INCIDENT', text: 'after the pause' });
    expect(res.ok).toBe(true);
    expect(pauses).toEqual([1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.rateLimited()).toBe(1);
    expect(sim.channel('C0INCIDENT').latest()?.text).toBe('after the pause');
  });

  it('apps.connections.open is Tier 1: a second call within the minute is limited', async () => {
    const app = new WebClient(sim.appToken, {
      slackApiUrl: sim.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    await app.apps.connections.open();
    await expect(app.apps.connections.open()).rejects.toMatchObject({ code: ErrorCode.RateLimitedError });
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
