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
  /** A debug container was added to a pod through pods/ephemeralcontainers (target: that pod). */
  'container.attached',
  /** A debug container ended at its TTL (it stays in the pod's spec: ephemeral containers cannot be removed). */
  'container.ended',
  'alert.posted',
  'alert.updated',
  /** A workload's alerts muted (detail: for how long) or unmuted from the menu on its message. */
  'alert.muted',
  'alert.unmuted',
  'error',
  /** Records written while Redis was unreachable follow this one, appended late (meta: count, from, to, dropped). */
  'audit.gap',
  /** Records up to meta.trimmedThrough were removed at maxLen; meta.hashThrough is the last removed hash. */
  'audit.trimmed',
  /** The bot found the chain behind what it had written (Redis flushed or rewound); meta.foundSeq says where. */
  'audit.reset',
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

/** Structured facts of the chain's own records (gap, trim, reset); hashed with the rest. */
export type AuditMeta = Record<string, string | number>;

/** One audit record as stored in the Redis stream and written to the audit log: the entry plus its chain link. */
export interface AuditRecord {
  /** Its place in the chain, from 1; hashed. The Redis stream id is `<seq>-0`. */
  seq: number;
  /** ISO 8601. */
  time: string;
  actor: AuditActor;
  action: AuditAction;
  target: AuditTarget;
  requestId?: string;
  result: AuditResult;
  /** Free text, already passed through src/redact by the caller. */
  detail?: string;
  /** Only on the chain's own records (audit.gap, audit.trimmed, audit.reset). */
  meta?: AuditMeta;
  /** `hash` of the record before this one (GENESIS_HASH for the first). */
  prevHash: string;
  /** hashRecord(prevHash, every field above). */
  hash: string;
  /**
   * HMAC-SHA256 of `hash` under a key derived from DEBUGDEAD_SIGNING_KEY, which Redis never holds: whoever edits
   * Redis can recompute the SHA-256 chain but not this. Absent when the bot runs without a signing key.
   */
  mac?: string;
}

/** The fields a caller supplies: a record without its chain. */
export type AuditEntry = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash' | 'mac'>;

/**
 * A chain head published outside Redis (to the audit channel and the audit log), so that later verification can tell
 * what existed at that time whatever Redis holds by then.
 */
export interface AuditAnchor {
  seq: number;
  hash: string;
  /** ISO 8601: when it was published. */
  time: string;
}

/** What `AuditLog.record` takes: an entry whose time defaults to now. */
export type AuditInput = Omit<AuditEntry, 'time'> & { time?: Date };
