import { isBelievableOwner } from '../kube/believable-owner.js';
import type { KubeEvent, Pod } from '../kube/types.js';
import { buildVerdict } from './build-verdict.js';
import { collectMissing } from './collect-missing.js';
import { cutAround } from './cut-around.js';
import { describeContainers } from './describe-containers.js';
import { failingHistoryOfPod } from './failing-history-of-pod.js';
import { failingSince } from './failing-since.js';
import { findContainerFindings } from './find-container-findings.js';
import { findPodFindings } from './find-pod-findings.js';
import { foldEvents } from './fold-events.js';
import { canonicalEventOrder } from './merge-events.js';
import { podStatus } from './pod-status.js';
import { rankLogLine } from './rank-log-line.js';
import { sortFindings } from './sort-findings.js';
import { secondsSince, toIso } from './time.js';
import type { ContainerDiagnosis, Diagnosis, DiagnosisFacts, Finding, OwnerLink } from './types.js';

/**
 * Reasons about the gathered facts of one pod: the state of each container, the STATUS kubectl would show,
 * findings with their evidence and next step (most severe first, never empty), folded events and what could not be
 * read. Pure: `now` comes in the facts.
 */
export function diagnose(facts: DiagnosisFacts): Diagnosis {
  const pod: Pod = facts.pod ?? {};
  const now = facts.now instanceof Date && !Number.isNaN(facts.now.getTime()) ? facts.now : new Date(0);
  // One canonical order (oldest first, ties by content): the API server's list order must not change a verdict.
  const rawEvents: KubeEvent[] = canonicalEventOrder(
    facts.events?.ok && Array.isArray(facts.events.value) ? facts.events.value.filter(Boolean) : [],
  );
  const logs = Array.isArray(facts.logs) ? facts.logs.filter(Boolean) : [];
  const containers = describeContainers(pod);
  // Debug containers are listed with the rest but are not the workload: they never explain, or spoil, its health.
  const workload = containers.filter((c) => c.kind !== 'ephemeral');
  const status = podStatus(pod);
  const summary = podSummary(pod, facts, status, workload, now);

  const findings: Finding[] = findPodFindings({ pod, status, containers: workload, events: rawEvents, now });
  // The kubelet kills every container of an evicted or timed-out pod: those kills are the pod's finding, not crashes.
  const killedByKubelet = findings.some(
    (f) =>
      f.kind === 'Evicted' ||
      f.kind === 'DeadlineExceeded' ||
      (f.kind === 'Unschedulable' && pod.status?.phase === 'Failed'),
  );
  for (const c of workload) {
    const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((s) => s?.name === c.name);
    const found = findContainerFindings({
      pod,
      container: c,
      spec,
      events: rawEvents,
      logs: logs.find((l) => l.container === c.name),
      now,
    });
    findings.push(
      ...found.filter(
        (f) =>
          !(killedByKubelet && c.state === 'terminated' && (f.kind === 'ApplicationError' || f.kind === 'Crashing')),
      ),
    );
  }
  if (findings.length === 0) findings.push(fallbackFinding(summary, workload));
  const sorted = sortFindings(findings).map((f) => ({ ...f, evidence: [...new Set(f.evidence.map(fitEvidence))] }));

  const since = failingSince(failingHistoryOfPod(pod, rawEvents), now);
  return {
    pod: summary,
    verdict: buildVerdict(summary, workload, sorted),
    containers,
    findings: sorted,
    events: foldEvents(rawEvents, now),
    logs,
    missing: collectMissing(facts),
    ...(since ? { failingSince: since } : {}),
  };
}

/**
 * Evidence lines longer than this are cut around their telling phrase: Slack shows evidence lines up to this width,
 * and an event message's cause is usually at its end.
 */
export const EVIDENCE_MAX_CHARS = 300;

function fitEvidence(line: string): string {
  if (line.length <= EVIDENCE_MAX_CHARS) return line;
  const r = rankLogLine(line);
  return cutAround(line, EVIDENCE_MAX_CHARS, r.phrase);
}

