import type { ContainerStatus, Pod } from '../kube/types.js';
import { isSidecar } from './describe-containers.js';

/**
 * The STATUS column `kubectl get pods` shows, following kubectl's printPod
 * (pkg/printers/internalversion/printers.go): the pod reason, overridden by the first failing or waiting init
 * container ("Init:CrashLoopBackOff", "Init:0/2"), then by the app containers' waiting/terminated reasons, and
 * "Terminating" while a deletion is pending.
 */
export function podStatus(pod: Pod): string {
  const phase = pod.status?.phase ?? 'Unknown';
  let reason = pod.status?.reason || phase;
  const conditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  if (conditions.some((c) => c?.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : [];
  const initStatuses: ContainerStatus[] = Array.isArray(pod.status?.initContainerStatuses)
    ? pod.status.initContainerStatuses
    : [];
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    if (!c) continue;
    const sidecar = isSidecar(initSpecs.find((s) => s?.name === c.name));
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && c.started === true) continue;
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c?.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    let hasRunning = false;
    const statuses: ContainerStatus[] = Array.isArray(pod.status?.containerStatuses)
      ? pod.status.containerStatuses
      : [];
    // kubectl walks backwards so the first container's reason is the one that sticks.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (!c) continue;
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c?.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  // Deviation from kubectl, on purpose: a pod the kubelet failed for eviction or activeDeadlineSeconds keeps that
  // reason, because the killed containers' "Error" would hide why the pod died.
  const podReason = pod.status?.reason;
  if (phase === 'Failed' && (podReason === 'Evicted' || podReason === 'DeadlineExceeded')) reason = podReason;

  if (pod.metadata?.deletionTimestamp) {
    if (pod.status?.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';
  }
  return reason;
}
