import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** An envelope as Slack sends it over Socket Mode (Slack docs, "Signing and Socket Mode"). */
export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

interface Connection {
  id: number;
  socket: WebSocket;
  open: boolean;
  /** Half-open: the network path is gone but no close came; nothing is read or sent on it any more. */
  stalled: boolean;
  pinger?: NodeJS.Timeout;
}

/** Slack allows up to 10 Socket Mode connections per app (Slack docs). */
export const MAX_CONNECTIONS = 10;

/**
 * [U] Slack's retry_reason for an envelope redelivered after its connection went away is not documented for Socket
 * Mode; the simulator says `connection_closed`.
 */
export const REDELIVERY_REASON = 'connection_closed';

/** How often Slack pings each connection. [U] not published; a small value keeps the SDK's watchdog exercised. */
export const SERVER_PING_INTERVAL_MS = 5000;

/**
 * The Socket Mode side of Slack: single-use connection URLs from apps.connections.open, `hello`, envelopes delivered
 * round-robin over the open connections, acks by envelope_id, pings, and `disconnect` on demand.
 *
 * As strict as Slack: nothing is queued for an app with no open connection (a command or click then fails with
 * `dispatch_failed` for the person), and only Events API envelopes are retried after a connection drops; a command or
 * click lost with its connection is simply not acked, and the person sees the timeout.
 */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private connections: Connection[] = [];
  private nextConnectionId = 1;
  private roundRobin = 0;
  /** Envelopes waiting for a connection. */
  private queue: Envelope[] = [];
  /** Envelopes sent and not yet acked, with the connection that has them. */
  private readonly inflight = new Map<string, { envelope: Envelope; connection: number }>();
  /** Every envelope sent, in order, for tests that look at retries. */
  readonly sent: { connection: number; envelope: Envelope }[] = [];

  constructor(
    private readonly appId: string,
    private readonly onAck: (envelopeId: string, payload: Record<string, unknown> | undefined) => void,
    private readonly onChange: () => void,
    private readonly pingIntervalMs = SERVER_PING_INTERVAL_MS,
  ) {}

  /** A fresh single-use URL, as apps.connections.open returns. */
  issueUrl(wsBase: string): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${wsBase}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const conn: Connection = { id: this.nextConnectionId++, socket: ws, open: true, stalled: false };
    ws.on('message', (data) => {
      if (!conn.stalled) this.receive(data.toString());
    });
    ws.on('close', () => this.dropped(conn));
    ws.on('error', () => ws.terminate());
    if (this.openConnections().length >= MAX_CONNECTIONS) {
      ws.send(JSON.stringify({ type: 'disconnect', reason: 'too_many_websockets', debug_info: this.debugInfo() }));
      ws.close();
      return;
    }
    this.connections.push(conn);
    conn.pinger = setInterval(() => {
      if (!conn.stalled && ws.readyState === ws.OPEN) ws.ping();
    }, this.pingIntervalMs);
    conn.pinger.unref();
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections().length,
        debug_info: { ...this.debugInfo(), approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.onChange();
    this.flush();
  }

  private debugInfo(): Record<string, unknown> {
    return { host: 'applink-sim-1', build_number: 1 };
  }

  private receive(text: string): void {
    let msg: { envelope_id?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.envelope_id !== 'string') return;
    const known = this.inflight.delete(msg.envelope_id) || this.dequeue(msg.envelope_id);
    if (!known) return;
    const payload =
      msg.payload && typeof msg.payload === 'object' ? (msg.payload as Record<string, unknown>) : undefined;
    this.onAck(msg.envelope_id, payload);
  }

  private dequeue(envelopeId: string): boolean {
    const before = this.queue.length;
    this.queue = this.queue.filter((e) => e.envelope_id !== envelopeId);
    return this.queue.length !== before;
  }

  /** A closed connection's unacked Events API envelopes go back to the queue, marked as retries; the rest are lost. */
  private dropped(conn: Connection): void {
    if (!conn.open) return;
    conn.open = false;
    clearInterval(conn.pinger);
    this.connections = this.connections.filter((c) => c !== conn);
    for (const [id, entry] of this.inflight) {
      if (entry.connection !== conn.id) continue;
      this.inflight.delete(id);
      if (entry.envelope.type !== 'events_api') continue;
      this.queue.push({
        ...entry.envelope,
        retry_attempt: (entry.envelope.retry_attempt ?? 0) + 1,
        retry_reason: REDELIVERY_REASON,
      });
    }
    this.onChange();
    this.flush();
  }

  private openConnections(): Connection[] {
    return this.connections.filter((c) => c.open && c.socket.readyState === c.socket.OPEN);
  }

  /**
   * Delivers an envelope over an open connection (Slack's side cannot tell a half-open one from a live one). Events
   * API envelopes wait for a connection; anything else with no connection open is not delivered: returns false.
   */
  deliver(envelope: Envelope): boolean {
    if (envelope.type !== 'events_api' && this.openConnections().length === 0) return false;
    this.queue.push(envelope);
    this.flush();
    return true;
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const open = this.openConnections();
      if (open.length === 0) return;
      const conn = open[this.roundRobin++ % open.length]!;
      const envelope = this.queue.shift()!;
      this.inflight.set(envelope.envelope_id, { envelope, connection: conn.id });
      this.sent.push({ connection: conn.id, envelope });
      conn.socket.send(JSON.stringify(envelope));
    }
  }

  /** Number of open connections. */
  connectionCount(): number {
    return this.openConnections().length;
  }

  /** Connection ids, oldest first. */
  connectionIds(): number[] {
    return this.openConnections().map((c) => c.id);
  }

  /**
   * Sends `disconnect` with `reason` to one connection (by id) or all. For `refresh_requested` and `link_disabled`
   * Slack closes the socket itself shortly after; the simulator does so after `graceMs`.
   */
  disconnect(reason: DisconnectReason, opts: { connection?: number; graceMs?: number } = {}): void {
    const targets = this.openConnections().filter((c) => opts.connection === undefined || c.id === opts.connection);
    for (const conn of targets) {
      conn.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: this.debugInfo() }));
      if (reason !== 'warning') {
        const t = setTimeout(() => conn.socket.close(), opts.graceMs ?? 1000);
        t.unref();
      }
    }
  }

  /**
   * Makes a connection half-open, as a dead network path does: from then on nothing is read from it, no ping is sent
   * and no pong answered, but no close arrives either. Slack keeps sending envelopes into it (they are lost); the
   * client's ping watchdog is what must notice and reconnect.
   */
  stall(connection?: number): void {
    for (const conn of this.openConnections()) {
      if (connection !== undefined && conn.id !== connection) continue;
      conn.stalled = true;
      // Stop reading the TCP stream: the ws library then never sees the client's pings, so it never pongs.
      (conn.socket as unknown as { _socket?: { pause(): void } })._socket?.pause();
    }
  }

  /** Drops a connection without a close handshake, as a network failure would. */
  kill(connection?: number): void {
    for (const conn of this.openConnections()) {
      if (connection === undefined || conn.id === connection) conn.socket.terminate();
    }
  }

  /** Envelopes delivered or queued and not yet acked. */
  unacked(): Envelope[] {
    return [...[...this.inflight.values()].map((e) => e.envelope), ...this.queue];
  }

  close(): void {
    for (const c of this.connections) clearInterval(c.pinger);
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
