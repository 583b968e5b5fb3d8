import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Meter } from './meter.js';

/** Numbers read when Prometheus scrapes, from the rooms that keep them. */
export interface MetricSources {
  /** What `--version` prints. */
  build: { version: string; commit: string; node: string };
  /** The alert manager's counters since start; absent when alerts are off. */
  alerts?: () => { posted: number; suppressed: number; updated: number; summaries: number; dropped: number };
  /** Debug-pod jobs per BullMQ state (waiting, delayed, active, completed, failed…); undefined: none to read. */
  jobCounts?: () => Promise<Record<string, number> | undefined>;
  /**
   * Many clusters (the gateway): debug-pod jobs per cluster's queue and BullMQ state, read instead of `jobCounts`
   * and labelled `cluster`; undefined in one process.
   */
  clusterJobCounts?: () => Promise<Record<string, Record<string, number>> | undefined>;
}

/** The bot's Prometheus registry (its own, not prom-client's global one: tests run several bots in one process). */
export interface Metrics extends Meter {
  readonly registry: Registry;
  /** The exposition text and its Content-Type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** States a queued job waits in: their sum is the queue depth. */
const WAITING_STATES = ['waiting', 'prioritized', 'delayed', 'paused', 'waiting-children'];

/** Builds every debugdead_* metric, plus Node's process metrics (prom-client's default collectors). */
export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'debugdead_' });

  new Gauge({
    name: 'debugdead_build_info',
    help: 'Always 1; the labels say which build runs.',
    labelNames: ['version', 'commit', 'node'],
    registers,
  }).set(sources.build, 1);

  const diagnoses = new Counter({
    name: 'debugdead_diagnoses_total',
    help: 'Diagnoses by outcome: posted, or why not (policy, kube, slack, error).',
    labelNames: ['outcome'],
    registers,
  });
  const diagnosisSeconds = new Histogram({
    name: 'debugdead_diagnosis_duration_seconds',
    help: 'Time from a diagnosis request to its answer in Slack, by outcome.',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
    registers,
  });
  const kubeRequests = new Counter({
    name: 'debugdead_kube_requests_total',
    help: 'Kubernetes API requests by verb, resource and HTTP status (error: no answer).',
    labelNames: ['verb', 'resource', 'code'],
    registers,
  });
  const kubeSeconds = new Histogram({
    name: 'debugdead_kube_request_duration_seconds',
    help: 'Kubernetes API request latency by verb and resource.',
    labelNames: ['verb', 'resource'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const slackCalls = new Counter({
    name: 'debugdead_slack_calls_total',
    help: 'Slack Web API calls by method and HTTP status (error: no answer).',
    labelNames: ['method', 'status'],
    registers,
  });
  const slackRateLimited = new Counter({
    name: 'debugdead_slack_rate_limited_total',
    help: 'Slack Web API calls answered 429 (each is retried after its Retry-After).',
    labelNames: ['method'],
    registers,
  });
  const livePods = new Gauge({
    name: 'debugdead_debug_pods',
    help: 'Debug pods (clones and node shells) alive at the last janitor sweep.',
    registers,
  });
  const jobsFinished = new Counter({
    name: 'debugdead_jobs_finished_total',
    help: 'Debug-pod job attempts that ended, by job name and outcome (a failed attempt may be retried).',
    labelNames: ['name', 'outcome'],
    registers,
  });
  const auditLines = new Counter({
    name: 'debugdead_audit_lines_total',
    help: 'Audit log lines written: record (chained), spooled (Redis away) and anchor (chain head published).',
    labelNames: ['kind'],
    registers,
  });
  for (const kind of ['record', 'spooled', 'anchor']) auditLines.inc({ kind }, 0);

  const { alerts, jobCounts, clusterJobCounts } = sources;
  new Gauge({
    name: 'debugdead_alerts',
    help: 'Alert messages since start: posted, suppressed (already alerted in the cooldown, or folded into a summary), updated, summaries, dropped (Slack refused).',
    labelNames: ['outcome'],
    registers,
    collect() {
      if (!alerts) return;
      for (const [outcome, n] of Object.entries(alerts())) this.set({ outcome }, n);
    },
  });
  const jobStates = new Gauge({
    name: 'debugdead_jobs',
    help: 'Debug-pod jobs in the queue by BullMQ state (and cluster, in a gateway of many clusters).',
    labelNames: ['state', 'cluster'],
    registers,
  });
  const queueDepth = new Gauge({
    name: 'debugdead_queue_depth',
    help: 'Debug-pod jobs not started yet (waiting, delayed, prioritized, paused), per cluster in a gateway.',
    labelNames: ['cluster'],
    registers,
  });
  /** One Redis round trip fills both queue gauges; with Redis away the last values stay (readiness says why). */
  async function readQueue(): Promise<void> {
    const depth = (counts: Record<string, number>) => WAITING_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    const byCluster = await clusterJobCounts?.().catch(() => undefined);
    if (byCluster) {
      for (const [cluster, counts] of Object.entries(byCluster)) {
        for (const [state, n] of Object.entries(counts)) jobStates.set({ state, cluster }, n);
        queueDepth.set({ cluster }, depth(counts));
      }
      return;
    }
    const counts = await jobCounts?.().catch(() => undefined);
    if (!counts) return;
    for (const [state, n] of Object.entries(counts)) jobStates.set({ state }, n);
    queueDepth.set(depth(counts));
  }

  return {
    registry,
    async render() {
      await readQueue();
      const body = await registry.metrics();
      return { contentType: registry.contentType, body };
    },
    diagnosis(outcome, seconds) {
      diagnoses.inc({ outcome });
      diagnosisSeconds.observe({ outcome }, seconds);
    },
    kubeRequest(verb, resource, code, seconds) {
      kubeRequests.inc({ verb, resource, code });
      kubeSeconds.observe({ verb, resource }, seconds);
    },
    slackCall(method, status) {
      slackCalls.inc({ method, status: String(status) });
      if (status === 429) slackRateLimited.inc({ method });
    },
    livePods(count) {
      livePods.set(count);
    },
    jobFinished(name, outcome) {
      jobsFinished.inc({ name, outcome });
    },
    auditLine(kind) {
      auditLines.inc({ kind });
    },
  };
}
