import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { type RunningBot, startDebugdead } from '../../src/app.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import { createKubeClient, loadKubeConfig } from '../../src/kube/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildNamespace } from '../sim/kube/scenarios/build-objects.js';
import { type SlackSim, startSlackSim, type WorkspaceSeed } from '../sim/slack/index.js';
import { freePort } from './free-port.js';
import { saveKubeRequests } from './record-kube-requests.js';

export interface HarnessOptions {
  mode?: 'socket' | 'http';
  /** Adjust the configuration (approvers, TTLs…) before the bot starts. */
  configure?: (config: Config) => void;
  /** Slack rate limits on (the simulator's default) or off. @defaultValue false */
  rateLimits?: boolean;
  /** Minutes the cluster runs before the bot starts, so scenario pods are deep in CrashLoopBackOff. @defaultValue 15 */
  warmUpMinutes?: number;
  /** Redis to use. @defaultValue the test run's private Redis (vitest global setup) */
  redisUrl?: string;
  /** Redis to use, as the bot's environment names it (REDIS_CLUSTER_NODES, REDIS_SENTINELS…). Wins over redisUrl. */
  redisEnv?: Record<string, string>;
  /** Bot log level (warnings are captured for assertions). @defaultValue 'warn' */
  logLevel?: string;
  /** The default scenario's pods plus this many healthy filler pods. @defaultValue 0 */
  extraPods?: number;
  /** Alert pacing overrides. */
  alertTuning?: { channelIntervalMs?: number; burstWindowMs?: number; leaseRetryMs?: number };
  /** The bot's OAuth scopes in the simulated workspace. @defaultValue the simulator's (manifest.yml's and more) */
  botScopes?: string[];
  /** Create-job retries: attempts and first back-off, ms. @defaultValue the bot's (5 from 2000 ms) */
  jobRetry?: { attempts?: number; backoffMs?: number };
  /** The bot's DEBUGDEAD_SIGNING_KEY. @defaultValue 32 random bytes, hex */
  signingKey?: string;
  /** PodSecurity level of the node-shell namespace (debugdead-nodeshell). @defaultValue 'privileged' */
  nodeShellNamespaceLevel?: 'privileged' | 'baseline' | 'restricted';
  /** Overrides of the simulated Slack workspace (channels, users…). */
  slackWorkspace?: Partial<WorkspaceSeed>;
  /** Runs once both simulators are up, before the bot starts (RBAC denials the start-up checks must see). */
  beforeStart?: (sims: { kube: KubeSim; slack: SlackSim }) => void;
}

