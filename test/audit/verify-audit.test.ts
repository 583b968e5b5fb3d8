import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditAnchor,
  type AuditEntry,
  type AuditRecord,
  chainRecord,
  deriveAuditKey,
  describeProblem,
  formatAuditReport,
  GENESIS_HASH,
  verifyAudit,
} from '../../src/audit/index.js';

const key = deriveAuditKey('test signing key');

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 11, 7, 9, 0, i)).toISOString(),
    actor: { type: 'user', id: `U${i % 3}` },
    action: 'button.clicked',
    target: { cluster: 'prod', namespace: 'shop', pod: `api-${i}` },
    result: 'ok',
    ...extra,
  };
}

/** A chain of `n` signed records, seq 1..n (or continuing after `from`). */
function chain(n: number, from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = from;
  for (let i = 0; i < n; i++) {
    const r = chainRecord(prev, entry(prev.seq + 1), key);
    records.push(r);
    prev = r;
  }
  return records;
}

const anchorOf = (r: AuditRecord, time = '2026-12-07T10:00:00.000Z'): AuditAnchor => ({
  seq: r.seq,
  hash: r.hash,
  time,
});
const sentences = (evidence: Parameters<typeof verifyAudit>[0]) => verifyAudit(evidence).problems.map(describeProblem);

