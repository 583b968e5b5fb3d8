import { type AlertSink, type AlertStats, type AlertWatch, startAlertWatch } from './alerts/index.js';
import type { ConversationDeps } from './conversation/deps.js';
import { createDiagnosisAlertSink } from './conversation/diagnosis-alert-sink.js';
import { runLeaderElection } from './leader/index.js';
import type { RedisClient } from './redis/index.js';

/** Test and bench overrides of the alert manager's pacing and of the Lease's retry period. */
export interface AlertTuning {
  channelIntervalMs?: number;
  burstWindowMs?: number;
  /** Between two Lease attempts, ms. @defaultValue a third of alerts.leaseDuration */
  leaseRetryMs?: number;
}

/** The name of the Lease (in alerts.leaseNamespace) that elects the alert watcher. */
export const ALERT_LEASE_NAME = 'debugdead-alert-watcher';

const NO_STATS: AlertStats = { posted: 0, suppressed: 0, updated: 0, summaries: 0, dropped: 0 };

/**
 * Watches pods and posts the full diagnosis, with buttons, for each failing workload (config alerts.*). Among
 * replicas one watches: the holder of a coordination.k8s.io Lease. Another replica takes over once it is released
 * (a graceful stop) or not renewed for alerts.leaseDuration; the new watcher's initial list sees every pod failing
 * then, and the per-workload claims in Redis keep alerts already posted from being posted again.
 */
export async function startAlerts(
  deps: ConversationDeps,
  redis: RedisClient,
  tuning: AlertTuning = {},
  identity = `debugdead-${process.pid}`,
  /** Where alerts go. @defaultValue the full diagnosis posted to Slack from here (an agent relays to the gateway) */
  sink?: AlertSink,
): Promise<{ stop(): Promise<void>; stats(): AlertStats; isLeader(): boolean }> {
  let watch: AlertWatch | undefined;
  let last: AlertStats = NO_STATS;
  const log = deps.log.child({ component: 'alerts' });
  const election = runLeaderElection({
    kube: deps.kube,
    namespace: deps.config.alerts.leaseNamespace ?? 'debugdead-system',
    name: ALERT_LEASE_NAME,
    identity,
    durationSeconds: deps.config.alerts.leaseDurationSeconds ?? 15,
    ...(tuning.leaseRetryMs ? { retryMs: tuning.leaseRetryMs } : {}),
    log,
    onStartedLeading: () => {
      watch = startAlertWatch({
        kube: deps.kube,
        config: deps.config,
        redis,
        sink: sink ?? createDiagnosisAlertSink(deps, redis),
        log,
        manager: {
          ...(tuning.channelIntervalMs !== undefined ? { channelIntervalMs: tuning.channelIntervalMs } : {}),
          ...(tuning.burstWindowMs !== undefined ? { burstWindowMs: tuning.burstWindowMs } : {}),
          now: deps.now,
        },
      });
      deps.log.info(
        { channel: deps.config.alerts.channel, routes: deps.config.alerts.routes.length, identity },
        'alerts watching pods',
      );
    },
    onStoppedLeading: async () => {
      const stopping = watch;
      watch = undefined;
      if (!stopping) return;
      last = stopping.manager.stats();
      await stopping.stop();
    },
  });
  await election.firstAttempt;
  return {
    stop: () => election.stop(),
    stats: () => watch?.manager.stats() ?? last,
    isLeader: () => election.isLeader(),
  };
}
