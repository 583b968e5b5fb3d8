/**
 * What the bot counts, as plain calls: the rooms that observe something (conversation, alerts, jobs, the Kubernetes
 * client's observer, the Slack transport) call these and know nothing of Prometheus. `createMetrics` implements it
 * over prom-client; `NOOP_METER` is the default where nobody scrapes (the CLI, unit tests).
 */
export interface Meter {
  /** One diagnosis finished: `posted`, or why not (`policy`, `kube`, `slack`, `error`). */
  diagnosis(outcome: string, seconds: number): void;
  /** One Kubernetes API request answered (`code` is the HTTP status, or `error` when none came back). */
  kubeRequest(verb: string, resource: string, code: string, seconds: number): void;
  /** One Slack Web API call answered; a 429 is counted as rate limited too. */
  slackCall(method: string, status: number | 'error'): void;
  /** Debug pods the janitor's last sweep found alive. */
  livePods(count: number): void;
  /** A debug-pod job ended (`completed` or `failed`). */
  jobFinished(name: string, outcome: 'completed' | 'failed'): void;
  /** One audit log line written: a chained record, a record spooled while Redis was away, or a chain anchor. */
  auditLine(kind: 'record' | 'spooled' | 'anchor'): void;
}

export const NOOP_METER: Meter = {
  diagnosis() {},
  kubeRequest() {},
  slackCall() {},
  livePods() {},
  jobFinished() {},
  auditLine() {},
};
