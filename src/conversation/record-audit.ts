import type { Logger } from 'pino';
import { type AuditLog, type AuditLogInput, isAuditUnavailable } from '../audit/index.js';

/**
 * Records an audit event without letting an audit outage break the person's flow. AuditLog writes the audit log
 * line synchronously before touching Redis, so when Redis is down the record is still on disk; we log the outage
 * loudly (it is an operator problem) and carry on.
 */
export async function recordAudit(audit: AuditLog, log: Logger, input: AuditLogInput): Promise<void> {
  try {
    await audit.record(input);
  } catch (err) {
    if (isAuditUnavailable(err)) log.error({ err, action: input.action }, 'audit record not fully stored');
    else log.error({ err, action: input.action }, 'audit record failed');
  }
}
