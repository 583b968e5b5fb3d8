import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_SCOPES, defaultWorkspace, type SlackSim, startSlackSim } from '../sim/slack/index.js';

/** What a Web API call answered: its body when ok:false came back as a platform error, else the result. */
async function answer(call: Promise<unknown>): Promise<Record<string, any>> {
  try {
    return (await call) as Record<string, any>;
  } catch (e) {
    const data = (e as { data?: Record<string, unknown> }).data;
    if (data) return data;
    throw e;
  }
}

// 120 more public channels, an archived one and a private one the bot is in, beyond the seeded five: more than one
// page whatever the limit.
const extra = [
  ...Array.from({ length: 120 }, (_, i) => ({
    id: `C1PUB${String(i).padStart(4, '0')}`,
    name: `team-${i}`,
    kind: 'public' as const,
    members: ['U0ALICE01'],
  })),
  { id: 'C1OLD0001', name: 'old', kind: 'public' as const, members: [], isArchived: true },
  { id: 'GZPRIV001', name: 'late-private', kind: 'private' as const, members: ['U0BOT0099'] },
];

describe('conversations.list, as strict as Slack', () => {
  let sim: SlackSim;
  const client = (scopes: string[]) =>
    startSlackSim({
      rateLimits: false,
      workspace: {
        bot: { ...defaultWorkspace().bot, scopes },
        channels: [...defaultWorkspace().channels, ...extra],
      },
    });
  let bot: WebClient;
  beforeAll(async () => {
    sim = await client([...DEFAULT_BOT_SCOPES]);
    bot = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(() => sim.close());

  async function everyPage(
    args: Record<string, unknown>,
  ): Promise<{ pages: number; short: number; ids: string[]; channels: Record<string, unknown>[] }> {
    const channels: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let short = 0;
    do {
      const page = await bot.conversations.list({ ...args, ...(cursor ? { cursor } : {}) });
      pages++;
      cursor = page.response_metadata?.next_cursor || undefined;
      if (cursor && (page.channels?.length ?? 0) < Number(args.limit ?? 100)) short++;
      channels.push(...((page.channels ?? []) as Record<string, unknown>[]));
    } while (cursor);
    return { pages, short, ids: channels.map((c) => String(c.id)), channels };
  }

  it('lists public channels by default, through pages that may be short while next_cursor says more follow', async () => {
    const { pages, short, ids } = await everyPage({ limit: 200 });
    expect(pages).toBeGreaterThan(1);
    expect(short).toBeGreaterThan(0);
    expect(ids).toContain('C0INCIDENT');
    expect(ids).toContain('C0GENERAL');
    expect(ids).toContain('C1PUB0119');
    expect(ids).toContain('C1OLD0001');
    expect(ids.some((id) => id.startsWith('G') || id.startsWith('D'))).toBe(false);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('private channels only where the bot is a member; archived ones left out when asked', async () => {
    const { ids } = await everyPage({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000 });
    expect(ids).toEqual(expect.arrayContaining(['G0PLATFORM', 'GZPRIV001', 'C0INCIDENT']));
    expect(ids).not.toContain('G0SECOPS0');
    expect(ids).not.toContain('C1OLD0001');
  });

  it('a channel says what it is', async () => {
    const { ids, channels } = await everyPage({ types: 'private_channel', limit: 1000 });
    expect(ids).toEqual(['G0PLATFORM', 'GZPRIV001']);
    const platform = channels.find((c) => c.id === 'G0PLATFORM');
    expect(platform).toMatchObject({
      name: 'platform',
      is_private: true,
      is_group: true,
      is_channel: false,
      is_member: true,
    });
  });

  it.each([
    ['a limit over 1000', { limit: 1001 }, 'invalid_limit'],
    ['a limit of 0', { limit: 0 }, 'invalid_limit'],
    ['a cursor it never gave', { cursor: 'bm90LWEtY3Vyc29y' }, 'invalid_cursor'],
    ['an unknown type', { types: 'public_channel,shared' }, 'invalid_types'],
  ])('refuses %s', async (_what, args, error) => {
    expect(await answer(bot.conversations.list(args))).toMatchObject({ ok: false, error });
  });

  it('each type needs its read scope, and missing_scope names it', async () => {
    const narrow = await client(['commands', 'chat:write', 'channels:read']);
    try {
      const web = new WebClient(narrow.botToken, { slackApiUrl: narrow.apiUrl, retryConfig: { retries: 0 } });
      expect((await web.conversations.list({ types: 'public_channel' })).ok).toBe(true);
      expect(await answer(web.conversations.list({ types: 'public_channel,private_channel' }))).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'groups:read',
      });
    } finally {
      await narrow.close();
    }
  });
});
