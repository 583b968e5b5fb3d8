import type { KubeObject } from '../store-contract.js';
import type { PodRequests } from './pod-requests.js';
import { parseCpuMillis, parseQuantity } from './quantity.js';

/** A node as the scheduler sees it: the Node object and what the pods bound to it already request. */
export interface NodeUsage {
  node: KubeObject;
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  /** Host ports held by pods on the node (`TCP/8080` → how many). */
  hostPorts?: ReadonlyMap<string, number>;
}

export type ScheduleResult = { ok: true; nodeName: string } | { ok: false; message: string };

type Json = any;

interface Failure {
  reasons: string[];
  /** UnschedulableAndUnresolvable: preemption cannot help (taints, affinity), as opposed to too few resources. */
  unresolvable: boolean;
}

/** Whether one taint is tolerated (k8s.io/api/core/v1 Toleration.ToleratesTaint). */
function tolerates(tolerations: Json[], taint: Json): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function isReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
}

/** The node's taints, plus the ones the node lifecycle controller adds for a NotReady or cordoned node. */
function effectiveTaints(node: KubeObject): Json[] {
  const taints: Json[] = [...(node.spec?.taints ?? [])];
  if (!isReady(node) && !taints.some((t) => t.key === 'node.kubernetes.io/not-ready')) {
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  }
  return taints;
}

function matchExpression(labels: Record<string, string>, e: Json): boolean {
  const v = labels[e.key];
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
      return v !== undefined && Number(v) > Number(values[0]);
    case 'Lt':
      return v !== undefined && Number(v) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector (all labels equal) and required node affinity (terms ORed, expressions ANDed). */
function matchesAffinity(pod: KubeObject, node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms: Json[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  const fields = { 'metadata.name': node.metadata.name };
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((e: Json) => matchExpression(labels, e)) &&
      (term.matchFields ?? []).every((e: Json) => matchExpression(fields, e)),
  );
}

/** Runs the default filter plugins in their order, stopping at the first that fails, as the framework does. */
function filter(pod: KubeObject, req: PodRequests, u: NodeUsage, hostPorts: readonly string[]): Failure | undefined {
  const node = u.node;
  const tolerations: Json[] = pod.spec?.tolerations ?? [];
  if (
    node.spec?.unschedulable &&
    !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  }
  const untolerated = effectiveTaints(node).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t),
  );
  if (untolerated) {
    return {
      reasons: [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`],
      unresolvable: true,
    };
  }
  if (!matchesAffinity(pod, node)) {
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  }
  if (hostPorts.some((p) => (u.hostPorts?.get(p) ?? 0) > 0)) {
    return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
  }
  const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
  const reasons: string[] = [];
  const cpu = parseCpuMillis(alloc.cpu);
  const memory = parseQuantity(alloc.memory);
  if (u.pods + 1 > parseQuantity(alloc.pods ?? '110')) reasons.push('Too many pods');
  if (req.cpuMillis > 0 && u.cpuMillis + req.cpuMillis > cpu) reasons.push('Insufficient cpu');
  if (req.memoryBytes > 0 && u.memoryBytes + req.memoryBytes > memory) reasons.push('Insufficient memory');
  // A request larger than the node's whole allocatable cannot be met by evicting anything: kube-scheduler's
  // NodeResourcesFit then answers UnschedulableAndUnresolvable, and preemption says "Preemption is not helpful for
  // scheduling" instead of "No preemption victims found for incoming pod" (measured on kube-scheduler v1.37.2).
  const unresolvable = req.cpuMillis > cpu || req.memoryBytes > memory;
  return reasons.length > 0 ? { reasons, unresolvable } : undefined;
}

/** `3 Insufficient memory, 1 node(s) had ...`: counts per reason, sorted as strings (FitError.Error). */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ');
}

/**
 * Picks a node for the pod, or explains why none fits with the default scheduler's FailedScheduling message, e.g.
 * `0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims
 * found for incoming pod.` (or `3 Preemption is not helpful for scheduling` when the request exceeds every node's
 * allocatable). Among fitting nodes the least requested one wins (ties by name), spreading pods.
 */
export function schedulePod(
  pod: KubeObject,
  req: PodRequests,
  nodes: NodeUsage[],
  hostPorts: readonly string[] = [],
): ScheduleResult {
  if (nodes.length === 0) return { ok: false, message: 'no nodes available to schedule pods' };
  const failures: Failure[] = [];
  let best: { name: string; score: number } | undefined;
  for (const u of nodes) {
    const f = filter(pod, req, u, hostPorts);
    if (f) {
      failures.push(f);
      continue;
    }
    const alloc = u.node.status?.allocatable ?? {};
    const score =
      (u.cpuMillis + req.cpuMillis) / Math.max(1, parseCpuMillis(alloc.cpu)) +
      (u.memoryBytes + req.memoryBytes) / Math.max(1, parseQuantity(alloc.memory));
    const name: string = u.node.metadata.name;
    if (!best || score < best.score || (score === best.score && name < best.name)) best = { name, score };
  }
  if (best) return { ok: true, nodeName: best.name };
  const n = nodes.length;
  const preemption = failures.map((f) =>
    f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
  );
  return {
    ok: false,
    message:
      `0/${n} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}. ` +
      `preemption: 0/${n} nodes are available: ${histogram(preemption)}.`,
  };
}