describe('verifyAudit', () => {
  it('an intact chain verifies against its anchors, its head and its logged copies', () => {
    const records = chain(50);
    const report = verifyAudit({
      records,
      head: { seq: 50, hash: records[49]!.hash },
      anchors: [anchorOf(records[19]!), anchorOf(records[49]!)],
      logged: records,
      macKey: key,
    });
    expect(report).toMatchObject({ ok: true, count: 50, first: 1, last: 50, anchors: 2, logged: 50 });
    expect(formatAuditReport(report)[0]).toBe(
      'Audit trail verified: records 1–50 (50), checked against 2 anchor(s) and 50 logged copies.',
    );
  });

  it.each([
    [
      'the newest records dropped (head rewound with them)',
      (r: AuditRecord[]) => r.slice(0, 411),
      'records 412–419 missing since the anchor of 2026-12-07 14:00Z',
    ],
    [
      'records dropped from the middle',
      (r: AuditRecord[]) => [...r.slice(0, 99), ...r.slice(120)],
      'records 100–120 missing from the stream',
    ],
    [
      'the oldest records deleted with no trim declared',
      (r: AuditRecord[]) => r.slice(40),
      'records 1–40 deleted from the start of the stream: the chain declares trimming only of no record',
    ],
    ['the whole stream deleted', () => [], 'records 1–419 missing since the anchor of 2026-12-07 14:00Z'],
  ])('%s is reported with its exact range', (_name, tamper, sentence) => {
    const records = chain(419);
    const anchors = [anchorOf(records[418]!, '2026-12-07T14:00:00.000Z')];
    expect(sentences({ records: tamper(records), anchors, macKey: key })).toEqual([sentence]);
  });

  it('a record edited and the chain recomputed after it is caught by the signature, the anchor and the log', () => {
    const records = chain(100);
    const forged = [...records.slice(0, 76)];
    // Whoever holds Redis rewrites record 77 and rehashes everything after it (they cannot sign).
    let prev = forged[75]!;
    for (const r of records.slice(76)) {
      const { prevHash: _p, hash: _h, mac: _m, seq: _s, ...fields } = r;
      const changed = r.seq === 77 ? { ...fields, result: 'denied' as const } : fields;
      const { mac: _mac, ...next } = chainRecord(prev, changed, key);
      forged.push(next);
      prev = next;
    }
    expect(sentences({ records: forged, macKey: key })[0]).toBe(
      'record 77 is not signed by the bot: forged, or rewritten with a recomputed hash',
    );
    expect(sentences({ records: forged, anchors: [anchorOf(records[99]!)] })).toEqual([
      'record 100 differs from the anchor of 2026-12-07 10:00Z',
    ]);
    expect(sentences({ records: forged, logged: records })[0]).toBe('record 77 differs from the logged copy');
  });

  it('a forged record appended at the end is neither signed nor logged', () => {
    const records = chain(10);
    const framed = chainRecord(
      records[9]!,
      entry(11, { actor: { type: 'user', id: 'UVICTIM' }, action: 'approval.granted' }),
    );
    expect(sentences({ records: [...records, framed], macKey: key, logged: records })).toEqual([
      'record 11 is not signed by the bot: forged, or rewritten with a recomputed hash',
    ]);
    // The log covers only up to 10 here; with later logged records around it, the forged one is named as unlogged.
    const later = chainRecord(framed, entry(12), key);
    expect(sentences({ records: [...records, framed, later], logged: [...records, later] })).toEqual([
      'record 11 is in the stream but not in the audit log: it was not written by the bot',
    ]);
  });

  it('a stream that restarted at genesis after an anchor is told apart from an intact short chain', () => {
    const before = chain(3204);
    const anchor = anchorOf(before[3203]!, '2026-12-07T14:00:00.000Z');
    // After a flush, a bot with no memory of the old chain starts again at genesis, an hour after the anchor.
    let prev = { seq: 0, hash: GENESIS_HASH };
    const restarted = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const next = chainRecord(prev, entry(i + 1, { time: `2026-12-07T15:0${i}:00.000Z` }), key);
      prev = next;
      return next;
    });
    expect(verifyAudit({ records: restarted, macKey: key }).ok).toBe(true);
    expect(sentences({ records: restarted, anchors: [anchor], macKey: key })).toEqual([
      'stream restarted at genesis after record 3,204 (the anchor of 2026-12-07 14:00Z)',
    ]);
  });

  it('a declared trim is accepted, and deleting past it is not', () => {
    const records = chain(300);
    const trim = chainRecord(
      records[299]!,
      entry(301, {
        action: 'audit.trimmed',
        actor: { type: 'bot' },
        meta: { trimmedThrough: 200, hashThrough: records[199]!.hash },
      }),
      key,
    );
    const kept = [...records.slice(200), trim];
    expect(verifyAudit({ records: kept, macKey: key })).toMatchObject({ ok: true, first: 201, trimmedThrough: 200 });
    expect(sentences({ records: kept.slice(10), macKey: key })).toEqual([
      'records 201–210 deleted from the start of the stream: the chain declares trimming only up to record 200',
    ]);
  });

  it('a reset record written by the bot names the records the flush lost', () => {
    const records = chain(20);
    const reset = chainRecord(
      records[19]!,
      entry(21, {
        action: 'audit.reset',
        actor: { type: 'bot' },
        result: 'error',
        meta: { foundSeq: 0, expectedSeq: 20 },
      }),
      key,
    );
    const later = chain(3, reset);
    expect(sentences({ records: [reset, ...later], macKey: key })).toEqual([
      'records 1–20 missing: the bot found the stream empty at 2026-12-07 09:00Z (Redis flushed or tampered with)',
    ]);
  });

  it('a stream entry that is not a record is reported, never skipped', () => {
    const records = chain(5);
    const garbage: AuditRecord = { ...records[2]!, detail: 'changed' };
    expect(sentences({ records: [records[0]!, records[1]!, garbage, records[3]!, records[4]!] })).toEqual([
      'record 3 was changed after it was written (it no longer matches its hash)',
    ]);
  });

  it('any deleted range of an anchored chain is reported exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 120 }), fc.nat(), fc.nat(), (n, a, b) => {
        const records = chain(n);
        const from = (a % n) + 1;
        const to = from + (b % (n - from + 1));
        const kept = records.filter((r) => r.seq < from || r.seq > to);
        const report = verifyAudit({ records: kept, anchors: [anchorOf(records[n - 1]!)], macKey: key });
        const missing = report.problems.filter((p) => p.kind === 'missing' || p.kind === 'deleted-prefix');
        expect(report.ok).toBe(false);
        expect(missing.map((p) => ('from' in p ? [p.from, p.to] : []))).toEqual([[from, to]]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('macRecord', () => {
  it('is HMAC-SHA256 exactly, for short and long keys (property)', async () => {
    const { createHmac } = await import('node:crypto');
    const { macRecord } = await import('../../src/audit/index.js');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.string(), (bytes, text) => {
        const k = Buffer.from(bytes);
        expect(macRecord(k, text)).toBe(createHmac('sha256', k).update(text).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});
