import { repositoryManifest } from './app-manifest.js';

/**
 * The simulated Slack workspace: who exists, which channels there are and who is in them. Seeded with a small,
 * realistic default so tests can say "Alice runs /debugdead in #incident" without setting anything up.
 */

export type ChannelKind = 'public' | 'private' | 'im';

export interface SimUserSeed {
  id: string;
  name: string;
  realName: string;
  isBot?: boolean;
}

export interface SimChannelSeed {
  id: string;
  name: string;
  kind: ChannelKind;
  /** User ids in the channel, the bot's user id included when the bot is a member. */
  members: string[];
  isArchived?: boolean;
}

export interface SimUsergroupSeed {
  id: string;
  handle: string;
  users: string[];
}

export interface WorkspaceSeed {
  team: { id: string; domain: string; name: string };
  appId: string;
  bot: { userId: string; botId: string; name: string; token: string; scopes: string[] };
  /** The app-level token (xapp-…) that opens Socket Mode connections (needs `connections:write`). */
  appToken: string;
  signingSecret: string;
  /** The slash command the app registers (manifest.yml). */
  command: string;
  /** The command's `should_escape` (manifest.yml): how mentions, channels, links and `& < >` arrive in its text. */
  shouldEscape: boolean;
  users: SimUserSeed[];
  channels: SimChannelSeed[];
  usergroups: SimUsergroupSeed[];
}

/**
 * The bot token's scopes: exactly those the repository's manifest.yml asks for, as a workspace that installed the app
 * from it would grant (so a scope the manifest gains or loses changes what the simulator allows).
 */
export const DEFAULT_BOT_SCOPES: readonly string[] = repositoryManifest().botScopes;

/**
 * The default workspace: Alice and Bob are on call (S0ONCALL0), Carol is not; the bot is in #incident but not in
 * #general; #secops is private without the bot; D0ALICE01 is Alice's DM with the bot.
 */
export function defaultWorkspace(): WorkspaceSeed {
  return {
    team: { id: 'T0DEBUGDEAD', domain: 'debugdead', name: 'debugdead sim' },
    appId: 'A0DEBUGDEAD',
    bot: {
      userId: 'U0BOT0099',
      botId: 'B0BOT0099',
      name: 'debugdead',
      token: 'xoxb-sim-bot-token',
      scopes: [...DEFAULT_BOT_SCOPES],
    },
    appToken: 'xapp-1-sim-app-token',
    signingSecret: 'sim-signing-secret-0123456789abcdef',
    command: repositoryManifest().command,
    shouldEscape: repositoryManifest().shouldEscape,
    users: [
      { id: 'U0ALICE01', name: 'alice', realName: 'Alice Oncall' },
      { id: 'U0BOB0002', name: 'bob', realName: 'Bob Oncall' },
      { id: 'U0CAROL03', name: 'carol', realName: 'Carol Developer' },
      { id: 'U0BOT0099', name: 'debugdead', realName: 'debugdead', isBot: true },
    ],
    channels: [
      {
        id: 'C0INCIDENT',
        name: 'incident',
        kind: 'public',
        members: ['U0BOT0099', 'U0ALICE01', 'U0BOB0002', 'U0CAROL03'],
      },
      { id: 'C0GENERAL', name: 'general', kind: 'public', members: ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'] },
      { id: 'G0SECOPS0', name: 'secops', kind: 'private', members: ['U0ALICE01', 'U0BOB0002'] },
      { id: 'G0PLATFORM', name: 'platform', kind: 'private', members: ['U0BOT0099', 'U0ALICE01', 'U0CAROL03'] },
      { id: 'D0ALICE01', name: 'alice', kind: 'im', members: ['U0BOT0099', 'U0ALICE01'] },
    ],
    usergroups: [{ id: 'S0ONCALL0', handle: 'oncall', users: ['U0ALICE01', 'U0BOB0002'] }],
  };
}

/** Applies shallow overrides to the default seed (replacing whole lists when given). */
export function buildWorkspace(overrides: Partial<WorkspaceSeed> = {}): WorkspaceSeed {
  const base = defaultWorkspace();
  return {
    ...base,
    ...overrides,
    team: { ...base.team, ...overrides.team },
    bot: { ...base.bot, ...overrides.bot },
  };
}
