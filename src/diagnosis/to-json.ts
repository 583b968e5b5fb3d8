import type { Diagnosis, FindingKind, Severity } from './types.js';

/** The CLI's `--json` output: the shape the issue promises scripts, every key present (null when unknown). */
export interface DiagnosisJson {
  pod: string;
  namespace: string;
  phase: string;
  containers: {
    name: string;
    state: string;
    reason: string | null;
    restartCount: number;
    lastExitCode: number | null;
    lastReason: string | null;
  }[];
  findings: { kind: FindingKind; severity: Severity; summary: string; evidence: string[]; recommendation: string }[];
  events: { type: string; reason: string; message: string; count: number; ageSeconds: number | null }[];
}

/** Projects a Diagnosis onto the stable JSON shape; the most recent termination is the "last" exit. */
export function toDiagnosisJson(d: Diagnosis): DiagnosisJson {
  return {
    pod: d.pod.name,
    namespace: d.pod.namespace,
    phase: d.pod.phase,
    containers: d.containers.map((c) => {
      const last = c.state === 'terminated' && c.terminated ? c.terminated : c.lastTermination;
      return {
        name: c.name,
        state: c.state,
        reason: c.reason ?? null,
        restartCount: c.restartCount,
        lastExitCode: last ? last.exitCode : null,
        lastReason: last?.reason ?? null,
      };
    }),
    findings: d.findings.map((f) => ({
      kind: f.kind,
      severity: f.severity,
      summary: f.summary,
      evidence: [...f.evidence],
      recommendation: f.recommendation,
    })),
    events: d.events.map((e) => ({
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count,
      ageSeconds: e.ageSeconds ?? null,
    })),
  };
}
