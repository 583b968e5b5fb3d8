/** The workload kinds a `/debugdead <type>/<name>` target may name; a `pod/<name>` target is a plain pod. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job';

/** A workload named on the command line: its worst pod is diagnosed, its siblings listed. */
export interface WorkloadTarget {
  kind: WorkloadKind;
  name: string;
}

/**
 * Every spelling kubectl accepts for the types we follow (`kubectl api-resources`: singular, plural, short name, and
 * the `<plural>.<group>` / `<singular>.<group>` forms), lowercased. Keyed by spelling, valued by kind or 'Pod'.
 */
const SPELLINGS: Readonly<Record<string, WorkloadKind | 'Pod'>> = Object.fromEntries(
  (
    [
      ['Pod', ['po', 'pod', 'pods'], ''],
      ['Deployment', ['deploy', 'deployment', 'deployments'], 'apps'],
      ['StatefulSet', ['sts', 'statefulset', 'statefulsets'], 'apps'],
      ['DaemonSet', ['ds', 'daemonset', 'daemonsets'], 'apps'],
      ['ReplicaSet', ['rs', 'replicaset', 'replicasets'], 'apps'],
      ['Job', ['job', 'jobs'], 'batch'],
    ] as const
  ).flatMap(([kind, names, group]) =>
    names.flatMap((n) => [
      [n, kind],
      ...(group && n.length > 3 ? [[`${n}.${group}`, kind]] : []),
      ...(!group && n !== 'po' ? [[`${n}.core`, kind]] : []),
    ]),
  ),
);

/** The kind a resource type spelling names (`deploy`, `Deployments.apps`, `pods`…), or undefined for none. */
export function resourceKindOf(type: string): WorkloadKind | 'Pod' | undefined {
  return Object.hasOwn(SPELLINGS, type.toLowerCase()) ? SPELLINGS[type.toLowerCase()] : undefined;
}
