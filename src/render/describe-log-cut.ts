import type { Diagnosis, LogCut } from '../diagnosis/types.js';

/** What a cut log leaves out, in words, and the command that reads the rest. */
export interface LogCutNote {
  container: string;
  instance: 'current' | 'previous';
  /** `last 200 lines (earlier lines not shown)` / `first 2 MiB of the last 200 lines (later lines not shown)`. */
  shown: string;
  /** `kubectl logs -n prod api-7d9 -c app --previous`: the whole log of that instance. */
  command: string;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The words for one cut. */
export function describeLogCut(cut: LogCut): string {
  return cut.by === 'tail'
    ? `last ${cut.lines} lines (earlier lines not shown)`
    : `first ${formatBytes(cut.limitBytes)} of the log read (later lines not shown)`;
}

/** The `kubectl logs` line that prints the whole log of one container instance. */
export function kubectlLogsCommand(d: Diagnosis, container: string, instance: 'current' | 'previous'): string {
  return `kubectl logs -n ${d.pod.namespace} ${d.pod.name} -c ${container}${instance === 'previous' ? ' --previous' : ''}`;
}

/** Every log of the diagnosis that was cut, with what is missing and how to read it. Pure. */
export function logCutNotes(d: Diagnosis): LogCutNote[] {
  const notes: LogCutNote[] = [];
  for (const l of d.logs) {
    for (const instance of ['current', 'previous'] as const) {
      const cut = l.cut?.[instance];
      if (cut && l[instance]?.ok) {
        notes.push({
          container: l.container,
          instance,
          shown: describeLogCut(cut),
          command: kubectlLogsCommand(d, l.container, instance),
        });
      }
    }
  }
  return notes;
}