function podSummary(
  pod: Pod,
  facts: DiagnosisFacts,
  status: string,
  containers: ContainerDiagnosis[],
  now: Date,
): Diagnosis['pod'] {
  const meta = pod.metadata ?? {};
  // The gatherer walks ReplicaSet → Deployment; if that read failed the pod's own ownerReferences still name one.
  const owners: OwnerLink[] = facts.owners?.ok
    ? facts.owners.value
    : (meta.ownerReferences ?? [])
        .filter((o) => o && isBelievableOwner(o))
        .map((o) => ({ kind: o.kind, name: o.name }));
  const summary: Diagnosis['pod'] = {
    name: meta.name ?? '?',
    namespace: meta.namespace ?? 'default',
    phase: pod.status?.phase ?? 'Unknown',
    status,
    owners,
    restartPolicy: pod.spec?.restartPolicy ?? 'Always',
    restarts: containers.reduce((n, c) => n + c.restartCount, 0),
    conditions: (pod.status?.conditions ?? []).filter(Boolean).map((c) => {
      const out: Diagnosis['pod']['conditions'][number] = { type: c.type, status: c.status };
      if (c.reason) out.reason = c.reason;
      if (c.message) out.message = c.message;
      return out;
    }),
  };
  if (meta.uid) summary.uid = meta.uid;
  if (pod.status?.reason) summary.reason = pod.status.reason;
  if (pod.status?.message) summary.message = pod.status.message;
  if (pod.spec?.nodeName) summary.node = pod.spec.nodeName;
  const createdAt = toIso(meta.creationTimestamp);
  if (createdAt) summary.createdAt = createdAt;
  const age = secondsSince(meta.creationTimestamp, now);
  if (age !== undefined) summary.ageSeconds = age;
  return summary;
}

/** Nothing went wrong that a rule recognises: say healthy when it is, or what state it is in when it is not. */
function fallbackFinding(pod: Diagnosis['pod'], containers: ContainerDiagnosis[]): Finding {
  const apps = containers.filter((c) => c.kind !== 'init');
  if (pod.phase === 'Succeeded') {
    return {
      kind: 'Healthy',
      severity: 'info',
      summary: 'completed successfully: every container exited 0',
      evidence: containers.map((c) => `${c.name}: ${c.reason ?? c.state}`),
      recommendation: 'Nothing to do.',
      action: 'none',
    };
  }
  if (
    pod.phase === 'Running' &&
    pod.status === 'Running' &&
    apps.length > 0 &&
    apps.every((c) => c.state === 'running' && c.ready)
  ) {
    return {
      kind: 'Healthy',
      severity: 'info',
      summary: `healthy: ${apps.length === 1 ? 'its container is' : `all ${apps.length} containers are`} running and ready`,
      evidence: apps.map((c) => `${c.name}: running, ready, ${c.restartCount} restarts`),
      recommendation: "Nothing looks wrong. If users still see errors, look at the app's own metrics and logs.",
      action: 'none',
    };
  }
  const waiting = containers
    .filter((c) => c.state !== 'running' || !c.ready)
    .map((c) => `${c.name}: ${c.reason ?? c.state}${c.ready ? '' : ', not ready'}`);
  return {
    kind: 'Crashing',
    severity:
      pod.status === 'Terminating' || pod.status === 'ContainerCreating' || pod.status.startsWith('Init:')
        ? 'info'
        : 'warning',
    summary:
      pod.status === 'Terminating'
        ? 'the pod is being deleted (Terminating)'
        : `the pod is ${pod.status} and no known failure explains it yet`,
    evidence: [
      ...waiting,
      ...pod.conditions
        .filter((c) => c.status !== 'True')
        .map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`),
    ],
    recommendation: 'Look again in a minute: it may still be starting. The events below say what the kubelet is doing.',
    action: 'none',
  };
}
