import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_SCOPES, defaultWorkspace, type SlackSim, startSlackSim } from '../sim/slack/index.js';

/** What a Web API call answered: its body when ok:false came back as a platform error, else the result. */
async function answer(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    return (await call) as Record<string, unknown>;
  } catch (e) {
    const data = (e as { data?: Record<string, unknown> }).data;
    if (data) return data;
    throw e;
  }
}

describe('Web API conformance', () => {
  let sim: SlackSim;
  let bot: WebClient;

  beforeAll(async () => {
    // Methods the bot does not call need scopes its manifest does not ask for: this workspace grants them too.
    sim = await startSlackSim({
      rateLimits: false,
      workspace: {
        bot: {
          ...defaultWorkspace().bot,
          scopes: [...DEFAULT_BOT_SCOPES, 'channels:read', 'groups:read', 'users:read'],
        },
      },
    });
    bot = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => sim.close());

  const client = (token?: string) => new WebClient(token, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });

  describe('authentication', () => {
    it.each([
      ['no token', undefined, 'not_authed'],
      ['an unknown token', 'xoxb-nope', 'invalid_auth'],
      ['the app-level token on a bot method', 'xapp-1-sim-app-token', 'not_allowed_token_type'],
    ])('%s → %s', async (_what, token, error) => {
      expect(await answer(client(token).auth.test())).toMatchObject({ ok: false, error });
    });

    it('apps.connections.open needs the app-level token, not the bot token', async () => {
      expect(await answer(bot.apps.connections.open())).toMatchObject({ ok: false, error: 'not_allowed_token_type' });
      const opened = await client(sim.appToken).apps.connections.open();
      expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
    });

    it('auth.test names the team, the bot user and the bot id', async () => {
      expect(await bot.auth.test()).toMatchObject({
        ok: true,
        team_id: 'T0DEBUGDEAD',
        user_id: 'U0BOT0099',
        bot_id: 'B0BOT0099',
      });
    });

    it('accepts a JSON body with the token in the Authorization header', async () => {
      const res = await fetch(`${sim.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${sim.botToken}` },
        body: JSON.stringify({ channel: 'C0INCIDENT', text: 'json body', blocks: [{ type: 'divider' }] }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, channel: 'C0INCIDENT' });
    });

    it('ignores a token inside a JSON body (Slack wants the header)', async () => {
      const res = await fetch(`${sim.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: sim.botToken }),
      });
      expect(await res.json()).toMatchObject({ ok: false, error: 'not_authed' });
    });

    it('accepts the token as a form field', async () => {
      const res = await fetch(`${sim.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: sim.botToken }).toString(),
      });
      expect(await res.json()).toMatchObject({ ok: true });
    });
  });

  describe('channel membership', () => {
    it.each([
      ['a public channel the bot is in', 'C0INCIDENT', true, undefined],
      ['a private channel the bot is in', 'G0PLATFORM', true, undefined],
      ['a DM with the bot', 'D0ALICE01', true, undefined],
      ['a user id (the DM with that user)', 'U0ALICE01', true, undefined],
      // manifest.yml grants chat:write.public, as production has it.
      ['a public channel the bot is not in', 'C0GENERAL', true, undefined],
      ['a private channel the bot is not in', 'G0SECOPS0', false, 'channel_not_found'],
      ['a channel that does not exist', 'C0NOPE000', false, 'channel_not_found'],
    ])('chat.postMessage into %s', async (_what, channel, ok, error) => {
      const res = await answer(bot.chat.postMessage({ channel, text: 'hi' }));
      expect(res.ok).toBe(ok);
      if (error) expect(res.error).toBe(error);
    });

    it('without chat:write.public the bot may not post into a public channel it is not in', async () => {
      const pub = await startSlackSim({
        rateLimits: false,
        workspace: {
          bot: {
            ...sim.workspace.bot,
            scopes: sim.workspace.bot.scopes.filter((s) => s !== 'chat:write.public'),
          },
        },
      });
      try {
        const c = new WebClient(pub.botToken, { slackApiUrl: pub.apiUrl, retryConfig: { retries: 0 } });
        expect(await answer(c.chat.postMessage({ channel: 'C0GENERAL', text: 'hi' }))).toMatchObject({
          error: 'not_in_channel',
        });
        expect(await answer(c.chat.postMessage({ channel: 'G0SECOPS0', text: 'hi' }))).toMatchObject({
          error: 'channel_not_found',
        });
      } finally {
        await pub.close();
      }
    });

    it.each([
      ['C0INCIDENT', true],
      ['C0GENERAL', true],
      ['G0SECOPS0', false],
    ])('conversations.info %s: visible=%s', async (channel, visible) => {
      const res = await answer(bot.conversations.info({ channel }));
      expect(res.ok).toBe(visible);
      if (!visible) expect(res.error).toBe('channel_not_found');
    });

    it('conversations.info tells whether the bot is a member and whether the channel is private', async () => {
      const res = await bot.conversations.info({ channel: 'G0PLATFORM' });
      expect(res.channel).toMatchObject({ id: 'G0PLATFORM', is_private: true, is_member: true, is_im: false });
    });
  });

  describe('threads', () => {
    it('a reply lands in the thread; reply_broadcast also shows it in the channel', async () => {
      const parent = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'parent' });
      await bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: parent.ts as string, text: 'quiet reply' });
      await bot.chat.postMessage({
        channel: 'C0INCIDENT',
        thread_ts: parent.ts as string,
        text: 'loud reply',
        reply_broadcast: true,
      });
      expect(
        sim
          .thread('C0INCIDENT', parent.ts as string)
          .replies()
          .map((m) => m.text),
      ).toEqual(['quiet reply', 'loud reply']);
      const top = sim
        .channel('C0INCIDENT')
        .messages()
        .map((m) => m.text);
      expect(top).toContain('loud reply');
      expect(top).not.toContain('quiet reply');
    });

    it('a reply to a reply joins the parent thread', async () => {
      const parent = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'p' });
      const reply = await bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: parent.ts as string, text: 'r1' });
      await bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: reply.ts as string, text: 'r2' });
      expect(sim.thread('C0INCIDENT', parent.ts as string).replies()).toHaveLength(2);
    });

    it('an unknown thread_ts is refused (strict reading)', async () => {
      const res = await answer(bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: '1.000001', text: 'x' }));
      expect(res).toMatchObject({ ok: false, error: 'thread_not_found' });
    });

    it('messages keep their blocks, with a block_id filled in where none was given', async () => {
      const res = await bot.chat.postMessage({
        channel: 'C0INCIDENT',
        text: 'f',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*bold*' } }],
      });
      const stored = sim.channel('C0INCIDENT').latest();
      expect(stored?.ts).toBe(res.ts);
      expect(stored?.blocks).toEqual([
        { type: 'section', block_id: expect.any(String), text: { type: 'mrkdwn', text: '*bold*' } },
      ]);
    });
  });

  describe('chat.update', () => {
    it('edits the bot’s own message, keeping its blocks when none are given', async () => {
      const posted = await bot.chat.postMessage({
        channel: 'C0INCIDENT',
        text: 'before',
        blocks: [{ type: 'divider' }],
      });
      const res = await bot.chat.update({ channel: 'C0INCIDENT', ts: posted.ts as string, text: 'after' });
      expect(res.ok).toBe(true);
      const msg = sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.ts === posted.ts);
      expect(msg).toMatchObject({ text: 'after', blocks: [{ type: 'divider' }], edited: { user: 'U0BOT0099' } });
    });

    it('refuses an ephemeral message with cant_update_message', async () => {
      const eph = await bot.chat.postEphemeral({ channel: 'C0INCIDENT', user: 'U0ALICE01', text: 'only you' });
      const res = await answer(bot.chat.update({ channel: 'C0INCIDENT', ts: eph.message_ts as string, text: 'x' }));
      expect(res).toMatchObject({ ok: false, error: 'cant_update_message' });
    });

    it('refuses someone else’s message with cant_update_message', async () => {
      const human = sim.user('U0ALICE01').say('C0INCIDENT', 'I wrote this');
      const res = await answer(bot.chat.update({ channel: 'C0INCIDENT', ts: human.ts, text: 'x' }));
      expect(res).toMatchObject({ ok: false, error: 'cant_update_message' });
    });

    it('answers message_not_found for an unknown ts', async () => {
      const res = await answer(bot.chat.update({ channel: 'C0INCIDENT', ts: '1.000002', text: 'x' }));
      expect(res).toMatchObject({ ok: false, error: 'message_not_found' });
    });
  });

  describe('chat.postEphemeral', () => {
    it('shows the message only to that user', async () => {
      await bot.chat.postEphemeral({ channel: 'C0INCIDENT', user: 'U0BOB0002', text: 'psst' });
      expect(sim.ephemerals('U0BOB0002').map((e) => e.text)).toContain('psst');
      expect(sim.ephemerals('U0ALICE01').map((e) => e.text)).not.toContain('psst');
    });

    it('refuses a user who is not in the channel', async () => {
      const res = await answer(bot.chat.postEphemeral({ channel: 'G0PLATFORM', user: 'U0BOB0002', text: 'x' }));
      expect(res).toMatchObject({ ok: false, error: 'user_not_in_channel' });
    });
  });

  describe('Block Kit on every message-carrying method', () => {
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    it.each([
      ['chat.postMessage', () => bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'f', blocks: tooLong })],
      [
        'chat.postEphemeral',
        () => bot.chat.postEphemeral({ channel: 'C0INCIDENT', user: 'U0ALICE01', text: 'f', blocks: tooLong }),
      ],
      [
        'chat.update',
        async () => {
          const p = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'f' });
          return bot.chat.update({ channel: 'C0INCIDENT', ts: p.ts as string, text: 'f', blocks: tooLong });
        },
      ],
    ])('%s answers invalid_blocks with the json-pointer', async (_m, call) => {
      expect(await answer(call())).toEqual({
        ok: false,
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
        response_metadata: {
          messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
        },
      });
    });

    it.each([
      ['no text and no blocks', { channel: 'C0INCIDENT' }, 'no_text'],
      ['text over 40,000 characters', { channel: 'C0INCIDENT', text: 'x'.repeat(40_001) }, 'msg_too_long'],
      [
        'more than about 12,000 characters of block text',
        {
          channel: 'C0INCIDENT',
          text: 'f',
          blocks: [0, 1, 2, 3, 4].map(() => ({ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(2500) } })),
        },
        'msg_blocks_too_long',
      ],
    ])('chat.postMessage with %s → %s', async (_what, args, error) => {
      expect(await answer(bot.chat.postMessage(args as never))).toMatchObject({ ok: false, error });
    });
  });

  describe('look-ups', () => {
    it('users.info returns the person, user_not_found otherwise', async () => {
      expect((await bot.users.info({ user: 'U0ALICE01' })).user).toMatchObject({ id: 'U0ALICE01', name: 'alice' });
      expect(await answer(bot.users.info({ user: 'U0NOBODY0' }))).toMatchObject({ error: 'user_not_found' });
    });

    it('usergroups.users.list lists the on-call group', async () => {
      expect((await bot.usergroups.users.list({ usergroup: 'S0ONCALL0' })).users).toEqual(['U0ALICE01', 'U0BOB0002']);
      expect(await answer(bot.usergroups.users.list({ usergroup: 'S0NOPE000' }))).toMatchObject({
        error: 'no_such_subteam',
      });
    });

    it('chat.getPermalink points at the message (and its thread)', async () => {
      const parent = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'p' });
      const reply = await bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: parent.ts as string, text: 'r' });
      const link = await bot.chat.getPermalink({ channel: 'C0INCIDENT', message_ts: reply.ts as string });
      expect(link.permalink).toBe(
        `https://debugdead.slack.com/archives/C0INCIDENT/p${(reply.ts as string).replace('.', '')}?thread_ts=${parent.ts}&cid=C0INCIDENT`,
      );
      expect(await answer(bot.chat.getPermalink({ channel: 'C0INCIDENT', message_ts: '1.000003' }))).toMatchObject({
        error: 'message_not_found',
      });
    });

    it('chat.getPermalink answers only for a message that exists, where the bot can see it', async () => {
      const kept = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'kept' });
      const gone = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'gone' });
      sim.deleteMessage('C0INCIDENT', gone.ts as string);
      const ephemeral = await bot.chat.postEphemeral({ channel: 'C0INCIDENT', user: 'U0ALICE01', text: 'e' });
      const refusals: [string, Record<string, unknown>, string][] = [
        ['no channel', { message_ts: kept.ts }, 'channel_not_found'],
        ['no message_ts', { channel: 'C0INCIDENT' }, 'message_not_found'],
        ['a deleted message', { channel: 'C0INCIDENT', message_ts: gone.ts }, 'message_not_found'],
        ["another channel's message", { channel: 'G0PLATFORM', message_ts: kept.ts }, 'message_not_found'],
        ['an ephemeral message', { channel: 'C0INCIDENT', message_ts: ephemeral.message_ts }, 'message_not_found'],
        ['a private channel the bot is not in', { channel: 'G0SECOPS0', message_ts: kept.ts }, 'channel_not_found'],
        ['an unknown channel', { channel: 'C0NOWHERE0', message_ts: kept.ts }, 'channel_not_found'],
      ];
      for (const [what, args, error] of refusals) {
        expect(await answer(bot.apiCall('chat.getPermalink', args)), what).toMatchObject({ ok: false, error });
      }
      expect(await bot.chat.getPermalink({ channel: 'C0INCIDENT', message_ts: kept.ts as string })).toMatchObject({
        ok: true,
        channel: 'C0INCIDENT',
        permalink: `https://debugdead.slack.com/archives/C0INCIDENT/p${(kept.ts as string).replace('.', '')}`,
      });
    });

    it('an unknown method answers unknown_method', async () => {
      expect(await answer(bot.apiCall('chat.frobnicate'))).toMatchObject({ ok: false, error: 'unknown_method' });
    });
  });

  describe('file uploads (getUploadURLExternal → upload URL → completeUploadExternal)', () => {
    it('filesUploadV2 shares the file into a thread with its comment', async () => {
      const parent = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'diagnosis' });
      const content = 'panic: runtime error\n'.repeat(50);
      const res = await bot.filesUploadV2({
        channel_id: 'C0INCIDENT',
        thread_ts: parent.ts as string,
        filename: 'web-1.previous.log',
        title: 'web-1 previous logs',
        content,
        initial_comment: 'Full previous logs',
      });
      expect(res.ok).toBe(true);
      const file = sim.files().find((f) => f.name === 'web-1.previous.log');
      expect(file).toMatchObject({ title: 'web-1 previous logs', completed: true, length: Buffer.byteLength(content) });
      expect(file?.content?.toString('utf8')).toBe(content);
      const [reply] = sim.thread('C0INCIDENT', parent.ts as string).replies();
      expect(reply).toMatchObject({ text: 'Full previous logs', files: [{ id: file?.id }] });
    });

    it('refuses to share into a private channel the bot is not in', async () => {
      const res = await answer(
        bot.filesUploadV2({ channel_id: 'G0SECOPS0', filename: 'a.txt', content: 'a' }) as Promise<unknown>,
      );
      expect(res).toMatchObject({ ok: false, error: 'channel_not_found' });
    });

    it('refuses completing a file whose bytes never arrived', async () => {
      const { file_id } = await bot.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
      const res = await answer(
        bot.files.completeUploadExternal({ files: [{ id: file_id as string }], channel_id: 'C0INCIDENT' }),
      );
      expect(res).toMatchObject({ ok: false, error: 'file_not_found' });
    });

    it('refuses a zero length', async () => {
      expect(await answer(bot.files.getUploadURLExternal({ filename: 'x.txt', length: 0 }))).toMatchObject({
        ok: false,
        error: 'invalid_arguments',
      });
    });

    it('accepts alt_txt as well as alt_text', async () => {
      // WebClient's types only know alt_text; Slack accepts both spellings (Slack docs).
      const { file_id } = (await bot.apiCall('files.getUploadURLExternal', {
        filename: 'g.png',
        length: 1,
        alt_txt: 'graph',
      })) as { file_id?: string };
      expect(sim.files().find((f) => f.id === file_id)?.altText).toBe('graph');
    });
  });
});
