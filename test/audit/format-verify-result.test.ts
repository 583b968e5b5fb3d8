import { describe, expect, it } from 'vitest';
import { type AuditVerifyResult, formatVerifyResult } from '../../src/audit/index.js';

describe('the verifier’s verdict', () => {
  it.each([
    [{ ok: true, count: 1200 }, 'Audit trail intact: 1200 record(s) verified.'],
    [
      { ok: false, brokenAt: 4, reason: 'edited', seq: '1700000000000-0' },
      'Audit trail broken at record 5 (stream id 1700000000000-0): it was changed after it was written.',
    ],
    [
      { ok: false, brokenAt: 0, reason: 'missing' },
      'Audit trail broken at record 1: the record(s) before it were deleted.',
    ],
    [
      { ok: false, brokenAt: 2, reason: 'reordered' },
      'Audit trail broken at record 3: records were moved out of order.',
    ],
    [
      { ok: false, brokenAt: 0, reason: 'anchor-mismatch' },
      'Audit trail broken at record 1: the record(s) before it, at the start of the trail, were deleted.',
    ],
    [
      { ok: false, brokenAt: 9, reason: 'head-mismatch' },
      'Audit trail broken at record 10: the record(s) after it, at the end of the trail, were deleted.',
    ],
  ] as [AuditVerifyResult, string][])('%j reads: %s', (result, sentence) => {
    expect(formatVerifyResult(result)).toBe(sentence);
  });
});
