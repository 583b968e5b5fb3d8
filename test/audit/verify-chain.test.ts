import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  type AuditEntry,
  type AuditRecord,
  canonicalJson,
  chainRecord,
  GENESIS_HASH,
  hashRecord,
  verifyChain,
} from '../../src/audit/index.js';

const entryArb: fc.Arbitrary<AuditEntry> = fc.record(
  {
    time: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    actor: fc.oneof(
      fc.record({ type: fc.constant('user' as const), id: fc.stringMatching(/^U[A-Z0-9]{8}$/) }),
      fc.constant({ type: 'bot' as const }),
    ),
    action: fc.constantFrom(...AUDIT_ACTIONS),
    target: fc.record(
      { cluster: fc.constantFrom('prod', 'staging'), namespace: fc.string(), pod: fc.string() },
      { requiredKeys: ['cluster'] },
    ),
    requestId: fc.string(),
    result: fc.constantFrom('ok' as const, 'denied' as const, 'error' as const, 'pending' as const),
    detail: fc.string(),
  },
  { requiredKeys: ['time', 'actor', 'action', 'target', 'result'] },
);

function chain(entries: AuditEntry[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const e of entries) out.push(chainRecord(out.at(-1)?.hash ?? GENESIS_HASH, e));
  return out;
}

const chainArb = fc.array(entryArb, { minLength: 2, maxLength: 12 }).map(chain);
const fullCheck = (records: AuditRecord[], original: AuditRecord[]) =>
  verifyChain(records, { anchor: GENESIS_HASH, head: original.at(-1)!.hash });

describe('the audit hash chain', () => {
  it('an untouched chain verifies, with its length', () => {
    fc.assert(
      fc.property(chainArb, (records) => {
        expect(fullCheck(records, records)).toEqual({ ok: true, count: records.length });
      }),
    );
  });

  it('editing any field of any record is detected at that record', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.string(), (records, pick, text) => {
        const i = pick % records.length;
        const edited = records.map((r) => ({ ...r }));
        const before = edited[i]!.detail;
        edited[i]!.detail = before === text ? `${text}!` : text;
        expect(fullCheck(edited, records)).toEqual({ ok: false, brokenAt: i, reason: 'edited' });
      }),
    );
  });

  it('an edit that also recomputes the edited record’s own hash is caught at the next record', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (records, pick) => {
        const i = pick % (records.length - 1);
        const edited = records.map((r) => ({ ...r }));
        const forged = { ...edited[i]!, result: edited[i]!.result === 'ok' ? ('denied' as const) : ('ok' as const) };
        const { prevHash, hash: _h, seq: _s, ...fields } = forged;
        edited[i] = { ...forged, hash: hashRecord(prevHash, fields) };
        expect(fullCheck(edited, records)).toMatchObject({ ok: false, brokenAt: i + 1 });
      }),
    );
  });

  it('deleting any one record is detected, including the first and the last', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (records, pick) => {
        const i = pick % records.length;
        const result = fullCheck(records.toSpliced(i, 1), records);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('deleting a record in the middle is reported as missing where the gap is', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 3, maxLength: 12 }).map(chain), fc.nat(), (records, pick) => {
        const i = 1 + (pick % (records.length - 2));
        expect(verifyChain(records.toSpliced(i, 1))).toEqual({ ok: false, brokenAt: i, reason: 'missing' });
      }),
    );
  });

  it('swapping any two records is detected', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.nat(), (records, a, b) => {
        const i = a % records.length;
        const j = b % records.length;
        fc.pre(i !== j);
        const swapped = [...records];
        [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
        expect(fullCheck(swapped, records).ok).toBe(false);
      }),
    );
  });

  it('swapping two neighbours is reported as reordered', () => {
    const records = chain(fc.sample(entryArb, { numRuns: 5, seed: 7 }));
    const swapped = [records[0]!, records[2]!, records[1]!, records[3]!, records[4]!];
    expect(verifyChain(swapped)).toEqual({ ok: false, brokenAt: 1, reason: 'reordered' });
  });

  it('a chain missing its first record fails against the genesis anchor but passes with the anchor waived', () => {
    const records = chain(fc.sample(entryArb, { numRuns: 4, seed: 3 }));
    expect(verifyChain(records.slice(1))).toEqual({ ok: false, brokenAt: 0, reason: 'anchor-mismatch' });
    expect(verifyChain(records.slice(1), { anchor: null })).toEqual({ ok: true, count: 3 });
  });

  it('a chain missing its last record fails against the stored head', () => {
    const records = chain(fc.sample(entryArb, { numRuns: 4, seed: 5 }));
    expect(verifyChain(records.slice(0, -1), { head: records[3]!.hash })).toEqual({
      ok: false,
      brokenAt: 2,
      reason: 'head-mismatch',
    });
  });

  it('the hash does not depend on the order fields were written in', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const reversed = Object.fromEntries(Object.entries(entry).reverse()) as AuditEntry;
        expect(hashRecord(GENESIS_HASH, reversed)).toBe(hashRecord(GENESIS_HASH, entry));
        expect(canonicalJson(reversed)).toBe(canonicalJson(entry));
      }),
    );
  });

  it('a record survives a JSON round trip and still verifies', () => {
    fc.assert(
      fc.property(chainArb, (records) => {
        expect(verifyChain(JSON.parse(JSON.stringify(records)))).toEqual({ ok: true, count: records.length });
      }),
    );
  });
});
