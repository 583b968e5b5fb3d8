import { chainFields, GENESIS_HASH, hashRecord, hasValidMac } from './hash-record.js';
import type { AuditAnchor, AuditRecord } from './types.js';

/** Everything a verification can hold the chain against; only `records` is required. */
export interface AuditEvidence {
  /** The chain as found (the Redis stream, or an export), in any order. */
  records: readonly AuditRecord[];
  /** The head Redis keeps; weak evidence (whoever holds Redis can set it), checked for consistency only. */
  head?: { seq: number; hash: string };
  /** Heads published outside Redis: the audit channel's history, the audit log's anchor lines. */
  anchors?: readonly AuditAnchor[];
  /** Copies of records from the audit log lines (every replica's), compared record by record. */
  logged?: readonly AuditRecord[];
  /** With the audit key, every record must carry the bot's signature. */
  macKey?: Buffer;
  /** The records are an excerpt that may start anywhere (an export `--since`): its first record is taken as is. */
  excerpt?: boolean;
}

/** One thing wrong with the chain, with the records it concerns. */
export type AuditProblem =
  /** The record no longer hashes to its `hash`. */
  | { kind: 'edited'; seq: number }
  /** The record lacks the bot's signature: forged, or rewritten with a recomputed hash. */
  | { kind: 'unsigned'; seq: number }
  /** Records from..to are absent. `since` is the anchor that proves they existed; `resetAt` the bot's own notice. */
  | { kind: 'missing'; from: number; to: number; since?: AuditAnchor; reset?: { at: string; foundSeq: number } }
  /** The oldest records are gone although the chain declares no trim that far. */
  | { kind: 'deleted-prefix'; from: number; to: number; trimmedThrough: number }
  /** The chain starts again from genesis although an anchor proves records up to `afterSeq` existed. */
  | { kind: 'restarted'; afterSeq: number; anchor: AuditAnchor }
  /** Consecutive records that do not link: one of them was replaced. */
  | { kind: 'relinked'; seq: number }
  | { kind: 'differs-anchor'; seq: number; anchor: AuditAnchor }
  | { kind: 'differs-log'; seq: number }
  /** In the stream, not in the audit log although the log covers its place. */
  | { kind: 'not-logged'; seq: number }
  /** Redis' head names another record than the chain's last. */
  | { kind: 'head-mismatch'; head: { seq: number; hash: string }; last?: number };

/** The outcome of a verification. */
export interface AuditReport {
  ok: boolean;
  /** Records checked. */
  count: number;
  first?: number;
  last?: number;
  /** The chain declares records up to this seq trimmed (0: none). */
  trimmedThrough: number;
  anchors: number;
  logged: number;
  problems: AuditProblem[];
}

/**
 * Verifies an audit chain against itself and against evidence kept outside Redis. Pure.
 *
 * Within the chain: each record hashes to its `hash`, carries the bot's signature when a key is given, and follows
 * the record before it (seq + 1, prevHash = its hash). The first retained record starts at genesis or right after a
 * trim the chain itself declares (`audit.trimmed`), so trimming is told apart from deletion.
 * Against anchors: the record at an anchor's seq has the anchor's hash; an anchor beyond the chain's end proves the
 * records up to it were dropped; a record written after an anchor at a seq the anchor already covered proves the
 * chain restarted.
 * Against the audit log: every logged copy matches its stream record, and the stream holds nothing the log lacks.
 */
