import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { AuditEntry, AuditRecord } from './types.js';

/** The prevHash of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hashed part of a record: the entry and its place in the chain. */
export type ChainFields = AuditEntry & { seq: number };

/** SHA-256 (hex) over the previous record's hash and the canonical JSON of this record's fields (seq included). */
export function hashRecord(prevHash: string, fields: ChainFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/** The hashed part of a stored record: everything but the chain link and its signature. */
export function chainFields(record: AuditRecord): ChainFields {
  const { prevHash: _prev, hash: _hash, mac: _mac, ...fields } = record;
  return fields;
}

/** Links an entry to the chain after `prev` (seq 0 and GENESIS_HASH for the first record), signed when a key is given. */
export function chainRecord(prev: { seq: number; hash: string }, entry: AuditEntry, macKey?: Buffer): AuditRecord {
  const fields: ChainFields = { ...entry, seq: prev.seq + 1 };
  const hash = hashRecord(prev.hash, fields);
  return { ...fields, prevHash: prev.hash, hash, ...(macKey ? { mac: macRecord(macKey, hash) } : {}) };
}

/** The audit key: a key of its own derived from the signing key, so an audit export never helps forge an approval. */
export function deriveAuditKey(signingKey: string): Buffer {
  return createHmac('sha256', signingKey).update('debugdead audit chain v1').digest();
}

/** The key's padded forms, once per key: HMAC-SHA256 written out with plain SHA-256 (RFC 2104). */
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

function padsOf(key: Buffer): { inner: Buffer; outer: Buffer } {
  const cached = pads.get(key);
  if (cached) return cached;
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const inner = Buffer.alloc(64);
  const outer = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  const found = { inner, outer };
  pads.set(key, found);
  return found;
}

/**
 * HMAC-SHA256 (hex) of a record hash. The same bytes as createHmac('sha256', key), which on Node 24 spends most of
 * its time turning the key into a KeyObject on every call: verifying 100,000 records took seconds longer that way.
 */
export function macRecord(key: Buffer, hash: string): string {
  const { inner, outer } = padsOf(key);
  const innerDigest = createHash('sha256').update(inner).update(hash).digest();
  return createHash('sha256').update(outer).update(innerDigest).digest('hex');
}

/** Whether a record carries the signature `key` gives its hash (constant-time). */
export function hasValidMac(key: Buffer, record: AuditRecord): boolean {
  if (typeof record.mac !== 'string' || record.mac.length !== 64) return false;
  return timingSafeEqual(Buffer.from(record.mac, 'hex'), Buffer.from(macRecord(key, record.hash), 'hex'));
}
