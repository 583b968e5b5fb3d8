import { formatAge } from '../diagnosis/time.js';
import type { ContainerDiagnosis, Diagnosis, TerminationFacts } from '../diagnosis/types.js';
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

/** The kubelet keeps at most 4096 bytes of a termination message (terminationMessagePath). */
const TERMINATION_MESSAGE_MAX = 4096;
/** With FallbackToLogsOnError it takes the log's last 80 lines, at most 2048 bytes. */
const FALLBACK_MESSAGE_MAX = 2048;

/** What the kubelet left out of a termination message, when it cut one; undefined when it did not. */
export function terminationCutNote(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes >= TERMINATION_MESSAGE_MAX) {
    return 'cut by the kubelet, which keeps at most 4 KiB of a termination message';
  }
  if (bytes >= FALLBACK_MESSAGE_MAX - 16 || message.split('\n').length >= 80) {
    return 'probably cut by the kubelet: from the log (FallbackToLogsOnError) it keeps only the last 80 lines, at most 2 KiB';
  }
  return undefined;
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
