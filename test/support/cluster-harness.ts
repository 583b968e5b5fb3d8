import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import yaml from 'js-yaml';
import pino from 'pino';
import { type RunningBot, startDebugdead } from '../../src/app.js';
import { agentAclRules, agentAclUser, deriveClusterKey } from '../../src/clusters/index.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildNamespace } from '../sim/kube/scenarios/build-objects.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { type BotProcess, spawnBotProcess } from './bot-process.js';
import { freePort } from './free-port.js';
import { testRedisUrl } from './redis.js';

export interface ClusterHarnessOptions {
  /** @defaultValue ['prod-eu', 'prod-us', 'staging'] */
  clusters?: string[];
  /** Changes to the shared debugdead.yaml (as a plain document) before anything starts. */
  configure?: (doc: Record<string, any>) => void;
  /** The scenario each simulated cluster loads. @defaultValue 'default' */
  scenario?: string;
  /** Healthy filler pods per cluster. @defaultValue 0 */
  extraPods?: number;
  /** Runs once the simulators are up, before any debugdead process starts. */
  beforeStart?: (sims: { slack: SlackSim; kube: Record<string, KubeSim> }) => void;
}

export interface SimCluster {
  name: string;
  kube: KubeSim;
  /** The agent, a `debugdead run` process of its own (DEBUGDEAD_ROLE=agent). */
  agent(): BotProcess | undefined;
  /** Starts the agent and waits for its first heartbeat after `since`. */
  startAgent(): Promise<void>;
  /** SIGKILL: the agent vanishes without a goodbye, as a crashed pod or a lost node. */
  killAgent(): void;
}