export function verifyAudit(evidence: AuditEvidence): AuditReport {
  const records = [...evidence.records].sort((a, b) => a.seq - b.seq);
  const problems: AuditProblem[] = [];
  const bySeq = new Map(records.map((r) => [r.seq, r]));
  const { trimmedThrough, hashThrough } = declaredTrim(records);

  for (const record of records) {
    if (hashRecord(record.prevHash, chainFields(record)) !== record.hash)
      problems.push({ kind: 'edited', seq: record.seq });
    else if (evidence.macKey && !hasValidMac(evidence.macKey, record))
      problems.push({ kind: 'unsigned', seq: record.seq });
  }
  checkLinks(records, evidence.excerpt ? Number.POSITIVE_INFINITY : trimmedThrough, hashThrough, problems);

  const first = records[0];
  const last = records[records.length - 1];
  const anchors = [...(evidence.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  const before = first && evidence.excerpt ? first.seq - 1 : trimmedThrough;
  checkAnchors(
    records,
    bySeq,
    anchors.filter((a) => a.seq > before),
    trimmedThrough,
    problems,
  );

  const head = evidence.head;
  if (head && head.seq > 0 && (!last || head.seq !== last.seq || head.hash !== last.hash)) {
    if (last && head.seq > last.seq && !coveredByMissing(problems, last.seq + 1)) {
      problems.push({ kind: 'missing', from: last.seq + 1, to: head.seq });
    } else if (!last || head.seq <= last.seq)
      problems.push({ kind: 'head-mismatch', head, ...(last ? { last: last.seq } : {}) });
  }

  if (evidence.logged?.length) checkLogged(records, bySeq, evidence.logged, trimmedThrough, problems);

  return {
    ok: problems.length === 0,
    count: records.length,
    ...(first ? { first: first.seq, last: last!.seq } : {}),
    trimmedThrough,
    anchors: anchors.length,
    logged: evidence.logged?.length ?? 0,
    problems: inChainOrder(problems),
  };
}

/** The furthest trim the chain declares: records up to `trimmedThrough`, the last of them hashing to `hashThrough`. */
function declaredTrim(records: readonly AuditRecord[]): { trimmedThrough: number; hashThrough?: string } {
  let found: { trimmedThrough: number; hashThrough?: string } = { trimmedThrough: 0 };
  for (const r of records) {
    const through = Number(r.meta?.trimmedThrough);
    if (r.action === 'audit.trimmed' && Number.isInteger(through) && through > found.trimmedThrough) {
      found = { trimmedThrough: through, hashThrough: String(r.meta?.hashThrough ?? '') };
    }
  }
  return found;
}

function checkLinks(
  records: readonly AuditRecord[],
  trimmedThrough: number,
  hashThrough: string | undefined,
  problems: AuditProblem[],
): void {
  const first = records[0];
  if (!first) return;
  if (trimmedThrough === Number.POSITIVE_INFINITY) {
    // An excerpt: nothing to say about what came before its first record.
  } else if (first.seq === 1) {
    if (first.prevHash !== GENESIS_HASH) problems.push({ kind: 'relinked', seq: 1 });
  } else if (first.seq === trimmedThrough + 1) {
    if (first.prevHash !== hashThrough) problems.push({ kind: 'relinked', seq: first.seq });
  } else if (first.seq > trimmedThrough + 1) {
    if (first.action === 'audit.reset') problems.push(resetGap(first, trimmedThrough + 1));
    else problems.push({ kind: 'deleted-prefix', from: trimmedThrough + 1, to: first.seq - 1, trimmedThrough });
  }
  for (let i = 1; i < records.length; i++) {
    const prev = records[i - 1]!;
    const record = records[i]!;
    if (record.seq === prev.seq + 1) {
      if (record.prevHash !== prev.hash) problems.push({ kind: 'relinked', seq: record.seq });
    } else if (record.action === 'audit.reset') {
      problems.push(resetGap(record, prev.seq + 1));
    } else {
      problems.push({ kind: 'missing', from: prev.seq + 1, to: record.seq - 1 });
    }
  }
}

function resetGap(reset: AuditRecord, from: number): AuditProblem {
  return {
    kind: 'missing',
    from,
    to: reset.seq - 1,
    reset: { at: reset.time, foundSeq: Number(reset.meta?.foundSeq ?? 0) },
  };
}

function checkAnchors(
  records: readonly AuditRecord[],
  bySeq: ReadonlyMap<number, AuditRecord>,
  anchors: readonly AuditAnchor[],
  trimmedThrough: number,
  problems: AuditProblem[],
): void {
  if (anchors.length === 0) return;
  const last = records[records.length - 1];
  // A record at a seq an anchor already covered, written after that anchor was published: the chain started over.
  const latestUpTo = latestTimeUpTo(records);
  const restartAnchor = [...anchors].reverse().find((a) => (latestUpTo(a.seq) ?? '') > a.time);
  if (restartAnchor) problems.push({ kind: 'restarted', afterSeq: restartAnchor.seq, anchor: restartAnchor });
  // Newest first: the latest anchor beyond the end proves the widest range missing; older ones fall inside it.
  for (const anchor of [...anchors].reverse()) {
    if (restartAnchor && anchor.time <= restartAnchor.time) continue; // explained by the restart
    const record = bySeq.get(anchor.seq);
    if (record) {
      if (record.hash !== anchor.hash) problems.push({ kind: 'differs-anchor', seq: anchor.seq, anchor });
    } else if (!last || anchor.seq > last.seq) {
      const from = last ? last.seq + 1 : trimmedThrough + 1;
      if (!coveredByMissing(problems, anchor.seq))
        problems.push({ kind: 'missing', from, to: anchor.seq, since: anchor });
    }
    // An anchor inside a declared trim, or inside a gap already reported, adds nothing.
  }
}

/**
 * For a seq, the latest `time` of any record at or below it (reset records aside: they are written late on purpose).
 * A prefix maximum and a binary search, so checking many anchors against 100,000 records stays linear.
 */
function latestTimeUpTo(records: readonly AuditRecord[]): (seq: number) => string | undefined {
  const latest: string[] = [];
  let max = '';
  for (const r of records) {
    if (r.action !== 'audit.reset' && r.time > max) max = r.time;
    latest.push(max);
  }
  return (seq) => {
    let lo = 0;
    let hi = records.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (records[mid]!.seq <= seq) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? undefined : latest[found];
  };
}

function checkLogged(
  records: readonly AuditRecord[],
  bySeq: ReadonlyMap<number, AuditRecord>,
  logged: readonly AuditRecord[],
  trimmedThrough: number,
  problems: AuditProblem[],
): void {
  const loggedBySeq = new Map<number, AuditRecord>();
  for (const copy of logged) if (!loggedBySeq.has(copy.seq)) loggedBySeq.set(copy.seq, copy);
  const seqs = [...loggedBySeq.keys()].sort((a, b) => a - b);
  const lowest = seqs[0]!;
  const highest = seqs[seqs.length - 1]!;
  const absent: number[] = [];
  for (const seq of seqs) {
    const record = bySeq.get(seq);
    if (record) {
      if (record.hash !== loggedBySeq.get(seq)!.hash) problems.push({ kind: 'differs-log', seq });
    } else if (seq > trimmedThrough && !coveredByMissing(problems, seq)) absent.push(seq);
  }
  for (const range of toRanges(absent)) problems.push({ kind: 'missing', from: range[0], to: range[1] });
  for (const record of records) {
    if (record.seq >= lowest && record.seq <= highest && !loggedBySeq.has(record.seq)) {
      problems.push({ kind: 'not-logged', seq: record.seq });
    }
  }
}

function coveredByMissing(problems: readonly AuditProblem[], seq: number): boolean {
  return problems.some((p) => (p.kind === 'missing' || p.kind === 'deleted-prefix') && seq >= p.from && seq <= p.to);
}

function toRanges(sorted: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const n of sorted) {
    const range = ranges[ranges.length - 1];
    if (range && n === range[1] + 1) range[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

/** Problems in the order of the records they concern, so a report reads from oldest to newest. */
function inChainOrder(problems: AuditProblem[]): AuditProblem[] {
  const start = (p: AuditProblem): number =>
    'seq' in p ? p.seq : 'from' in p ? p.from : p.kind === 'restarted' ? 0 : Infinity;
  return [...problems].sort((a, b) => start(a) - start(b));
}
