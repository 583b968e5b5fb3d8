import { namespaceAllowed } from '../approvals/index.js';
import type { Config } from '../config/types.js';
import { MANAGED_LABEL } from '../debugpods/index.js';
import type { KubeClient } from '../kube/index.js';
import { type PodWatch, type WatchPodsOptions, watchPods } from '../kube/index.js';
import type { RedisClient } from '../redis/index.js';
import type { AlertClock } from './alert-clock.js';
import { type AlertLog, AlertManager } from './alert-manager.js';
import type { AlertSink } from './types.js';

export interface StartAlertWatchOptions {
  kube: Pick<KubeClient, 'kubeConfig'>;
  config: Pick<Config, 'alerts' | 'namespaces' | 'redis'>;
  redis: RedisClient;
  sink: AlertSink;
  log?: AlertLog;
  /** Overrides for tests and benches (pacing, burst window, clock). */
  manager?: { channelIntervalMs?: number; burstWindowMs?: number; now?: () => Date; clock?: AlertClock };
  /** Overrides of the watch's timing (back-off, page size, server timeout). */
  watch?: Pick<
    WatchPodsOptions,
    'backoffInitialMs' | 'backoffMaxMs' | 'pageSize' | 'watchTimeoutSeconds' | 'inactivityTimeoutMs'
  >;
}

/** The running watcher: the pod watch feeding the AlertManager. */
export interface AlertWatch {
  manager: AlertManager;
  watch: PodWatch;
  stop(): Promise<void>;
}

/** Literal namespace names (no glob characters): those can be watched one by one instead of cluster-wide. */
const isLiteral = (pattern: string): boolean => !/[*?]/.test(pattern);

/**
 * Starts alerting: watches pods in the namespaces policy allows (one watch per namespace when `namespaces.allow`
 * lists plain names, else one cluster-wide watch filtered by the allow/deny globs), honouring
 * `alerts.labelSelector`, and feeds an AlertManager configured from `alerts`.
 */
export function startAlertWatch(opts: StartAlertWatchOptions): AlertWatch {
  const { config } = opts;
  const a = config.alerts;
  const manager = new AlertManager({
    redis: opts.redis,
    prefix: config.redis.prefix,
    sink: opts.sink,
    reasons: a.reasons,
    restartThreshold: a.restartThreshold,
    cooldownSeconds: a.cooldownSeconds,
    maxWorkloadsPerBurst: a.maxWorkloadsPerBurst,
    channel: a.channel,
    routes: a.routes,
    ...(opts.log ? { log: opts.log } : {}),
    ...opts.manager,
  });
  const allowed = (ns: string): boolean => namespaceAllowed({ namespaces: config.namespaces }, ns).ok;
  const allow = config.namespaces.allow;
  const literal = allow.length > 0 && allow.every(isLiteral);
  const watch = watchPods(opts.kube.kubeConfig, manager, {
    ...(literal ? { namespaces: allow.filter(allowed) } : {}),
    namespaceFilter: allowed,
    labelSelector: a.labelSelector,
    keepLabels: [MANAGED_LABEL, 'pod-template-hash'],
    ...(opts.log ? { log: opts.log } : {}),
    ...opts.watch,
  });
  return {
    manager,
    watch,
    async stop() {
      await watch.stop();
      await manager.stop();
    },
  };
}
