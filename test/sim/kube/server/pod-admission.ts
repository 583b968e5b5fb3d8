import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../store-contract.js';

type Any = any;

/** Reads of the store an admission plugin makes. */
export interface AdmissionStore {
  peek(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  scan(resource: string): KubeObject[];
}

/** The annotation the kubelet puts on the API copy of a static pod. */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** PriorityClasses the real apiserver creates at startup (scheduling's bootstrap classes). */
export const SYSTEM_PRIORITY_CLASSES = [
  {
    name: 'system-node-critical',
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/**
 * The Priority admission plugin (plugin/pkg/admission/priority): `priorityClassName` must name an existing
 * PriorityClass, else the highest globalDefault class applies (or priority 0). It sets `priority` and
 * `preemptionPolicy` from the class, and refuses a pod that carries other values. Returns the refusal, if any.
 */
export function admitPriority(spec: Any, store: AdmissionStore): string | undefined {
  let priority = 0;
  let preemptionPolicy = 'PreemptLowerPriority';
  if (spec.priorityClassName) {
    const pc = store.peek('priorityclasses', undefined, spec.priorityClassName);
    if (!pc) return `no PriorityClass with name ${spec.priorityClassName} was found`;
    priority = pc.value ?? 0;
    preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
  } else {
    const defaults = store.scan('priorityclasses').filter((pc) => pc.globalDefault);
    const top = defaults.sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    if (top) {
      spec.priorityClassName = top.metadata.name;
      priority = top.value ?? 0;
      preemptionPolicy = top.preemptionPolicy ?? preemptionPolicy;
    }
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    return `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`;
  }
  if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
    return `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`;
  }
  spec.priority = priority;
  spec.preemptionPolicy = preemptionPolicy;
  return undefined;
}

/**
 * The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass): `runtimeClassName` must exist; its
 * overhead becomes the pod's (a different one is refused), and its scheduling nodeSelector and tolerations are
 * merged into the pod's (a conflicting nodeSelector is refused).
 */
export function admitRuntimeClass(spec: Any, store: AdmissionStore): string | undefined {
  const noOverhead = 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead';
  if (!spec.runtimeClassName) return spec.overhead ? noOverhead : undefined;
  const rc = store.peek('runtimeclasses', undefined, spec.runtimeClassName);
  if (!rc) return `pod rejected: RuntimeClass "${spec.runtimeClassName}" not found`;
  const fixed = rc.overhead?.podFixed;
  if (fixed) {
    if (spec.overhead && !isDeepStrictEqual(spec.overhead, fixed))
      return "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";
    spec.overhead = structuredClone(fixed);
  } else if (spec.overhead) {
    return noOverhead;
  }
  const selector: Record<string, string> = rc.scheduling?.nodeSelector ?? {};
  for (const [k, v] of Object.entries(selector)) {
    const mine = spec.nodeSelector?.[k];
    if (mine !== undefined && mine !== v)
      return `conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${v}; pod.spec.nodeSelector[${k}] = ${mine}`;
  }
  if (Object.keys(selector).length) spec.nodeSelector = { ...(spec.nodeSelector ?? {}), ...selector };
  for (const t of rc.scheduling?.tolerations ?? []) {
    spec.tolerations ??= [];
    if (!spec.tolerations.some((x: Any) => isDeepStrictEqual(x, t))) spec.tolerations.push(structuredClone(t));
  }
  return undefined;
}

/**
 * ServiceAccount admission leaves a mirror pod's spec alone (the kubelet would delete a mirror whose spec differs
 * from its static pod) but refuses one that references a ServiceAccount, Secrets or a token projection.
 */
export function mirrorPodProblem(pod: Any): string | undefined {
  const spec = pod.spec ?? {};
  if (spec.serviceAccountName) return 'a mirror pod may not reference service accounts';
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const secretRefs =
    (spec.imagePullSecrets ?? []).length > 0 ||
    (spec.volumes ?? []).some((v: Any) => v.secret || (v.projected?.sources ?? []).some((s: Any) => s.secret)) ||
    containers.some(
      (c: Any) =>
        (c.env ?? []).some((e: Any) => e.valueFrom?.secretKeyRef) || (c.envFrom ?? []).some((f: Any) => f.secretRef),
    );
  if (secretRefs) return 'a mirror pod may not reference secrets';
  if ((spec.volumes ?? []).some((v: Any) => (v.projected?.sources ?? []).some((s: Any) => s.serviceAccountToken)))
    return 'a mirror pod may not use ServiceAccountToken volume projections';
  return undefined;
}
