export {
  AuditLog,
  type AuditLogInput,
  type AuditLogOptions,
  type AuditVerifyResult,
  type RecentQuery,
} from './audit-log.js';
export { AuditUnavailable, isAuditUnavailable } from './audit-unavailable.js';
export { canonicalJson } from './canonical-json.js';
export { auditLogSink, createAuditLogger } from './create-audit-logger.js';
export { formatAuditRecords } from './format-audit-records.js';
export { formatVerifyResult } from './format-verify-result.js';
export { chainFields, chainRecord, GENESIS_HASH, hashRecord } from './hash-record.js';
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditActor,
  type AuditEntry,
  type AuditInput,
  type AuditRecord,
  type AuditResult,
  type AuditTarget,
} from './types.js';
export { type ChainBreak, type VerifyOptions, type VerifyResult, verifyChain } from './verify-chain.js';
