import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Delivery, RESPONSE_URL_LIMITS, type SlackSim, startSlackSim } from '../sim/slack/index.js';

/**
 * A bare bot endpoint (no Bolt): acks every request with 200 and `reply` as the body, so these tests look only at
 * what Slack does with acks and response_url posts.
 */
describe('response_url and ack replies', () => {
  let sim: SlackSim;
  let bot: Server;
  let reply = '';
  let client: WebClient;

  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
    bot = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, reply ? { 'content-type': 'application/json' } : {});
        res.end(reply);
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
    sim.deliverOverHttp(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`);
    client = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
  });
  beforeEach(() => {
    reply = '';
  });
  afterAll(async () => {
    await new Promise((r) => bot.close(r));
    await sim.close();
  });

  const respond = (d: Delivery, body: unknown) =>
    fetch(d.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const command = (user = 'U0ALICE01', text = 'web-1 prod') =>
    sim.user(user).runCommand('/debugdead', text, { channel: 'C0INCIDENT' }) as Promise<Delivery>;

  async function postedWithButton(text: string) {
    const res = await client.chat.postMessage({
      channel: 'C0INCIDENT',
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        { type: 'actions', elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' } }] },
      ],
    });
    return sim
      .channel('C0INCIDENT')
      .messages()
      .find((m) => m.ts === res.ts)!;
  }

  it('a reply defaults to ephemeral: only the user who ran the command sees it', async () => {
    const d = await command();
    expect((await respond(d, { text: 'working on it' })).status).toBe(200);
    expect(sim.ephemerals('U0ALICE01').at(-1)).toMatchObject({ text: 'working on it', source: 'response_url' });
    expect(
      sim
        .channel('C0INCIDENT')
        .messages()
        .map((m) => m.text),
    ).not.toContain('working on it');
  });

  it('response_type in_channel posts for everyone, even where the bot is not a member', async () => {
    const d = (await sim.user('U0BOB0002').runCommand('/debugdead', 'x', { channel: 'C0GENERAL' })) as Delivery;
    expect((await respond(d, { response_type: 'in_channel', text: 'visible to all' })).status).toBe(200);
    expect(sim.channel('C0GENERAL').latest()).toMatchObject({ text: 'visible to all', user: 'U0BOT0099' });
  });

  it(`accepts ${RESPONSE_URL_LIMITS.posts} posts, then refuses with a non-2xx status (strict reading)`, async () => {
    const d = await command();
    const statuses = [];
    for (let i = 0; i < RESPONSE_URL_LIMITS.posts + 1; i++) statuses.push((await respond(d, { text: `#${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('expires 30 minutes after the command', async () => {
    const d = await command();
    sim.advanceTime(RESPONSE_URL_LIMITS.validForMs + 1000);
    const res = await respond(d, { text: 'too late' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: 'expired_url' });
  });

  it('replace_original on a click replaces the message the button was on, in place', async () => {
    const msg = await postedWithButton('Approve clone?');
    const d = (await sim.user('U0BOB0002').click(msg, 'Go')) as Delivery;
    expect((await respond(d, { replace_original: true, text: 'Approved by Bob' })).status).toBe(200);
    const now = sim
      .channel('C0INCIDENT')
      .messages()
      .find((m) => m.ts === msg.ts);
    expect(now).toMatchObject({ text: 'Approved by Bob' });
    expect(now?.blocks).toBeUndefined();
  });

  it('delete_original on a click deletes the message the button was on', async () => {
    const msg = await postedWithButton('Delete me');
    const d = (await sim.user('U0BOB0002').click(msg, 'go')) as Delivery;
    expect((await respond(d, { delete_original: true })).status).toBe(200);
    expect(
      sim
        .channel('C0INCIDENT')
        .messages()
        .some((m) => m.ts === msg.ts),
    ).toBe(false);
  });

  it('replace_original and delete_original work on an ephemeral message with buttons', async () => {
    const posted = await client.chat.postEphemeral({
      channel: 'C0INCIDENT',
      user: 'U0CAROL03',
      text: 'only Carol',
      blocks: [
        { type: 'actions', elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' } }] },
      ],
    });
    const eph = sim.ephemerals('U0CAROL03').find((e) => e.ts === posted.message_ts)!;
    const first = (await sim.user('U0CAROL03').click(eph, 'go')) as Delivery;
    expect(first.payload).toMatchObject({ container: { is_ephemeral: true } });
    expect(first.payload).not.toHaveProperty('message');
    await respond(first, { replace_original: true, text: 'clicked' });
    expect(sim.ephemerals('U0CAROL03').find((e) => e.ts === eph.ts)?.text).toBe('clicked');
    await respond(first, { delete_original: true });
    expect(sim.ephemerals('U0CAROL03').some((e) => e.ts === eph.ts)).toBe(false);
  });

  it('for a command, replace_original replaces nothing: the answer arrives as a new message under the earlier one', async () => {
    const d = await command();
    await respond(d, { text: 'step 1' });
    expect((await respond(d, { replace_original: true, text: 'step 2' })).status).toBe(200);
    const mine = sim.ephemerals('U0ALICE01').map((e) => e.text);
    expect(mine).toContain('step 1');
    expect(mine).toContain('step 2');
    // delete_original has no original to delete for a command.
    expect((await respond(d, { delete_original: true })).status).toBe(404);
  });

  it('refuses invalid blocks with 400 and Slack’s error', async () => {
    const d = await command();
    const res = await respond(d, {
      text: 'f',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'] },
    });
  });

  it('an immediate reply with invalid blocks is not shown, and the delivery says why', async () => {
    reply = JSON.stringify({ text: 'f', blocks: [{ type: 'bogus' }] });
    const before = sim.ephemerals('U0BOB0002').length;
    const d = await command('U0BOB0002');
    expect(d).toMatchObject({ acked: true, responseError: 'invalid_blocks' });
    expect(sim.ephemerals('U0BOB0002')).toHaveLength(before);
  });

  it('records each delivery with its ack latency', async () => {
    const d = await command('U0CAROL03', 'latency');
    expect(sim.acks().at(-1)).toBe(d);
    expect(d.ackLatencyMs).toBeGreaterThanOrEqual(0);
    expect(d.ackLatencyMs).toBeLessThan(3000);
  });
});
