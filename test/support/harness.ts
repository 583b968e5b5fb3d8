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
import type { ContainerRule } from '../sim/kube/kubelet/behaviour.js';
import { buildNamespace } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_POD_NAMES } from '../sim/kube/scenarios/default-scenario.js';
import { type SlackSim, startSlackSim, type WorkspaceSeed } from '../sim/slack/index.js';
import { freePort } from './free-port.js';
import { KUBE_BACKEND, type KubeBackend } from './kube-backend.js';
import { type LatencyProxy, startLatencyProxy } from './latency-proxy.js';
import type { RealCluster, RealClusterInfo } from './real-cluster/index.js';
import { saveKubeRequests } from './record-kube-requests.js';
import { saveSlackMessages } from './record-slack-messages.js';
import { realCluster, simulatorCluster, type TestCluster } from './test-cluster.js';

export interface HarnessOptions {
  mode?: 'socket' | 'http';
  /**
   * The Kubernetes the bot runs against: the simulator, or a real control plane where the bot authenticates as
   * deploy/'s ServiceAccount under its shipped RBAC (the run's shared one under `npm run test:real`; outside vitest,
   * one started for this harness). The options marked "simulator only" throw on 'real'.
   * @defaultValue DEBUGDEAD_BACKEND ('real', else the simulator)
   */
  backend?: KubeBackend;
  /** Adjust the configuration (approvers, TTLs…) before the bot starts. */
  configure?: (config: Config) => void;
  /** Slack rate limits on (the simulator's default) or off. @defaultValue false */
  rateLimits?: boolean;
  /**
   * Milliseconds of latency on every Kubernetes API request: the simulator delays its answers; on the real backend a
   * loopback TCP proxy in front of the API server gives every connection that round-trip time (test/support/latency-proxy.ts),
   * for the bot and for kubeconfigs written by `cluster.writeKubeconfig`. @defaultValue 0
   */
  kubeLatencyMs?: number;
  /** Simulator only: minutes the cluster runs before the bot starts, so scenario pods are deep in CrashLoopBackOff. @defaultValue 15 */
  warmUpMinutes?: number;
  /** Redis to use. @defaultValue the test run's private Redis (vitest global setup) */
  redisUrl?: string;
  /** Redis to use, as the bot's environment names it (REDIS_CLUSTER_NODES, REDIS_SENTINELS…). Wins over redisUrl. */
  redisEnv?: Record<string, string>;
  /** Bot log level (warnings are captured for assertions). @defaultValue 'warn' */
  logLevel?: string;
  /** Simulator only: the default scenario's pods plus this many healthy filler pods. @defaultValue 0 */
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
  /** Simulator only: runs once both simulators are up, before the bot starts (RBAC denials the start-up checks must see). */
  beforeStart?: (sims: { kube: KubeSim; slack: SlackSim }) => void;
  /** The bot's clock (a test moves it forward to age what the bot remembers). @defaultValue real time */
  now?: () => Date;
}

