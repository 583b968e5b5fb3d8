import type { Container, Pod, PodSpec } from '../kube/types.js';

// Facts about a source pod that decide how it may be cloned. Pure reads of the pod as the API server returns it.

/** The annotation the kubelet puts on the API copy of a static pod (its "mirror pod"). */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * A Windows pod: `spec.os.name: windows` (validated by the API server), or one scheduled only onto Windows nodes by
 * the well-known `kubernetes.io/os` node label.
 */
export function isWindowsPod(pod: Pod): boolean {
  return pod.spec?.os?.name === 'windows' || pod.spec?.nodeSelector?.['kubernetes.io/os'] === 'windows';
}

/** A static pod's mirror: the kubelet marks it with {@link MIRROR_ANNOTATION} and makes the Node its owner. */
export function isMirrorPod(pod: Pod): boolean {
  return (
    pod.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined ||
    (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Node' && o.apiVersion === 'v1')
  );
}

/**
 * Whether the scheduler can only place the pod on one node: `nodeName`, the `kubernetes.io/hostname` node selector,
 * or a required node affinity whose every term names nodes by `metadata.name` (how a DaemonSet pins its pods).
 */
export function isPinnedToNode(spec: PodSpec): boolean {
  if (spec.nodeName) return true;
  if (spec.nodeSelector?.['kubernetes.io/hostname']) return true;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return (
    terms.length > 0 &&
    terms.every(
      (t) =>
        (t.matchFields ?? []).some((f) => f.key === 'metadata.name' && f.operator === 'In') ||
        (t.matchExpressions ?? []).some((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In'),
    )
  );
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource quantity ("500m", "2", "1Gi", "1e3") as a number, or undefined when it is not one. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(String(q).trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const factor = SUFFIX[m[2] ?? ''];
  return Number.isFinite(n) && factor !== undefined ? n * factor : undefined;
}

function sameQuantity(a: string | number | undefined, b: string | number | undefined): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined && Math.abs(x - y) <= Math.abs(y) * 1e-9;
}

/**
 * The kubelet's Guaranteed QoS class: every container, init containers included, has cpu and memory limits, and
 * requests equal to them (a missing request defaults to the limit).
 */
export function isGuaranteed(spec: PodSpec): boolean {
  const all: Container[] = [...(spec.initContainers ?? []), ...spec.containers];
  if (all.length === 0) return false;
  return all.every((c) =>
    ['cpu', 'memory'].every((r) => {
      const limit = c.resources?.limits?.[r];
      const request = c.resources?.requests?.[r] ?? limit;
      return limit !== undefined && sameQuantity(request, limit);
    }),
  );
}

/**
 * The kubelet's BestEffort QoS class: no container, init containers included, and not the pod itself (pod-level
 * resources), requests or limits a non-zero amount of cpu or memory.
 */
export function isBestEffort(spec: PodSpec): boolean {
  const all: Container[] = [...(spec.initContainers ?? []), ...spec.containers];
  const sets = (r: Container['resources']) =>
    ['cpu', 'memory'].some((k) =>
      [r?.requests?.[k], r?.limits?.[k]].some((q) => q !== undefined && parseQuantity(q) !== 0),
    );
  return !sets(spec.resources) && !all.some((c) => sets(c.resources));
}

/** Seconds of the longest lifecycle `sleep` action (postStart or preStop) of these containers; 0 when none. */
export function longestSleepAction(containers: readonly Container[]): number {
  let longest = 0;
  for (const c of containers) {
    for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) {
      const s = Number(h?.sleep?.seconds ?? 0);
      if (Number.isFinite(s) && s > longest) longest = s;
    }
  }
  return longest;
}
