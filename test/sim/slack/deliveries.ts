import { performance } from 'node:perf_hooks';
import { signRequest } from './sign-request.js';
import type { Envelope, SocketModeServer } from './socket-mode.js';
import type { SimEphemeral, SimMessage, SimState } from './state.js';
import { messageError } from './web-api.js';

/** Where a click came from: the message (or ephemeral message) that carries the button. */
export interface ClickSource {
  channel: string;
  ts: string;
  ephemeral: boolean;
  threadTs?: string;
}

/** How the request to the bot is signed in HTTP mode. */
export type Signing = 'valid' | 'forged' | 'stale';

/** One slash command or button click sent to the bot, and what became of it. */
export interface Delivery {
  sent: true;
  id: string;
  kind: 'slash_commands' | 'block_actions';
  transport: 'socket' | 'http';
  user: string;
  channel: string;
  payload: Record<string, unknown>;
  responseUrl: string;
  triggerId: string;
  envelopeId?: string;
  /** Set once the bot acknowledged (Socket Mode ack or HTTP 200). */
  acked: boolean;
  /** Milliseconds from the user's action to the ack. */
  ackLatencyMs?: number;
  /** No ack within the ack timeout (3 s): the user was shown `operation_timeout`. */
  timedOut: boolean;
  /** HTTP mode: the status the bot's endpoint answered (401 for a refused signature). */
  httpStatus?: number;
  /** The immediate reply carried by the ack, if any (`{text, blocks, response_type}`). */
  response?: Record<string, unknown>;
  /** Why Slack would not show the immediate reply (e.g. `invalid_blocks`). */
  responseError?: string;
  /** For clicks: the message with the button. */
  source?: ClickSource;
  /** The last message this delivery's replies produced (a command's "original" for replace/delete). */
  lastReply?: { channel: string; ts: string; ephemeral: boolean };
  /** Resolves when acked, refused or timed out. */
  settled: Promise<Delivery>;
  /** response_url bookkeeping: posts accepted so far and when the URL was issued (simulator clock). */
  responseUrlPosts: number;
  issuedAt: number;
}

export interface DeliveryTarget {
  mode: 'socket' | 'http';
  /** HTTP mode: the bot's request URL (e.g. http://127.0.0.1:PORT/slack/events). */
  url?: string;
}

/**
 * Sends deliveries to the bot over Socket Mode or signed HTTP, times the ack against Slack's 3-second limit and shows
 * the user what Slack would show.
 */
export class DeliveryHub {
  readonly deliveries: Delivery[] = [];
  private readonly byEnvelope = new Map<string, Delivery>();
  private readonly settle = new Map<string, (d: Delivery) => void>();
  private readonly startedAt = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  target: DeliveryTarget = { mode: 'socket' };

  constructor(
    private readonly state: SimState,
    private readonly socket: SocketModeServer,
    private readonly baseUrl: string,
    private readonly ackTimeoutMs: number,
  ) {}

  find(id: string): Delivery | undefined {
    return this.deliveries.find((d) => d.id === id);
  }

  /** Starts a delivery: registers its response_url and trigger, sends it, arms the ack timer. */
  start(
    kind: Delivery['kind'],
    user: string,
    channel: string,
    build: (ids: { responseUrl: string; triggerId: string }) => Record<string, unknown>,
    opts: { source?: ClickSource; signing?: Signing } = {},
  ): Delivery {
    if (this.target.mode === 'http' && !this.target.url) {
      throw new Error('HTTP delivery needs the bot request URL: call sim.deliverOverHttp(url) first');
    }
    const id = this.state.id('R');
    const responseUrl = `${this.baseUrl}/response/${id}`;
    const triggerId = `${Date.now()}.${this.state.id('')}.${id.toLowerCase()}`;
    const payload = build({ responseUrl, triggerId });
    let resolve!: (d: Delivery) => void;
    const settled = new Promise<Delivery>((r) => {
      resolve = r;
    });
    const delivery: Delivery = {
      sent: true,
      id,
      kind,
      transport: this.target.mode,
      user,
      channel,
      payload,
      responseUrl,
      triggerId,
      acked: false,
      timedOut: false,
      ...(opts.source ? { source: opts.source } : {}),
      settled,
      responseUrlPosts: 0,
      issuedAt: this.state.now(),
    };
    this.deliveries.push(delivery);
    this.settle.set(id, resolve);
    this.startedAt.set(id, performance.now());
    const timer = setTimeout(() => this.timeout(delivery), this.ackTimeoutMs);
    timer.unref();
    this.timers.set(id, timer);
    if (this.target.mode === 'socket') {
      const envelope: Envelope = {
        envelope_id: crypto.randomUUID(),
        type: kind === 'slash_commands' ? 'slash_commands' : 'interactive',
        payload,
        // Only slash commands may answer in the ack (block_actions acks carry no message).
        accepts_response_payload: kind === 'slash_commands',
      };
      delivery.envelopeId = envelope.envelope_id;
      this.byEnvelope.set(envelope.envelope_id, delivery);
      // Slack queues nothing for an app with no open connection: the person is told at once.
      if (!this.socket.deliver(envelope)) this.finish(delivery, false, 'dispatch_failed');
    } else {
      void this.postHttp(delivery, opts.signing ?? 'valid');
    }
    this.state.changed();
    return delivery;
  }

