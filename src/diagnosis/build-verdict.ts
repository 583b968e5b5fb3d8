import { oneLine } from './one-line.js';
import type { ContainerDiagnosis, Diagnosis, Finding, TerminationFacts } from './types.js';

/** Verdicts stay one short line: Slack shows it as the message's headline and notifications cut it. */
export const VERDICT_MAX_CHARS = 300;

const HINTS: Partial<Record<Finding['kind'], (f: Finding) => string>> = {
  ProbeFailure: (f) =>
    /startup probe/.test(f.summary)
      ? 'failing startup probe'
      : /readiness/.test(f.summary)
        ? 'failing readiness probe'
        : 'failing liveness probe',
  CommandNotFound: (f) => (/has no shell/.test(f.summary) ? 'no shell in the image' : 'command not found'),
  NotExecutable: () => 'command not executable',
  LifecycleHook: (f) => (/preStop/.test(f.summary) ? 'preStop hook failed' : 'postStart hook failed'),
};

function restarts(n: number): string {
  return n === 1 ? '1 restart' : `${n} restarts`;
}

/**
 * The one-line verdict: `ns/pod — STATUS, exit 1 (23 restarts)`, naming the container when the pod has several,
 * or the top finding's summary when no exit code tells the story (image pull, config, scheduling).
 */
export function buildVerdict(
  pod: Pick<Diagnosis['pod'], 'name' | 'namespace' | 'status'>,
  containers: readonly ContainerDiagnosis[],
  findings: readonly Finding[],
): string {
  const top = findings[0];
  // A pod-level finding (scheduling, eviction, deadline) tells the story better than the exit of a killed container.
  const primary =
    top?.container !== undefined
      ? containers.find((c) => c.name === top.container)
      : !top || top.kind === 'Healthy'
        ? containers.find((c) => c.failing)
        : undefined;
  const parts: string[] = [pod.status];
  let suffix = '';
  const t: TerminationFacts | undefined = primary?.failing
    ? primary.state === 'terminated'
      ? primary.terminated
      : primary.lastTermination
    : undefined;
  if (primary && t) {
    const notable = t.reason && t.reason !== 'Error' && t.reason !== 'Completed' && t.reason !== pod.status;
    const where =
      containers.length > 1
        ? ` in ${primary.kind === 'app' ? primary.name : `${primary.kind} container ${primary.name}`}`
        : '';
    parts.push(`${notable ? `${t.reason} ` : ''}exit ${t.exitCode}${where}`);
    const hint = top && top.container === primary.name ? HINTS[top.kind]?.(top) : undefined;
    if (hint) parts.push(hint);
    if (primary.restartCount > 0) suffix = ` (${restarts(primary.restartCount)})`;
  } else if (top && top.kind !== 'Healthy') {
    parts.push(top.summary);
  } else {
    const total = containers.reduce((n, c) => n + c.restartCount, 0);
    parts.push(top?.kind === 'Healthy' ? 'healthy' : 'no failure found');
    if (total > 0) suffix = ` (${restarts(total)})`;
  }
  const head = `${pod.namespace}/${pod.name} — `;
  return oneLine(head + parts.join(', ') + suffix, VERDICT_MAX_CHARS);
}
