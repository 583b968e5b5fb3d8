import type { WorkloadTarget } from '../command/index.js';
import type { Pod } from '../kube/index.js';

/** The label the Deployment controller puts on pods and in its ReplicaSets' names (`<deployment>-<hash>`). */
const POD_TEMPLATE_HASH = 'pod-template-hash';

/**
 * Whether the workload controls this pod, from the pod's controller reference alone: a label selector may also
 * match another workload's pods (selectors may overlap), so the list is narrowed to the pods this one owns. A
 * Deployment owns its pods through a ReplicaSet named `<deployment>-<pod-template-hash>`; the others own them
 * directly, matched by uid when known (a workload deleted and re-created under the same name is another one). Pure.
 */
export function isPodOf(pod: Pod, workload: WorkloadTarget & { uid?: string | undefined }): boolean {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return false;
  if (workload.kind === 'Deployment') {
    const hash = pod.metadata?.labels?.[POD_TEMPLATE_HASH];
    return owner.kind === 'ReplicaSet' && hash !== undefined && owner.name === `${workload.name}-${hash}`;
  }
  if (owner.kind !== workload.kind) return false;
  return workload.uid ? owner.uid === workload.uid : owner.name === workload.name;
}
