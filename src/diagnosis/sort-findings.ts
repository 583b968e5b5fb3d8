import type { Finding, FindingKind, Severity } from './types.js';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Among equals, the more specific cause first: the one whose recommendation is the sharpest. */
const KIND_RANK: Readonly<Record<FindingKind, number>> = {
  Unschedulable: 0,
  Evicted: 1,
  DeadlineExceeded: 2,
  SandboxFailure: 3,
  MissingConfig: 4,
  VolumeFailure: 5,
  ImagePull: 6,
  LifecycleHook: 7,
  CommandNotFound: 8,
  NotExecutable: 9,
  OOMKilled: 10,
  ProbeFailure: 11,
  InitContainerFailure: 12,
  CleanExitUnderAlways: 13,
  ApplicationError: 14,
  Crashing: 15,
  Healthy: 16,
};

/** Most severe first; then the most specific kind; otherwise the order found (containers in spec order). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] ||
        KIND_RANK[a.f.kind] - KIND_RANK[b.f.kind] ||
        a.i - b.i,
    )
    .map(({ f }) => f);
}
