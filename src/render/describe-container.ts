import type { ContainerDiagnosis, Diagnosis, TerminationFacts } from '../diagnosis/types.js';
import { formatAge } from './format-age.js';
import { safeMrkdwn } from './safe-mrkdwn.js';

/** `1 — the application exited with an error (Error), ran 3s`, or undefined when it never terminated. */
export function describeExit(t: TerminationFacts | undefined): string | undefined {
  if (!t) return undefined;
  const parts = [`${t.exitCode} — ${safeMrkdwn(t.explanation.meaning, 300)}`];
  // The reason often repeats what the meaning already says (StartError, Error); show it only when it adds something.
  if (t.reason && !t.explanation.meaning.toLowerCase().includes(t.reason.toLowerCase()) && t.reason !== 'Error') {
    parts.push(`(${safeMrkdwn(t.reason, 100)})`);
  }
  if (t.ranSeconds !== undefined) parts.push(`after ${formatAge(t.ranSeconds)}`);
  return parts.join(' ');
}

/** The termination a person asks about: the current one when terminated, else the last one. */
export function lastExitOf(c: ContainerDiagnosis): TerminationFacts | undefined {
  return c.terminated ?? c.lastTermination;
}

/**
 * The container a reader cares about first: the top finding's, else the first failing one, else the first app
 * container, else the first at all. Returns its index in `d.containers` too (the clone button's value uses it).
 */
export function focusContainer(d: Diagnosis): { container: ContainerDiagnosis; index: number } | undefined {
  const byName = d.findings[0]?.container;
  const pick = (i: number) => (i >= 0 ? { container: d.containers[i]!, index: i } : undefined);
  return (
    (byName !== undefined ? pick(d.containers.findIndex((c) => c.name === byName)) : undefined) ??
    pick(d.containers.findIndex((c) => c.failing)) ??
    pick(d.containers.findIndex((c) => c.kind === 'app')) ??
    pick(d.containers.length > 0 ? 0 : -1)
  );
}

/** `waiting: CrashLoopBackOff` / `running` / `terminated: Completed`. */
export function describeState(c: ContainerDiagnosis): string {
  return c.reason ? `${c.state}: ${safeMrkdwn(c.reason, 100)}` : c.state;
}
