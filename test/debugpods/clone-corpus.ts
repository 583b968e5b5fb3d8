import { type BuiltPod, isGuaranteed } from '../../src/debugpods/index.js';
import type { Container, Pod } from '../../src/kube/types.js';
import * as cluster from './cluster-pod-shapes.js';
import * as common from './pod-shapes.js';

// The corpus of pod shapes as `kubectl get -o json` prints them, shared by the simulator's corpus test and the real
// control plane's, with the check that each note of a clone is true of the pod the API server stored.

export type Shape = { name: string; source: () => Pod; container: string; runs?: boolean };
const first = (pod: Pod) => pod.spec!.containers[0]!.name;
const shape = (name: string, source: () => Pod, container?: string, runs = true): Shape => ({
  name,
  source,
  container: container ?? first(source()),
  runs,
});

export const SHAPES: Shape[] = [
  shape('Deployment pod', common.plainDeploymentPod),
  shape('probes and a postStart hook', common.podWithProbes),
  shape('classic and native sidecars', common.podWithSidecars),
  // The init container that waits for the database is the one that fails, and the one to debug.
  shape('init containers', common.podWithInitContainers, 'wait-for-db'),
  shape('StatefulSet with claims and a block device', common.podWithClaims),
  shape('restricted, runAsNonRoot', common.podRestricted),
  shape('hostPort without hostNetwork', common.podWithHostPort),
  shape('Istio-injected', common.podWithIstio),
  shape('63-character name', common.podWithLongName),
  shape('scratch image, no command', common.podFromScratch),
  shape('scheduling rules', common.podWithSchedulingRules),
  shape('node-exporter DaemonSet on the host network', cluster.nodeExporterPod),
  shape('etcd mirror pod', cluster.etcdMirrorPod),
  shape('indexed Job', cluster.indexedJobPod),
  shape('Guaranteed DPDK', cluster.dpdkGuaranteedPod),
  shape('distroless with $(VAR) args', cluster.distrolessPod),
  shape('missing Secret key', cluster.missingSecretKeyPod),
  shape('native sidecar with a long sleep hook', cluster.longSleepSidecarPod),
  shape('CNI agent DaemonSet', cluster.cniAgentPod),
  shape('host-network ingress on a sandboxed runtime', cluster.sandboxedIngressPod),
  shape('Linkerd-meshed with a labels file', cluster.linkerdMeshedPod, 'billing'),
];
export const REFUSED: Shape[] = [
  shape('Windows IIS', cluster.windowsIisPod),
  shape('image pull failure', cluster.imagePullPod),
];

const everyContainer = (pod: Pod): Container[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];

type NoteCheck = (m: RegExpExecArray, stored: Pod, source: Pod) => string | undefined;

const sleepsOf = (pod: Pod): (number | undefined)[] =>
  everyContainer(pod).flatMap((c) => [c.lifecycle?.preStop?.sleep?.seconds, c.lifecycle?.postStart?.sleep?.seconds]);

