/**
 * Scores the diagnosis against the real-world corpus: a case is a hit when the top finding is of the expected kind
 * and the headline (the verdict and the top finding's summary, what Slack shows in bold) says every expected word; a
 * partial when the words are only somewhere lower (other findings, evidence) or the kind differs; a miss otherwise.
 */
import { diagnose } from '../../../src/diagnosis/index.js';
import type { Diagnosis } from '../../../src/diagnosis/types.js';
import type { RealWorldCase } from './build.js';
import { KUBELET_CASES } from './cases-kubelet.js';
import { LOG_CASES } from './cases-logs.js';
import { OTHER_CASES } from './cases-other.js';

/** Every case, in a stable order. */
export const REAL_WORLD_CASES: readonly RealWorldCase[] = [...LOG_CASES, ...KUBELET_CASES, ...OTHER_CASES];

/** The share of hits the corpus must reach. */
export const ACCURACY_GOAL = 0.95;

export type Score = 'hit' | 'partial' | 'miss';

export interface CaseResult {
  id: string;
  family: string;
  score: Score;
  /** The expected words the headline lacks. */
  missing: string[];
  /** The top finding's kind, when it is not the expected one. */
  wrongKind?: string;
  headline: string;
}

/** What a person reads first: the verdict and the top finding's summary. */
export function headlineOf(d: Diagnosis): string {
  return `${d.verdict}\n${d.findings[0]?.summary ?? ''}`;
}

function everything(d: Diagnosis): string {
  return [
    headlineOf(d),
    ...d.findings.flatMap((f) => [f.summary, ...f.evidence]),
    ...d.events.map((e) => e.message),
  ].join('\n');
}

/** Scores one case; see the file comment. */
export function scoreCase(c: RealWorldCase, d: Diagnosis = diagnose(c.facts)): CaseResult {
  const headline = headlineOf(d).toLowerCase();
  const missing = c.headline.filter((w) => !headline.includes(w.toLowerCase()));
  const kind = d.findings[0]?.kind;
  const base = { id: c.id, family: c.family, missing, headline: headlineOf(d).replace(/\n/g, ' | ') };
  const wrongKind = kind !== c.cause ? { wrongKind: `${kind} (expected ${c.cause})` } : {};
  if (missing.length === 0 && kind === c.cause) return { ...base, score: 'hit' };
  const lower = everything(d).toLowerCase();
  const found = c.headline.every((w) => lower.includes(w.toLowerCase()));
  return { ...base, ...wrongKind, score: found ? 'partial' : 'miss' };
}

export interface CorpusScore {
  cases: number;
  hit: number;
  partial: number;
  miss: number;
  results: CaseResult[];
}

/** Scores every case. */
export function scoreCorpus(cases: readonly RealWorldCase[] = REAL_WORLD_CASES): CorpusScore {
  const results = cases.map((c) => scoreCase(c));
  const count = (s: Score) => results.filter((r) => r.score === s).length;
  return { cases: results.length, hit: count('hit'), partial: count('partial'), miss: count('miss'), results };
}

/** The score as lines a person reads: one per case that is not a hit, then the totals. */
export function formatCorpusScore(s: CorpusScore): string {
  const lines = s.results.map(
    (r) =>
      `${r.score.padEnd(7)} ${r.family.padEnd(20)} ${r.id}${r.score === 'hit' ? '' : `\n        headline: ${r.headline}${r.missing.length ? `\n        lacks: ${r.missing.join(', ')}` : ''}${r.wrongKind ? `\n        kind: ${r.wrongKind}` : ''}`}`,
  );
  lines.push(
    `${s.hit}/${s.cases} hits (${((100 * s.hit) / Math.max(1, s.cases)).toFixed(1)} %), ${s.partial} partial, ${s.miss} miss; goal ${ACCURACY_GOAL * 100} %`,
  );
  return lines.join('\n');
}
