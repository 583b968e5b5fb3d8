import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, type SlackSim, startSlackSim, visibleText } from '../sim/slack/index.js';

type BoltApp = App;

const approveBlocks = (requestId: string) => [
  { type: 'section', text: { type: 'mrkdwn', text: '*web-1* in `prod` is in CrashLoopBackOff' } },
  {
    type: 'actions',
    block_id: 'approval',
    elements: [
      {
        type: 'button',
        action_id: 'approve',
        text: { type: 'plain_text', text: 'Create debug clone' },
        value: requestId,
        style: 'primary',
        confirm: {
          title: { type: 'plain_text', text: 'Create a debug clone?' },
          text: { type: 'plain_text', text: 'A copy of web-1 starts in prod.' },
          confirm: { type: 'plain_text', text: 'Create' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
      { type: 'button', action_id: 'dismiss', text: { type: 'plain_text', text: 'Dismiss' }, value: requestId },
    ],
  },
];

/** The bot under test in miniature: answers the command in a thread and records clicks. */
function registerHandlers(app: BoltApp, clicks: { actionId: string; user: string; value?: string }[]): void {
  app.command('/debugdead', async ({ ack, command, client }) => {
    await ack();
    const summary = await client.chat.postMessage({
      channel: command.channel_id,
      text: `Diagnosing ${command.text}`,
      blocks: approveBlocks('req-1'),
    });
    await client.chat.postMessage({
      channel: command.channel_id,
      thread_ts: summary.ts as string,
      text: `Last logs of ${command.text}`,
    });
  });
  app.action(/^(approve|dismiss)$/, async ({ ack, action, body, respond }) => {
    await ack();
    const a = action as { action_id: string; value?: string };
    clicks.push({ actionId: a.action_id, user: body.user.id, ...(a.value ? { value: a.value } : {}) });
    await respond({ replace_original: true, text: `${a.action_id} by <@${body.user.id}>` });
  });
}

describe('the real Bolt app over Socket Mode', () => {
  let sim: SlackSim;
  let app: BoltApp;
  const clicks: { actionId: string; user: string; value?: string }[] = [];

  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
    // The sim listens before `new App()`, which calls auth.test at once.
    app = new App({
      token: sim.botToken,
      appToken: sim.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } },
    });
    registerHandlers(app, clicks);
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('says hello to the app on one connection', () => {
    expect(sim.socket.connectionCount()).toBe(1);
  });

  it('a slash command is acked within 3 s and answered in a thread', async () => {
    const delivery = await sim.user('U0ALICE01').runCommand('/debugdead', 'web-1 prod', { channel: 'C0INCIDENT' });
    expect(delivery.acked).toBe(true);
    expect(delivery.timedOut).toBe(false);
    expect(delivery.ackLatencyMs).toBeLessThan(3000);
    const summary = await sim.waitFor(
      () =>
        sim
          .channel('C0INCIDENT')
          .messages()
          .find((m) => m.text === 'Diagnosing web-1 prod'),
      5000,
      'the summary message',
    );
    expect(visibleText(summary)).toContain('CrashLoopBackOff');
    const replies = await sim.waitFor(() => {
      const r = sim.thread('C0INCIDENT', summary.ts).replies();
      return r.length > 0 ? r : undefined;
    });
    expect(replies.map((r) => r.text)).toEqual(['Last logs of web-1 prod']);
    // The thread reply stays out of the channel's top level.
    expect(
      sim
        .channel('C0INCIDENT')
        .messages()
        .map((m) => m.text),
    ).not.toContain('Last logs of web-1 prod');
  });

  it('a confirmed button click reaches the handler, and respond() replaces the message', async () => {
    const summary = sim.channel('C0INCIDENT').latest() as SimMessage;
    const delivery = await sim.user('U0BOB0002').click(summary, 'Create debug clone', { confirm: true });
    expect(delivery.sent).toBe(true);
    await sim.waitFor(() => clicks.find((c) => c.actionId === 'approve'));
    expect(clicks).toContainEqual({ actionId: 'approve', user: 'U0BOB0002', value: 'req-1' });
    const replaced = await sim.waitFor(() =>
      sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.ts === summary.ts && m.text === 'approve by <@U0BOB0002>'),
    );
    expect(replaced.blocks).toBeUndefined();
  });

  it('declining the confirm dialog sends nothing to the app', async () => {
    await sim.user('U0ALICE01').runCommand('/debugdead', 'web-2 prod', { channel: 'C0INCIDENT' });
    const summary = await sim.waitFor(() =>
      sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.text === 'Diagnosing web-2 prod'),
    );
    await sim.waitFor(() => sim.thread('C0INCIDENT', summary.ts).replies().length === 1);
    const before = sim.acks().length;
    const result = await sim.user('U0ALICE01').click(summary, 'approve', { confirm: false });
    expect(result).toEqual({ sent: false, reason: 'confirm_declined' });
    expect(sim.acks()).toHaveLength(before);
  });
});

