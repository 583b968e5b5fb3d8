import { describe, expect, it } from 'vitest';
import {
  buildDebugClone,
  type CloneRequest,
  DebugPodError,
  isBestEffort,
  shellJoin,
  TOOLS_NAME,
} from '../../src/debugpods/index.js';
import type { Container, Pod } from '../../src/kube/types.js';
import {
  distrolessPod,
  dpdkGuaranteedPod,
  etcdMirrorPod,
  indexedJobPod,
  longSleepSidecarPod,
  nodeExporterPod,
  windowsIisPod,
} from './cluster-pod-shapes.js';
import { podWithClaims } from './pod-shapes.js';

const base = {
  requestId: 'req-1',
  requestedBy: 'U01ALICE',
  ttlSeconds: 3600,
  maxTtlSeconds: 14400,
  helperImage: 'busybox:1.37-musl',
} satisfies Omit<CloneRequest, 'container'>;
const ids = { suffix: 'k3x9z', now: new Date('2026-11-23T09:15:00Z') };
const clone = (pod: Pod, container: string, extra: Partial<CloneRequest> = {}) =>
  buildDebugClone(pod, { ...base, container, ...extra }, ids);
const everyContainer = (pod: Pod): Container[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];

// One row per rule: the realistic pod that broke it on real clusters, what the clone must carry, and the note.
const rows: {
  rule: string;
  source: () => Pod;
  container: string;
  check: (pod: Pod) => unknown;
  want: unknown;
  note: RegExp;
}[] = [
  {
    rule: 'hostNetwork pods lose their ports, which the API server would turn back into hostPorts',
    source: nodeExporterPod,
    container: 'node-exporter',
    check: (pod) => ({
      ports: everyContainer(pod).map((c) => c.ports),
      pinned: pod.spec!.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    }),
    want: {
      ports: [undefined, undefined],
      pinned: nodeExporterPod().spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution,
    },
    note: /^ports dropped: 9100 \(node-exporter\)\. With hostNetwork the API server would make each a hostPort/,
  },
  {
    rule: 'a static pod stays on its node',
    source: etcdMirrorPod,
    container: 'etcd',
    check: (pod) => ({ node: pod.spec!.nodeName, mirror: pod.metadata!.annotations!['kubernetes.io/config.mirror'] }),
    want: { node: 'cp-1', mirror: undefined },
    note: /^static pod: the clone stays on node cp-1, where its host paths are$/,
  },
  {
    rule: 'a static pod’s clone mounts no ServiceAccount token, which the static pod never had',
    source: etcdMirrorPod,
    container: 'etcd',
    check: (pod) => pod.spec!.automountServiceAccountToken,
    want: false,
    note: /^static pod: no ServiceAccount token is mounted in the clone, as the static pod had none$/,
  },
  {
    rule: 'hostPath volumes on an unpinned clone are warned about',
    source: () => {
      const pod = etcdMirrorPod();
      delete pod.metadata!.annotations;
      delete pod.metadata!.ownerReferences;
      return pod;
    },
    container: 'etcd',
    check: (pod) => pod.spec!.nodeName,
    want: undefined,
    note: /^host paths etcd-certs \(\/etc\/kubernetes\/pki\/etcd\), etcd-data \(\/var\/lib\/etcd\) are read on whichever node/,
  },
  {
    rule: 'annotations read by env fieldRefs and downward-API files are kept',
    source: indexedJobPod,
    container: 'worker',
    check: (pod) => ({
      index: pod.metadata!.annotations!['batch.kubernetes.io/job-completion-index'],
      owner: pod.metadata!.annotations!['team.example.com/owner'],
    }),
    want: { index: '2', owner: 'data' },
    note: /^annotations kept because the pod reads them: batch\.kubernetes\.io\/job-completion-index, team\.example\.com\/owner$/,
  },
  {
    rule: 'label-backed values are noted with what the source had',
    source: indexedJobPod,
    container: 'worker',
    check: (pod) => pod.metadata!.labels!['job-name'],
    want: undefined,
    note: /^env JOB_NAME of worker reads label job-name, which the clone does not carry: it is empty there \(the source had "shard"\)$/,
  },
  {
    rule: 'the grace period covers the longest kept sleep action',
    source: longSleepSidecarPod,
    container: 'app',
    // The target's own 30 s hook goes with its lifecycle; the proxy's 20 s one stays.
    check: (pod) => ({ grace: pod.spec!.terminationGracePeriodSeconds, appHooks: pod.spec!.containers[0]!.lifecycle }),
    want: { grace: 21, appHooks: undefined },
    note: /^termination grace period 21 s, longer than the 20 s lifecycle sleep a kept container has$/,
  },
  {
    rule: 'a Guaranteed pod stays Guaranteed',
    source: dpdkGuaranteedPod,
    container: 'upf',
    check: (pod) => pod.spec!.initContainers!.find((c) => c.name === TOOLS_NAME)!.resources,
    want: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
    note: /^QoS Guaranteed kept/,
  },
];