export interface ClusterHarness {
  slack: SlackSim;
  clusters: Record<string, SimCluster>;
  gateway: RunningBot;
  config: Config;
  /** The gateway's DEBUGDEAD_SIGNING_KEY (each cluster's key derives from it) and the Redis prefix, for attacks. */
  gatewayKey: string;
  prefix: string;
  redisUrl: string;
  /** The gateway's audit entries (its audit log). */
  auditEntries(): Record<string, any>[];
  appWarnings: Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * One Slack simulator, one gateway (in this process: DEBUGDEAD_ROLE=gateway has no cluster credentials) and one
 * Kubernetes simulator per cluster, each with its agent as a separate `debugdead run` process holding only its own
 * kubeconfig and its cluster's signing key, all on the test Redis. The YAML every process reads is the same file.
 */
export async function startClusterHarness(options: ClusterHarnessOptions = {}): Promise<ClusterHarness> {
  const names = options.clusters ?? ['prod-eu', 'prod-us', 'staging'];
  const dir = mkdtempSync(join(tmpdir(), 'debugdead-clusters-'));
  const sims: Record<string, KubeSim> = {};
  const tickers: NodeJS.Timeout[] = [];
  for (const name of names) {
    const clock = new ManualClock(Date.now() - 15 * 60_000);
    const kube = await startKubeSim({
      clock,
      scenario: options.scenario ?? 'default',
      ...(options.extraPods ? { pods: options.extraPods } : {}),
    });
    kube.store.create(
      'namespaces',
      buildNamespace('debugdead-system', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    );
    kube.store.create(
      'namespaces',
      buildNamespace('debugdead-nodeshell', { 'pod-security.kubernetes.io/enforce': 'privileged' }),
    );
    for (const namespace of ['debugdead-system', 'debugdead-nodeshell'])
      kube.store.create('serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace },
      });
    clock.advance(Date.now() - clock.now());
    // The cluster's clock follows real time from here, keeping any jump a test makes (clock.advance).
    let last = Date.now();
    tickers.push(
      setInterval(() => {
        const now = Date.now();
        clock.advance(now - last);
        last = now;
      }, 25),
    );
    await kube.writeKubeconfig(join(dir, `kubeconfig-${name}`));
    sims[name] = kube;
  }
  const slack = await startSlackSim({ rateLimits: false });
  options.beforeStart?.({ slack, kube: sims });

  // A hash tag, as buildConfig makes every prefix (one Redis Cluster slot): the ACL patterns must match it exactly.
  const prefix = `{e2e-${randomBytes(4).toString('hex')}}`;
  const doc: Record<string, any> = {
    cluster: { name: 'gateway' },
    slack: { mode: 'socket', apiUrl: slack.apiUrl },
    redis: { prefix },
    kubernetes: { defaultNamespace: 'demo', requestTimeout: '5s' },
    approvers: { users: ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'] },
    nodeShell: { approvers: { users: ['U0ALICE01'] } },
    clusters: names.map((name) => ({ name, kubectlContext: `ctx-${name}` })),
    health: { port: 0 },
    log: { level: 'warn' },
  };
  options.configure?.(doc);
  const configPath = join(dir, 'debugdead.yaml');
  writeFileSync(configPath, yaml.dump(doc));

  const gatewayKey = randomBytes(32).toString('hex');
  const redisUrl = testRedisUrl();
  const built = buildConfig(doc, {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    REDIS_URL: redisUrl,
    DEBUGDEAD_SIGNING_KEY: gatewayKey,
  });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const config = built.config;
  config.health.port = await freePort();

  const appWarnings: Record<string, unknown>[] = [];
  const sink = (into: Record<string, unknown>[]) =>
    new Writable({
      write(chunk, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) into.push(JSON.parse(line));
        done();
      },
    });
  const auditRaw: Record<string, any>[] = [];

  const processes: Record<string, BotProcess | undefined> = {};
  const clusters: Record<string, SimCluster> = {};
  for (const name of names) {
    clusters[name] = {
      name,
      kube: sims[name]!,
      agent: () => processes[name],
      async startAgent() {
        const startedAt = Date.now();
        // Each agent is its own Redis ACL user, limited to its cluster's keys (agentAclRules), as README advises.
        const password = randomBytes(16).toString('hex');
        const { Redis: AdminRedis } = await import('ioredis');
        const admin = new AdminRedis(redisUrl);
        await admin.call('ACL', 'SETUSER', ...agentAclRules(prefix, name, password));
        admin.disconnect();
        const agentUrl = new URL(redisUrl);
        agentUrl.username = agentAclUser(name);
        agentUrl.password = password;
        const proc = spawnBotProcess({
          cwd: dir,
          env: {
            DEBUGDEAD_ROLE: 'agent',
            DEBUGDEAD_CLUSTER: name,
            DEBUGDEAD_CONFIG: configPath,
            DEBUGDEAD_SIGNING_KEY: deriveClusterKey(gatewayKey, name),
            KUBECONFIG: join(dir, `kubeconfig-${name}`),
            REDIS_URL: agentUrl.toString(),
          },
        });
        processes[name] = proc;
        const { Redis } = await import('ioredis');
        const redis = new Redis(redisUrl);
        try {
          await proc.waitUntil(
            async () => {
              const beat = await redis.get(`${prefix}:cluster.${name}.agent`);
              return beat ? (JSON.parse(beat) as { startedAt: number }).startedAt >= startedAt : false;
            },
            30_000,
            `the agent for @${name}`,
          );
        } finally {
          redis.disconnect();
        }
      },
      killAgent() {
        processes[name]?.signal('SIGKILL');
      },
    };
  }
  await Promise.all(names.map((n) => clusters[n]!.startAgent()));

  let gateway: RunningBot;
  try {
    gateway = await startDebugdead({
      config,
      role: 'gateway',
      log: pino({ level: 'warn' }, sink(appWarnings)),
      auditLogger: pino({ level: 'info' }, sink(auditRaw)),
      listenHost: '127.0.0.1',
    });
  } catch (e) {
    for (const n of names) clusters[n]!.killAgent();
    throw e;
  }

  return {
    slack,
    clusters,
    gateway,
    config,
    gatewayKey,
    prefix,
    redisUrl,
    auditEntries: () => auditRaw.filter((l) => l.audit).map((l) => l.audit),
    appWarnings,
    async stop() {
      await gateway.stop();
      await Promise.all(names.map((n) => processes[n]?.stop()));
      for (const t of tickers) clearInterval(t);
      await slack.close();
      for (const n of names) await sims[n]!.close();
    },
  };
}
