import { cutAround } from './cut-around.js';
import { type LineRank, rankLogLine } from './rank-log-line.js';

/** The most telling line of some log lines, with its rank; see {@link pickTellingLine}. */
export interface TellingLine extends LineRank {
  /** Index in the lines given. */
  index: number;
}

/**
 * Ranks every line (rankLogLine: severity in plain text, JSON and logfmt; error families; exception declarations)
 * and returns the best, the last one among equals: the last error before the exit is closest to the cause, and
 * earlier retries of the same error are noise. Undefined when no line says anything went wrong.
 */
export function findTellingLine(lines: readonly string[]): TellingLine | undefined {
  let best: TellingLine | undefined;
  lines.forEach((line, index) => {
    if (typeof line !== 'string' || line.trim() === '' || /^Traceback \(most recent call last\)/.test(line)) return;
    const rank = rankLogLine(line);
    if (rank.score > 0 && (!best || rank.score >= best.score)) best = { ...rank, index };
  });
  return best;
}

/** The text of the most telling line (a structured line's message), or undefined; see {@link findTellingLine}. */
export function pickTellingLine(lines: readonly string[]): string | undefined {
  return findTellingLine(lines)?.text;
}

/** The most telling line cut to `max` characters around its telling phrase, for a summary. */
export function tellingExcerpt(lines: readonly string[], max: number): string | undefined {
  const t = findTellingLine(lines);
  return t ? cutAround(t.text, max, t.phrase) : undefined;
}
