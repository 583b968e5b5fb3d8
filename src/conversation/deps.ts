import type { Logger } from 'pino';
import type { SignedGrant } from '../actions/index.js';
import type { MuteChoice, MuteRecord } from '../alerts/index.js';
import type { DebugPodLimits, GroupResolver } from '../approvals/index.js';
import type { AuditAnchor, AuditLog } from '../audit/index.js';
import type { WorkloadTarget } from '../command/index.js';
import type { Config } from '../config/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Meter } from '../metrics/index.js';
import type { ExamineResult } from '../pipeline/index.js';
import type { ChatPort } from './chat-port.js';
import type { ClusterOps } from './cluster-ops.js';
import type { DiagnosisTarget } from './diagnose-and-post.js';
import type { DiagnosisRecordStore } from './diagnosis-record-store.js';
import type { ExpiryMark } from './mark-expiry.js';
import type { ProgressPort } from './progress-port.js';
import type { RecentDiagnoses } from './recent-diagnoses.js';

/**
 * What a debug-pod job carries: the signed grant and nothing else. The worker builds the pod from the grant alone;
 * the diagnosis record in Redis only tells it where to report.
 */
export type CreateDebugPodJob = SignedGrant & {
  /**
   * Many clusters: the gateway's signed word on the approvers' user groups, whose expiry is also the job's deadline
   * (src/agent attestedGroups). Absent in one process.
   */
  attest?: unknown;
};

export interface DeleteDebugPodJob {
  actionId: string;
  namespace: string;
  podName: string;
  /**
   * A debug container's name in `podName`: then nothing is deleted (ephemeral containers cannot be removed); the job
   * looks whether its sleep ended, reports it and stops counting it in the limits.
   */
  container?: string;
  /** Who asked: a Slack user id, or 'ttl' / 'bot'. */
  by: string;
  /** The pod's requester, so the limits stop counting it. */
  requestedBy?: string;
}

/** The queue side, implemented in jobs/ over BullMQ. Every method is idempotent per action id. */
export interface JobPort {
  enqueueCreate(job: CreateDebugPodJob): Promise<void>;
  /** Schedules (or moves) the deletion of an action's pod to `at`. */
  scheduleDelete(job: DeleteDebugPodJob, at: Date): Promise<void>;
  /** Deletes now, cancelling the scheduled deletion. */
  deleteNow(job: DeleteDebugPodJob): Promise<void>;
}

/** Many clusters, seen from the gateway (src/gateway builds it over the clusters' queues). */
export interface ClusterRouting {
  /**
   * The cluster a command is for (`@name`, the channel's default, the only one, else the one whose agent has the
   * pod), with its agent alive; otherwise the sentence to answer at once.
   */
  choose(input: {
    named?: string;
    channel: string;
    namespace: string;
    pod: string;
    /** A workload target (`deploy/checkout`): looked for instead of the pod. */
    workload?: WorkloadTarget;
  }): Promise<{ ok: true; cluster: string } | { ok: false; text: string }>;
  /** `/debugdead clusters`: each cluster's agent, its version and lag. */
  list(): Promise<string>;
  /** The conversation as one cluster's: its policy, its signing key, its audit records. */
  depsFor(cluster: string): ConversationDeps;
}

/** Everything the conversation needs; src/app.ts builds it, tests build it against the simulators. */
/** Mutes of workloads' alerts, kept in Redis (src/alerts mute-record). */
export interface MutePort {
  save(workloadKey: string, choice: MuteChoice, by: string): Promise<MuteRecord>;
  /** True when there was a mute to end. */
  clear(workloadKey: string): Promise<boolean>;
  /** The workload's current mute (its muter may unmute it). @defaultValue absent: only mute.approvers may unmute */
  read?(workloadKey: string): Promise<MuteRecord | undefined>;
}

export interface ConversationDeps {
  /** Absent: no mute menu on messages. */
  mutes?: MutePort;
  /**
   * People's diagnoses of the last hour, so an alert links to one instead of repeating it.
   * @defaultValue none remembered (alerts read them from the Redis they are given)
   */
  recentDiagnoses?: RecentDiagnoses;
  config: Config;
  kube: KubeClient;
  chat: ChatPort;
  records: DiagnosisRecordStore;
  limits: DebugPodLimits;
  audit: AuditLog;
  /** The audit chain's anchors published outside Redis (the audit channel's history); absent without an audit channel. */
  auditAnchors?: () => Promise<AuditAnchor[]>;
  groups: GroupResolver;
  jobs: JobPort;
  /**
   * Many clusters: examines a pod through the agent of `ref.cluster` (the gateway has no cluster credentials).
   * @defaultValue examinePod against `kube`, in this process
   */
  examine?: (ref: DiagnosisTarget) => Promise<ExamineResult>;
  /**
   * Many clusters: workload targets, More logs and Mute read the pod's cluster through its agent.
   * @defaultValue localClusterOps(kube): this process's own cluster (clusterOpsOf)
   */
  clusterOps?: ClusterOps;
  /** Extend: marks a debug pod's new expiry. @defaultValue markExpiryLocally(kube); the cluster's agent, many clusters */
  markExpiry?: (mark: ExpiryMark) => Promise<void>;
  /** Many clusters: set in the gateway. */
  clusters?: ClusterRouting;
  /** Where debug-pod jobs report progress. @defaultValue localProgress(deps): the records and Slack, here */
  progress?: ProgressPort;
  /** What is counted for /metrics. @defaultValue nothing is counted */
  meter?: Meter;
  /** The HMAC key of grants (DEBUGDEAD_SIGNING_KEY); never written to Redis. */
  signingKey: string;
  log: Logger;
  now: () => Date;
}
