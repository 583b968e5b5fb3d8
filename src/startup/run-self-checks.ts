import { type Config, describeUnresolvedChannel, namesChannels, resolveChannelNames } from '../config/index.js';
import { describeRedisProblem } from './describe-redis-problem.js';
import {
  configuredChannels,
  describeAuthProblem,
  describeChannelListProblem,
  describeChannelProblem,
} from './describe-slack-problem.js';
import { type AccessNeed, describeMissingAccess, requiredAccess } from './required-access.js';

/** The effects the checks need, built by the composition root. */
export interface SelfCheckPorts {
  /** Connects and PINGs once, without retrying; throws what Redis said. */
  pingRedis(): Promise<void>;
  /** Slack's auth.test: undefined when the token works, else Slack's error code (`unreachable` for no answer). */
  authTest(): Promise<string | undefined>;
  /** Whether the bot can post in `channel`: undefined, or Slack's error code. */
  probeChannel(channel: string): Promise<string | undefined>;
  /** Channel name → id of every channel the bot can see (conversations.list), or Slack's error code. */
  listChannels(): Promise<ReadonlyMap<string, string> | string>;
  /** A SelfSubjectAccessReview; throws when the API server does not answer. */
  mayI(need: AccessNeed): Promise<{ allowed: boolean }>;
}

/** Problems found: `fatal` ones stop the start; `warnings` are logged and keep the bot not ready. */
export interface SelfCheckReport {
  fatal: string[];
  warnings: string[];
  /** When the configuration names channels (`#name`): Slack's name → id, to resolve them with. */
  channelIds?: ReadonlyMap<string, string>;
}

/**
 * The start-up checks, each failure one sentence naming the fix: Redis reachable and authenticated, Slack's
 * auth.test, every `#name` channel listed by Slack, every configured channel postable, and every Kubernetes verb the bot uses granted
 * (SelfSubjectAccessReview). Redis and the token come first: without them nothing else is worth asking.
 */
export async function runSelfChecks(
  config: Pick<Config, 'alerts' | 'audit' | 'bindings' | 'namespaces' | 'nodeShell' | 'redis' | 'slack'> &
    Partial<Pick<Config, 'clusters'>> & {
      kubernetesServer?: string;
    },
  ports: SelfCheckPorts,
): Promise<SelfCheckReport> {
  const fatal: string[] = [];
  const warnings: string[] = [];
  const [redis, auth] = await Promise.all([
    ports.pingRedis().then(
      () => undefined,
      (err) => describeRedisProblem(err, config.redis),
    ),
    ports.authTest().then((code) => describeAuthProblem(code, config.slack.apiUrl)),
  ]);
  if (redis) fatal.push(redis);
  if (auth) fatal.push(auth);

  // Channels given as `#name` are resolved once, here: a name Slack does not list stops the start.
  let channelIds: ReadonlyMap<string, string> | undefined;
  let named = config;
  if (!auth && namesChannels(config)) {
    const listed = await ports.listChannels();
    if (typeof listed === 'string') fatal.push(describeChannelListProblem(listed));
    else {
      channelIds = listed;
      const resolved = resolveChannelNames(config, listed);
      fatal.push(...resolved.unresolved.map(describeUnresolvedChannel));
      named = resolved.config;
    }
  }
  const channels = auth ? [] : configuredChannels(named).filter((role) => !role.channel.startsWith('#'));
  const needs = requiredAccess(config);
  const [posts, access] = await Promise.all([
    Promise.all(channels.map(async (role) => ({ role, code: await ports.probeChannel(role.channel) }))),
    Promise.all(needs.map(async (need) => ({ need, answer: await ports.mayI(need) }))).then(
      (answers) => ({ answers }),
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    ),
  ]);
  for (const { role, code } of posts) if (code) warnings.push(describeChannelProblem(role, code));
  if ('error' in access) {
    fatal.push(
      `The Kubernetes API${config.kubernetesServer ? ` at ${config.kubernetesServer}` : ''} did not answer a SelfSubjectAccessReview (${access.error}): check kubernetes.kubeconfig and kubernetes.context, or the pod's ServiceAccount token.`,
    );
  } else {
    const missing = access.answers.filter((a) => !a.answer.allowed).map((a) => a.need);
    fatal.push(...describeMissingAccess(missing.filter((n) => n.fatal)));
    warnings.push(...describeMissingAccess(missing.filter((n) => !n.fatal)));
  }
  return { fatal, warnings, ...(channelIds ? { channelIds } : {}) };
}

/** The bot refused to start: every fatal problem, one sentence each. */
export class StartupCheckError extends Error {
  constructor(readonly problems: string[]) {
    super(`start-up checks failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StartupCheckError';
  }
}
