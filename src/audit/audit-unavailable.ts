import type { AuditEntry, AuditRecord } from './types.js';

/**
 * An audit record could not be stored everywhere. `store` says where it failed: `redis` (the line is in the audit
 * log, the chain in Redis lacks it) or `log` (the audit log write failed; `record` is set when Redis has it).
 * Tested by `name`, like KubeError, so it survives being rebuilt from JSON.
 */
export class AuditUnavailable extends Error {
  /** The same kind name as KubeError's, so one renderer can word every "a dependency is down" failure. */
  readonly kind = 'Unavailable' as const;

  constructor(
    readonly store: 'redis' | 'log',
    readonly entry: AuditEntry,
    message: string,
    cause?: unknown,
    readonly record?: AuditRecord,
  ) {
    super(message, { cause });
    this.name = 'AuditUnavailable';
  }
}

export function isAuditUnavailable(e: unknown): e is AuditUnavailable {
  return e instanceof Error && e.name === 'AuditUnavailable' && 'store' in e;
}