describe('clone rules that real clusters enforce', () => {
  it.each(rows)('$rule', ({ source, container, check, want, note }) => {
    const built = clone(source(), container);
    expect(check(built.pod)).toEqual(want);
    expect(built.notes.filter((n) => note.test(n))).toHaveLength(1);
  });

  it('keeps the PriorityClass but not the priority admission computed from it', () => {
    const spec = clone(etcdMirrorPod(), 'etcd').pod.spec!;
    expect([spec.priorityClassName, spec.priority, spec.preemptionPolicy]).toEqual([
      'system-node-critical',
      undefined,
      undefined,
    ]);
  });

  it('keeps hostPort 0 but the ports when the pod is not on the host network', () => {
    const pod = nodeExporterPod();
    pod.spec!.hostNetwork = false;
    const built = clone(pod, 'node-exporter');
    expect(built.pod.spec!.containers[0]!.ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
    expect(built.notes).toContain('hostPort dropped: 9100 (node-exporter)');
  });

  it('does not warn about host paths when the clone is pinned', () => {
    const built = clone(nodeExporterPod(), 'node-exporter');
    expect(built.notes.filter((n) => n.startsWith('host paths'))).toEqual([]);
  });

  it('unpins an ordinary pod and warns about nothing when it has no host paths', () => {
    const built = clone(podWithClaims(), podWithClaims().spec!.containers[0]!.name);
    expect(built.pod.spec!.nodeName).toBeUndefined();
    expect(built.notes.filter((n) => n.startsWith('host paths') || n.startsWith('static pod'))).toEqual([]);
  });

  it('keeps a Burstable pod Burstable, with the small injector requests', () => {
    const pod = dpdkGuaranteedPod();
    pod.spec!.containers[0]!.resources!.requests!.cpu = '3';
    const built = clone(pod, 'upf');
    expect(built.pod.spec!.initContainers![0]!.resources).toEqual({
      requests: { cpu: '10m', memory: '16Mi' },
      limits: { cpu: '100m', memory: '32Mi' },
    });
    expect(built.notes.filter((n) => n.startsWith('QoS'))).toEqual([]);
  });

  it('keeps a BestEffort pod BestEffort: the injector sets no resources', () => {
    const pod = distrolessPod();
    for (const c of pod.spec!.containers) delete c.resources;
    const built = clone(pod, pod.spec!.containers[0]!.name);
    expect(built.pod.spec!.initContainers![0]!.resources).toBeUndefined();
    expect(isBestEffort(built.pod.spec!)).toBe(true);
  });

  it('keeps grace 5 s when no kept container sleeps that long', () => {
    const pod = longSleepSidecarPod();
    pod.spec!.initContainers = [];
    expect(clone(pod, 'app').pod.spec!.terminationGracePeriodSeconds).toBe(5);
  });

  it.each([
    ['spec.os.name', windowsIisPod()],
    [
      'the kubernetes.io/os node selector',
      (() => {
        const pod = windowsIisPod();
        delete pod.spec!.os;
        return pod;
      })(),
    ],
  ])('refuses a Windows pod (%s) and says why', (_how, pod) => {
    const attempt = () => clone(pod, 'iis');
    expect(attempt).toThrow(DebugPodError);
    expect(attempt).toThrow(/Windows pod: a debug clone runs the target on a Linux busybox/);
  });

  it('gives the hand-run command through the injected busybox, with $(VAR) from the environment', () => {
    const inner = (line: string) => shellJoin(['/.debugdead/busybox', 'sh', '-c', line]);
    expect(clone(distrolessPod(), 'api').originalCommand).toBe(
      inner(`/app/api --upstream="\${SIDECAR_ENDPOINT}"/v1 '--greeting=it'\\''s '"\${USER_NAME}"`),
    );
    expect(clone(indexedJobPod(), 'worker').originalCommand).toBe(
      inner(`python -m shard --index="\${JOB_COMPLETION_INDEX}" '--cost=$5'`),
    );
  });
});
