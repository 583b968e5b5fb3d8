import { chainFields, GENESIS_HASH, hashRecord } from './hash-record.js';
import type { AuditRecord } from './types.js';

/** Why a chain does not verify, at the index of the first record that fails. */
export type ChainBreak =
  /** The record's fields no longer hash to its `hash`: it (or its hash) was changed. */
  | 'edited'
  /** Its prevHash names no record we have: one or more records before it were deleted. */
  | 'missing'
  /** Its prevHash names a record that comes later in the list: records were moved. */
  | 'reordered'
  /** The first record does not follow the expected anchor (a record was removed from the start). */
  | 'anchor-mismatch'
  /** The last record is not the recorded head of the chain (a record was removed from the end). */
  | 'head-mismatch';

/** The outcome of a verification: how many records were checked, or where and why it broke. */
export type VerifyResult = { ok: true; count: number } | { ok: false; brokenAt: number; reason: ChainBreak };

/** What the records are checked against beyond each other. */
export interface VerifyOptions {
  /**
   * The hash the first record must follow. `null` accepts whatever the first record says, which is what a trimmed
   * stream needs: its oldest retained record follows one that is gone by design.
   * @defaultValue GENESIS_HASH
   */
  anchor?: string | null;
  /** The hash the last record must have, when known (the stored chain head); catches a deleted last record. */
  head?: string;
}

/**
 * Checks a hash chain, oldest first: every record hashes to its `hash` and names the previous record's hash as its
 * `prevHash`. Any single edit, deletion or swap breaks it; a deletion at either end is caught only against `anchor`
 * and `head`.
 */
export function verifyChain(records: readonly AuditRecord[], options: VerifyOptions = {}): VerifyResult {
  const anchor = options.anchor === undefined ? GENESIS_HASH : options.anchor;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (hashRecord(record.prevHash, chainFields(record)) !== record.hash) return broken(i, 'edited');
    const expected = i === 0 ? anchor : records[i - 1]!.hash;
    if (expected === null || record.prevHash === expected) continue;
    if (records.slice(i + 1).some((later) => later.hash === record.prevHash)) return broken(i, 'reordered');
    return broken(i, i === 0 ? 'anchor-mismatch' : 'missing');
  }
  if (options.head !== undefined && records.length > 0 && records[records.length - 1]!.hash !== options.head) {
    return broken(records.length - 1, 'head-mismatch');
  }
  return { ok: true, count: records.length };
}

function broken(brokenAt: number, reason: ChainBreak): VerifyResult {
  return { ok: false, brokenAt, reason };
}
