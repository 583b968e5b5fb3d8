import type { Pod } from '../kube/types.js';

export type Readiness =
  | { state: 'ready' }
  | { state: 'starting'; reason?: string }
  | { state: 'failed'; reason: string };

/** Waiting reasons that will not fix themselves while we wait: report them instead of waiting out the clock. */
const HOPELESS_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
  'StartError',
]);

/**
 * Whether a debug pod we created can be exec'd into yet. Pure. Ready when the target container runs (the injector
 * init container must have completed first); failed with the kubelet's or scheduler's own words otherwise.
 */
export function debugPodReadiness(pod: Pod, container: string | undefined): Readiness {
  const status = pod.status ?? {};
  if (status.phase === 'Failed' || status.phase === 'Succeeded') {
    return {
      state: 'failed',
      reason: `the pod ${status.phase === 'Failed' ? 'failed' : 'exited'}${status.reason ? ` (${status.reason})` : ''}${status.message ? `: ${status.message}` : ''}`,
    };
  }
  const unschedulable = status.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  if (unschedulable) return { state: 'failed', reason: `unschedulable: ${unschedulable.message ?? 'no node fits'}` };

  for (const s of status.initContainerStatuses ?? []) {
    const w = s.state?.waiting;
    if (w?.reason && HOPELESS_WAITING.has(w.reason))
      return { state: 'failed', reason: `init container ${s.name}: ${w.reason}${w.message ? `: ${w.message}` : ''}` };
    const t = s.state?.terminated ?? s.lastState?.terminated;
    if (t && t.exitCode !== 0)
      return {
        state: 'failed',
        reason: `init container ${s.name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message}` : ''}`,
      };
  }
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const target = container ? statuses.find((s) => s.name === container) : status.containerStatuses?.[0];
  if (!target) return { state: 'starting', reason: status.phase ?? 'Pending' };
  const waiting = target.state?.waiting;
  if (waiting?.reason && HOPELESS_WAITING.has(waiting.reason)) {
    return {
      state: 'failed',
      reason: `${target.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
    };
  }
  const terminated = target.state?.terminated;
  if (terminated) {
    return {
      state: 'failed',
      reason: `${target.name} exited ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}${terminated.message ? `: ${terminated.message}` : ''}`,
    };
  }
  if (target.state?.running) return { state: 'ready' };
  return { state: 'starting', ...(waiting?.reason ? { reason: waiting.reason } : {}) };
}
