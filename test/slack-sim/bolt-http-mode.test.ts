import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, RespondError } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';

describe('the real Bolt app over signed HTTP (default HTTPReceiver)', () => {
  let sim: SlackSim;
  let app: App;
  const handled: string[] = [];
  const respondErrors: unknown[] = [];

  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
    app = new App({
      token: sim.botToken,
      signingSecret: sim.signingSecret,
      // Given, so `new App()` does not need auth.test (it would call it at once otherwise).
      botId: sim.workspace.bot.botId,
      botUserId: sim.workspace.bot.userId,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/debugdead', async ({ ack, command, client }) => {
      handled.push(`command:${command.text}`);
      if (command.text === 'help') {
        await ack({ text: 'Usage: /debugdead <pod> <namespace>' });
        return;
      }
      if (command.text === 'announce') {
        await ack({ response_type: 'in_channel', text: 'Looking into it' });
        return;
      }
      await ack();
      const summary = await client.chat.postMessage({
        channel: command.channel_id,
        text: `Diagnosing ${command.text}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `Diagnosing *${command.text}*` } },
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'clone', text: { type: 'plain_text', text: 'Debug clone' }, value: 'r-9' },
            ],
          },
        ],
      });
      await client.chat.postMessage({ channel: command.channel_id, thread_ts: summary.ts as string, text: 'logs' });
    });
    app.action('clone', async ({ ack, body, action }) => {
      await ack();
      handled.push(`click:${(action as { value?: string }).value}:${body.user.id}`);
    });
    app.action('chatty', async ({ ack, respond }) => {
      await ack();
      for (let i = 1; i <= 6; i++) await respond({ text: `update ${i}` }).catch((e) => respondErrors.push(e));
    });
    // Bolt 5: App.start(listenOptions) resolves with the receiver's node:http Server; port 0 picks a free port.
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    sim.deliverOverHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  });
  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('a slash command is acked with 200 and answered in a thread', async () => {
    const delivery = await sim.user('U0ALICE01').runCommand('/debugdead', 'web-1 prod', { channel: 'C0INCIDENT' });
    expect(delivery).toMatchObject({ transport: 'http', httpStatus: 200, acked: true, timedOut: false });
    const summary = await sim.waitFor(() =>
      sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.text === 'Diagnosing web-1 prod'),
    );
    const replies = await sim.waitFor(() => {
      const r = sim.thread('C0INCIDENT', summary.ts).replies();
      return r.length > 0 ? r : undefined;
    });
    expect(replies[0]?.text).toBe('logs');
  });

  it('a reply in the ack is shown only to the user who ran the command', async () => {
    const delivery = await sim.user('U0BOB0002').runCommand('/debugdead', 'help', { channel: 'C0INCIDENT' });
    expect(delivery.response).toEqual({ text: 'Usage: /debugdead <pod> <namespace>' });
    expect(sim.ephemerals('U0BOB0002').map((e) => e.text)).toContain('Usage: /debugdead <pod> <namespace>');
    expect(
      sim
        .channel('C0INCIDENT')
        .messages()
        .map((m) => m.text),
    ).not.toContain('Usage: /debugdead <pod> <namespace>');
  });

  it('an in_channel reply in the ack shows the command and the reply to everyone', async () => {
    await sim.user('U0BOB0002').runCommand('/debugdead', 'announce', { channel: 'C0INCIDENT' });
    const texts = sim
      .channel('C0INCIDENT')
      .messages()
      .map((m) => `${m.user}: ${m.text}`);
    expect(texts.slice(-2)).toEqual(['U0BOB0002: /debugdead announce', 'U0BOT0099: Looking into it']);
  });

  it('a button click reaches the handler', async () => {
    const summary = await sim.waitFor(() =>
      sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.text === 'Diagnosing web-1 prod'),
    );
    const delivery = await sim.user('U0CAROL03').click(summary, 'Debug clone');
    expect(delivery).toMatchObject({ sent: true, httpStatus: 200, acked: true });
    expect(handled).toContain('click:r-9:U0CAROL03');
  });

  it.each([
    ['forged', 'signed with the wrong secret'],
    ['stale', 'signed correctly but 6 minutes old'],
  ] as const)('a %s request (%s) is refused with 401 and never reaches the handler', async (signing, _how) => {
    const before = handled.length;
    const delivery = await sim
      .user('U0ALICE01')
      .runCommand('/debugdead', `sneaky-${signing}`, { channel: 'C0INCIDENT', signing });
    expect(delivery.httpStatus).toBe(401);
    expect(delivery.acked).toBe(false);
    expect(handled.slice(before)).toEqual([]);
  });

  it('a sixth respond() through the same response_url throws RespondError', async () => {
    await app.client.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'chatty',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'chatty', text: { type: 'plain_text', text: 'Go' } }],
        },
      ],
    });
    const msg = sim.channel('C0INCIDENT').latest()!;
    await sim.user('U0BOB0002').click(msg, 'chatty');
    await sim.waitFor(() => respondErrors.length === 1, 5000, 'the refused sixth respond()');
    expect(respondErrors[0]).toBeInstanceOf(RespondError);
    expect(
      sim
        .ephemerals('U0BOB0002')
        .filter((e) => e.text.startsWith('update '))
        .map((e) => e.text),
    ).toEqual(['update 1', 'update 2', 'update 3', 'update 4', 'update 5']);
  });

  it('a forged click is refused with 401', async () => {
    const summary = sim
      .channel('C0INCIDENT')
      .messages()
      .find((m) => m.text === 'Diagnosing web-1 prod')!;
    const before = handled.length;
    const delivery = await sim.user('U0CAROL03').click(summary, 'clone', { signing: 'forged' });
    expect(delivery).toMatchObject({ httpStatus: 401, acked: false });
    expect(handled.slice(before)).toEqual([]);
  });
});
