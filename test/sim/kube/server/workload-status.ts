import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../store-contract.js';

type Any = any;

const isReady = (p: KubeObject): boolean =>
  (p.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');

/** Drops zero counters, as the apps/v1 status types' `omitempty` does. */
function omitZero(s: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== 0 || keep.includes(k)) out[k] = v;
  return out;
}

/** A ReplicaSet's status from the pods it owns (replicaset controller's calculateStatus; minReadySeconds 0). */
export function replicaSetStatus(rs: KubeObject, owned: KubeObject[]): Record<string, unknown> {
  const active = owned.filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  const ready = active.filter(isReady).length;
  const status = omitZero(
    {
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    },
    ['replicas'],
  );
  if (rs.status?.conditions) status.conditions = rs.status.conditions;
  return status;
}

/** Resolves maxUnavailable (an int or a percentage, rounded down) against the desired replicas. */
function maxUnavailable(dep: KubeObject): number {
  const replicas = dep.spec?.replicas ?? 1;
  if (dep.spec?.strategy?.type === 'Recreate') return 0;
  const v = dep.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v));
  return m ? Math.floor((Number(m[1]) * replicas) / 100) : Number(v) || 0;
}

/**
 * A Deployment's status from its ReplicaSets (deployment controller's calculateStatus and the Available
 * condition: MinimumReplicasAvailable / MinimumReplicasUnavailable); other conditions are kept.
 */
export function deploymentStatus(dep: KubeObject, replicaSets: KubeObject[], nowIso: string): Record<string, unknown> {
  const sum = (f: string): number => replicaSets.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);
  const revision = (rs: KubeObject): number =>
    Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const newest = [...replicaSets].sort((a, b) => revision(b) - revision(a))[0];
  const desired = dep.spec?.replicas ?? 1;
  const available = sum('availableReplicas');
  const total = sum('replicas');
  const status: Record<string, unknown> = omitZero({
    observedGeneration: dep.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: newest?.status?.replicas ?? 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(total - available, desired - available, 0),
  });
  const minAvailable = desired - maxUnavailable(dep);
  const ok = available >= minAvailable;
  const want = ok
    ? {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
      }
    : {
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      };
  const conditions: Any[] = structuredClone(dep.status?.conditions ?? []);
  const i = conditions.findIndex((c) => c.type === 'Available');
  const prev = i >= 0 ? conditions[i] : undefined;
  if (!prev || prev.status !== want.status || prev.reason !== want.reason) {
    const next = {
      ...want,
      lastUpdateTime: nowIso,
      lastTransitionTime: prev?.status === want.status ? prev.lastTransitionTime : nowIso,
    };
    if (i >= 0) conditions[i] = next;
    else conditions.unshift(next);
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** True when a status write would change nothing. */
export const sameStatus = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a ?? {}, b ?? {});
