import { type WorkloadRef, workloadKey, workloadOf } from '../alerts/index.js';
import type { Diagnosis } from '../diagnosis/index.js';
import type { RedisClient } from '../redis/index.js';

/** How long a person's diagnosis stands in for an alert's: an alert within this many seconds links to it. */
export const RECENT_DIAGNOSIS_SECONDS = 3600;

/** Which diagnosis an alert may link to: the same workload (in the same cluster), posted in the alert's channel. */
export interface DiagnosisPlace {
  channel: string;
  /** Many clusters: the workload's cluster (the same name in two clusters is two workloads). Absent: the one cluster. */
  cluster?: string;
  workload: WorkloadRef;
}

/** A diagnosis a person asked for (`/debugdead`), as an alert links to it. */
export interface RecentDiagnosis extends DiagnosisPlace {
  /** The summary message. */
  ts: string;
  diagnosisId: string;
  /** Slack user id of whoever asked. */
  by: string;
  /** ISO 8601: when it was posted. */
  at: string;
}

/** Where recent diagnoses are kept; src/app.ts builds it over Redis ({@link createRecentDiagnoses}). */
export interface RecentDiagnoses {
  /** Keeps a person's diagnosis for {@link RECENT_DIAGNOSIS_SECONDS}; a later one of the same place replaces it. */
  remember(diagnosis: RecentDiagnosis): Promise<void>;
  /** The person's diagnosis of this place within the window, if any. */
  find(place: DiagnosisPlace): Promise<RecentDiagnosis | undefined>;
}

/**
 * `<prefix>:recent-diagnosis:<channel>:<namespace>/<Kind>/<name>`, with `@<cluster>/` before the namespace when there
 * are many clusters. Slack channel ids, cluster names and Kubernetes names hold no `:` or `@`, so distinct places never
 * share a key. One key per place: nothing here runs in a script or MULTI, so no two keys need to share a slot. Pure.
 */
export function recentDiagnosisKey(prefix: string, place: DiagnosisPlace): string {
  const cluster = place.cluster ? `@${place.cluster}/` : '';
  return `${prefix}:recent-diagnosis:${place.channel}:${cluster}${workloadKey(place.workload)}`;
}

/**
 * Whether a diagnosis posted at `at` still stands in for an alert at `now`: younger than the window (an hour by
 * default; exactly an hour old is too old). A time slightly ahead of `now` (another replica's clock) counts. Pure.
 */
export function isRecentDiagnosis(
  entry: Pick<RecentDiagnosis, 'at' | 'by'>,
  now: Date,
  windowSeconds = RECENT_DIAGNOSIS_SECONDS,
): boolean {
  const at = Date.parse(entry.at);
  // An alert's own diagnosis is never one to link to: alerts would only ever link to alerts.
  if (!Number.isFinite(at) || entry.by === 'alert') return false;
  return now.getTime() - at < windowSeconds * 1000;
}

/** A stored entry back to its fields, or undefined for anything unreadable (then the alert diagnoses). Pure. */
export function parseRecentDiagnosis(raw: string | null | undefined): RecentDiagnosis | undefined {
  if (!raw) return undefined;
  let v: Partial<RecentDiagnosis>;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const strings = [v?.channel, v?.ts, v?.diagnosisId, v?.by, v?.at];
  const w = v?.workload;
  if (!strings.every((s) => typeof s === 'string' && s.length > 0)) return undefined;
  if (typeof w?.namespace !== 'string' || typeof w.kind !== 'string' || typeof w.name !== 'string') return undefined;
  return v as RecentDiagnosis;
}

/**
 * The workload of a diagnosed pod, as the alert watch names it (workloadOf: the controlling owner, a ReplicaSet's
 * Deployment by its pod-template-hash label), from what the diagnosis already holds: the owner chain read while
 * diagnosing (nearest first) and the pod's labels. No API read. Pure.
 */
export function workloadOfDiagnosis(pod: Diagnosis['pod'], labels: Record<string, string>): WorkloadRef {
  const owner = pod.owners[0];
  return workloadOf({ namespace: pod.namespace, name: pod.name, labels, ...(owner ? { owner } : {}) });
}

/** Recent diagnoses in Redis, one key per place, expiring with the window (Redis forgets them; no sweep). */
export function createRecentDiagnoses(options: {
  redis: RedisClient;
  /** config.redis.prefix. */
  prefix: string;
  now: () => Date;
  /** @defaultValue RECENT_DIAGNOSIS_SECONDS */
  windowSeconds?: number;
}): RecentDiagnoses {
  const { redis, prefix, now } = options;
  const windowSeconds = options.windowSeconds ?? RECENT_DIAGNOSIS_SECONDS;
  return {
    async remember(d) {
      if (d.by === 'alert') return;
      const leftMs = windowSeconds * 1000 - (now().getTime() - Date.parse(d.at));
      if (!(leftMs > 0)) return;
      await redis.set(recentDiagnosisKey(prefix, d), JSON.stringify(d), 'PX', Math.ceil(leftMs));
    },
    async find(place) {
      const key = recentDiagnosisKey(prefix, place);
      const entry = parseRecentDiagnosis(await redis.get(key));
      if (!entry || recentDiagnosisKey(prefix, entry) !== key) return undefined;
      // The key's own expiry runs on Redis' clock; the window is judged on ours, like every other time of the bot.
      return isRecentDiagnosis(entry, now(), windowSeconds) ? entry : undefined;
    },
  };
}