export interface Harness {
  /** The Kubernetes simulator; on the real backend, reading it throws (the test is simulator-only). */
  kube: KubeSim;
  /** The cluster as the test may read it on either backend. */
  cluster: TestCluster;
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
 * The real bot against the Slack simulator, a Kubernetes backend (the simulator, or a real control plane: see
 * {@link HarnessOptions.backend}) and the test Redis. The simulated cluster's clock starts in the past and is
 * fast-forwarded, so the default scenario's pods have crash-looped for a while; from then on it follows real time
 * (the bot's TTLs and BullMQ delays are real time too).
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'debugdead-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const backend =
    (options.backend ?? KUBE_BACKEND) === 'real'
      ? await startRealBackend(options, kubeconfigPath)
      : await startSimBackend(options, kubeconfigPath);

  let slack: SlackSim;
  try {
    slack = await startSlackSim({
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
  } catch (e) {
    await backend.stop();
    throw e;
  }

  // The seeded workspace's ids are shaped like Slack's, so the approvers go through the same validation as a real
  // debugdead.yaml. Approval fails closed: the seeded people approve clones, Alice node shells (tests narrow this).
  const built = buildConfig(
    {
      cluster: { name: backend.clusterName },
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

  const kubeClient = createKubeClient(loadKubeConfig({ kubeconfigPath }), {
    timeoutMs: 5000,
    clusterName: backend.clusterName,
  });

  if (options.beforeStart) options.beforeStart({ kube: simulatorOnly(backend, 'beforeStart'), slack });
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
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (e) {
    // A bot that refused to start leaves no simulator running behind the failed test.
    await slack.close();
    await backend.stop();
    throw e;
  }
  if (config.slack.mode === 'http') slack.deliverOverHttp(`http://127.0.0.1:${bot.port}/slack/events`);

  const harness: Omit<Harness, 'kube'> = {
    cluster: backend.cluster,
    slack,
    bot,
    config,
    // The audit sink writes {"audit": entry} lines (spooled ones too), and {"anchor": …} lines.
    auditEntries: () => auditRaw.filter((line) => line.audit).map((line) => line.audit),
    appWarnings,
    async stop() {
      await bot.stop();
      // The bot's use of its RBAC, for test/security/rbac-matches-use.test.ts (benchmarks run outside vitest).
      if (process.env.VITEST) {
        const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
        if (backend.kube)
          saveKubeRequests(name, {
            nodeShellNamespace: config.nodeShell.namespace,
            requests: backend.kube.rbac.recorded(),
          });
        // Every message of every flow, for test/e2e/render-all-messages.test.ts (the web client draws them all).
        saveSlackMessages(name, slack);
      }
      await slack.close();
      await backend.stop();
    },
  };
  return Object.defineProperty(harness, 'kube', {
    get: () => simulatorOnly(backend, 'h.kube'),
    enumerable: true,
  }) as Harness;
}

/** One Kubernetes backend as the harness uses it. */
interface BackendHandle {
  /** The simulator, when it is one. */
  kube?: KubeSim;
  cluster: TestCluster;
  /** config.cluster.name. */
  clusterName: string;
  stop(): Promise<void>;
}

function simulatorOnly(backend: BackendHandle, what: string): KubeSim {
  if (!backend.kube) {
    throw new Error(
      `${what} is the Kubernetes simulator: this test is simulator-only (test/sim/kube/README.md), run it with npm test`,
    );
  }
  return backend.kube;
}

async function startSimBackend(options: HarnessOptions, kubeconfigPath: string): Promise<BackendHandle> {
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
  if (options.kubeLatencyMs) kube.faults.latency(options.kubeLatencyMs);
  clock.advance(Date.now() - clock.now());
  const ticker = setInterval(() => clock.advance(Math.max(0, Date.now() - clock.now())), 25);
  await kube.writeKubeconfig(kubeconfigPath);
  return {
    kube,
    cluster: simulatorCluster(kube),
    clusterName: 'sim',
    async stop() {
      clearInterval(ticker);
      await kube.close();
    },
  };
}

/**
 * The real backend: the run's shared control plane (vitest global setup, test/support/real-cluster), or outside
 * vitest one started here and stopped with the harness. The bot gets a token of deploy/'s ServiceAccount.
 */
async function startRealBackend(options: HarnessOptions, kubeconfigPath: string): Promise<BackendHandle> {
  for (const option of ['warmUpMinutes', 'extraPods', 'beforeStart'] as const) {
    if (options[option] !== undefined) throw new Error(`harness option ${option} is simulator-only`);
  }
  // Loaded only here: the simulator's users (npm test, npm run demo, the benchmarks) never load the control plane's code.
  const { createAdminApi, prepareBotAccess, ruleToJson, startRealCluster } = await import('./real-cluster/index.js');
  let own: RealCluster | undefined;
  let info: RealClusterInfo;
  if (process.env.VITEST) {
    const { inject } = await import('vitest');
    info = inject('realCluster');
    if (!info) throw new Error('no real control plane: run the real backend with npm run test:real');
  } else {
    own = await startRealCluster();
    info = own.info;
  }
  const api = createAdminApi(info);
  let proxy: LatencyProxy | undefined;
  try {
    let server = info.server;
    if (options.kubeLatencyMs) {
      const target = new URL(info.server);
      proxy = await startLatencyProxy({ host: target.hostname, port: Number(target.port) }, options.kubeLatencyMs);
      server = `https://${proxy.host}:${proxy.port}`;
    }
    await prepareBotAccess(
      api,
      { ...info, server },
      {
        kubeconfigPath,
        scenarioPods: { demo: DEFAULT_POD_NAMES },
        ...(options.nodeShellNamespaceLevel ? { nodeShellNamespaceLevel: options.nodeShellNamespaceLevel } : {}),
      },
    );
    const running = own;
    const addKubeletRule = async (rule: ContainerRule) => {
      if (running) return running.kubelet.addRule(rule);
      if (!info.kubeletRulesUrl) throw new Error('the real cluster takes no kubelet rules');
      const res = await fetch(info.kubeletRulesUrl, { method: 'POST', body: ruleToJson(rule) });
      if (!res.ok) throw new Error(`adding a kubelet rule: HTTP ${res.status} ${await res.text()}`);
    };
    return {
      cluster: realCluster(api, info, server, addKubeletRule),
      clusterName: 'real',
      async stop() {
        await proxy?.close();
        await own?.stop();
      },
    };
  } catch (e) {
    await proxy?.close();
    await own?.stop();
    throw e;
  }
}
