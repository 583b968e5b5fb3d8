import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { type AgentLink, startAgentLink } from '../../jobs/agent-link.js';
import { createDebugPodQueue } from '../../jobs/debug-pod-queue.js';
import { startWorkers } from '../../jobs/start-workers.js';
import { approvalPolicyFromConfig, DebugPodLimits, GroupResolver, namespaceAllowed } from '../approvals/index.js';
import { AuditLog, auditLogSink, createAuditLogger, deriveAuditKey } from '../audit/index.js';
import { clusterKey, clusterQueueName, type Report, resolveClusterConfig, type Task } from '../clusters/index.js';
import type { Config } from '../config/index.js';
import { ChatError, type ChatPort } from '../conversation/chat-port.js';
import { localClusterOps } from '../conversation/cluster-ops.js';
import type { ConversationDeps } from '../conversation/deps.js';
import { DiagnosisRecordStore } from '../conversation/diagnosis-record-store.js';
import { markExpiryLocally } from '../conversation/mark-expiry.js';
import type { ProgressPort } from '../conversation/progress-port.js';
import { redisReadiness, startHealthServer } from '../health/index.js';
import { createKubeClient, type KubeClient, loadKubeConfig } from '../kube/index.js';
import { createLogger } from '../log/index.js';
import { createMetrics } from '../metrics/index.js';
import { examinePod } from '../pipeline/index.js';
import { createRedis } from '../redis/index.js';
import { type AlertTuning, startAlerts } from '../start-alerts.js';
import { buildInfo } from '../version/index.js';
import { annotateCluster } from './annotate-cluster.js';
import { attestedGroups } from './attested-groups.js';
import { performTask } from './perform-task.js';
import { relayAlertSink } from './relay-alert-sink.js';

export interface AgentOptions {
  /** The shared configuration; the agent acts as `cluster` with that cluster's policy. */
  config: Config;
  /** Which cluster this agent is (DEBUGDEAD_CLUSTER); one of config clusters[]. */
  cluster: string;
  log?: Logger;
  auditLogger?: Logger;
  /** @defaultValue built from config.kubernetes: this cluster's ServiceAccount in a pod */
  kube?: KubeClient;
  now?: () => Date;
  readyTimeoutMs?: number;
  janitorEveryMs?: number;
  alertTuning?: AlertTuning;
  /** @defaultValue 500 */
  heartbeatEveryMs?: number;
  /** Listen address of /healthz, /readyz and /metrics (config health.port; 0 turns them off). @defaultValue "0.0.0.0" */
  listenHost?: string;
}

export interface RunningAgent {
  deps: ConversationDeps;
  link: AgentLink;
  stop(): Promise<void>;
}

