import type { AuditAnchor, AuditEntry, AuditRecord } from './types.js';

/** What the audit log carries, one JSON line each. */
export type AuditLine =
  /** A record with its chain link: the lines alone verify the chain. */
  | { kind: 'record'; record: AuditRecord }
  /** Written at once while Redis is unreachable; the same entry is logged again, chained, once it is appended. */
  | { kind: 'spooled'; entry: AuditEntry }
  /** A chain head, also posted to the audit channel. */
  | { kind: 'anchor'; anchor: AuditAnchor };

/** What an audit log (or an export) holds, read back. */
export interface ParsedAuditLog {
  records: AuditRecord[];
  anchors: AuditAnchor[];
  spooled: AuditEntry[];
  /** Lines that were not audit lines (application logs shipped together), or not JSON. */
  skipped: number;
}

/**
 * Reads audit log lines (`{"log":"audit","audit":{…}}`, as createAuditLogger writes them) and export lines (a bare
 * record per line). Tolerant of other lines, since operators ship the audit log together with the application log.
 */
export function parseAuditLogLines(text: string): ParsedAuditLog {
  const parsed: ParsedAuditLog = { records: [], anchors: [], spooled: [], skipped: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      parsed.skipped++;
      continue;
    }
    if (!isObject(value)) {
      parsed.skipped++;
    } else if (isObject(value.anchor) && isAnchor(value.anchor)) {
      parsed.anchors.push({ seq: value.anchor.seq, hash: value.anchor.hash, time: value.anchor.time });
    } else if (isObject(value.audit) && value.spooled === true) {
      parsed.spooled.push(value.audit as unknown as AuditEntry);
    } else if (isObject(value.audit) && isRecord(value.audit)) {
      parsed.records.push(value.audit);
    } else if (isRecord(value)) {
      parsed.records.push(value);
    } else {
      parsed.skipped++;
    }
  }
  return parsed;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAnchor(v: Record<string, unknown>): v is Record<string, unknown> & AuditAnchor {
  return Number.isSafeInteger(v.seq) && typeof v.hash === 'string' && typeof v.time === 'string';
}

function isRecord(v: Record<string, unknown>): v is Record<string, unknown> & AuditRecord {
  return (
    Number.isSafeInteger(v.seq) &&
    typeof v.hash === 'string' &&
    typeof v.prevHash === 'string' &&
    typeof v.action === 'string' &&
    typeof v.time === 'string'
  );
}
