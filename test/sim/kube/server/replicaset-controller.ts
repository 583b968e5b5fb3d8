import type { Clock } from '../clock.js';
import { type HistoryEntry, isoSeconds, type MemoryStore } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { deletePodGracefully } from './pod-deletion.js';
import { recordEvent } from './record-event.js';
import { deploymentStatus, replicaSetStatus, sameStatus } from './workload-status.js';

type Any = any;

/** Creates a pod through the API server's create path (defaults, validation, admission); throws its refusal. */
export type CreatePod = (pod: KubeObject) => KubeObject;

const terminal = (p: KubeObject): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isActive = (p: KubeObject): boolean => !p.metadata.deletionTimestamp && !terminal(p);
const ready = (p: KubeObject): boolean =>
  (p.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
const controllerOf = (p: KubeObject): Any | undefined =>
  (p.metadata.ownerReferences ?? []).find((r: Any) => r.controller === true);

/** metav1.LabelSelectorAsSelector(...).Matches: an empty selector matches nothing for a ReplicaSet. */
export function selectorMatches(sel: Any, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  const ml = Object.entries(sel?.matchLabels ?? {});
  const me: Any[] = sel?.matchExpressions ?? [];
  if (ml.length === 0 && me.length === 0) return false;
  for (const [k, v] of ml) if (l[k] !== v) return false;
  for (const e of me) {
    const has = e.key in l;
    if (e.operator === 'In' && !(has && e.values?.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** The ReplicaSet controller's deletion order (controller.ActivePods): the cheapest pod to lose comes first. */
function deletionRank(a: KubeObject, b: KubeObject): number {
  const assigned = (p: KubeObject): number => (p.spec?.nodeName ? 1 : 0);
  const phase = (p: KubeObject): number => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase as string] ?? 0;
  const ready = (p: KubeObject): number =>
    (p.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True') ? 1 : 0;
  const restarts = (p: KubeObject): number =>
    (p.status?.containerStatuses ?? []).reduce((n: number, c: Any) => n + (c.restartCount ?? 0), 0);
  return (
    assigned(a) - assigned(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    restarts(b) - restarts(a) ||
    Date.parse(b.metadata.creationTimestamp ?? 0) - Date.parse(a.metadata.creationTimestamp ?? 0) ||
    // Same second (a stopped test clock): the later write is the newer pod.
    Number(b.metadata.resourceVersion) - Number(a.metadata.resourceVersion)
  );
}

/**
 * A ReplicaSet controller, as kube-controller-manager runs one: it adopts orphan pods its selector matches,
 * releases owned pods that stop matching, deletes pods beyond `spec.replicas` (a copy that kept the owner
 * reference or the labels is deleted, as in a real cluster) and creates replacements for deleted or finished ones,
 * recording SuccessfulCreate / SuccessfulDelete / FailedCreate events.
 */
export class ReplicaSetController {
  constructor(
    private readonly store: MemoryStore,
    private readonly clock: Clock,
    private readonly createPod: CreatePod,
  ) {}

  /** Whether a change can matter to a ReplicaSet (pod status churn from the kubelet mostly cannot). */
  static relevant(e: HistoryEntry): boolean {
    if (e.resource === 'replicasets') return e.type !== 'DELETED';
    if (e.resource !== 'pods') return false;
    if (e.type !== 'MODIFIED' || !e.prev) return true;
    const before = e.prev;
    const after = e.object;
    return (
      JSON.stringify(before.metadata.labels ?? {}) !== JSON.stringify(after.metadata.labels ?? {}) ||
      !!after.metadata.deletionTimestamp !== !!before.metadata.deletionTimestamp ||
      terminal(after) !== terminal(before) ||
      ready(after) !== ready(before) ||
      JSON.stringify(before.metadata.ownerReferences ?? []) !== JSON.stringify(after.metadata.ownerReferences ?? [])
    );
  }

  /** Syncs every ReplicaSet a change may concern (and the Deployment owning a ReplicaSet). */
  handle(e: HistoryEntry): void {
    if (e.resource === 'replicasets') {
      this.sync(e.namespace as string, e.object.metadata.name);
      const dep = controllerOf(e.object);
      if (dep?.kind === 'Deployment') this.syncDeploymentStatus(e.namespace as string, dep.name);
      return;
    }
    const ns = e.namespace as string;
    const owner = controllerOf(e.object);
    for (const rs of this.store.scan('replicasets', ns)) {
      const owns = owner?.uid === rs.metadata.uid;
      if (owns || (!owner && selectorMatches(rs.spec?.selector, e.object.metadata.labels)))
        this.sync(ns, rs.metadata.name);
    }
  }

  private sync(ns: string, name: string): void {
    const rs = this.store.peek('replicasets', ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const uid = rs.metadata.uid;
    const owned: KubeObject[] = [];
    for (const p of this.store.scan('pods', ns)) {
      const ref = controllerOf(p);
      const matches = selectorMatches(rs.spec?.selector, p.metadata.labels);
      if (ref?.uid === uid) {
        if (matches) owned.push(p);
        else if (isActive(p)) this.setOwner(p, undefined); // released: it no longer matches
      } else if (!ref && matches && isActive(p)) {
        owned.push(this.setOwner(p, rs));
      }
    }
    const active = owned.filter(isActive);
    const want = rs.spec?.replicas ?? 1;
    if (active.length > want) {
      for (const p of active.sort(deletionRank).slice(0, active.length - want)) {
        const current = this.store.peek('pods', ns, p.metadata.name);
        if (!current) continue;
        deletePodGracefully(this.store, current, undefined, isoSeconds(this.clock.now()));
        this.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      }
    }
    let created = 0;
    for (let i = active.length; i < want; i++) {
      const tmpl = rs.spec?.template ?? {};
      const pod: KubeObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${rs.metadata.name}-`,
          namespace: ns,
          labels: { ...(tmpl.metadata?.labels ?? {}) },
          ...(tmpl.metadata?.annotations ? { annotations: { ...tmpl.metadata.annotations } } : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: rs.metadata.name,
              uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(tmpl.spec ?? {}),
      };
      try {
        const made = this.createPod(pod);
        created++;
        this.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${made.metadata.name}`);
      } catch (err) {
        this.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        break;
      }
    }
    if (created === 0) this.writeStatus(ns, name);
  }

  /** status.replicas / readyReplicas / availableReplicas from the owned pods. */
  private writeStatus(ns: string, name: string): void {
    const rs = this.store.peek('replicasets', ns, name);
    if (!rs) return;
    const owned = this.store.scan('pods', ns).filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
    const status = replicaSetStatus(rs, owned);
    if (!sameStatus(status, rs.status)) this.store.update('replicasets', { ...structuredClone(rs), status });
  }

  private syncDeploymentStatus(ns: string, name: string): void {
    const dep = this.store.peek('deployments', ns, name);
    if (!dep || dep.metadata.deletionTimestamp) return;
    const rses = this.store.scan('replicasets', ns).filter((rs) => controllerOf(rs)?.uid === dep.metadata.uid);
    const status = deploymentStatus(dep, rses, isoSeconds(this.clock.now()));
    if (!sameStatus(status, dep.status)) this.store.update('deployments', { ...structuredClone(dep), status });
  }

  private setOwner(p: KubeObject, rs: KubeObject | undefined): KubeObject {
    const next = structuredClone(p);
    const others = (next.metadata.ownerReferences ?? []).filter((r: Any) => r.controller !== true);
    if (rs)
      others.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rs.metadata.name,
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    if (others.length) next.metadata.ownerReferences = others;
    else delete next.metadata.ownerReferences;
    return this.store.update('pods', next);
  }

  private event(rs: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    recordEvent(this.store, this.clock, rs, type, reason, message, 'replicaset-controller');
  }
}
