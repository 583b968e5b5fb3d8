import type { Pod } from '../kube/types.js';
import type { Readiness } from './debug-pod-readiness.js';

/** Waiting reasons of a debug container that will not fix themselves (its image, its command). */
const HOPELESS_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'StartError',
]);

/**
 * Whether the debug container `name` we added to the pod runs yet, from `status.ephemeralContainerStatuses`. Pure.
 * Failed when it ended (the kubelet never restarts an ephemeral container), cannot start, or the pod itself ended or
 * went away from under it.
 */
export function debugContainerReadiness(pod: Pod, name: string): Readiness {
  const status = pod.status ?? {};
  if (pod.metadata?.deletionTimestamp) return { state: 'failed', reason: 'the pod is being deleted' };
  if (status.phase === 'Failed' || status.phase === 'Succeeded')
    return { state: 'failed', reason: `the pod has ended (${status.phase})` };
  const s = (status.ephemeralContainerStatuses ?? []).find((c) => c.name === name);
  if (!s) return { state: 'starting', reason: 'not started by the kubelet yet' };
  if (s.state?.running) return { state: 'ready' };
  const t = s.state?.terminated;
  if (t)
    return {
      state: 'failed',
      reason: `${name} exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message}` : ''}`,
    };
  const w = s.state?.waiting;
  if (w?.reason && HOPELESS_WAITING.has(w.reason))
    return { state: 'failed', reason: `${name}: ${w.reason}${w.message ? `: ${w.message}` : ''}` };
  return { state: 'starting', ...(w?.reason ? { reason: w.reason } : {}) };
}