  private async postHttp(delivery: Delivery, signing: Signing): Promise<void> {
    const url = this.target.url as string;
    // Slash commands arrive as form fields; interactions as one form field `payload` holding JSON (Slack docs).
    const body =
      delivery.kind === 'slash_commands'
        ? new URLSearchParams(delivery.payload as Record<string, string>).toString()
        : new URLSearchParams({ payload: JSON.stringify(delivery.payload) }).toString();
    const nowSec = Math.floor(Date.now() / 1000);
    // Slack rejects requests more than 5 minutes off; stale = 6 minutes old, correctly signed.
    const ts = signing === 'stale' ? nowSec - 6 * 60 : nowSec;
    const secret = signing === 'forged' ? 'not-the-signing-secret' : this.state.ws.signingSecret;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signRequest(secret, body, ts) },
        body,
        signal: AbortSignal.timeout(this.ackTimeoutMs + 1000),
      });
      const text = await res.text();
      delivery.httpStatus = res.status;
      if (res.status !== 200) {
        // [U] the exact notice Slack shows for a non-200 answer is not in Slack's docs; `dispatch_failed` is
        // what Slack's client reports for a request URL that fails.
        this.finish(delivery, false, 'dispatch_failed');
        return;
      }
      let response: Record<string, unknown> | undefined;
      if (text.trim().length > 0) {
        try {
          const parsed = JSON.parse(text);
          response = parsed && typeof parsed === 'object' ? parsed : { text };
        } catch {
          response = { text };
        }
      }
      this.acked(delivery, response);
    } catch {
      if (!delivery.timedOut) this.finish(delivery, false, 'dispatch_failed');
    }
  }

  /** Socket Mode: an ack arrived for an envelope. */
  ackEnvelope(envelopeId: string, payload: Record<string, unknown> | undefined): void {
    const delivery = this.byEnvelope.get(envelopeId);
    if (!delivery) return;
    const response =
      delivery.kind === 'slash_commands' && payload && Object.keys(payload).length > 0 ? payload : undefined;
    this.acked(delivery, response);
  }

  private acked(delivery: Delivery, response: Record<string, unknown> | undefined): void {
    if (delivery.acked) return;
    delivery.acked = true;
    delivery.ackLatencyMs = Math.round(performance.now() - (this.startedAt.get(delivery.id) ?? performance.now()));
    // A reply in a late ack is not shown: the user has already been told the app did not respond.
    if (response && !delivery.timedOut && delivery.kind === 'slash_commands') {
      delivery.response = response;
      const error = this.show(delivery, response, 'ack');
      if (error) delivery.responseError = error;
    }
    this.finish(delivery, true);
  }

  private timeout(delivery: Delivery): void {
    if (delivery.acked) return;
    delivery.timedOut = true;
    this.notice(delivery, 'operation_timeout');
    this.finish(delivery, false);
  }

  /** What Slack's client shows the user when the app failed to answer in time or answered with an error. */
  private notice(delivery: Delivery, error: string): void {
    const command = String(delivery.payload.command ?? '');
    this.state.ephemerals.push({
      channel: delivery.channel,
      user: delivery.user,
      ts: this.state.nextTs(),
      text: command ? `${command} failed with the error "${error}"` : `The app did not respond: ${error}`,
      source: 'slack',
    });
  }

  private finish(delivery: Delivery, ok: boolean, error?: string): void {
    if (!ok && error && !delivery.timedOut) this.notice(delivery, error);
    clearTimeout(this.timers.get(delivery.id));
    this.timers.delete(delivery.id);
    const resolve = this.settle.get(delivery.id);
    this.settle.delete(delivery.id);
    this.state.changed();
    resolve?.(delivery);
  }

  /**
   * Shows a reply (from an ack or a response_url) as Slack would: in the channel for `response_type: in_channel`
   * (with the user's command echoed, for an ack), otherwise as an ephemeral message to the user. Returns the error
   * code when Slack would refuse it.
   */
  show(delivery: Delivery, body: Record<string, unknown>, via: 'ack' | 'response_url'): string | undefined {
    const bad = messageError(body);
    if (bad) return String(bad.error);
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? this.state.withBlockIds(body.blocks) : undefined;
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    if (body.response_type === 'in_channel') {
      const { ws } = this.state;
      if (via === 'ack' && delivery.kind === 'slash_commands') {
        this.state.messages.push({
          type: 'message',
          channel: delivery.channel,
          ts: this.state.nextTs(),
          user: delivery.user,
          team: ws.team.id,
          text: `${String(delivery.payload.command)} ${String(delivery.payload.text ?? '')}`.trim(),
        });
      }
      const msg: SimMessage = {
        type: 'message',
        channel: delivery.channel,
        ts: this.state.nextTs(),
        user: ws.bot.userId,
        bot_id: ws.bot.botId,
        app_id: ws.appId,
        team: ws.team.id,
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      this.state.messages.push(msg);
      delivery.lastReply = { channel: msg.channel, ts: msg.ts, ephemeral: false };
    } else {
      const eph: SimEphemeral = {
        channel: delivery.channel,
        user: delivery.user,
        ts: this.state.nextTs(),
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        source: via,
      };
      this.state.ephemerals.push(eph);
      delivery.lastReply = { channel: eph.channel, ts: eph.ts, ephemeral: true };
    }
    this.state.changed();
    return undefined;
  }

  /** Envelope ids Slack still waits on. */
  pendingEnvelopes(): string[] {
    return this.socket.unacked().map((e) => e.envelope_id);
  }

  /** Stops the ack timers and settles pending deliveries, so no test stays awaiting a closed simulator. */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const [id, resolve] of this.settle) {
      const delivery = this.find(id);
      if (delivery) resolve(delivery);
    }
    this.settle.clear();
  }
}
