import { isBelievableOwner } from '../kube/believable-owner.js';
import type { CompactPod, WorkloadRef } from './types.js';

/** The label the Deployment controller puts on pods and in its ReplicaSets' names (`<deployment>-<hash>`). */
const POD_TEMPLATE_HASH = 'pod-template-hash';

/**
 * The CronJob controller names its Jobs `<cronjob>-<scheduled time in minutes since the epoch>` (8+ digits today);
 * requiring that many digits keeps a hand-made Job like `migrate-2` a Job.
 */
const CRONJOB_JOB_NAME = /^(.+)-(\d{8,})$/;

/**
 * The workload a pod belongs to, from its controlling owner alone (no API reads): ReplicaSet → Deployment when the
 * ReplicaSet name is `<name>-<pod-template-hash>`; Job → CronJob when the Job name is `<cronjob>-<digits>`; other
 * owners as they are; a pod without owner, or whose owner is not named as Kubernetes names objects
 * (isBelievableOwner), is its own workload.
 */
export function workloadOf(pod: Pick<CompactPod, 'namespace' | 'name' | 'owner' | 'labels'>): WorkloadRef {
  const { namespace, owner } = pod;
  if (!owner || !isBelievableOwner(owner)) return { namespace, kind: 'Pod', name: pod.name };
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.labels[POD_TEMPLATE_HASH];
    if (hash && owner.name.endsWith(`-${hash}`) && owner.name.length > hash.length + 1)
      return { namespace, kind: 'Deployment', name: owner.name.slice(0, -(hash.length + 1)) };
    return { namespace, kind: 'ReplicaSet', name: owner.name };
  }
  if (owner.kind === 'Job') {
    const m = CRONJOB_JOB_NAME.exec(owner.name);
    if (m?.[1]) return { namespace, kind: 'CronJob', name: m[1] };
  }
  return { namespace, kind: owner.kind, name: owner.name };
}

/** A stable string key for a workload: `namespace/Kind/name`. */
export function workloadKey(w: WorkloadRef): string {
  return `${w.namespace}/${w.kind}/${w.name}`;
}
