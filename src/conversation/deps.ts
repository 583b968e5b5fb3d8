import type { Logger } from 'pino';
import type { SignedGrant } from '../actions/index.js';
import type { MuteChoice, MuteRecord } from '../alerts/index.js';
import type { DebugPodLimits, GroupResolver } from '../approvals/index.js';
import type { AuditAnchor, AuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Meter } from '../metrics/index.js';
import type { ChatPort } from './chat-port.js';
import type { DiagnosisRecordStore } from './diagnosis-record-store.js';

/**
 * What a debug-pod job carries: the signed grant and nothing else. The worker builds the pod from the grant alone;
 * the diagnosis record in Redis only tells it where to report.
 */
export type CreateDebugPodJob = SignedGrant;

export interface DeleteDebugPodJob {
  actionId: string;
  namespace: string;
  podName: string;
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

/** Everything the conversation needs; src/app.ts builds it, tests build it against the simulators. */
/** Mutes of workloads' alerts, kept in Redis (src/alerts mute-record). */
export interface MutePort {
  save(workloadKey: string, choice: MuteChoice, by: string): Promise<MuteRecord>;
  /** True when there was a mute to end. */
  clear(workloadKey: string): Promise<boolean>;
}

export interface ConversationDeps {
  /** Absent: no mute menu on messages. */
  mutes?: MutePort;
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
  /** What is counted for /metrics. @defaultValue nothing is counted */
  meter?: Meter;
  /** The HMAC key of grants (DEBUGDEAD_SIGNING_KEY); never written to Redis. */
  signingKey: string;
  log: Logger;
  now: () => Date;
}
