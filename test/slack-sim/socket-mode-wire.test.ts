import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { MAX_CONNECTIONS } from '../sim/slack/socket-mode.js';

/** A raw Socket Mode client, to check the wire format without Bolt in between. */
class RawClient {
  readonly messages: Record<string, unknown>[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(data.toString())));
  }
  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }
  async next(type: string, sim: SlackSim): Promise<Record<string, unknown>> {
    return sim.waitFor(() => this.messages.find((m) => m.type === type), 2000, `a ${type} message`);
  }
  ack(envelopeId: string, payload: Record<string, unknown> = {}): void {
    this.ws.send(JSON.stringify({ envelope_id: envelopeId, payload }));
  }
}

describe('Socket Mode on the wire', () => {
  let sim: SlackSim;
  let app: WebClient;
  const open: RawClient[] = [];

  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
    app = new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.ws.terminate();
    await sim.waitFor(() => sim.socket.connectionCount() === 0);
  });
  afterAll(() => sim.close());

  const connect = async () => {
    const { url } = await app.apps.connections.open();
    const c = await RawClient.open(url as string);
    open.push(c);
    await c.next('hello', sim);
    return c;
  };

  it('sends hello with num_connections, connection_info.app_id and debug_info', async () => {
    const a = await connect();
    const b = await connect();
    expect(await a.next('hello', sim)).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: 'A0DEBUGDEAD' },
      debug_info: { host: expect.any(String) },
    });
    expect(await b.next('hello', sim)).toMatchObject({ num_connections: 2 });
  });

  it('delivers a slash command envelope that accepts a response payload, and an ack reply is shown', async () => {
    const c = await connect();
    const pending = sim.user('U0ALICE01').runCommand('/debugdead', 'web-1 prod', { channel: 'C0INCIDENT' });
    const env = await c.next('slash_commands', sim);
    expect(env).toMatchObject({
      envelope_id: expect.any(String),
      accepts_response_payload: true,
      payload: {
        command: '/debugdead',
        text: 'web-1 prod',
        user_id: 'U0ALICE01',
        channel_id: 'C0INCIDENT',
        team_id: 'T0DEBUGDEAD',
        api_app_id: 'A0DEBUGDEAD',
        response_url: expect.stringMatching(/\/response\//),
        trigger_id: expect.any(String),
      },
    });
    expect(env).not.toHaveProperty('retry_attempt');
    c.ack(env.envelope_id as string, { text: 'on it' });
    const delivery = await pending;
    expect(delivery.response).toEqual({ text: 'on it' });
    expect(sim.ephemerals('U0ALICE01').at(-1)).toMatchObject({ text: 'on it', source: 'ack' });
  });

  it('delivers block_actions as an interactive envelope without a response payload', async () => {
    const c = await connect();
    const bot = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    await bot.chat.postMessage({
      channel: 'C0INCIDENT',
      text: 'f',
      blocks: [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [{ type: 'button', action_id: 'go', value: 'v', text: { type: 'plain_text', text: 'Go' } }],
        },
      ],
    });
    const msg = sim.channel('C0INCIDENT').latest()!;
    const pending = sim.user('U0BOB0002').click(msg, 'go');
    const env = await c.next('interactive', sim);
    expect(env).toMatchObject({
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        user: { id: 'U0BOB0002' },
        container: { type: 'message', message_ts: msg.ts, channel_id: 'C0INCIDENT', is_ephemeral: false },
        channel: { id: 'C0INCIDENT' },
        message: { ts: msg.ts },
        actions: [{ action_id: 'go', block_id: 'b1', value: 'v', type: 'button' }],
      },
    });
    c.ack(env.envelope_id as string);
    expect(await pending).toMatchObject({ acked: true });
  });

  it('sends disconnect with the reason asked for', async () => {
    const c = await connect();
    sim.socket.disconnect('warning');
    expect(await c.next('disconnect', sim)).toMatchObject({ type: 'disconnect', reason: 'warning' });
  });

  it('a connection URL works once', async () => {
    const { url } = await app.apps.connections.open();
    open.push(await RawClient.open(url as string));
    await expect(RawClient.open(url as string)).rejects.toThrow();
  });

  it(`refuses connection ${MAX_CONNECTIONS + 1} with too_many_websockets`, async () => {
    for (let i = 0; i < MAX_CONNECTIONS; i++) await connect();
    const { url } = await app.apps.connections.open();
    const extra = await RawClient.open(url as string);
    open.push(extra);
    expect(await extra.next('disconnect', sim)).toMatchObject({ reason: 'too_many_websockets' });
    expect(sim.socket.connectionCount()).toBe(MAX_CONNECTIONS);
  });

  it('queues nothing while no connection is open: the command fails with dispatch_failed and never arrives', async () => {
    const failed = await sim.user('U0ALICE01').runCommand('/debugdead', 'queued', { channel: 'C0INCIDENT' });
    expect(failed).toMatchObject({ acked: false, timedOut: false });
    expect(sim.ephemerals('U0ALICE01').map((e) => e.text)).toContain(
      '/debugdead failed with the error "dispatch_failed"',
    );
    const sentBefore = sim.socket.sent.length;
    await connect();
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.socket.sent.length).toBe(sentBefore);
  });

  it('pings each connection', async () => {
    const c = await connect();
    const pinged = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 7000);
      c.ws.once('ping', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    expect(pinged).toBe(true);
  });
});
