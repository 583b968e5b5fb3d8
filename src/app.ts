/**
 * The composition root: configuration in, a running bot out. Builds the Bolt app (Socket Mode or signed HTTP),
 * the Kubernetes client, Redis, the diagnosis records and limits, the audit trail, the debug-pod queue and its worker, the
 * janitor and, when enabled, the alert watcher; stops them all in reverse order.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import {
  createSlackChat,
  guardHttpRequests,
  registerHandlers,
  sealingFetch,
  slackAuditAnchors,
  slackStartupProbes,
  slackWebClientOptions,
} from '../handlers/index.js';
import { createDebugPodQueue } from '../jobs/debug-pod-queue.js';
import { startWorkers } from '../jobs/start-workers.js';
import { clearMute, readMute, saveMute } from './alerts/index.js';
import { DebugPodLimits, GroupResolver } from './approvals/index.js';
import {
  type AuditAnchor,
  AuditLog,
  auditLogSink,
  createAuditLogger,
  deriveAuditKey,
  formatAnchorText,
  formatAuditMirror,
} from './audit/index.js';
import { applyReload, type Config, planReload, type ReloadPlan, resolveChannelNames } from './config/index.js';
import type { ConversationDeps } from './conversation/deps.js';
import { DiagnosisRecordStore } from './conversation/diagnosis-record-store.js';
import { createRecentDiagnoses } from './conversation/recent-diagnoses.js';
import { recordAudit } from './conversation/record-audit.js';
import { connectClusters, noClusterAccess } from './gateway/index.js';
import { redisReadiness, startHealthServer } from './health/index.js';
import { SeenSignatures } from './ingress/index.js';
import { createKubeClient, type KubeClient, loadKubeConfig } from './kube/index.js';
import { createLogger } from './log/index.js';
import { createMetrics, type Meter } from './metrics/index.js';
import { createRedis, pingRedis } from './redis/index.js';
import { type AlertTuning, startAlerts } from './start-alerts.js';
import { runSelfChecks, StartupCheckError } from './startup/index.js';
import { buildInfo } from './version/index.js';

export interface StartOptions {
  config: Config;
  /** @defaultValue a pino logger at config.log.level */
  log?: Logger;
  /** @defaultValue a synchronous pino logger on config.audit.file or stdout */
  auditLogger?: Logger;
  /** @defaultValue built from config.kubernetes (none for the gateway) */
  kube?: KubeClient;
  /**
   * Many clusters (config clusters[]): `gateway` speaks to Slack and reaches each cluster through its agent
   * (src/agent/start-agent.ts), holding no cluster credentials. @defaultValue "all": one process, one cluster
   */
  role?: 'all' | 'gateway';
  /** @defaultValue () => new Date() */
  now?: () => Date;
  /** Debug-pod readiness wait, ms. @defaultValue 120000 */
  readyTimeoutMs?: number;
  /** @defaultValue 60000 */
  janitorEveryMs?: number;
  /** HTTP mode listen address. @defaultValue "0.0.0.0" (in a pod, Slack's requests arrive through a Service) */
  listenHost?: string;
  /** Create-job retries (tests): attempts and the first back-off delay, ms. @defaultValue 5 attempts from 2000 ms */
  jobRetry?: { attempts?: number; backoffMs?: number };
  /** Alert pacing overrides (tests). */
  alertTuning?: AlertTuning;
}

export interface RunningBot {
  deps: ConversationDeps;
  app: App;
  /** HTTP mode: the port actually listened on (config port 0 picks a free one). */
  port?: number;
  /** The port of /healthz, /readyz and /metrics; absent when health.port is 0. */
  healthPort?: number;
  /**
   * Reads the configuration again (SIGHUP) and applies the keys that can change live (LIVE_KEYS in
   * src/config/plan-reload.ts); the others are named in a warning and wait for a restart. When `load` throws (an
   * invalid file), nothing changes and the error's sentences are logged.
   */
  reload(load: () => Config): ReloadPlan | { refused: string };
  /** This replica holds the alert watcher's Lease (false with alerts off). */
  isAlertWatcher(): boolean;
  stop(): Promise<void>;
}

