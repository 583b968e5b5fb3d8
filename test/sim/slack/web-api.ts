import { validateMessage } from './block-kit.js';
import type { RateLimiter } from './rate-limiter.js';
import type { SimMessage, SimState } from './state.js';
import type { ChannelKind } from './workspace.js';

/** What the HTTP layer sends back for one Web API call. */
export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Everything a method needs besides the state: URLs and hooks the server owns. */
export interface ApiContext {
  state: SimState;
  baseUrl: string;
  limiter: RateLimiter;
  rateLimitsEnabled: boolean;
  /** Issues a single-use Socket Mode URL. */
  openConnectionUrl(): string;
}

type TokenKind = 'bot' | 'app';
type Args = Record<string, unknown>;
type Result = Record<string, unknown> & { ok: boolean };

interface MethodSpec {
  token: TokenKind;
  /** A bot scope the method needs (Slack answers `missing_scope`). */
  scope?: string;
  run(ctx: ApiContext, args: Args): Result;
}

/** Channels of the workspace one conversations.list page looks at, before filtering ([U]: Slack's is unpublished). */
const PAGE_SCAN = 50;

const fail = (error: string, extra: Record<string, unknown> = {}): Result => ({ ok: false, error, ...extra });

/** Fields that WebClient sends JSON-encoded inside a form body (it stringifies every non-scalar argument). */
const JSON_FIELDS = ['blocks', 'attachments', 'files', 'metadata'];

