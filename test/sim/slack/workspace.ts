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
 * The default workspace: Alice and Bob are on call (S_ONCALL), Carol is not; the bot is in #incident but not in
 * #general; #secops is private without the bot; D_ALICE is Alice's DM with the bot.
 */
export function defaultWorkspace(): WorkspaceSeed {
  return {
    team: { id: 'T_DEBUGDEAD', domain: 'debugdead', name: 'debugdead sim' },
    appId: 'A_DEBUGDEAD',
    bot: {
      userId: 'U_BOT',
      botId: 'B_BOT',
      name: 'debugdead',
      token: 'xoxb-sim-bot-token',
      scopes: [...DEFAULT_BOT_SCOPES],
    },
    appToken: 'xapp-1-sim-app-token',
    signingSecret: 'sim-signing-secret-0123456789abcdef',
    command: repositoryManifest().command,
    shouldEscape: repositoryManifest().shouldEscape,
    users: [
      { id: 'U_ALICE', name: 'alice', realName: 'Alice Oncall' },
      { id: 'U_BOB', name: 'bob', realName: 'Bob Oncall' },
      { id: 'U_CAROL', name: 'carol', realName: 'Carol Developer' },
      { id: 'U_BOT', name: 'debugdead', realName: 'debugdead', isBot: true },
    ],
    channels: [
      { id: 'C_INCIDENT', name: 'incident', kind: 'public', members: ['U_BOT', 'U_ALICE', 'U_BOB', 'U_CAROL'] },
      { id: 'C_GENERAL', name: 'general', kind: 'public', members: ['U_ALICE', 'U_BOB', 'U_CAROL'] },
      { id: 'G_SECOPS', name: 'secops', kind: 'private', members: ['U_ALICE', 'U_BOB'] },
      { id: 'G_PLATFORM', name: 'platform', kind: 'private', members: ['U_BOT', 'U_ALICE', 'U_CAROL'] },
      { id: 'D_ALICE', name: 'alice', kind: 'im', members: ['U_BOT', 'U_ALICE'] },
    ],
    usergroups: [{ id: 'S_ONCALL', handle: 'oncall', users: ['U_ALICE', 'U_BOB'] }],
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
