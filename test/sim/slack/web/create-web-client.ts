import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCommandText } from '../encode-command-text.js';
import type { SlackSim } from '../index.js';
import type { SimState } from '../state.js';
import {
  channelTimeline,
  compareTs,
  latestFromOthers,
  renderContextFor,
  threadTimeline,
  type WorkspaceSnapshot,
} from './build-views.js';
import { isKnownTimeZone } from './format-slack-date.js';
import { renderMessage } from './render-message.js';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/client/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/client/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};
/** The page's own origin only: no inline script, no third-party anything (a message cannot smuggle a script in). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: http: data:; connect-src 'self'";
/** Change events are coalesced: a clone's progress edits arrive in bursts. */
const COALESCE_MS = 40;
const HEARTBEAT_MS = 15_000;

/** The web client of the simulated workspace, served beside the Web API on the simulator's base URL. */
export interface WebClient {
  /** Answers the request if it is the client's; false for paths that are not. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<boolean>;
  close(): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${name} is required`);
  return v;
}

export function createWebClient(sim: SlackSim, state: SimState): WebClient {
  /** Per reader, per channel: the newest ts they have seen (Slack's "last read" marker). */
  const lastRead = new Map<string, Map<string, string>>();
  const streams = new Set<ServerResponse>();
  let seq = 0;
  let pending: NodeJS.Timeout | undefined;
  const onChange = () => {
    seq += 1;
    pending ??= setTimeout(() => {
      pending = undefined;
      for (const res of streams) res.write(`data: ${seq}\n\n`);
    }, COALESCE_MS);
  };
  state.on('change', onChange);
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const snapshot = (): WorkspaceSnapshot => ({
    ws: state.ws,
    channels: [...state.channels.values()],
    messages: state.messages,
    ephemerals: state.ephemerals,
    files: state.files,
  });

  const person = (id: string) => {
    const user = state.ws.users.find((u) => u.id === id && !u.isBot);
    if (!user) throw new HttpError(400, `no such person in the workspace: ${id}`);
    return user;
  };

  function view(params: URLSearchParams): unknown {
    const reader = person(params.get('user') ?? '').id;
    const tz = params.get('tz') ?? 'UTC';
    const snap = snapshot();
    const ctx = renderContextFor(snap, reader, isKnownTimeZone(tz) ? tz : 'UTC', state.now());
    const visible = snap.channels.filter((c) => c.members.includes(reader));
    const wanted = params.get('channel');
    const current = visible.find((c) => c.id === wanted) ?? visible[0];
    const reads = lastRead.get(reader) ?? new Map<string, string>();
    lastRead.set(reader, reads);
    const messages = current ? channelTimeline(snap, current.id, reader) : [];
    if (current) {
      const newest = latestFromOthers(snap, current.id, reader);
      if (newest) reads.set(current.id, newest.ts);
    }
    const threadTs = params.get('thread');
    const thread = current && threadTs ? threadTimeline(snap, current.id, threadTs, reader) : undefined;
    const channels = visible.map((c) => {
      const seen = reads.get(c.id) ?? '0';
      const fresh = channelTimeline(snap, c.id, reader).filter(
        (k) => k.item.author.id !== reader && compareTs(k.item.ts, seen) > 0,
      );
      const mentions = fresh.filter((k) => JSON.stringify([k.item.text, k.item.blocks]).includes(`<@${reader}`));
      return { id: c.id, name: c.name, kind: c.kind, unread: fresh.length > 0, mentions: mentions.length };
    });
    const html = (k: { key: string; item: Parameters<typeof renderMessage>[0] }) => ({
      key: k.key,
      html: renderMessage(k.item, ctx),
    });
    return {
      seq,
      command: state.ws.command,
      me: reader,
      people: state.ws.users.filter((u) => !u.isBot).map((u) => ({ id: u.id, name: u.realName || u.name })),
      channels,
      channel: current ? { id: current.id, name: current.name, kind: current.kind } : null,
      messages: messages.map(html),
      thread: thread ? { ts: threadTs, messages: thread.map(html) } : null,
    };
  }