/**
 * The agent role: inside one cluster, with that cluster's credentials, and no Slack token. It diagnoses pods the
 * gateway asks about, runs the cluster's debug-pod jobs, sweeps expired debug pods and watches for failing workloads;
 * what people should see goes to the gateway as reports. Its own state (limits, alert claims, its audit chain) lives
 * under `<prefix>:cluster.<name>.`, the key pattern its Redis ACL user is limited to. DEBUGDEAD_SIGNING_KEY holds the
 * cluster's key (`debugdead cluster-key <name>` on the gateway), never the gateway's own.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { cluster } = options;
  const key = options.config.approvals.signingKey;
  if (!key || key.length < 32)
    throw new Error(
      `DEBUGDEAD_SIGNING_KEY is required: the agent for @${cluster} needs its cluster key (run \`debugdead cluster-key ${cluster}\` where the gateway's key is)`,
    );
  if (!options.config.clusters?.some((c) => c.name === cluster))
    throw new Error(
      `DEBUGDEAD_CLUSTER "${cluster}" is not in clusters (${(options.config.clusters ?? []).map((c) => c.name).join(', ') || 'none configured'})`,
    );
  const queuePrefix = options.config.redis.prefix;
  const statePrefix = clusterKey(queuePrefix, cluster, 'state');
  const resolved = resolveClusterConfig(options.config, cluster);
  const config: Config = { ...resolved, redis: { ...resolved.redis, prefix: statePrefix } };
  const log = (options.log ?? createLogger({ level: config.log.level })).child({ cluster });
  const auditLogger = options.auditLogger ?? createAuditLogger(config.audit.file ?? 1);
  const now = options.now ?? (() => new Date());
  const kube = annotateCluster(
    options.kube ??
      createKubeClient(
        loadKubeConfig({
          ...(config.kubernetes.kubeconfig ? { kubeconfigPath: config.kubernetes.kubeconfig } : {}),
          ...(config.kubernetes.context ? { context: config.kubernetes.context } : {}),
        }),
        { timeoutMs: config.kubernetes.requestTimeoutSeconds * 1000, clusterName: cluster },
      ),
    cluster,
  );
  // Through the one connection factory, so an agent runs on Redis Cluster and Sentinel as the gateway does.
  const redis = createRedis(config.redis, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'redis connection error'));
  const connection = createRedis(config.redis, { maxRetriesPerRequest: null, lazyConnect: true });
  connection.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'queue connection error'));

  const examine = (ref: { namespace: string; pod: string; container?: string }) => examinePod(kube, ref, config, now);
  const markExpiry = markExpiryLocally(kube);
  const ops = localClusterOps(kube, config, now);
  const perform = (task: Task) =>
    performTask(task, {
      kube,
      examine,
      markExpiry,
      ops,
      // This cluster's policy, as resolved at start (clusters[] over the global defaults).
      namespaceAllowed: (namespace) => namespaceAllowed(approvalPolicyFromConfig(config), namespace).ok,
      // More logs reads at most what a gateway of the same configuration asks (4 × logs.limitBytes), with margin.
      limits: { maxTailLines: 100_000, maxLimitBytes: config.logs.limitBytes * 16 },
      callTimeoutMs: config.kubernetes.requestTimeoutSeconds * 1000,
    });
  const info = buildInfo();
  const link = await startAgentLink({
    connection,
    redis,
    prefix: queuePrefix,
    cluster,
    key,
    perform,
    heartbeat: {
      version: info.version,
      commit: info.commit,
      instance: `${hostname()}-${randomBytes(3).toString('hex')}`,
      startedAt: now().getTime(),
    },
    log,
    now,
    ...(options.heartbeatEveryMs ? { heartbeatEveryMs: options.heartbeatEveryMs } : {}),
  });
  const report = (body: Report) => link.report(body);
  const progress: ProgressPort = {
    progress: async (actionId, patch, opts = {}) => void (await report({ kind: 'progress', actionId, patch, ...opts })),
    thread: async (actionId, message) => void (await report({ kind: 'thread', actionId, message })),
  };

  const audit = new AuditLog({
    redis,
    key: `${statePrefix}:audit`,
    maxLen: config.audit.maxRecords,
    clusterName: cluster,
    macKey: deriveAuditKey(key),
    sink: auditLogSink(auditLogger),
    anchorEvery: config.audit.anchorEvery,
    anchorIntervalMs: config.audit.anchorIntervalSeconds * 1000,
    spoolMax: config.audit.spoolMax,
    onOutage: (err) =>
      err
        ? log.error({ err }, 'Redis unavailable: audit records are spooled to the audit log until it returns')
        : log.info('Redis is back: spooled audit records appended to the chain'),
  });
  const jobs = createDebugPodQueue({
    connection,
    prefix: queuePrefix,
    name: clusterQueueName(cluster, 'debug-pods'),
    now,
    onError: (err) => log.error({ err: { message: err.message } }, 'queue connection error'),
  });
  const deps: ConversationDeps = {
    config,
    kube,
    chat: noSlack(cluster),
    // Unused by the agent's flows (progress goes to the gateway), and it could not verify the gateway's records: the
    // records' key is the gateway's.
    records: new DiagnosisRecordStore({ redis, prefix: statePrefix, signingKey: key }),
    limits: new DebugPodLimits({ redis, prefix: statePrefix, limits: config.limits }),
    signingKey: key,
    audit,
    groups: new GroupResolver({ listMembers: async () => [] }),
    jobs,
    progress,
    log,
    now,
  };
  const workers = await startWorkers(deps, {
    connection,
    prefix: queuePrefix,
    queueName: clusterQueueName(cluster, 'debug-pods'),
    depsForCreate: (job) => {
      const attested = attestedGroups(job.data, key, cluster, now());
      if (attested.problem !== 'expired') return { ...deps, groups: attested.groups };
      // Queued while this agent was away: it must not run late. Told once, on the panel and in the thread.
      const actionId = (job.data as { grant?: { actionId?: string } }).grant?.actionId;
      const why = `the approved request waited ${Math.round((now().getTime() - job.timestamp) / 1000)} s for the agent for @${cluster} and expired unused: nothing was created. Ask again.`;
      if (actionId) {
        void progress.progress(actionId, { step: 'failed', error: why }).catch(() => {});
        void progress.thread(actionId, { text: `:hourglass: ${why}` }).catch(() => {});
      }
      return { refused: why };
    },
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.janitorEveryMs ? { janitorEveryMs: options.janitorEveryMs } : {}),
  });
  let alerts: Awaited<ReturnType<typeof startAlerts>> | undefined;
  const metrics = createMetrics({
    build: info,
    alerts: () => alerts?.stats() ?? { posted: 0, suppressed: 0, updated: 0, summaries: 0, dropped: 0 },
    jobCounts: () => jobs.counts(),
  });
  deps.meter = metrics;
  const unobserveKube = kube.observe((r) => metrics.kubeRequest(r.verb, r.resource, r.code, r.seconds));
  // /healthz, /readyz and /metrics as the single-process bot has them (the Deployment's probes), with the agent's
  // own checks: Redis, its cluster's API server.
  const health =
    config.health.port === 0
      ? undefined
      : await startHealthServer({
          port: config.health.port,
          host: options.listenHost ?? '0.0.0.0',
          metrics: () => metrics.render(),
          checks: {
            redis: () => redisReadiness(redis.status, config.redis, "the agent's ACL user"),
            kubernetes: async () => {
              await kube.withTimeout(1500).ping();
              return { ok: true };
            },
          },
        });
  alerts = config.alerts.enabled
    ? await startAlerts(
        deps,
        redis,
        options.alertTuning,
        `${cluster}-${hostname()}-${randomBytes(3).toString('hex')}`,
        relayAlertSink(examine, report),
      )
    : undefined;
  log.info({ cluster, ...info }, 'debugdead agent started');

  let stopped = false;
  return {
    deps,
    link,
    async stop() {
      if (stopped) return;
      stopped = true;
      const step = (what: string, run: () => Promise<unknown>) =>
        Promise.race([run(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]).catch((err) =>
          log.warn({ err }, `stopping: ${what} failed`),
        );
      await step('health endpoints', async () => health?.close());
      await step('alerts', async () => alerts?.stop());
      await step('workers', () => workers.close());
      await step('queue', () => jobs.close());
      await step('link', () => link.close());
      await step('audit', async () => {
        await audit.idle();
        audit.close();
      });
      unobserveKube();
      redis.disconnect();
      connection.disconnect();
      log.info('debugdead agent stopped');
    },
  };
}

/** The agent's ChatPort: it holds no Slack token; anything that tries to post here is a flow that forgot to report. */
function noSlack(cluster: string): ChatPort {
  const refuse = () => Promise.reject(new ChatError('not_authed', `the agent for @${cluster} does not speak to Slack`));
  return { post: refuse, update: refuse, postEphemeral: refuse, upload: refuse, groupMembers: refuse };
}
