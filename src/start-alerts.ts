import type { Redis } from 'ioredis';
import { type AlertStats, startAlertWatch } from './alerts/index.js';
import type { ConversationDeps } from './conversation/deps.js';
import { createDiagnosisAlertSink } from './conversation/diagnosis-alert-sink.js';

/** Test and bench overrides of the alert manager's pacing. */
export interface AlertTuning {
  channelIntervalMs?: number;
  burstWindowMs?: number;
}

/** Watches pods and posts the full diagnosis, with buttons, for each failing workload (config alerts.*). */
export async function startAlerts(
  deps: ConversationDeps,
  redis: Redis,
  tuning: AlertTuning = {},
): Promise<{ stop(): Promise<void>; stats(): AlertStats }> {
  const watch = startAlertWatch({
    kube: deps.kube,
    config: deps.config,
    redis,
    sink: createDiagnosisAlertSink(deps, redis),
    log: deps.log.child({ component: 'alerts' }),
    manager: { ...tuning, now: deps.now },
  });
  deps.log.info(
    { channel: deps.config.alerts.channel, routes: deps.config.alerts.routes.length },
    'alerts watching pods',
  );
  return { stop: () => watch.stop(), stats: () => watch.manager.stats() };
}
