import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Delivery, DeliveryHub } from './deliveries.js';
import { SimUser } from './driver.js';
import { RateLimiter } from './rate-limiter.js';
import { handleResponseUrlPost } from './response-url.js';
import { SocketModeServer } from './socket-mode.js';
import { type ApiCall, type SimEphemeral, type SimFile, type SimMessage, SimState } from './state.js';
import { createWebClient, type WebClient } from './web/index.js';
import { type ApiContext, handleApiCall } from './web-api.js';
import { buildWorkspace, type WorkspaceSeed } from './workspace.js';

export { BLOCK_KIT_LIMITS, validateMessage } from './block-kit.js';
export type { ClickSource, Delivery, Signing } from './deliveries.js';
export type { ClickOptions, NotSent, RunCommandOptions, SimUser } from './driver.js';
export { RESPONSE_URL_LIMITS } from './response-url.js';
export { signRequest } from './sign-request.js';
export type { DisconnectReason, Envelope, SocketModeServer } from './socket-mode.js';
export type { ApiCall, SimEphemeral, SimFile, SimMessage } from './state.js';
export { visibleText } from './visible-text.js';
export { buildWorkspace, DEFAULT_BOT_SCOPES, defaultWorkspace, type WorkspaceSeed } from './workspace.js';

export interface SlackSimOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Overrides of the seeded workspace (team, bot and its scopes, users, channels, user groups). */
  workspace?: Partial<WorkspaceSeed>;
  /** Whether Slack's rate limits apply. @defaultValue true */
  rateLimits?: boolean;
  /** Slack gives an app 3 s to ack; tests that study timeouts may shorten it. @defaultValue 3000 */
  ackTimeoutMs?: number;
}

/** The description `npm run sim:slack` prints and tests can log. */
export interface SlackSimInfo {
  url: string;
  apiUrl: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
  command: string;
  team: WorkspaceSeed['team'];
  appId: string;
  bot: { userId: string; botId: string; scopes: string[] };
  users: WorkspaceSeed['users'];
  channels: { id: string; name: string; kind: string; members: string[] }[];
  usergroups: WorkspaceSeed['usergroups'];
}

/** A running Slack simulator and the driver tests use on it. */
export interface SlackSim {
  /** Base URL, e.g. http://127.0.0.1:PORT; a person opens it in a browser to use the workspace (see README). */
  readonly url: string;
  /** `${url}/api/`: pass as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly workspace: WorkspaceSeed;
  /** The Socket Mode side: connections, `disconnect(reason)`, `kill()`, envelopes sent. */
  readonly socket: SocketModeServer;
  info(): SlackSimInfo;
  /** A person who runs commands and clicks buttons. */
  user(id: string): SimUser;
  /** Messages at the top level of a channel (thread replies only when also sent to the channel), oldest first. */
  channel(id: string): { messages(): SimMessage[]; latest(): SimMessage | undefined };
  /** Replies in a thread (without the parent), oldest first. */
  thread(channel: string, ts: string): { parent(): SimMessage | undefined; replies(): SimMessage[] };
  /** Ephemeral messages a user currently sees. */
  ephemerals(user: string, channel?: string): SimEphemeral[];
  files(): SimFile[];
  /** Every delivery (command or click) with its ack latency, oldest first. */
  acks(): Delivery[];
  /** Web API calls answered, optionally for one method. */
  calls(method?: string): ApiCall[];
  /** HTTP 429s served so far. */
  rateLimited(): number;
  /** Switches rate limiting on or off (buckets are reset either way). */
  rateLimits(enabled: boolean): void;
  /** Sends deliveries as signed HTTP requests to the bot's request URL. */
  deliverOverHttp(url: string): void;
  /** Sends deliveries over Socket Mode (the default). */
  deliverOverSocketMode(): void;
  /** Moves the simulator's clock (response_url expiry, message ts, rate-limit refill) forward. */
  advanceTime(ms: number): void;
  /** A workspace admin deletes a message (its thread replies stay, as in Slack, under a deleted parent). */
  deleteMessage(channel: string, ts: string): void;
  /** The author edits a person's message (a bot's messages are edited only through chat.update). */
  editMessage(channel: string, ts: string, text: string): void;
  /** The channel is archived: posting, updating and uploading into it are refused with `is_archived`. */
  archiveChannel(channel: string): void;
  /** Someone removes the bot from a channel (`/remove @debugdead`). */
  removeBot(channel: string): void;
  /**
   * Resolves with the first truthy value of `probe`, re-checked on every simulator change; rejects after
   * `timeoutMs` naming `what`.
   */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Parses a Web API body: form-encoded, JSON, or multipart (which WebClient uses when an argument is binary). */
async function parseArgs(req: IncomingMessage, raw: Buffer, url: URL): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (raw.length === 0) return args;
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form) args[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  return args;
}

