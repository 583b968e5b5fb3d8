import { type Harness, startHarness } from '../support/harness.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';
import { defaultWorkspace } from './slack/index.js';

/** The demo's extra channel: where alerts go. */
export const DEMO_ALERTS_CHANNEL = 'C0ALERTS00';
/** The demo's node-shell approvers: a user group of two leads, with the two-person rule. */
export const DEMO_NODE_SHELL_GROUP = 'S0SRELEAD0';

export interface DemoWorkspaceOptions {
  /** Seconds a debug clone lives before it is deleted. @defaultValue 600 */
  cloneTtlSeconds?: number;
  /** Alerts for the default scenario's crash-looping workloads in #alerts. @defaultValue true */
  alerts?: boolean;
  /** Redis to use. @defaultValue a private redis-server started (and stopped) here */
  redisUrl?: string;
}

export interface DemoWorkspace {
  /** The page to open: the simulated Slack workspace. */
  url: string;
  harness: Harness;
  redisUrl: string;
  stop(): Promise<void>;
}

/**
 * The workspace `npm run demo` opens: the Kubernetes simulator with the default scenario's dying pods, the Slack
 * simulator and its web client, Redis and the real bot, with the trust settings a team would have. Clones are
 * approved by the on-call group (@oncall: Alice, Bob); node shells by @sre-leads (Alice, Carol) with the two-person
 * rule, so a lead asking for one needs the other. Alerts go to #alerts, with a storm summary past three workloads.
 */
export async function startDemoWorkspace(options: DemoWorkspaceOptions = {}): Promise<DemoWorkspace> {
  const redis: RedisHandle | undefined = options.redisUrl ? undefined : await startRedis();
  const redisUrl = options.redisUrl ?? redis?.url ?? '';
  const seed = defaultWorkspace();
  const people = seed.users.filter((u) => !u.isBot).map((u) => u.id);
  try {
    const harness = await startHarness({
      redisUrl,
      warmUpMinutes: 20,
      slackWorkspace: {
        channels: [
          ...seed.channels,
          { id: DEMO_ALERTS_CHANNEL, name: 'alerts', kind: 'public', members: [seed.bot.userId, ...people] },
        ],
        usergroups: [
          ...seed.usergroups,
          { id: DEMO_NODE_SHELL_GROUP, handle: 'sre-leads', users: ['U0ALICE01', 'U0CAROL03'] },
        ],
      },
      configure: (c) => {
        c.approvers = { users: [], groups: ['S0ONCALL0'] };
        c.nodeShell.approvers = { users: [], groups: [DEMO_NODE_SHELL_GROUP] };
        c.nodeShell.twoPersonRule = true;
        c.debugClone.defaultTtlSeconds = options.cloneTtlSeconds ?? 600;
        if (options.alerts ?? true) {
          c.alerts.enabled = true;
          c.alerts.channel = DEMO_ALERTS_CHANNEL;
          c.alerts.maxWorkloadsPerBurst = 3;
        }
      },
      alertTuning: { channelIntervalMs: 300 },
    });
    return {
      url: harness.slack.url,
      harness,
      redisUrl,
      async stop() {
        await harness.stop();
        await redis?.stop();
      },
    };
  } catch (err) {
    await redis?.stop();
    throw err;
  }
}
