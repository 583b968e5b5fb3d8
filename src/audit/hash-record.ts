import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEntry, AuditRecord } from './types.js';

/** The prevHash of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 (hex) over the previous record's hash and the canonical JSON of this record's fields. */
export function hashRecord(prevHash: string, fields: AuditEntry): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/** The hashed part of a record: everything but the stream id and the chain fields themselves. */
export function chainFields(record: AuditRecord): AuditEntry {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...fields } = record;
  return fields;
}

/** Links an entry to the chain after `prevHash`. */
export function chainRecord(prevHash: string, entry: AuditEntry): AuditRecord {
  return { ...entry, prevHash, hash: hashRecord(prevHash, entry) };
}