export interface Harness {
  kube: KubeSim;
  slack: SlackSim;
  bot: RunningBot;
  config: Config;
  /** Every audit entry the bot wrote to its audit log so far (the synchronous audit destination, captured). */
  auditEntries(): Record<string, any>[];
  /** Everything the app logged at warn or above. */
  appWarnings: Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * The real bot against both simulators and the test Redis. The cluster's clock starts in the past and is
 * fast-forwarded, so the default scenario's pods have crash-looped for a while; from then on it follows real time
 * (the bot's TTLs and BullMQ delays are real time too).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const warmUpMs = (options.warmUpMinutes ?? 15) * 60_000;
  const clock = new ManualClock(Date.now() - warmUpMs);
  const kube = await startKubeSim({
    clock,
    scenario: 'default',
    ...(options.extraPods ? { pods: options.extraPods } : {}),
  });
  // The namespaces deploy/base/namespaces.yaml makes: the bot's own (restricted) and the node shells' (privileged).
  kube.store.create(
    'namespaces',
    buildNamespace('debugdead-system', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
  );
  kube.store.create(
    'namespaces',
    buildNamespace('debugdead-nodeshell', {
      'pod-security.kubernetes.io/enforce': options.nodeShellNamespaceLevel ?? 'privileged',
    }),
  );
  for (const namespace of ['debugdead-system', 'debugdead-nodeshell']) {
    kube.store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
  }
  clock.advance(Date.now() - clock.now());
  const ticker = setInterval(() => clock.advance(Math.max(0, Date.now() - clock.now())), 25);

  const slack = await startSlackSim({
    rateLimits: options.rateLimits ?? false,
    ...(options.slackWorkspace || options.botScopes
      ? {
          workspace: {
            ...options.slackWorkspace,
            ...(options.botScopes ? { bot: { scopes: options.botScopes } as WorkspaceSeed['bot'] } : {}),
          },
        }
      : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'debugdead-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfigPath);

  // The seeded workspace's ids are shaped like Slack's, so the approvers go through the same validation as a real
  // debugdead.yaml. Approval fails closed: the seeded people approve clones, Alice node shells (tests narrow this).
  const built = buildConfig(
    {
      cluster: { name: 'sim' },
      slack: { mode: options.mode ?? 'socket', port: 3000 },
      approvers: { users: ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'] },
      nodeShell: { approvers: { users: ['U0ALICE01'] } },
    },
    {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      ...(options.redisEnv ??
        (options.redisUrl ? { REDIS_URL: options.redisUrl } : (await import('./redis.js')).testRedisEnv())),
      KUBECONFIG: kubeconfigPath,
      DEBUGDEAD_SIGNING_KEY: options.signingKey ?? randomBytes(32).toString('hex'),
    },
  );
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const config = built.config;
  config.slack.apiUrl = slack.apiUrl;
  config.kubernetes.kubeconfig = kubeconfigPath;
  config.slack.port = 0;
  // health.port 0 turns the endpoints off, so a free port is picked here instead.
  config.health.port = await freePort();
  config.redis.prefix = `{e2e-${randomBytes(4).toString('hex')}}`;
  config.kubernetes.defaultNamespace = 'demo';
  config.kubernetes.requestTimeoutSeconds = 5;
  options.configure?.(config);

  const appWarnings: Record<string, unknown>[] = [];
  const sink = (into: Record<string, unknown>[]) =>
    new Writable({
      write(chunk, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) into.push(JSON.parse(line));
        done();
      },
    });
  const log = pino({ level: options.logLevel ?? 'warn' }, sink(appWarnings));
  const auditRaw: Record<string, any>[] = [];
  const auditLogger = pino({ level: 'info' }, sink(auditRaw));

  const kubeClient = createKubeClient(loadKubeConfig({ kubeconfigPath }), { timeoutMs: 5000, clusterName: 'sim' });

  options.beforeStart?.({ kube, slack });
  let bot: RunningBot;
  try {
    bot = await startDebugdead({
      config,
      log,
      auditLogger,
      kube: kubeClient,
      readyTimeoutMs: 20_000,
      janitorEveryMs: 1000,
      listenHost: '127.0.0.1',
      ...(options.alertTuning ? { alertTuning: options.alertTuning } : {}),
      ...(options.jobRetry ? { jobRetry: options.jobRetry } : {}),
    });
  } catch (e) {
    // A bot that refused to start leaves no simulator running behind the failed test.
    clearInterval(ticker);
    await slack.close();
    await kube.close();
    throw e;
  }
  if (config.slack.mode === 'http') slack.deliverOverHttp(`http://127.0.0.1:${bot.port}/slack/events`);

  return {
    kube,
    slack,
    bot,
    config,
    // The audit sink writes {"audit": entry} lines (spooled ones too), and {"anchor": …} lines.
    auditEntries: () => auditRaw.filter((line) => line.audit).map((line) => line.audit),
    appWarnings,
    async stop() {
      clearInterval(ticker);
      await bot.stop();
      // The bot's use of its RBAC, for test/security/rbac-matches-use.test.ts (benchmarks run outside vitest).
      if (process.env.VITEST)
        saveKubeRequests(`${process.pid}-${randomBytes(4).toString('hex')}`, {
          nodeShellNamespace: config.nodeShell.namespace,
          requests: kube.rbac.recorded(),
        });
      await slack.close();
      await kube.close();
    },
  };
}