/** What each kind of note claims, checked against the stored clone and its source; undefined when true. */
const NOTE_CHECKS: [RegExp, NoteCheck][] = [
  [
    /^labels not copied, so no Service or ReplicaSet selects the clone$/,
    (_m, stored, source) =>
      Object.entries(source.metadata?.labels ?? {}).some(([k, v]) => stored.metadata!.labels?.[k] === v)
        ? 'a source label is kept'
        : undefined,
  ],
  [
    /^probes removed from /,
    (_m, stored) =>
      everyContainer(stored).some((c) => c.livenessProbe || c.readinessProbe || c.startupProbe)
        ? 'a probe is left'
        : undefined,
  ],
  [
    /^ports dropped: .*With hostNetwork/,
    (_m, stored) =>
      !stored.spec!.hostNetwork || everyContainer(stored).some((c) => c.ports?.length) ? 'ports are left' : undefined,
  ],
  [
    /^hostPort dropped: /,
    (_m, stored) =>
      everyContainer(stored).some((c) => c.ports?.some((p) => p.hostPort)) ? 'a hostPort is left' : undefined,
  ],
  [
    /^static pod: the clone stays on node (\S+), where/,
    (m, stored, source) =>
      stored.spec!.nodeName === m[1] && source.spec?.nodeName === m[1] ? undefined : `on ${stored.spec!.nodeName}`,
  ],
  [
    /^static pod: no ServiceAccount token is mounted in the clone/,
    (_m, stored) =>
      stored.spec!.automountServiceAccountToken === false &&
      !stored.spec!.volumes?.some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken))
        ? undefined
        : 'a token is mounted',
  ],
  [
    /^host paths .+ are read on whichever node/,
    (_m, stored) =>
      stored.spec!.nodeName || !stored.spec!.volumes?.some((v) => v.hostPath) ? 'pinned, or no host path' : undefined,
  ],
  [
    /^annotations kept because the pod reads them: (.+)$/,
    (m, stored, source) =>
      m[1]!.split(', ').find((k) => stored.metadata!.annotations?.[k] !== source.metadata?.annotations?.[k]),
  ],
  [
    /reads label (\S+), which the clone does not carry: it is empty there \(the source had "(.*)"\)$/,
    (m, stored, source) =>
      stored.metadata!.labels?.[m[1]!] === undefined && source.metadata?.labels?.[m[1]!] === m[2] ? undefined : 'label',
  ],
  // True by construction: labels are replaced, annotations are ours plus the kept ones.
  [/lists all (labels|annotations): the clone's are ours/, () => undefined],
  [
    /^termination grace period (\d+) s, longer than the (\d+) s lifecycle sleep/,
    (m, stored) =>
      stored.spec!.terminationGracePeriodSeconds === Number(m[1]) && sleepsOf(stored).includes(Number(m[2]))
        ? undefined
        : 'grace',
  ],
  [
    /^QoS Guaranteed kept/,
    (_m, stored, source) =>
      (stored.status?.qosClass ?? 'Guaranteed') === 'Guaranteed' &&
      isGuaranteed(stored.spec!) &&
      isGuaranteed(source.spec!)
        ? undefined
        : `${stored.status?.qosClass}`,
  ],
  [
    /^(?:PVC|ephemeral volume) `(.+)` swapped for emptyDir$/,
    (m, stored) => (stored.spec!.volumes?.find((v) => v.name === m[1])?.emptyDir ? undefined : 'not an emptyDir'),
  ],
  [
    /^block devices removed: /,
    (_m, stored) => (everyContainer(stored).some((c) => c.volumeDevices?.length) ? 'a device is left' : undefined),
  ],
  [
    /^made optional, so the clone starts without them: (.+)$/,
    (m, stored) =>
      [...m[1]!.matchAll(/(\S+) of (\S+) \(key /g)].find(([, env, container]) => {
        const e = everyContainer(stored)
          .find((c) => c.name === container)
          ?.env?.find((x) => x.name === env);
        return (e?.valueFrom?.secretKeyRef ?? e?.valueFrom?.configMapKeyRef)?.optional !== true;
      })?.[0],
  ],
  // Which containers go is pinned by the clone table in test/debugpods.
  [/^(?:init )?containers dropped: |^init container \S+ runs as the clone's only/, () => undefined],
  [
    /^(\S+) runs with runAsNonRoot/,
    (m, stored) =>
      (everyContainer(stored).find((x) => x.name === m[1])?.securityContext?.runAsNonRoot ??
      stored.spec!.securityContext?.runAsNonRoot)
        ? undefined
        : 'not runAsNonRoot',
  ],
  [
    /^(\S+) has readOnlyRootFilesystem/,
    (m, stored) =>
      everyContainer(stored).find((x) => x.name === m[1])?.securityContext?.readOnlyRootFilesystem
        ? undefined
        : 'writable',
  ],
  [
    /^lifecycle hooks removed from (\S+)$/,
    (m, stored) => (everyContainer(stored).find((x) => x.name === m[1])?.lifecycle ? 'hooks left' : undefined),
  ],
];

/** The notes of `built` that are false of the stored clone, with why; a note no check knows counts as false. */
export function falseNotes(built: BuiltPod, stored: Pod, source: Pod): string[] {
  return built.notes.flatMap((n) => {
    for (const [pattern, check] of NOTE_CHECKS) {
      const m = pattern.exec(n);
      if (!m) continue;
      const why = check(m, stored, source);
      return why ? [`${n}: ${why}`] : [];
    }
    return [`${n}: no check knows this note`];
  });
}

/** The source as a client would create it: no server-owned fields, no status, no owners that do not exist. */
export function forCreate(pod: Pod): Pod {
  const body = structuredClone(pod);
  const md = body.metadata!;
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences'] as const)
    delete md[f];
  delete body.status;
  return body;
}

/** What the sources need in their cluster: a PriorityClass, a RuntimeClass, ConfigMaps, Secrets, ServiceAccounts. */
export const CORPUS_PRIORITY_CLASS = { metadata: { name: 'edge-critical' }, value: 100000 };
export const CORPUS_RUNTIME_CLASS = {
  metadata: { name: 'kata' },
  handler: 'kata',
  overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
  scheduling: { nodeSelector: { 'runtime/kata': 'true' } },
};