  /** What a person typed, as Slack stores a typed message: `& < >` escaped, typed `@name`s as mentions. */
  function typedText(text: string): string {
    return encodeCommandText(text, {
      shouldEscape: true,
      userName: (id) => state.ws.users.find((u) => u.id === id)?.name,
      userIdByName: (name) => state.ws.users.find((u) => u.name === name && !u.isBot)?.id,
      channelName: (id) => state.channels.get(id)?.name,
    });
  }

  async function post(path: string, body: Record<string, unknown>): Promise<unknown> {
    const user = person(field(body, 'user')).id;
    const channel = field(body, 'channel');
    if (path === '/client/command') {
      const typed = field(body, 'text').trim();
      const [command = ''] = typed.split(/\s+/);
      // Slack's client refuses an unknown command before anything is sent.
      if (command !== state.ws.command) throw new HttpError(400, `${command} is not a valid command.`);
      const delivery = await sim.user(user).runCommand(command, typed.slice(command.length).trim(), { channel });
      return { acked: delivery.acked, timedOut: delivery.timedOut };
    }
    if (path === '/client/say') {
      const threadTs = typeof body.threadTs === 'string' && body.threadTs ? body.threadTs : undefined;
      const text = field(body, 'text');
      if (text.trim().startsWith('/')) throw new HttpError(400, 'Slash commands cannot be run in threads.');
      const msg = sim.user(user).say(channel, typedText(text), threadTs ? { threadTs } : {});
      return { ts: msg.ts };
    }
    if (path === '/client/click') {
      const ts = field(body, 'ts');
      const actionId = field(body, 'actionId');
      const blockId = typeof body.blockId === 'string' ? body.blockId : undefined;
      const target = body.ephemeral === true ? state.findEphemeral(channel, ts) : state.findMessage(channel, ts);
      if (!target) throw new HttpError(404, 'that message is gone');
      // The page showed the confirm dialog and posts only once the person confirmed it.
      const delivery = await sim
        .user(user)
        .click(target, actionId, { confirm: true, ...(blockId !== undefined ? { blockId } : {}) });
      return delivery.sent ? { acked: delivery.acked, timedOut: delivery.timedOut } : { sent: false };
    }
    throw new HttpError(404, 'no such endpoint');
  }

  function serveFile(res: ServerResponse, id: string): void {
    const file = state.files.get(id);
    if (!file?.content) throw new HttpError(404, 'no such file');
    const image = /\.(png|jpe?g|gif|webp)$/i.exec(file.name)?.[1]?.toLowerCase();
    res.writeHead(200, {
      // Text stays text: a file holding HTML must never be run as a page of this origin.
      'content-type': image ? `image/${image === 'jpg' ? 'jpeg' : image}` : 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    res.end(file.content);
  }

  function openStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\ndata: ${seq}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  return {
    async handle(req, res, url, raw) {
      const path = url.pathname;
      if (path === '/favicon.ico') {
        res.writeHead(204).end();
        return true;
      }
      const isClient = path === '/' || path.startsWith('/client/');
      if (!isClient) return false;
      try {
        const asset = STATIC[path];
        if (asset && req.method === 'GET') {
          res.writeHead(200, {
            'content-type': asset.type,
            'cache-control': 'no-store',
            'content-security-policy': CSP,
          });
          res.end(readFileSync(join(ASSETS, asset.file)));
        } else if (path === '/client/view' && req.method === 'GET') {
          sendJson(res, 200, view(url.searchParams));
        } else if (path === '/client/events' && req.method === 'GET') {
          openStream(req, res);
        } else if (path.startsWith('/client/files/') && req.method === 'GET') {
          serveFile(res, decodeURIComponent(path.slice('/client/files/'.length)));
        } else if (req.method === 'POST') {
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new HttpError(400, 'the body must be JSON');
          }
          if (!body || typeof body !== 'object') throw new HttpError(400, 'the body must be a JSON object');
          sendJson(res, 200, await post(path, body as Record<string, unknown>));
        } else {
          throw new HttpError(404, 'not found');
        }
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 400;
        if (!res.headersSent) sendJson(res, status, { error: (err as Error).message });
      }
      return true;
    },
    close() {
      state.off('change', onChange);
      clearTimeout(pending);
      clearInterval(heartbeat);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
