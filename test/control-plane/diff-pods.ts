import { isDeepStrictEqual } from 'node:util';
import type { Pod } from '../../src/kube/types.js';

/** One field where two pods differ; `undefined` on a side means the field is absent there. */
export interface PodDifference {
  /** Dotted path; list items that Kubernetes merges by key are named by it: `spec.containers[app].command`. */
  path: string;
  ours: unknown;
  kubectl: unknown;
}

/** Fields the API server writes on every object, or that only say when and where the pod ran. */
const SERVER_OWNED_METADATA = ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation'];

/**
 * Lists whose items Kubernetes identifies by a key (the strategic-merge keys of the Pod schema): compared item by
 * item, so a difference names the container, volume or variable, not a list index.
 */
const ITEM_KEYS: Record<string, (item: Record<string, unknown>) => string> = {
  containers: (c) => String(c.name),
  initContainers: (c) => String(c.name),
  ephemeralContainers: (c) => String(c.name),
  volumes: (v) => String(v.name),
  volumeMounts: (m) => String(m.mountPath),
  volumeDevices: (d) => String(d.devicePath),
  env: (e) => String(e.name),
  ports: (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`,
  tolerations: (t) => `${t.key ?? ''}:${t.effect ?? ''}`,
};

/** Maps where a missing map and an empty one mean the same: compared key by key. */
const MAPS = new Set(['metadata.labels', 'metadata.annotations']);

/** The part of a stored pod a copy is compared on: everything but server bookkeeping and run state (QoS aside). */
export function comparablePod(pod: Pod): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(pod)) as Record<string, Record<string, unknown>>;
  for (const f of SERVER_OWNED_METADATA) delete copy.metadata?.[f];
  const qosClass = (pod.status as { qosClass?: string } | undefined)?.qosClass;
  delete copy.status;
  return qosClass ? { ...copy, status: { qosClass } } : copy;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields where `ours` and `kubectl` differ, field by field (pure). Objects are walked key by key; keyed lists
 * item by item; any other list, and a field present on one side only, is one difference.
 */
export function diffPods(ours: Pod, kubectl: Pod): PodDifference[] {
  const out: PodDifference[] = [];
  walk(comparablePod(ours), comparablePod(kubectl), '', out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: PodDifference[]): void {
  if (isDeepStrictEqual(a, b)) return;
  const key = path.slice(path.lastIndexOf('.') + 1);
  const itemKey = ITEM_KEYS[key];
  if (itemKey && Array.isArray(a) && Array.isArray(b)) {
    const byKey = (list: unknown[]) => new Map(list.filter(isObject).map((item) => [itemKey(item), item]));
    const [left, right] = [byKey(a), byKey(b)];
    for (const k of new Set([...left.keys(), ...right.keys()])) walk(left.get(k), right.get(k), `${path}[${k}]`, out);
    return;
  }
  if (MAPS.has(path) && (isObject(a) || a === undefined) && (isObject(b) || b === undefined)) {
    const [left, right] = [a ?? {}, b ?? {}] as Record<string, unknown>[];
    for (const k of new Set([...Object.keys(left!), ...Object.keys(right!)]))
      walk(left![k], right![k], `${path}[${k}]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.push({ path, ours: a, kubectl: b });
}
