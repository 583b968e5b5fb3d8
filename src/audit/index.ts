export { formatAnchorText, parseAnchorText } from './anchor-text.js';
export {
  AuditLog,
  type AuditLogInput,
  type AuditLogOptions,
  type OutsideEvidence,
  type RecentQuery,
} from './audit-log.js';
export { type AuditLine, type ParsedAuditLog, parseAuditLogLines } from './audit-log-lines.js';
export { AuditUnavailable, isAuditUnavailable } from './audit-unavailable.js';
export { canonicalJson } from './canonical-json.js';
export { auditLogSink, createAuditLogger } from './create-audit-logger.js';
export { formatAuditMirror } from './format-audit-mirror.js';
export { formatAuditRecords } from './format-audit-records.js';
export { describeProblem, formatAuditReport } from './format-audit-report.js';
export {
  type ChainFields,
  chainFields,
  chainRecord,
  deriveAuditKey,
  GENESIS_HASH,
  hashRecord,
  hasValidMac,
  macRecord,
} from './hash-record.js';
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActor,
  type AuditAnchor,
  type AuditEntry,
  type AuditInput,
  type AuditMeta,
  type AuditRecord,
  type AuditResult,
  type AuditTarget,
} from './types.js';
export { type AuditEvidence, type AuditProblem, type AuditReport, verifyAudit } from './verify-audit.js';
