/**
 * Where one cluster's traffic lives in Redis. Everything an agent touches sits under one key pattern,
 * `<prefix>:cluster.<name>.*`, so a Redis ACL user per agent (README "Many clusters") can be limited to its own
 * cluster's keys. Cluster names are DNS labels: they hold no `.`, so `cluster.prod.*` never matches
 * `cluster.prod-eu.tasks`. BullMQ queue names may not contain `:`; BullMQ keys are `<prefix>:<queue>:<suffix>`.
 */
export type ClusterChannel =
  /** Gateway → agent: diagnoses and pod look-ups, signed by the gateway. */
  | 'tasks'
  /** Gateway → agent: debug-pod create and delete jobs (the single-process queue's jobs, per cluster). */
  | 'debug-pods'
  /** Agent → gateway: progress, thread lines and alerts for Slack, checked against the cluster they come from. */
  | 'reports';

/** The BullMQ queue name of one cluster's channel: `cluster.<name>.<channel>`. */
export function clusterQueueName(cluster: string, channel: ClusterChannel): string {
  return `cluster.${cluster}.${channel}`;
}

/** The Redis key (or key prefix) of one cluster's own state: heartbeat, limits, alert claims, audit chain. */
export function clusterKey(prefix: string, cluster: string, what: string): string {
  return `${prefix}:cluster.${cluster}.${what}`;
}

/** The ACL key pattern that covers everything of one cluster and nothing of another. */
export function clusterKeyPattern(prefix: string, cluster: string): string {
  return `${prefix}:cluster.${cluster}.*`;
}

/** RFC 1123 label: what a cluster name must be (it is part of keys, queue names and `@name` addresses). */
export const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
