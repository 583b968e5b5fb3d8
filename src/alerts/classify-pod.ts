import type { CompactPod, DetectionOptions, PodVerdict } from './types.js';

/**
 * Reasons whose container never ran, so its restartCount stays 0 however long it fails (the kubelet counts
 * restarts of started containers only): they alert without waiting for the restart threshold.
 */
const NEVER_STARTED = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/**
 * Whether a pod is failing for one of the configured reasons: a container waiting in a listed reason, or (for
 * OOMKilled and the like) a not-ready container whose current or last termination has that reason; crash reasons only
 * at or above the restart threshold. Pods being deleted are not failing (they are going away).
 */
export function classifyPod(pod: CompactPod, opts: DetectionOptions): PodVerdict {
  if (!pod.deleting) {
    for (const c of pod.containers) {
      const reason =
        c.waitingReason && opts.reasons.includes(c.waitingReason)
          ? c.waitingReason
          : c.terminatedReason && !c.ready && opts.reasons.includes(c.terminatedReason)
            ? c.terminatedReason
            : undefined;
      if (reason === undefined) continue;
      if (!NEVER_STARTED.has(reason) && c.restartCount < opts.restartThreshold) continue;
      return { failing: true, reason, container: c.name, restartCount: c.restartCount };
    }
  }
  // Succeeded pods (a finished Job) count as healthy: nothing is crashing any more.
  return { failing: false, ready: pod.ready || pod.phase === 'Succeeded' };
}
