/**
 * The composition root: configuration in, a running bot out. Builds the Bolt app (Socket Mode or signed HTTP),
 * the Kubernetes client, Redis, the request store, the audit trail, the debug-pod queue and its worker, the
 * janitor and, when enabled, the alert watcher; stops them all in reverse order.
 */
import { App, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createSlackChat, registerHandlers, sealingFetch } from '../handlers/index.js';
import { createDebugPodQueue } from '../jobs/debug-pod-queue.js';
import { startWorkers } from '../jobs/start-workers.js';
import { GroupResolver, RequestStore } from './approvals/index.js';
import { AuditLog, auditLogSink, createAuditLogger } from './audit/index.js';
import type { Config } from './config/index.js';
import type { ConversationDeps } from './conversation/deps.js';
import { DiagnosisBoard } from './conversation/diagnosis-board.js';
import { createKubeClient, type KubeClient, loadKubeConfig } from './kube/index.js';
import { createLogger } from './log/index.js';
import { type AlertTuning, startAlerts } from './start-alerts.js';

export interface StartOptions {
  config: Config;
  /** @defaultValue a pino logger at config.log.level */
  log?: Logger;
  /** @defaultValue a synchronous pino logger on config.audit.file or stdout */
  auditLogger?: Logger;
  /** @defaultValue built from config.kubernetes */
  kube?: KubeClient;
  /** @defaultValue () => new Date() */
  now?: () => Date;
  /** Debug-pod readiness wait, ms. @defaultValue 120000 */
  readyTimeoutMs?: number;
  /** @defaultValue 60000 */
  janitorEveryMs?: number;
  /** HTTP mode listen address. @defaultValue "0.0.0.0" (in a pod, Slack's requests arrive through a Service) */
  listenHost?: string;
  /** Alert pacing overrides (tests). */
  alertTuning?: AlertTuning;
  /**
   * Slack Web API retries. WebClient's default retries for ~30 min, far too long for a person waiting; each 429 (waited
   * out per its Retry-After) uses one, so a burst in one channel needs several. @defaultValue 10
   */
  slackRetries?: number;
}

export interface RunningBot {
  deps: ConversationDeps;
  app: App;
  /** HTTP mode: the port actually listened on (config port 0 picks a free one). */
  port?: number;
  stop(): Promise<void>;
}

export async function startDebugdead(options: StartOptions): Promise<RunningBot> {
  const { config } = options;
  const log = options.log ?? createLogger({ level: config.log.level });
  const auditLogger = options.auditLogger ?? createAuditLogger(config.audit.file ?? 1);
  const now = options.now ?? (() => new Date());
  const kube =
    options.kube ??
    createKubeClient(
      loadKubeConfig({
        ...(config.kubernetes.kubeconfig ? { kubeconfigPath: config.kubernetes.kubeconfig } : {}),
        ...(config.kubernetes.context ? { context: config.kubernetes.context } : {}),
      }),
      { timeoutMs: config.kubernetes.requestTimeoutSeconds * 1000, clusterName: config.cluster.name },
    );

  // BullMQ needs maxRetriesPerRequest null on its blocking connections; commands on the shared one fail fast instead.
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (err) => log.error({ err: { message: err.message } }, 'redis connection error'));
  const bullConnection = { url: config.redis.url, maxRetriesPerRequest: null } as const;

  const app = new App({
    token: config.slack.botToken,
    logLevel: LogLevel.WARN,
    logger: boltLogger(log),
    clientOptions: {
      // respond() posts through this fetch: every answer to a person passes the egress boundary (handlers/).
      fetch: sealingFetch(),
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: options.slackRetries ?? 10, factor: 1.6, minTimeout: 500, maxTimeout: 5000 },
    },
    ...(config.slack.mode === 'socket'
      ? { socketMode: true, appToken: config.slack.appToken }
      : { signingSecret: config.slack.signingSecret ?? '' }),
  });
  const chat = createSlackChat(app.client);

  const audit = new AuditLog({
    redis,
    key: `${config.redis.prefix}:audit`,
    maxLen: config.audit.maxRecords,
    clusterName: config.cluster.name,
    sink: auditLogSink(auditLogger),
    ...(config.audit.channel
      ? {
          mirror: async (record) => {
            const who = record.actor.type === 'user' ? `<@${record.actor.id}>` : 'bot';
            const what = [record.target.namespace, record.target.pod ?? record.target.node].filter(Boolean).join('/');
            await chat.post(config.audit.channel!, {
              text: `\`${record.action}\` ${who} ${what} → ${record.result}${record.detail ? `: ${record.detail.slice(0, 300)}` : ''}`,
            });
          },
          onMirrorError: (err) => log.warn({ err }, 'audit channel mirror failed (the record is stored)'),
        }
      : {}),
  });
  const jobs = createDebugPodQueue({
    connection: bullConnection,
    prefix: config.redis.prefix,
    now,
    onError: (err) => log.error({ err: { message: err.message } }, 'queue connection error'),
  });
  const deps: ConversationDeps = {
    config,
    kube,
    chat,
    requests: new RequestStore({ redis, prefix: config.redis.prefix, now }),
    board: new DiagnosisBoard({ redis, prefix: config.redis.prefix }),
    audit,
    groups: new GroupResolver({
      listMembers: (g) => chat.groupMembers(g),
      ttlMs: config.approvals.groupCacheSeconds * 1000,
    }),
    jobs,
    log,
    now,
  };
  registerHandlers(app, deps);

  const workers = await startWorkers(deps, {
    connection: bullConnection,
    prefix: config.redis.prefix,
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.janitorEveryMs ? { janitorEveryMs: options.janitorEveryMs } : {}),
  });
  const alerts = config.alerts.enabled ? await startAlerts(deps, redis, options.alertTuning) : undefined;

  let port: number | undefined;
  if (config.slack.mode === 'socket') {
    await app.start();
  } else {
    const server = (await app.start({ port: config.slack.port, host: options.listenHost ?? '0.0.0.0' })) as {
      address(): unknown;
    };
    const address = server.address();
    port = typeof address === 'object' && address ? (address as { port: number }).port : config.slack.port;
  }
  log.info({ mode: config.slack.mode, port, cluster: config.cluster.name }, 'debugdead started');

  let stopped = false;
  return {
    deps,
    app,
    ...(port !== undefined ? { port } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      // Each step has a deadline: with Redis or Slack unreachable, a graceful close can wait forever, and a pod
      // being terminated must still exit within its grace period.
      const step = (what: string, run: () => Promise<unknown>) =>
        Promise.race([run(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]).catch((err) =>
          log.warn({ err }, `stopping: ${what} failed`),
        );
      await step('Bolt', () => app.stop());
      await step('alerts', async () => alerts?.stop());
      await step('workers', () => workers.close());
      await step('queue', () => jobs.close());
      await step('audit mirror', () => audit.idle());
      redis.disconnect();
      log.info('debugdead stopped');
    },
  };
}

/** Bolt logs through our pino logger, so its lines are JSON and redacted like ours. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.WARN;
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
