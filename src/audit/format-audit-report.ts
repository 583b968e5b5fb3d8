import type { AuditProblem, AuditReport } from './verify-audit.js';

/** Sentences for a person: the verdict first, then each problem with the records it concerns. */
export function formatAuditReport(report: AuditReport): string[] {
  const against = [
    report.anchors ? `${count(report.anchors)} anchor(s)` : undefined,
    report.logged ? `${count(report.logged)} logged cop${report.logged === 1 ? 'y' : 'ies'}` : undefined,
  ].filter(Boolean);
  const checkedAgainst = against.length
    ? `, checked against ${against.join(' and ')}`
    : ', with no anchors to check against';
  const range = report.count
    ? `records ${count(report.first!)}–${count(report.last!)} (${count(report.count)})`
    : 'no records';
  const trim = report.trimmedThrough ? `; records up to ${count(report.trimmedThrough)} were trimmed, as declared` : '';
  if (report.ok) return [`Audit trail verified: ${range}${checkedAgainst}${trim}.`];
  return [
    `Audit trail NOT verified: ${report.problems.length} problem(s) in ${range}${checkedAgainst}${trim}.`,
    ...report.problems.map(describeProblem),
  ];
}

/** One problem as a sentence: "records 412–419 missing since the anchor of 2026-12-07 14:00Z". */
export function describeProblem(p: AuditProblem): string {
  switch (p.kind) {
    case 'edited':
      return `record ${count(p.seq)} was changed after it was written (it no longer matches its hash)`;
    case 'unsigned':
      return `record ${count(p.seq)} is not signed by the bot: forged, or rewritten with a recomputed hash`;
    case 'missing':
      if (p.since) return `${span(p.from, p.to)} missing since the anchor of ${when(p.since.time)}`;
      if (p.reset) {
        return `${span(p.from, p.to)} missing: the bot found the stream ${p.reset.foundSeq ? `rewound to record ${count(p.reset.foundSeq)}` : 'empty'} at ${when(p.reset.at)} (Redis flushed or tampered with)`;
      }
      return `${span(p.from, p.to)} missing from the stream`;
    case 'deleted-prefix':
      return `${span(p.from, p.to)} deleted from the start of the stream: the chain declares trimming only ${p.trimmedThrough ? `up to record ${count(p.trimmedThrough)}` : 'of no record'}`;
    case 'restarted':
      return `stream restarted at genesis after record ${count(p.afterSeq)} (the anchor of ${when(p.anchor.time)})`;
    case 'relinked':
      return `record ${count(p.seq)} does not follow the record before it: one of them was replaced`;
    case 'differs-anchor':
      return `record ${count(p.seq)} differs from the anchor of ${when(p.anchor.time)}`;
    case 'differs-log':
      return `record ${count(p.seq)} differs from the logged copy`;
    case 'not-logged':
      return `record ${count(p.seq)} is in the stream but not in the audit log: it was not written by the bot`;
    case 'head-mismatch':
      return `Redis' chain head (record ${count(p.head.seq)}) is not the last record${p.last ? ` (${count(p.last)})` : ''}`;
  }
}

function span(from: number, to: number): string {
  return from === to ? `record ${count(from)}` : `records ${count(from)}–${count(to)}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `2026-12-07 14:00Z`: minutes are enough to find an anchor message, and UTC is the same for every reader. */
function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}
