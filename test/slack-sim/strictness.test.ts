import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findManifest, readManifestFacts } from '../sim/slack/app-manifest.js';
import { type EncodeContext, encodeCommandText } from '../sim/slack/encode-command-text.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { POST_MESSAGE_PER_WORKSPACE, RateLimiter } from '../sim/slack/rate-limiter.js';

const people: Record<string, string> = { U0ALICE01: 'alice', U0BOB0001: 'bob' };
const context = (shouldEscape: boolean): EncodeContext => ({
  shouldEscape,
  userName: (id) => people[id],
  userIdByName: (name) => Object.keys(people).find((id) => people[id] === name),
  channelName: (id) => (id === 'C0GENERAL' ? 'general' : undefined),
});

describe('command text as Slack sends it', () => {
  it.each([
    // typed (picked entities in client markup)        should_escape: false             should_escape: true
    ['audit <@U0ALICE01>', 'audit @alice', 'audit <@U0ALICE01|alice>'],
    ['audit @alice', 'audit @alice', 'audit <@U0ALICE01|alice>'],
    ['audit @nobody', 'audit @nobody', 'audit @nobody'],
    ['see <#C0GENERAL>', 'see #general', 'see <#C0GENERAL|general>'],
    ['<https://evil.example/x>', 'https://evil.example/x', '<https://evil.example/x>'],
    ['hey @here', 'hey @here', 'hey <!here>'],
    ['<!channel> now', '@channel now', '<!channel> now'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d', 'a &amp; b &lt; c &gt; d'],
    ['<@U0ALICE01> & <b>', '@alice &amp; &lt;b&gt;', '<@U0ALICE01|alice> &amp; &lt;b&gt;'],
  ])('%s', (typed, plain, escaped) => {
    expect(encodeCommandText(typed, context(false))).toBe(plain);
    expect(encodeCommandText(typed, context(true))).toBe(escaped);
  });
});

describe('the workspace follows manifest.yml', () => {
  let sim: SlackSim;
  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('the bot token holds exactly the scopes the manifest asks for, and the command escapes as the manifest says', () => {
    const facts = readManifestFacts(readFileSync(findManifest(), 'utf8'));
    expect(sim.workspace.bot.scopes).toEqual(facts.botScopes);
    expect(sim.workspace.command).toBe(facts.command);
    expect(sim.workspace.shouldEscape).toBe(facts.shouldEscape);
  });

  it('a manifest without a slash command or with malformed scopes is refused', () => {
    expect(() => readManifestFacts('features: {}\n')).toThrow(/no slash command/);
    expect(() =>
      readManifestFacts(
        'features:\n  slash_commands:\n    - command: /x\noauth_config:\n  scopes:\n    bot: chat:write\n',
      ),
    ).toThrow(/list of scopes/);
  });

  it('the text a command carries on the wire is encoded for the manifest’s should_escape', async () => {
    const wire: string[] = [];
    sim.deliverOverHttp('http://127.0.0.1:9/unused');
    // A Bolt-free look at the payload: the delivery records what would be sent.
    const d = sim.user('U0ALICE01').runCommand('/debugdead', 'audit <@U0BOB0002> & <x>', { channel: 'C0INCIDENT' });
    const delivery = await d;
    wire.push(String(delivery.payload.text));
    sim.deliverOverSocketMode();
    expect(wire[0]).toBe(
      sim.workspace.shouldEscape ? 'audit <@U0BOB0002|bob> &amp; &lt;x&gt;' : 'audit @bob &amp; &lt;x&gt;',
    );
  });
});

describe('driver steps that change the workspace under the bot', () => {
  let sim: SlackSim;
  let bot: WebClient;
  beforeAll(async () => {
    sim = await startSlackSim({ rateLimits: false });
    bot = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await sim.close();
  });
  const answer = (p: Promise<unknown>) =>
    p.then(
      (r) => r as { ok: boolean; error?: string },
      (e: { data?: { ok: boolean; error?: string } }) => e.data ?? { ok: false, error: String(e) },
    );

  it('a deleted message can no longer be updated or replied to', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'summary' });
    sim.deleteMessage('C0INCIDENT', posted.ts!);
    expect(await answer(bot.chat.update({ channel: 'C0INCIDENT', ts: posted.ts!, text: 'x' }))).toMatchObject({
      error: 'message_not_found',
    });
    expect(
      await answer(bot.chat.postMessage({ channel: 'C0INCIDENT', thread_ts: posted.ts!, text: 'r' })),
    ).toMatchObject({ error: 'thread_not_found' });
  });

  it('a person may edit their own message, never the bot’s', async () => {
    const mine = sim.user('U0ALICE01').say('C0INCIDENT', 'first');
    sim.editMessage('C0INCIDENT', mine.ts, 'second');
    expect(
      sim
        .channel('C0INCIDENT')
        .messages()
        .find((m) => m.ts === mine.ts)?.text,
    ).toBe('second');
    const posted = await bot.chat.postMessage({ channel: 'C0INCIDENT', text: 'bot' });
    expect(() => sim.editMessage('C0INCIDENT', posted.ts!, 'hacked')).toThrow(/cannot edit/);
  });

  it('an archived channel refuses posts and edits with is_archived', async () => {
    const sim2 = await startSlackSim({ rateLimits: false });
    const c = new WebClient(sim2.botToken, { slackApiUrl: sim2.apiUrl, retryConfig: { retries: 0 } });
    try {
      const posted = await c.chat.postMessage({ channel: 'C0INCIDENT', text: 'before' });
      sim2.archiveChannel('C0INCIDENT');
      expect(await answer(c.chat.postMessage({ channel: 'C0INCIDENT', text: 'after' }))).toMatchObject({
        error: 'is_archived',
      });
      expect(await answer(c.chat.update({ channel: 'C0INCIDENT', ts: posted.ts!, text: 'x' }))).toMatchObject({
        error: 'is_archived',
      });
    } finally {
      await sim2.close();
    }
  });

  it('a bot removed from a private channel can neither post there nor edit its messages', async () => {
    const posted = await bot.chat.postMessage({ channel: 'G0PLATFORM', text: 'summary' });
    sim.removeBot('G0PLATFORM');
    expect(await answer(bot.chat.postMessage({ channel: 'G0PLATFORM', text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
    expect(await answer(bot.chat.update({ channel: 'G0PLATFORM', ts: posted.ts!, text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
  });

  it('conversations.history returns the bot’s channel messages newest first, paged, and needs membership', async () => {
    for (let i = 0; i < 5; i++) await bot.chat.postMessage({ channel: 'C0INCIDENT', text: `m${i}` });
    const page = await bot.conversations.history({ channel: 'C0INCIDENT', limit: 2 });
    expect(page.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(page.has_more).toBe(true);
    const next = await bot.conversations.history({
      channel: 'C0INCIDENT',
      limit: 2,
      cursor: page.response_metadata!.next_cursor!,
    });
    expect(next.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    expect(await answer(bot.conversations.history({ channel: 'C0GENERAL' }))).toMatchObject({
      error: 'not_in_channel',
    });
  });
});

describe('the workspace-wide posting cap', () => {
  it('refuses chat.postMessage past the cap even when each channel is within its own limit', () => {
    const limiter = new RateLimiter();
    let refused = 0;
    for (let i = 0; i < POST_MESSAGE_PER_WORKSPACE.burst + 10; i++) {
      if (limiter.take('chat.postMessage', `C${i}`, 0) > 0) refused++;
    }
    expect(refused).toBe(10);
    // A refused call did not spend its channel's token.
    expect(limiter.take('chat.postMessage', `C${POST_MESSAGE_PER_WORKSPACE.burst + 5}`, 60_000)).toBe(0);
  });
});