export async function startDebugdead(options: StartOptions): Promise<RunningBot> {
  const { config } = options;
  const signingKey = config.approvals.signingKey;
  if (!signingKey || signingKey.length < 32) {
    throw new Error(
      'DEBUGDEAD_SIGNING_KEY is required (at least 32 characters): it signs approvals so that Redis alone cannot forge one',
    );
  }
  const log = options.log ?? createLogger({ level: config.log.level });
  const auditLogger = options.auditLogger ?? createAuditLogger(config.audit.file ?? 1);
  const now = options.now ?? (() => new Date());
  const asGateway = options.role === 'gateway';
  const kube =
    options.kube ??
    (asGateway ? noClusterAccess() : undefined) ??
    createKubeClient(
      loadKubeConfig({
        ...(config.kubernetes.kubeconfig ? { kubeconfigPath: config.kubernetes.kubeconfig } : {}),
        ...(config.kubernetes.context ? { context: config.kubernetes.context } : {}),
      }),
      { timeoutMs: config.kubernetes.requestTimeoutSeconds * 1000, clusterName: config.cluster.name },
    );

  // BullMQ needs maxRetriesPerRequest null on its blocking connections; commands on the shared one fail fast instead.
  const redis = createRedis(config.redis, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'redis connection error'));
  // One connection the queue and workers share (a Redis Cluster must be handed to BullMQ as a client); each worker
  // duplicates it for its blocking commands.
  const bullConnection = createRedis(config.redis, { maxRetriesPerRequest: null, lazyConnect: true });
  bullConnection.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'queue connection error'));

  let alerts: Awaited<ReturnType<typeof startAlerts>> | undefined;
  let jobs: ReturnType<typeof createDebugPodQueue> | undefined;
  const metrics = createMetrics({
    build: buildInfo(),
    alerts: () => alerts?.stats() ?? { posted: 0, suppressed: 0, updated: 0, summaries: 0, dropped: 0 },
    jobCounts: async () => (jobs ? jobs.counts() : {}),
    // A gateway's debug-pod jobs wait in each cluster's queue, not in the default one.
    clusterJobCounts: async () => gateway?.link.jobCounts(),
  });
  const unobserveKube = kube.observe((r) => metrics.kubeRequest(r.verb, r.resource, r.code, r.seconds));
  const clientOptions = slackWebClientOptions({
    apiUrl: config.slack.apiUrl,
    // respond() posts through this fetch: every answer to a person passes the egress boundary (handlers/), and every
    // Slack call is counted (a 429 as debugdead_slack_rate_limited_total).
    fetch: sealingFetch(meteredFetch(metrics)),
    rateLimits: {
      onRateLimited: (wait) =>
        wait.waited
          ? log.info(wait, 'Slack rate limit: waiting Retry-After')
          : log.warn(wait, 'Slack rate limit: waited long enough, the call fails'),
    },
  });

  // Start-up self-checks (README "Operating it"): a fatal problem stops the start with every sentence at once; the
  // others are logged and keep /readyz failing until they are fixed and the bot restarted.
  // Before the App exists: Bolt's constructor calls auth.test itself and leaves a rejected promise behind for a bad
  // token, so with one the App is never built.
  const slackProbes = slackStartupProbes(
    new webApi.WebClient(config.slack.botToken, { ...clientOptions, retryConfig: { retries: 2 } }),
    now,
  );
  const checked = await runSelfChecks(
    { ...config, kubernetesServer: kube.server },
    {
      pingRedis: () => pingRedis(config.redis),
      authTest: () => slackProbes.authTest(),
      probeChannel: (channel) => slackProbes.probeChannel(channel),
      listChannels: () => slackProbes.listChannels(),
      // The gateway uses no Kubernetes verb: each agent is checked in its own cluster.
      mayI: (need) => (asGateway ? Promise.resolve({ allowed: true }) : kube.mayI(need)),
    },
  );
  if (checked.fatal.length) {
    unobserveKube();
    redis.disconnect();
    bullConnection.disconnect();
    throw new StartupCheckError(checked.fatal);
  }
  for (const warning of checked.warnings) log.warn({ check: 'startup' }, warning);
  // `#name` channels, resolved once: from here on the configuration holds ids only.
  const channelIds = checked.channelIds ?? new Map<string, string>();
  Object.assign(config, pickChannels(resolveChannelNames(config, channelIds).config));

  // HTTP mode: Bolt's receiver behind our guard (handlers/guard-http-requests.ts), which refuses replays, future
  // timestamps and body shapes Bolt cannot read before Bolt sees them.
  const receiver =
    config.slack.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.slack.signingSecret ?? '',
          logger: boltLogger(log),
          logLevel: LogLevel.WARN,
        })
      : undefined;
  if (receiver) {
    receiver.requestListener = guardHttpRequests(receiver.requestListener, {
      signingSecret: config.slack.signingSecret ?? '',
      seen: new SeenSignatures({ redis, prefix: config.redis.prefix }),
      log,
      now,
    });
  }
  // Socket Mode: our own receiver, so readiness can follow its client's connection (connected, or reconnecting).
  const socketReceiver = receiver
    ? undefined
    : new SocketModeReceiver({
        appToken: config.slack.appToken ?? '',
        logger: boltLogger(log),
        logLevel: LogLevel.WARN,
        installerOptions: { clientOptions },
      });
  let slackState = receiver ? 'connected' : 'connecting';
  for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected']) {
    socketReceiver?.client.on(state, () => {
      slackState = state;
    });
  }
  const app = new App({
    token: config.slack.botToken,
    logLevel: LogLevel.WARN,
    logger: boltLogger(log),
    clientOptions,
    receiver: receiver ?? (socketReceiver as SocketModeReceiver),
  });
  const chat = createSlackChat(app.client);

  // Listening from here on: /healthz answers while the rest starts (the startup probe), /readyz says what is not up.
  let slackStarted = false;
  const health =
    config.health.port === 0
      ? undefined
      : await startHealthServer({
          port: config.health.port,
          host: options.listenHost ?? '0.0.0.0',
          metrics: () => metrics.render(),
          checks: {
            redis: () => redisReadiness(redis.status, config.redis, 'that Redis runs'),
            kubernetes: async () => {
              if (!asGateway) await kube.withTimeout(1500).ping();
              return { ok: true };
            },
            startup: () =>
              checked.warnings.length === 0
                ? { ok: true }
                : { ok: false, reason: `${checked.warnings.join(' ')} (then restart the bot)` },
            // The Socket Mode client emits no state change when its socket drops: it waits clientPingTimeout before
            // "reconnecting". The socket's own state says at once.
            slack: () =>
              !slackStarted
                ? { ok: false, reason: 'the bot is still starting' }
                : !socketReceiver || socketReceiver.client.websocket?.isActive()
                  ? { ok: true }
                  : {
                      ok: false,
                      reason: `the Socket Mode connection is ${slackState === 'connected' ? 'lost' : slackState}; it reconnects by itself`,
                    },
          },
        }).catch((err: Error) => {
          unobserveKube();
          redis.disconnect();
          bullConnection.disconnect();
          throw new Error(
            `health.port ${config.health.port} cannot be listened on (${err.message}): set health.port to a free port, or 0 to turn /healthz, /readyz and /metrics off`,
          );
        });

  const audit = new AuditLog({
    redis,
    key: `${config.redis.prefix}:audit`,
    maxLen: config.audit.maxRecords,
    clusterName: config.cluster.name,
    // Each record is signed with a key derived from the signing key: whoever holds Redis can recompute the SHA-256
    // chain, not this (README "The audit trail").
    macKey: deriveAuditKey(signingKey),
    sink: meteredSink(auditLogSink(auditLogger), metrics),
    anchorEvery: config.audit.anchorEvery,
    anchorIntervalMs: config.audit.anchorIntervalSeconds * 1000,
    spoolMax: config.audit.spoolMax,
    onOutage: (err, spooled) =>
      err
        ? log.error({ err, spooled }, 'Redis unavailable: audit records are spooled to the audit log until it returns')
        : log.info('Redis is back: spooled audit records appended to the chain behind a gap record'),
    onAnchorError: (err) => log.warn({ err }, 'audit anchor not posted to the audit channel (it is in the audit log)'),
    ...(config.audit.channel
      ? {
          onAnchor: async (anchor: AuditAnchor) =>
            void (await chat.post(config.audit.channel!, { text: formatAnchorText(anchor) })),
        }
      : {}),
    ...(config.audit.channel
      ? {
          mirror: async (record) => {
            await chat.post(config.audit.channel!, { text: formatAuditMirror(record) });
          },
          onMirrorError: (err) => log.warn({ err }, 'audit channel mirror failed (the record is stored)'),
        }
      : {}),
  });
  jobs = createDebugPodQueue({
    connection: bullConnection,
    prefix: config.redis.prefix,
    now,
    onError: (err) => log.error({ err: { message: err.message } }, 'queue connection error'),
    ...(options.jobRetry?.attempts ? { createAttempts: options.jobRetry.attempts } : {}),
    ...(options.jobRetry?.backoffMs ? { createBackoffMs: options.jobRetry.backoffMs } : {}),
  });
  const deps: ConversationDeps = {
    mutes: {
      save: (key, choice, by) => saveMute(redis, config.redis.prefix, key, choice, by, now()),
      clear: (key) => clearMute(redis, config.redis.prefix, key),
      read: (key) => readMute(redis, config.redis.prefix, key),
    },
    recentDiagnoses: createRecentDiagnoses({ redis, prefix: config.redis.prefix, now }),
    config,
    kube,
    chat,
    records: new DiagnosisRecordStore({
      redis,
      prefix: config.redis.prefix,
      signingKey,
      // Only someone writing to Redis directly makes a record that does not verify: loud, and on the audit trail.
      onTamper: (id, what) => {
        log.error({ diagnosisId: id, what }, 'a diagnosis record in Redis does not verify; it is ignored');
        void recordAudit(audit, log, {
          actor: { type: 'bot' },
          action: 'job.rejected',
          target: {},
          requestId: id,
          result: 'denied',
          detail: `tampered record ignored: ${what}`,
        });
      },
    }),
    limits: new DebugPodLimits({ redis, prefix: config.redis.prefix, limits: config.limits }),
    signingKey,
    audit,
    ...(config.audit.channel ? { auditAnchors: slackAuditAnchors(app.client, config.audit.channel) } : {}),
    groups: new GroupResolver({
      listMembers: (g) => chat.groupMembers(g),
      ttlMs: config.approvals.groupCacheSeconds * 1000,
    }),
    jobs,
    meter: metrics,
    log,
    now,
  };
  // The gateway: commands, clicks and jobs reach each cluster through its agent (before any command arrives).
  const gateway = asGateway
    ? await connectClusters(deps, {
        connection: bullConnection,
        redis,
        gatewayKey: signingKey,
        channelIds,
        ...(options.jobRetry ? { jobRetry: options.jobRetry } : {}),
      })
    : undefined;
  registerHandlers(app, deps);

  const workers = gateway
    ? undefined
    : await startWorkers(deps, {
        connection: bullConnection,
        prefix: config.redis.prefix,
        ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
        ...(options.janitorEveryMs ? { janitorEveryMs: options.janitorEveryMs } : {}),
      });
  alerts =
    config.alerts.enabled && !gateway
      ? await startAlerts(deps, redis, options.alertTuning, `${hostname()}-${randomBytes(3).toString('hex')}`)
      : undefined;

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
  slackStarted = true;
  log.info(
    { mode: config.slack.mode, port, healthPort: health?.port, cluster: config.cluster.name, ...buildInfo() },
    'debugdead started',
  );

  let stopped = false;
  return {
    deps,
    app,
    ...(port !== undefined ? { port } : {}),
    ...(health ? { healthPort: health.port } : {}),
    isAlertWatcher: () => alerts?.isLeader() ?? false,
    reload(load) {
      let next: Config;
      try {
        next = load();
      } catch (e) {
        const refused = e instanceof Error ? e.message : String(e);
        log.error({ problems: refused }, 'configuration reload refused; the running configuration stays');
        return { refused };
      }
      // Names are resolved with the list read at start; a channel named for the first time needs a restart.
      const named = resolveChannelNames(next, channelIds);
      if (named.unresolved.length) {
        const refused = named.unresolved
          .map((u) => `${u.key}: ${u.name} was not among the channels listed at start: give its id, or restart the bot`)
          .join('\n');
        log.error({ problems: refused }, 'configuration reload refused; the running configuration stays');
        return { refused };
      }
      next = named.config;
      const plan = planReload(config, next);
      applyReload(config, next, plan.live);
      if (plan.live.includes('log.level')) log.level = config.log.level;
      log.info({ applied: plan.live, restart: plan.restart }, 'configuration reloaded');
      if (plan.restart.length) {
        log.warn({ keys: plan.restart }, 'configuration keys changed that apply only after a restart');
      }
      return plan;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Each step has a deadline: with Redis or Slack unreachable, a graceful close can wait forever, and a pod
      // being terminated must still exit within its grace period.
      const step = (what: string, run: () => Promise<unknown>) =>
        Promise.race([run(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]).catch((err) =>
          log.warn({ err }, `stopping: ${what} failed`),
        );
      await step('health endpoints', async () => health?.close());
      await step('Bolt', () => app.stop());
      await step('alerts', async () => alerts?.stop());
      await step('workers', async () => workers?.close());
      await step('clusters', async () => gateway?.close());
      await step('queue', () => jobs.close());
      await step('audit', async () => {
        await audit.idle();
        audit.close();
      });
      unobserveKube();
      redis.disconnect();
      bullConnection.disconnect();
      log.info('debugdead stopped');
    },
  };
}

/** The keys that hold channels (the parts resolveChannelNames rewrites). */
function pickChannels(config: Config): Pick<Config, 'alerts' | 'audit' | 'bindings' | 'clusters'> {
  return { alerts: config.alerts, audit: config.audit, bindings: config.bindings, clusters: config.clusters };
}

/** Counts every Slack Web API call (Bolt's, ours and the Socket Mode client's) by method and HTTP status. */
function meteredFetch(meter: Meter): typeof fetch {
  return async (url, init) => {
    const method = String(url).split('/').pop()?.split('?')[0] || 'unknown';
    try {
      const res = await fetch(url, init);
      meter.slackCall(method, res.status);
      return res;
    } catch (e) {
      meter.slackCall(method, 'error');
      throw e;
    }
  };
}

/** The audit log sink, counted. */
function meteredSink<L extends { kind: 'record' | 'spooled' | 'anchor' }>(
  sink: (line: L) => void,
  meter: Meter,
): (line: L) => void {
  return (line) => {
    sink(line);
    meter.auditLine(line.kind);
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