/** The bytes of an upload: the raw body, or the (first) file part of a multipart body as WebClient sends it. */
async function uploadBytes(req: IncomingMessage, raw: Buffer): Promise<Buffer> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  for (const [, v] of form) if (typeof v !== 'string') return Buffer.from(await v.arrayBuffer());
  const first = [...form.values()][0];
  return Buffer.from(typeof first === 'string' ? first : '');
}

/** Starts the simulator on 127.0.0.1 (port 0 unless given). */
export async function startSlackSim(opts: SlackSimOptions = {}): Promise<SlackSim> {
  const workspace = buildWorkspace(opts.workspace);
  const state = new SimState(workspace);
  const limiter = new RateLimiter();
  let rateLimitsEnabled = opts.rateLimits ?? true;
  let hub!: DeliveryHub;
  let web: WebClient | undefined;
  const socket = new SocketModeServer(
    workspace.appId,
    (envelopeId, payload) => hub.ackEnvelope(envelopeId, payload),
    () => state.changed(),
  );
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host}:${port}`;
  const wsBase = `ws://${host}:${port}`;
  hub = new DeliveryHub(state, socket, url, opts.ackTimeoutMs ?? 3000);
  const ctx = (): ApiContext => ({
    state,
    baseUrl: url,
    limiter,
    rateLimitsEnabled,
    openConnectionUrl: () => socket.issueUrl(wsBase),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reqUrl = new URL(req.url ?? '/', url);
    const raw = await readBody(req);
    const path = reqUrl.pathname;
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      let args: Record<string, unknown>;
      try {
        args = await parseArgs(req, raw, reqUrl);
      } catch {
        sendJson(res, 200, { ok: false, error: 'invalid_json' });
        return;
      }
      const auth = req.headers.authorization;
      const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
      // JSON bodies must authenticate with the Authorization header; Slack ignores a token inside them.
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      if (isJson) delete args.token;
      const answer = handleApiCall(ctx(), method, args, bearer);
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    if (path.startsWith('/upload/') && req.method === 'POST') {
      const file = state.files.get(path.slice('/upload/'.length));
      if (!file || file.content) {
        res.writeHead(404).end();
        return;
      }
      const bytes = await uploadBytes(req, raw);
      // [U] a length different from the one announced in files.getUploadURLExternal; strict: refused.
      if (bytes.length !== file.length) {
        res.writeHead(400).end(`length mismatch: announced ${file.length}, received ${bytes.length}`);
        return;
      }
      file.content = bytes;
      state.changed();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
      return;
    }
    if (path.startsWith('/response/') && req.method === 'POST') {
      const delivery = hub.find(path.slice('/response/'.length));
      if (!delivery) {
        sendJson(res, 404, { ok: false, error: 'no_such_url' });
        return;
      }
      let body: Record<string, unknown>;
      try {
        const text = raw.toString('utf8');
        const type = req.headers['content-type'] ?? '';
        body = type.startsWith('application/x-www-form-urlencoded')
          ? JSON.parse(new URLSearchParams(text).get('payload') ?? '{}')
          : JSON.parse(text);
      } catch {
        sendJson(res, 400, { ok: false, error: 'invalid_payload' });
        return;
      }
      const answer = handleResponseUrlPost(state, hub, delivery, body);
      sendJson(res, answer.status, answer.body);
      return;
    }
    if (web && (await web.handle(req, res, reqUrl, raw))) return;
    res.writeHead(404).end();
  }

  server.on('upgrade', (req, sock, head) => socket.handleUpgrade(req, sock, head));

  const sim: SlackSim = {
    url,
    apiUrl: `${url}/api/`,
    botToken: workspace.bot.token,
    appToken: workspace.appToken,
    signingSecret: workspace.signingSecret,
    workspace,
    socket,
    info: () => ({
      url,
      apiUrl: `${url}/api/`,
      botToken: workspace.bot.token,
      appToken: workspace.appToken,
      signingSecret: workspace.signingSecret,
      command: workspace.command,
      team: workspace.team,
      appId: workspace.appId,
      bot: { userId: workspace.bot.userId, botId: workspace.bot.botId, scopes: workspace.bot.scopes },
      users: workspace.users,
      channels: [...state.channels.values()].map(({ id, name, kind, members }) => ({ id, name, kind, members })),
      usergroups: workspace.usergroups,
    }),
    user: (id) => new SimUser(state, hub, id),
    channel: (id) => {
      const messages = () =>
        state.messages.filter(
          (m) => m.channel === id && (m.thread_ts === undefined || m.subtype === 'thread_broadcast'),
        );
      return { messages, latest: () => messages().at(-1) };
    },
    thread: (channel, ts) => ({
      parent: () => state.findMessage(channel, ts),
      replies: () => state.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts),
    }),
    ephemerals: (user, channel) =>
      state.ephemerals.filter((e) => e.user === user && !e.deleted && (channel === undefined || e.channel === channel)),
    files: () => [...state.files.values()],
    acks: () => [...hub.deliveries],
    calls: (method) => state.calls.filter((c) => method === undefined || c.method === method),
    rateLimited: () => state.rateLimitedCount,
    rateLimits: (enabled) => {
      rateLimitsEnabled = enabled;
      limiter.reset();
    },
    deliverOverHttp: (target) => {
      hub.target = { mode: 'http', url: target };
    },
    deliverOverSocketMode: () => {
      hub.target = { mode: 'socket' };
    },
    advanceTime: (ms) => state.advanceTime(ms),
    deleteMessage: (channel, ts) => {
      const i = state.messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (i < 0) throw new Error(`no message ${ts} in ${channel}`);
      state.messages.splice(i, 1);
      state.changed();
    },
    editMessage: (channel, ts, text) => {
      const msg = state.findMessage(channel, ts);
      if (!msg) throw new Error(`no message ${ts} in ${channel}`);
      if (msg.user === workspace.bot.userId) throw new Error("a person cannot edit the bot's message");
      msg.text = text;
      msg.edited = { user: msg.user, ts: state.nextTs() };
      state.changed();
    },
    archiveChannel: (channel) => {
      const c = state.channels.get(channel);
      if (!c) throw new Error(`no such channel: ${channel}`);
      c.isArchived = true;
      state.changed();
    },
    removeBot: (channel) => {
      const c = state.channels.get(channel);
      if (!c) throw new Error(`no such channel: ${channel}`);
      c.members = c.members.filter((m) => m !== workspace.bot.userId);
      state.changed();
    },
    waitFor: <T>(probe: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition') =>
      new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          const v = probe();
          if (v === undefined || v === null || v === false) return false;
          cleanup();
          resolve(v);
          return true;
        };
        // Polling as well as change events: some conditions depend on the bot's side (e.g. its own state).
        const poll = setInterval(check, 25);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const onChange = () => void check();
        function cleanup(): void {
          clearInterval(poll);
          clearTimeout(timer);
          state.off('change', onChange);
        }
        state.on('change', onChange);
        check();
      }),
    close: async () => {
      web?.close();
      hub.close();
      socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  web = createWebClient(sim, state);
  return sim;
}
