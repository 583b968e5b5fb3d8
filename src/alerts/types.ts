import type { CompactPod } from '../kube/index.js';

export type { CompactContainer, CompactPod, PodRef } from '../kube/index.js';

/** The workload a pod belongs to, from its owner chain. */
export interface WorkloadRef {
  namespace: string;
  /** Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet (no Deployment), Pod (bare), or a custom owner kind. */
  kind: string;
  name: string;
}

/** What one alert message says; the sink renders it (with the diagnosis and buttons). */
export interface WorkloadAlert {
  workload: WorkloadRef;
  /** The channel routing chose (routeAlert). */
  channel: string;
  /** The pod whose failure opened the alert (the one to diagnose). */
  pod: string;
  /** The waiting/terminated reason that matched (CrashLoopBackOff, OOMKilled, ...). */
  reason: string;
  /** Names of the pods failing now, sorted. */
  failingPods: string[];
  /** How many pods are failing now (= failingPods.length, kept for renderers). */
  failingCount: number;
  /** When the workload started failing (ISO 8601). */
  since: string;
  /** When every pod was Ready again or gone (ISO 8601); absent while failing. */
  recoveredAt?: string;
}

/** Where an alert was posted. */
export interface PostedAlert {
  channel: string;
  ts: string;
}

/**
 * Where alerts go. The composition root wires it to the full diagnosis with buttons; tests post a plain message.
 * Rate limits are waited out below it (the Slack client, handlers/wait-out-rate-limits.ts); an error drops that one
 * call (a post gives its claim back, so the workload's next change alerts again).
 */
export interface AlertSink {
  /** Posts the alert to `alert.channel`. */
  post(alert: WorkloadAlert): Promise<PostedAlert>;
  /** Rewrites a posted alert (more pods, or recovered). */
  update(posted: PostedAlert, alert: WorkloadAlert): Promise<void>;
  /**
   * Posts the storm summary, rendered by the sink (renderAlertSummary): entries are data, so a relaying agent never
   * hands the gateway a message to post as it is.
   */
  postSummary(channel: string, entries: readonly SummaryEntry[]): Promise<PostedAlert>;
  updateSummary(posted: PostedAlert, entries: readonly SummaryEntry[]): Promise<void>;
}

/** One line of the storm summary. */
export interface SummaryEntry {
  workload: WorkloadRef;
  reason: string;
  failingCount: number;
}

/** A Block Kit message (same shape as the ChatPort's ChatMessage). */
export interface SummaryMessage {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks, validated by Slack
  blocks: any[];
}

/** What classifyPod needs from the configuration. */
export interface DetectionOptions {
  /** Reasons that alert (config alerts.reasons). */
  reasons: readonly string[];
  /** Restarts before a crash reason alerts (config alerts.restartThreshold). */
  restartThreshold: number;
}

/** A pod's health as alerting sees it. */
export type PodVerdict =
  | { failing: true; reason: string; container: string; restartCount: number }
  | { failing: false; ready: boolean };

/** The pod facts the manager keeps per pod. */
export type PodSnapshot = Pick<CompactPod, 'namespace' | 'name' | 'uid'>;