describe('Socket Mode connection handling', () => {
  let sim: SlackSim;
  const apps: BoltApp[] = [];

  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  });
  afterAll(async () => {
    await sim.close();
  });

  /** An app whose Socket Mode client reconnects quickly (it waits clientPingTimeout before reconnecting). */
  async function startApp(onCommand: (text: string) => Promise<void> | void): Promise<BoltApp> {
    const clientOptions = { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } };
    const app = new App({
      token: sim.botToken,
      botId: sim.workspace.bot.botId,
      botUserId: sim.workspace.bot.userId,
      logLevel: LogLevel.ERROR,
      clientOptions,
      receiver: new SocketModeReceiver({
        appToken: sim.appToken,
        clientPingTimeout: 300,
        logLevel: LogLevel.ERROR,
        installerOptions: { clientOptions },
      }),
    });
    app.command('/debugdead', async ({ ack, command }) => {
      await onCommand(command.text);
      await ack();
    });
    await app.start();
    apps.push(app);
    return app;
  }

  it('spreads deliveries round-robin over several connections', async () => {
    const seen: string[] = [];
    await startApp((t) => void seen.push(t));
    await startApp((t) => void seen.push(t));
    expect(sim.socket.connectionCount()).toBe(2);
    const sentBefore = sim.socket.sent.length;
    for (const text of ['a', 'b', 'c', 'd']) {
      const d = await sim.user('U0ALICE01').runCommand('/debugdead', text, { channel: 'C0INCIDENT' });
      expect(d.acked).toBe(true);
    }
    const used = sim.socket.sent.slice(sentBefore).map((s) => s.connection);
    expect(new Set(used).size).toBe(2);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });

  it('after a refresh_requested disconnect a command in the reconnect gap fails; after the reconnect it works', async () => {
    await startApp(() => {});
    const [first] = sim.socket.connectionIds();
    sim.socket.disconnect('refresh_requested', { graceMs: 200 });
    await sim.waitFor(() => sim.socket.connectionCount() === 0 || undefined, 5000, 'the old connection closed');
    // @slack/socket-mode 3.1.0 closes at once and reconnects only after clientPingTimeout (5 s by default, 300 ms
    // here): Slack has nowhere to send a command typed meanwhile.
    const lost = await sim.user('U0BOB0002').runCommand('/debugdead', 'in the gap', { channel: 'C0INCIDENT' });
    expect(lost.acked).toBe(false);
    expect(sim.ephemerals('U0BOB0002').map((e) => e.text)).toContain(
      '/debugdead failed with the error "dispatch_failed"',
    );
    await sim.waitFor(
      () => sim.socket.connectionIds().some((id) => id !== first) && sim.socket.connectionCount() === 1,
      20_000,
      'a new connection',
    );
    const d = await sim.user('U0ALICE01').runCommand('/debugdead', 'after refresh', { channel: 'C0INCIDENT' });
    expect(d.acked).toBe(true);
  });

  it('a command whose connection dies before the ack is not redelivered: the person sees the timeout', async () => {
    let calls = 0;
    await startApp(async () => {
      calls += 1;
      // The first delivery never gets acked: the connection is killed while the handler works.
      if (calls === 1) {
        sim.socket.kill();
        await new Promise(() => {});
      }
    });
    const delivery = await sim.user('U0ALICE01').runCommand('/debugdead', 'flaky', { channel: 'C0INCIDENT' });
    expect(delivery.acked).toBe(false);
    expect(delivery.timedOut).toBe(true);
    // Only Events API envelopes are retried: the command was sent once.
    expect(sim.socket.sent.filter((s) => s.envelope.envelope_id === delivery.envelopeId)).toHaveLength(1);
    expect(calls).toBe(1);
  });

  it('a command typed while the app has no connection fails with dispatch_failed, and nothing arrives later', async () => {
    const seen: string[] = [];
    const app = await startApp((t) => void seen.push(t));
    await app.stop();
    apps.splice(apps.indexOf(app), 1);
    await sim.waitFor(() => sim.socket.connectionCount() === 0, 5000, 'no connection');
    const d = await sim.user('U0BOB0002').runCommand('/debugdead', 'nobody home', { channel: 'C0INCIDENT' });
    expect(d.acked).toBe(false);
    expect(sim.ephemerals('U0BOB0002').map((e) => e.text)).toContain(
      '/debugdead failed with the error "dispatch_failed"',
    );
    await startApp((t) => void seen.push(t));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
  });

  it('a half-open connection (no pongs) is noticed by the client, which reconnects', async () => {
    await startApp(() => {});
    const [first] = sim.socket.connectionIds();
    sim.socket.stall(first);
    // The client pings every clientPingTimeout (300 ms here) and gives up on a connection whose pongs stop.
    await sim.waitFor(
      () => sim.socket.connectionIds().some((id) => id !== first) || undefined,
      15_000,
      'a new connection after the stall',
    );
    sim.socket.kill(first);
    const d = await sim.user('U0ALICE01').runCommand('/debugdead', 'after stall', { channel: 'C0INCIDENT' });
    expect(d.acked).toBe(true);
  });

  it('an ack later than 3 s shows the user operation_timeout', async () => {
    await startApp(() => new Promise((r) => setTimeout(r, 3300)));
    const delivery = await sim.user('U0CAROL03').runCommand('/debugdead', 'slow', { channel: 'C0INCIDENT' });
    expect(delivery.timedOut).toBe(true);
    expect(sim.ephemerals('U0CAROL03').map((e) => e.text)).toContain(
      '/debugdead failed with the error "operation_timeout"',
    );
    const late = await sim.waitFor(() => (delivery.acked ? delivery : undefined), 2000);
    expect(late.ackLatencyMs).toBeGreaterThan(3000);
  });
});