/** Turns a form or JSON body into arguments, decoding the JSON-in-form fields. */
export function normaliseArgs(raw: Record<string, unknown>): Args | { badField: string } {
  const args: Args = { ...raw };
  for (const f of JSON_FIELDS) {
    const v = args[f];
    if (typeof v === 'string') {
      try {
        args[f] = JSON.parse(v);
      } catch {
        return { badField: f };
      }
    }
  }
  return args;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v : undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** Form bodies carry booleans as "true"/"1". */
function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

/**
 * May the bot write into `channel`? Slack's rules (Slack docs, "Slash commands"): a member may; in a public channel a
 * non-member gets `not_in_channel` unless the app has `chat:write.public`; a private channel or DM the bot is not in
 * does not exist for it (`channel_not_found`).
 */
function botWriteError(ctx: ApiContext, channel: string): string | undefined {
  const { state } = ctx;
  const c = state.channels.get(channel);
  if (!c) return 'channel_not_found';
  const member = c.members.includes(state.ws.bot.userId);
  if (!member && c.kind !== 'public') return 'channel_not_found';
  if (c.isArchived) return 'is_archived';
  if (member) return undefined;
  return state.ws.bot.scopes.includes('chat:write.public') ? undefined : 'not_in_channel';
}

/** The channel a posting method names, resolved, or Slack's refusal when the bot may not write there. */
function writableChannel(ctx: ApiContext, args: Args): { channel: string } | { refused: Result } {
  const channel = resolveChannel(ctx, str(args.channel));
  if (!channel) return { refused: fail('channel_not_found') };
  const denied = botWriteError(ctx, channel);
  return denied ? { refused: fail(denied) } : { channel };
}

/** chat.postMessage accepts a user id for "the DM between the app and this user". */
function resolveChannel(ctx: ApiContext, channel: string | undefined): string | undefined {
  if (!channel) return undefined;
  if (channel.startsWith('U') || channel.startsWith('W')) {
    const dm = [...ctx.state.channels.values()].find(
      (c) => c.kind === 'im' && c.members.includes(channel) && c.members.includes(ctx.state.ws.bot.userId),
    );
    // [U] Slack opens a DM on demand; the simulator only knows seeded DMs (strict: channel_not_found).
    return dm?.id ?? channel;
  }
  return channel;
}

/** Block Kit and text checks shared by every message-carrying method. */
export function messageError(args: Args): Result | undefined {
  const blocks = args.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return fail('invalid_blocks_format');
  const verdict = validateMessage({
    text: typeof args.text === 'string' ? args.text : undefined,
    blocks: blocks as unknown[] | undefined,
    attachments: args.attachments,
  });
  if (verdict.ok) return undefined;
  // Slack sends the complaints twice: bare in `errors`, prefixed with [ERROR] in `response_metadata.messages`.
  return verdict.messages.length > 0
    ? fail(verdict.error, {
        errors: verdict.messages.map((m) => m.replace(/^\[ERROR\] /, '')),
        response_metadata: { messages: verdict.messages },
      })
    : fail(verdict.error);
}

function botMessage(ctx: ApiContext, channel: string, args: Args): SimMessage {
  const { ws } = ctx.state;
  const msg: SimMessage = {
    type: 'message',
    channel,
    ts: ctx.state.nextTs(),
    user: ws.bot.userId,
    bot_id: ws.bot.botId,
    app_id: ws.appId,
    team: ws.team.id,
    text: typeof args.text === 'string' ? args.text : '',
  };
  const blocks = ctx.state.withBlockIds(args.blocks as unknown[] | undefined);
  if (blocks) msg.blocks = blocks;
  if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
  return msg;
}

/** Replies to a reply join the parent's thread, as in Slack. */
function threadParent(ctx: ApiContext, channel: string, threadTs: string): string | undefined {
  const parent = ctx.state.findMessage(channel, threadTs);
  if (!parent) return undefined;
  return parent.thread_ts ?? parent.ts;
}

function wire(msg: SimMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = msg;
  return rest;
}

function permalink(ctx: ApiContext, channel: string, ts: string, threadTs?: string): string {
  const base = `https://${ctx.state.ws.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

/** Messages scheduled and not deleted, per simulator. */
const scheduled = new WeakMap<SimState, Map<string, { channel: string; postAt: number; text: string }>>();
let scheduledCounter = 1;

/** The scheduled messages of one simulator (tests check that the bot's start-up probes leave none behind). */
export function scheduledMessages(state: SimState): Map<string, { channel: string; postAt: number; text: string }> {
  let m = scheduled.get(state);
  if (!m) {
    m = new Map();
    scheduled.set(state, m);
  }
  return m;
}

const METHODS: Record<string, MethodSpec> = {
  'auth.test': {
    token: 'bot',
    run: ({ state }) => ({
      ok: true,
      url: `https://${state.ws.team.domain}.slack.com/`,
      team: state.ws.team.name,
      user: state.ws.bot.name,
      team_id: state.ws.team.id,
      user_id: state.ws.bot.userId,
      bot_id: state.ws.bot.botId,
      is_enterprise_install: false,
    }),
  },

  'chat.postMessage': {
    token: 'bot',
    scope: 'chat:write',
    run: (ctx, args) => {
      const target = writableChannel(ctx, args);
      if ('refused' in target) return target.refused;
      const { channel } = target;
      const bad = messageError(args);
      if (bad) return bad;
      const msg = botMessage(ctx, channel, args);
      const threadTs = str(args.thread_ts);
      if (threadTs) {
        // [U] Slack's answer to an unknown thread_ts is not documented; strict: refuse it.
        const parent = threadParent(ctx, channel, threadTs);
        if (!parent) return fail('thread_not_found');
        msg.thread_ts = parent;
        if (bool(args.reply_broadcast)) msg.subtype = 'thread_broadcast';
      }
      ctx.state.messages.push(msg);
      ctx.state.changed();
      return { ok: true, channel, ts: msg.ts, message: wire(msg) };
    },
  },

  'chat.update': {
    token: 'bot',
    scope: 'chat:write',
    run: (ctx, args) => {
      const channel = str(args.channel);
      const ts = str(args.ts);
      if (!channel || !ctx.state.channels.has(channel)) return fail('channel_not_found');
      if (!ts) return fail('message_not_found');
      const where = ctx.state.channels.get(channel)!;
      // A private channel or DM the bot has left does not exist for it any more.
      if (where.kind !== 'public' && !where.members.includes(ctx.state.ws.bot.userId)) return fail('channel_not_found');
      // [U] an archived channel's messages cannot be edited either; strict: is_archived.
      if (where.isArchived) return fail('is_archived');
      // Ephemeral messages cannot be edited through the Web API (Slack docs, "Interactivity").
      if (ctx.state.findEphemeral(channel, ts)) return fail('cant_update_message');
      const msg = ctx.state.findMessage(channel, ts);
      if (!msg) return fail('message_not_found');
      if (msg.user !== ctx.state.ws.bot.userId) return fail('cant_update_message');
      // [U] chat.update: omitted blocks keep the old ones and `blocks: []` removes them; omitted text keeps the old.
      const merged: Args = {
        text: args.text !== undefined ? args.text : msg.text,
        blocks: args.blocks !== undefined ? args.blocks : msg.blocks,
        attachments: args.attachments !== undefined ? args.attachments : msg.attachments,
      };
      if (Array.isArray(merged.blocks) && merged.blocks.length === 0) merged.blocks = undefined;
      const bad = messageError(merged);
      if (bad) return bad;
      msg.text = typeof merged.text === 'string' ? merged.text : '';
      const blocks = ctx.state.withBlockIds(merged.blocks as unknown[] | undefined);
      if (blocks) msg.blocks = blocks;
      else delete msg.blocks;
      msg.edited = { user: ctx.state.ws.bot.userId, ts: ctx.state.nextTs() };
      ctx.state.changed();
      return { ok: true, channel, ts, text: msg.text, message: wire(msg) };
    },
  },

  // A message posted at `post_at` (Unix seconds, at most 120 days ahead); the simulator never sends it: tests only
  // see whether Slack accepted it, and its deletion.
  'chat.scheduleMessage': {
    token: 'bot',
    scope: 'chat:write',
    run: (ctx, args) => {
      const target = writableChannel(ctx, args);
      if ('refused' in target) return target.refused;
      const { channel } = target;
      const postAt = Number(str(args.post_at));
      const nowSeconds = Math.floor(ctx.state.now() / 1000);
      if (!Number.isFinite(postAt)) return fail('invalid_time');
      if (postAt <= nowSeconds) return fail('time_in_past');
      if (postAt > nowSeconds + 120 * 86400) return fail('time_too_far');
      const bad = messageError(args);
      if (bad) return bad;
      const id = `Q${(scheduledCounter++).toString(36).toUpperCase().padStart(8, '0')}`;
      scheduledMessages(ctx.state).set(id, { channel, postAt, text: str(args.text) ?? '' });
      ctx.state.changed();
      return { ok: true, channel, scheduled_message_id: id, post_at: postAt };
    },
  },

  'chat.deleteScheduledMessage': {
    token: 'bot',
    scope: 'chat:write',
    run: (ctx, args) => {
      const channel = str(args.channel);
      const id = str(args.scheduled_message_id);
      const pending = scheduledMessages(ctx.state);
      const found = id ? pending.get(id) : undefined;
      if (!found || found.channel !== channel) return fail('invalid_scheduled_message_id');
      pending.delete(id as string);
      ctx.state.changed();
      return { ok: true };
    },
  },

  'chat.postEphemeral': {
    token: 'bot',
    scope: 'chat:write',
    run: (ctx, args) => {
      // [U] whether chat:write.public lets an app post ephemerals into public channels it is not in; same rule.
      const target = writableChannel(ctx, args);
      if ('refused' in target) return target.refused;
      const { channel } = target;
      const user = str(args.user);
      if (!user || !ctx.state.ws.users.some((u) => u.id === user)) return fail('user_not_found');
      if (!ctx.state.isMember(channel, user)) return fail('user_not_in_channel');
      const bad = messageError(args);
      if (bad) return bad;
      const ts = ctx.state.nextTs();
      const blocks = ctx.state.withBlockIds(args.blocks as unknown[] | undefined);
      const threadTs = str(args.thread_ts);
      ctx.state.ephemerals.push({
        channel,
        user,
        ts,
        text: typeof args.text === 'string' ? args.text : '',
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        source: 'chat.postEphemeral',
      });
      ctx.state.changed();
      return { ok: true, message_ts: ts };
    },
  },

  'chat.getPermalink': {
    token: 'bot',
    run: (ctx, args) => {
      const channel = str(args.channel);
      const ts = str(args.message_ts);
      const c = channel ? ctx.state.channels.get(channel) : undefined;
      if (!c || !channel) return fail('channel_not_found');
      if (c.kind !== 'public' && !c.members.includes(ctx.state.ws.bot.userId)) return fail('channel_not_found');
      const msg = ts ? ctx.state.findMessage(channel, ts) : undefined;
      if (!msg) return fail('message_not_found');
      return { ok: true, channel, permalink: permalink(ctx, channel, msg.ts, msg.thread_ts) };
    },
  },

  'conversations.info': {
    token: 'bot',
    scope: 'channels:read',
    run: (ctx, args) => {
      const id = str(args.channel);
      const c = id ? ctx.state.channels.get(id) : undefined;
      const isMember = c?.members.includes(ctx.state.ws.bot.userId) ?? false;
      if (!c || (c.kind !== 'public' && !isMember)) return fail('channel_not_found');
      const other = c.kind === 'im' ? c.members.find((m) => m !== ctx.state.ws.bot.userId) : undefined;
      return {
        ok: true,
        channel: {
          id: c.id,
          ...(c.kind === 'im' ? { user: other } : { name: c.name, name_normalized: c.name }),
          is_channel: c.kind === 'public',
          is_group: c.kind === 'private',
          is_im: c.kind === 'im',
          is_private: c.kind !== 'public',
          is_archived: c.isArchived ?? false,
          is_member: isMember,
          created: c.created,
          ...(c.kind === 'im' ? {} : { num_members: c.members.length }),
        },
      };
    },
  },

  // Slack docs, conversations.list: `types` (public_channel by default; private_channel, mpim, im), each needing its
  // read scope (missing_scope names it); `limit` up to 1000 (100 by default); `cursor` from the previous page's
  // response_metadata.next_cursor. Slack pages first and filters after, so a page may hold fewer channels than
  // asked, even none, while next_cursor says more follow: a client that stops at a short page misses channels.
  // Private channels and DMs are listed only when the bot is in them.
  'conversations.list': {
    token: 'bot',
    run: (ctx, args) => {
      const { state } = ctx;
      const types = (str(args.types) ?? 'public_channel').split(',').map((t) => t.trim());
      const kinds: Record<string, { kind: ChannelKind | 'mpim'; scope: string }> = {
        public_channel: { kind: 'public', scope: 'channels:read' },
        private_channel: { kind: 'private', scope: 'groups:read' },
        mpim: { kind: 'mpim', scope: 'mpim:read' },
        im: { kind: 'im', scope: 'im:read' },
      };
      if (types.some((t) => !kinds[t])) return fail('invalid_types');
      for (const t of types) {
        const { scope } = kinds[t]!;
        if (!state.ws.bot.scopes.includes(scope)) {
          return fail('missing_scope', { needed: scope, provided: state.ws.bot.scopes.join(',') });
        }
      }
      const limitArg = args.limit === undefined ? 100 : Number(args.limit);
      if (!Number.isInteger(limitArg) || limitArg < 1 || limitArg > 1000) return fail('invalid_limit');
      const all = [...state.channels.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      let from = 0;
      const cursor = str(args.cursor);
      if (cursor) {
        const m = /^channel:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
        if (!m || Number(m[1]) > all.length) return fail('invalid_cursor');
        from = Number(m[1]);
      }
      // A page is at most `limit` channels of the whole workspace, and at most PAGE_SCAN of them: Slack's pages are
      // a scan window, filtered after.
      const to = Math.min(all.length, from + Math.min(limitArg, PAGE_SCAN));
      const wanted = new Set(types.map((t) => kinds[t]!.kind));
      const excludeArchived = bool(args.exclude_archived);
      const channels = all
        .slice(from, to)
        .filter((c) => wanted.has(c.kind))
        .filter((c) => c.kind === 'public' || c.members.includes(state.ws.bot.userId))
        .filter((c) => !(excludeArchived && c.isArchived))
        .map((c) => {
          const isMember = c.members.includes(state.ws.bot.userId);
          if (c.kind === 'im') {
            return {
              id: c.id,
              created: c.created,
              is_im: true,
              is_org_shared: false,
              user: c.members.find((m) => m !== state.ws.bot.userId),
            };
          }
          return {
            id: c.id,
            name: c.name,
            name_normalized: c.name,
            is_channel: c.kind === 'public',
            is_group: c.kind === 'private',
            is_im: false,
            is_mpim: false,
            is_private: c.kind !== 'public',
            is_archived: c.isArchived ?? false,
            is_general: c.name === 'general',
            is_member: isMember,
            created: c.created,
            num_members: c.members.length,
          };
        });
      const next = to < all.length ? Buffer.from(`channel:${to}`).toString('base64') : '';
      return { ok: true, channels, response_metadata: { next_cursor: next } };
    },
  },

  'conversations.history': {
    token: 'bot',
    run: (ctx, args) => {
      const id = str(args.channel);
      const c = id ? ctx.state.channels.get(id) : undefined;
      if (!c || !id) return fail('channel_not_found');
      // The history scope follows the channel's kind; a bot reads only conversations it is a member of.
      const needed = c.kind === 'public' ? 'channels:history' : c.kind === 'private' ? 'groups:history' : 'im:history';
      if (!ctx.state.ws.bot.scopes.includes(needed)) {
        return fail('missing_scope', { needed, provided: ctx.state.ws.bot.scopes.join(',') });
      }
      if (!c.members.includes(ctx.state.ws.bot.userId))
        return fail(c.kind === 'public' ? 'not_in_channel' : 'channel_not_found');
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
      const oldest = Number(str(args.oldest) ?? '0');
      const latest = Number(str(args.latest) ?? 'Infinity');
      // Newest first; thread replies are not channel history unless broadcast to the channel.
      const all = ctx.state.messages
        .filter((m) => m.channel === id && (!m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast'))
        .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
        .sort((a, b) => Number(b.ts) - Number(a.ts));
      const start = Number(str(args.cursor) ? Buffer.from(str(args.cursor)!, 'base64').toString() : '0') || 0;
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return {
        ok: true,
        messages: page.map(wire),
        has_more: more,
        response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
      };
    },
  },

  'users.info': {
    token: 'bot',
    scope: 'users:read',
    run: (ctx, args) => {
      const id = str(args.user);
      const u = ctx.state.ws.users.find((x) => x.id === id);
      if (!u) return fail('user_not_found');
      return {
        ok: true,
        user: {
          id: u.id,
          team_id: ctx.state.ws.team.id,
          name: u.name,
          real_name: u.realName,
          deleted: false,
          is_bot: u.isBot ?? false,
          is_admin: false,
          tz: 'Europe/Berlin',
          profile: { real_name: u.realName, display_name: u.name },
        },
      };
    },
  },

  'usergroups.users.list': {
    token: 'bot',
    scope: 'usergroups:read',
    run: (ctx, args) => {
      const id = str(args.usergroup);
      const g = ctx.state.ws.usergroups.find((x) => x.id === id);
      if (!g) return fail('no_such_subteam');
      return { ok: true, users: [...g.users] };
    },
  },

  'files.getUploadURLExternal': {
    token: 'bot',
    scope: 'files:write',
    run: (ctx, args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      // [U] error names for a missing filename / non-positive length; strict: both refused.
      if (!filename) return fail('invalid_arguments', { response_metadata: { messages: ['missing filename'] } });
      if (!Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
      const id = ctx.state.id('F');
      // Both spellings are accepted by Slack (Slack docs, "Rate limits and uploads").
      const altText = str(args.alt_text) ?? str(args.alt_txt);
      ctx.state.files.set(id, {
        id,
        name: filename,
        title: filename,
        length,
        ...(altText ? { altText } : {}),
        ...(str(args.snippet_type) ? { snippetType: str(args.snippet_type) } : {}),
        shares: [],
        completed: false,
      });
      ctx.state.changed();
      return { ok: true, upload_url: `${ctx.baseUrl}/upload/${id}`, file_id: id };
    },
  },

  'files.completeUploadExternal': {
    token: 'bot',
    scope: 'files:write',
    run: (ctx, args) => {
      const list = args.files;
      if (!Array.isArray(list) || list.length === 0) return fail('invalid_arguments');
      const files = [];
      for (const f of list as { id?: string; title?: string }[]) {
        const file = f.id ? ctx.state.files.get(f.id) : undefined;
        if (!file) return fail('file_not_found');
        // [U] completing before the bytes arrived: strict, refused like an unknown file.
        if (!file.content) return fail('file_not_found');
        files.push({ file, title: f.title });
      }
      const channelList = str(args.channel_id) ?? str(args.channels);
      const channel = channelList?.split(',')[0];
      let threadTs = str(args.thread_ts);
      if (channel) {
        const denied = botWriteError(ctx, channel);
        if (denied) return fail(denied);
        if (threadTs) {
          const parent = threadParent(ctx, channel, threadTs);
          if (!parent) return fail('thread_not_found');
          threadTs = parent;
        }
        if (args.blocks !== undefined || args.initial_comment !== undefined) {
          const bad = messageError({ text: args.initial_comment ?? 'file', blocks: args.blocks });
          if (bad) return bad;
        }
      }
      for (const { file, title } of files) {
        if (title) file.title = title;
        file.completed = true;
      }
      if (channel) {
        // Sharing posts one message carrying the files (and the initial comment) into the channel or thread.
        const msg = botMessage(ctx, channel, {
          text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
          blocks: args.blocks,
        });
        if (threadTs) msg.thread_ts = threadTs;
        msg.files = files.map(({ file }) => ({ id: file.id, name: file.name, title: file.title }));
        ctx.state.messages.push(msg);
        for (const { file } of files) {
          file.shares.push({ channel, ts: msg.ts, ...(threadTs ? { threadTs } : {}) });
        }
      }
      ctx.state.changed();
      return {
        ok: true,
        files: files.map(({ file }) => ({
          id: file.id,
          name: file.name,
          title: file.title,
          size: file.length,
          ...(file.altText ? { alt_txt: file.altText } : {}),
        })),
      };
    },
  },

  'apps.connections.open': {
    token: 'app',
    run: (ctx) => ({ ok: true, url: ctx.openConnectionUrl() }),
  },
};

/** Method names the simulator implements. */
export const SUPPORTED_METHODS = Object.keys(METHODS);

/**
 * Answers one Web API call. Errors are HTTP 200 with `ok:false` as Slack sends them; only rate limiting is a 429
 * (with `Retry-After`).
 */
export function handleApiCall(ctx: ApiContext, method: string, rawArgs: Args, bearer: string | undefined): ApiResponse {
  const { state } = ctx;
  const spec = METHODS[method];
  const answer = (body: Result, status = 200, headers?: Record<string, string>): ApiResponse => {
    state.calls.push({
      method,
      args: rawArgs,
      status,
      ok: body.ok,
      ...(body.ok ? {} : { error: String(body.error) }),
      at: state.now(),
    });
    state.changed();
    return { status, body, ...(headers ? { headers } : {}) };
  };
  if (!spec) return answer(fail('unknown_method', { req_method: method }));
  const token = bearer ?? str(rawArgs.token);
  if (!token) return answer(fail('not_authed'));
  const kind: TokenKind | undefined =
    token === state.ws.bot.token ? 'bot' : token === state.ws.appToken ? 'app' : undefined;
  if (!kind) return answer(fail('invalid_auth'));
  if (kind !== spec.token) return answer(fail('not_allowed_token_type'));
  if (spec.scope && !state.ws.bot.scopes.includes(spec.scope)) {
    return answer(fail('missing_scope', { needed: spec.scope, provided: state.ws.bot.scopes.join(',') }));
  }
  const args = normaliseArgs(rawArgs);
  if ('badField' in args) {
    return answer(fail(args.badField === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments'));
  }
  if (ctx.rateLimitsEnabled) {
    const channel = method === 'chat.postMessage' ? resolveChannel(ctx, str(args.channel)) : undefined;
    const wait = ctx.limiter.take(method, channel, state.now());
    if (wait > 0) {
      state.rateLimitedCount += 1;
      return answer(fail('ratelimited'), 429, { 'retry-after': String(wait) });
    }
  }
  return answer(spec.run(ctx, args));
}
