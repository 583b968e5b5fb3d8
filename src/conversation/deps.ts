import type { Logger } from 'pino';
import type { GroupResolver, RequestStore } from '../approvals/index.js';
import type { AuditAnchor, AuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { KubeClient } from '../kube/index.js';
import type { ChatPort } from './chat-port.js';
import type { DiagnosisBoard } from './diagnosis-board.js';

/** What a debug-pod job needs to know; everything else is re-read from Redis and the cluster. */
export interface CreateDebugPodJob {
  /** The action id (`<diagnosisId>.c0` or `<diagnosisId>.n`): also the job id's suffix and the pod's name seed. */
  actionId: string;
  approvedBy: string;
}

export interface DeleteDebugPodJob {
  actionId: string;
  namespace: string;
  podName: string;
  /** Who asked: a Slack user id, or 'ttl' / 'janitor'. */
  by: string;
}

/** The queue side, implemented in jobs/ over BullMQ. Every method is idempotent per actionId. */
export interface JobPort {
  enqueueCreate(job: CreateDebugPodJob): Promise<void>;
  /** Schedules (or moves) the deletion of an action's pod to `at`. */
  scheduleDelete(job: DeleteDebugPodJob, at: Date): Promise<void>;
  /** Deletes now, cancelling the scheduled deletion. */
  deleteNow(job: DeleteDebugPodJob): Promise<void>;
}

/** Everything the conversation needs; src/app.ts builds it, tests build it against the simulators. */
export interface ConversationDeps {
  config: Config;
  kube: KubeClient;
  chat: ChatPort;
  requests: RequestStore;
  board: DiagnosisBoard;
  audit: AuditLog;
  /** The audit chain's anchors published outside Redis (the audit channel's history); absent without an audit channel. */
  auditAnchors?: () => Promise<AuditAnchor[]>;
  groups: GroupResolver;
  jobs: JobPort;
  log: Logger;
  now: () => Date;
}
