import type { AuditVerifyResult } from './audit-log.js';
import type { ChainBreak } from './verify-chain.js';

const MEANING: Record<ChainBreak, string> = {
  edited: 'it was changed after it was written',
  missing: 'the record(s) before it were deleted',
  reordered: 'records were moved out of order',
  'anchor-mismatch': 'the record(s) before it, at the start of the trail, were deleted',
  'head-mismatch': 'the record(s) after it, at the end of the trail, were deleted',
};

/** One sentence on the state of the audit trail, for the verifier's output. */
export function formatVerifyResult(result: AuditVerifyResult): string {
  if (result.ok) return `Audit trail intact: ${result.count} record(s) verified.`;
  const where = 'seq' in result ? ` (stream id ${result.seq})` : '';
  return `Audit trail broken at record ${result.brokenAt + 1}${where}: ${MEANING[result.reason]}.`;
}
