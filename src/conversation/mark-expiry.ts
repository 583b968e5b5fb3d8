import { EXPIRES_AT_ANNOTATION, requestIdOf } from '../debugpods/index.js';
import type { KubeClient } from '../kube/index.js';

/** Extend: the debug pod's new `expires-at` (the janitor's clock), for the pod this very action made. */
export interface ExpiryMark {
  namespace: string;
  podName: string;
  actionId: string;
  /** ISO 8601. */
  at: string;
}

/**
 * Writes the mark on the pod, after checking the pod named on record is the one this action made: the record is in
 * Redis, the truth is the pod. Throws a KubeError NotFound when the pod is gone.
 */
export function markExpiryLocally(kube: KubeClient): (mark: ExpiryMark) => Promise<void> {
  return async (mark) => {
    const pod = await kube.readPod(mark.namespace, mark.podName);
    if (requestIdOf(pod) !== mark.actionId)
      throw new Error(`${mark.namespace}/${mark.podName} is not this action's pod`);
    await kube.annotatePod(mark.namespace, mark.podName, { [EXPIRES_AT_ANNOTATION]: mark.at });
  };
}
