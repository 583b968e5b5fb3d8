import {
  closestPodNames,
  isBelievableOwner,
  type KubeClient,
  type KubeError,
  type OwnerKind,
  toKubeError,
} from '../kube/index.js';
import type { ContainerStatus, OwnerReference, Pod } from '../kube/types.js';
import { redactBelow } from '../redact/index.js';
import type { ContainerLogFacts, DiagnosisFacts, Fetched, LogCut, OwnerLink } from './types.js';

/** Which pod to diagnose; `container` narrows the logs, never the pod. */
export interface GatherRef {
  namespace: string;
  pod: string;
  container?: string;
}

export interface GatherOptions {
  /** Last lines of each log read (config `logs.tailLines`). */
  tailLines: number;
  /** Byte cap of each log read (config `logs.limitBytes`). */
  limitBytes: number;
  /** Deadline of each API call, milliseconds; a call that runs out becomes missing evidence. */
  callTimeoutMs: number;
  /** Only lines of the last N seconds (More logs "Last 1 h"); applied by the kubelet before `tailLines`. */
  sinceSeconds?: number;
}

/** What to offer when the pod does not exist: "did you mean …", "a pod of that name lives in …". */
export interface PodSuggestions {
  /** Closest pod names in the namespace asked, best first. */
  similarNames: string[];
  /** Other namespaces holding a pod of exactly that name. */
  namespacesWithName: string[];
}

export type GatherResult =
  | { ok: true; facts: DiagnosisFacts }
  | { ok: false; error: KubeError; suggestions?: PodSuggestions };

/**
 * Fetches everything a diagnosis needs, in parallel after the pod itself: its events (by uid), current and previous
 * logs of every container (init containers included), its owner chain and its node. Each call has its own deadline
 * and a failed call becomes a `Fetched` failure; only failing to read the pod is fatal.
 */
export async function gatherFacts(
  kube: KubeClient,
  ref: GatherRef,
  opts: GatherOptions,
  now: () => Date,
): Promise<GatherResult> {
  const k = kube.withTimeout(opts.callTimeoutMs);
  let pod: Pod;
  try {
    pod = await k.readPod(ref.namespace, ref.pod);
  } catch (e) {
    const error = asKubeError(e, `reading pod ${ref.namespace}/${ref.pod}`);
    if (error.kind !== 'NotFound') return { ok: false, error };
    return { ok: false, error, suggestions: await suggest(k, ref) };
  }
  const nodeName = pod.spec?.nodeName;
  const [events, logs, owners, node] = await Promise.all([
    fetched(() => k.listEventsFor(pod), 'listing events'),
    gatherLogs(k, pod, ref, opts),
    fetched(() => ownerChain(k, pod), 'reading the owner chain'),
    nodeName ? fetched(() => k.readNode(nodeName), `reading node ${nodeName}`) : Promise.resolve(undefined),
  ]);
  return { ok: true, facts: { pod, events, logs, owners, ...(node ? { node } : {}), now: now() } };
}

async function gatherLogs(k: KubeClient, pod: Pod, ref: GatherRef, opts: GatherOptions): Promise<ContainerLogFacts[]> {
  const namespace = pod.metadata?.namespace ?? ref.namespace;
  const podName = pod.metadata?.name ?? ref.pod;
  const statuses = new Map<string, ContainerStatus>();
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ]) {
    statuses.set(s.name, s);
  }
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  // A debug (ephemeral) container's log is read only when asked for by name (More logs), never in a diagnosis.
  const named = ref.container ? [...all, ...(pod.spec?.ephemeralContainers ?? []).map((c) => c.name)] : all;
  const names = ref.container ? named.filter((n) => n === ref.container) : all;
  if (ref.container && names.length === 0) {
    const message = `container "${ref.container}" is not in pod ${namespace}/${podName}; it has: ${all.join(', ')}`;
    return [{ container: ref.container, current: { ok: false, kind: 'NotFound', message } }];
  }
  // One line more than asked: when it comes back, the log is longer than the tail and the reader must be told.
  const read = (container: string, previous: boolean) =>
    fetched(
      () =>
        k.readLog(namespace, podName, {
          container,
          previous,
          tailLines: opts.tailLines + 1,
          limitBytes: opts.limitBytes,
          ...(opts.sinceSeconds !== undefined ? { sinceSeconds: opts.sinceSeconds } : {}),
        }),
      `reading logs of ${container}`,
    ).then((f) => cutLog(f, opts));
  return Promise.all(
    names.map(async (container): Promise<ContainerLogFacts> => {
      const status = statuses.get(container);
      const [current, previous] = await Promise.all([
        hasRun(status) ? read(container, false) : undefined,
        hasPrevious(status) ? read(container, true) : undefined,
      ]);
      const cut = {
        ...(current?.cut ? { current: current.cut } : {}),
        ...(previous?.cut ? { previous: previous.cut } : {}),
      };
      return {
        container,
        ...(current ? { current: current.log } : {}),
        ...(previous ? { previous: previous.log } : {}),
        ...(current?.cut || previous?.cut ? { cut } : {}),
      };
    }),
  );
}

