/** Every kind of event the bot audits, one per step from slash command to pod deletion. */
export const AUDIT_ACTIONS = [
  'command.received',
  'diagnosis.done',
  'button.clicked',
  'approval.requested',
  'approval.granted',
  'approval.denied',
  'job.queued',
  'pod.created',
  'pod.ready',
  'pod.failed',
  'job.rejected',
  'ttl.extended',
  'pod.deleted',
  'alert.posted',
  'alert.updated',
  'error',
] as const;

/** What happened. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who did it: a Slack user, or the bot itself (TTL expiry, janitor, alerts). */
export type AuditActor = { type: 'user'; id: string; name?: string } | { type: 'bot' };

/** What it was done to. */
export interface AuditTarget {
  cluster: string;
  namespace?: string;
  pod?: string;
  node?: string;
}

/** How it ended. `pending` marks a step whose outcome a later record reports (approval requested, job queued). */
export type AuditResult = 'ok' | 'denied' | 'error' | 'pending';

/** One audit record as stored in the Redis stream: the entry plus its place in the hash chain. */
export interface AuditRecord {
  /** The Redis stream id, assigned on append; not part of the hash. */
  seq?: string;
  /** ISO 8601. */
  time: string;
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  requestId?: string;
  result: AuditResult;
  /** Free text, already passed through src/redact by the caller. */
  detail?: string;
  /** `hash` of the record before this one (GENESIS_HASH for the first). */
  prevHash: string;
  /** hashRecord(prevHash, the fields above except seq). */
  hash: string;
}

/** The fields a caller supplies and the audit log line carries: a record without its chain. */
export type AuditEntry = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

/** What `AuditLog.record` takes: an entry whose time defaults to now. */
export type AuditInput = Omit<AuditEntry, 'time'> & { time?: Date };