/**
 * The log as asked (`tailLines` lines) and how it was cut: the extra line read means earlier lines exist; a body of
 * `limitBytes` or more means the kubelet stopped there and later lines are missing.
 */
function cutLog(f: Fetched<string>, opts: GatherOptions): { log: Fetched<string>; cut?: LogCut } {
  if (!f.ok) return { log: f };
  let text = f.value;
  let cut: LogCut | undefined;
  if (Buffer.byteLength(text, 'utf8') >= opts.limitBytes) cut = { by: 'bytes', limitBytes: opts.limitBytes };
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body === '' ? 0 : body.split('\n').length;
  if (lines > opts.tailLines) {
    // The line read beyond the tail is left out, but may name a secret the first line shown gives (redactBelow).
    const nl = text.indexOf('\n');
    text = redactBelow(text.slice(0, nl), text.slice(nl + 1));
    cut ??= { by: 'tail', lines: opts.tailLines };
  }
  return { log: { ok: true, value: text }, ...(cut ? { cut } : {}) };
}

/**
 * Whether any instance of the container ever ran. A container still waiting with no history has no log, and the
 * kubelet would only answer 400 "is waiting to start" (the API server's pods/log answer for such a container).
 */
function hasRun(s: ContainerStatus | undefined): boolean {
  if (!s) return false;
  return Boolean(s.state?.running || s.state?.terminated || s.lastState?.terminated || s.restartCount > 0);
}

/** A previous instance exists when the container restarted or the kubelet kept its last termination. */
function hasPrevious(s: ContainerStatus | undefined): boolean {
  return Boolean(s && (s.restartCount > 0 || s.lastState?.terminated));
}

/** The owners a built-in controller may itself have: ReplicaSet → Deployment, Job → CronJob. */
const FOLLOW: Partial<Record<string, OwnerKind>> = { ReplicaSet: 'ReplicaSet', Job: 'Job' };
const BUILT_IN_GROUPS = new Set(['apps/v1', 'batch/v1']);

/** The controller chain, nearest first, via `ownerReferences` with `controller: true`. */
async function ownerChain(k: KubeClient, pod: Pod): Promise<OwnerLink[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const links: OwnerLink[] = [];
  let owner = controllerOf(pod.metadata?.ownerReferences);
  const prefetched = prefetchDeployment(k, pod, owner, namespace);
  // Bounded: a chain longer than four is a loop or a custom controller stack we cannot read anyway.
  // An owner no object can be named like is not read, nor shown (isBelievableOwner): the pod is a bare pod.
  while (owner && isBelievableOwner(owner) && links.length < 4) {
    links.push({ kind: owner.kind, name: owner.name });
    const kind = FOLLOW[owner.kind];
    if (!kind || !BUILT_IN_GROUPS.has(owner.apiVersion)) break;
    const read = prefetched?.kind === kind && prefetched.name === owner.name ? prefetched.read : undefined;
    const workload = await (read ?? k.readOwner(kind, namespace, owner.name));
    owner = controllerOf(workload.metadata?.ownerReferences);
  }
  return links;
}

/**
 * A Deployment names its ReplicaSets `<deployment>-<pod-template-hash>`, so the Deployment can be read at the same
 * time as the ReplicaSet instead of one round trip later (a third of a diagnosis' latency). The guess is used only
 * when the ReplicaSet's own controller reference names that very Deployment.
 */
function prefetchDeployment(k: KubeClient, pod: Pod, owner: OwnerReference | undefined, namespace: string) {
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner?.kind !== 'ReplicaSet' || !isBelievableOwner(owner) || !hash || !owner.name.endsWith(`-${hash}`))
    return undefined;
  const name = owner.name.slice(0, -(hash.length + 1));
  const read = k.readOwner('Deployment', namespace, name);
  read.catch(() => {}); // an unused or failed guess must not become an unhandled rejection
  return { kind: 'Deployment' as const, name, read };
}

function controllerOf(refs: OwnerReference[] | undefined): OwnerReference | undefined {
  return refs?.find((r) => r.controller === true);
}

async function suggest(k: KubeClient, ref: GatherRef): Promise<PodSuggestions> {
  // Each suggestion read may itself be denied or time out: then that suggestion is simply empty.
  const [names, namespaces] = await Promise.allSettled([k.listPodNames(ref.namespace), k.findPodsNamed(ref.pod)]);
  return {
    similarNames: names.status === 'fulfilled' ? closestPodNames(ref.pod, names.value) : [],
    namespacesWithName: namespaces.status === 'fulfilled' ? namespaces.value.filter((n) => n !== ref.namespace) : [],
  };
}

async function fetched<T>(run: () => Promise<T>, operation: string): Promise<Fetched<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    const err = asKubeError(e, operation);
    return { ok: false, kind: err.kind, message: err.message };
  }
}

function asKubeError(e: unknown, operation: string): KubeError {
  return toKubeError(e, { operation });
}
