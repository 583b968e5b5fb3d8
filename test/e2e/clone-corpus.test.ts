import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCloneOffer } from '../../src/actions/index.js';
import { type BuiltPod, buildDebugClone, DebugPodError, isGuaranteed } from '../../src/debugpods/index.js';
import type { Container, Pod } from '../../src/kube/types.js';
import * as cluster from '../debugpods/cluster-pod-shapes.js';
import * as common from '../debugpods/pod-shapes.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildNode } from '../sim/kube/scenarios/build-objects.js';

// A corpus of pod shapes as `kubectl get -o json` prints them. Each source is created in the simulator (so the
// original holds its node's ports and resources), read back as the bot reads it, cloned, and the clone created
// through the API: it must be accepted, reach Running where it can be scheduled, and every note must be true of
// the pod the API server stored. A shape a clone cannot help is refused up front, with the reason.

type Shape = { name: string; source: () => Pod; container: string; runs?: boolean };
const first = (pod: Pod) => pod.spec!.containers[0]!.name;
const shape = (name: string, source: () => Pod, container?: string, runs = true): Shape => ({
  name,
  source,
  container: container ?? first(source()),
  runs,
});

const SHAPES: Shape[] = [
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
const REFUSED: Shape[] = [
  shape('Windows IIS', cluster.windowsIisPod),
  shape('image pull failure', cluster.imagePullPod),
];

let sim: KubeSim;
let core: k8s.CoreV1Api;
const clock = new ManualClock();

const usedNames = new Set<string>();

/**
 * What the bot's readPod returns: the stored source, with the server's own fields. Shapes derived from one another
 * share a name; later ones get a suffix.
 */
async function createSource(pod: Pod): Promise<Pod> {
  const body = structuredClone(pod);
  const md = body.metadata!;
  const key = () => `${md.namespace}/${md.name}`;
  for (let i = 2; usedNames.has(key()); i++) md.name = `${pod.metadata!.name!.slice(0, 58)}-s${i}`;
  usedNames.add(key());
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences'] as const)
    delete md[f];
  delete body.status;
  const ns = md.namespace ?? 'default';
  await core.createNamespacedPod({ namespace: ns, body });
  return core.readNamespacedPod({ namespace: ns, name: md.name! });
}

const everyContainer = (pod: Pod): Container[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];

/** Each note, checked against the stored clone and its source; a note no rule knows fails the test. */
function falseNotes(built: BuiltPod, stored: Pod, source: Pod): string[] {
  const problems: string[] = [];
  const spec = stored.spec!;
  const all = everyContainer(stored);
  for (const n of built.notes) {
    let m: RegExpExecArray | null;
    const fail = (why: string) => problems.push(`${n}: ${why}`);
    if (n === 'labels not copied, so no Service or ReplicaSet selects the clone') {
      const kept = Object.entries(source.metadata?.labels ?? {}).filter(([k, v]) => stored.metadata!.labels?.[k] === v);
      if (kept.length) fail(`kept ${kept}`);
    } else if ((m = /^probes removed from (.+)$/.exec(n))) {
      if (all.some((c) => c.livenessProbe || c.readinessProbe || c.startupProbe)) fail('a probe is left');
    } else if ((m = /^ports dropped: .*With hostNetwork/.exec(n))) {
      if (!spec.hostNetwork || all.some((c) => c.ports?.length)) fail('ports are left');
    } else if ((m = /^hostPort dropped: (.+)$/.exec(n))) {
      if (all.some((c) => c.ports?.some((p) => p.hostPort))) fail('a hostPort is left');
    } else if ((m = /^static pod: the clone stays on node (\S+), where/.exec(n))) {
      if (spec.nodeName !== m[1] || source.spec?.nodeName !== m[1]) fail(`on ${spec.nodeName}`);
    } else if ((m = /^host paths (.+) are read on whichever node/.exec(n))) {
      if (spec.nodeName || !spec.volumes?.some((v) => v.hostPath)) fail('pinned, or no host path');
    } else if ((m = /^annotations kept because the pod reads them: (.+)$/.exec(n))) {
      for (const k of m[1]!.split(', '))
        if (stored.metadata!.annotations?.[k] !== source.metadata?.annotations?.[k]) fail(`${k} differs`);
    } else if (
      (m = /reads label (\S+), which the clone does not carry: it is empty there \(the source had "(.*)"\)$/.exec(n))
    ) {
      if (stored.metadata!.labels?.[m[1]!] !== undefined || source.metadata?.labels?.[m[1]!] !== m[2]) fail('label');
    } else if ((m = /lists all (labels|annotations): the clone's are ours/.exec(n))) {
      // True by construction of the labels (replaced) and annotations (ours, plus the kept ones).
    } else if ((m = /^termination grace period (\d+) s, longer than the (\d+) s lifecycle sleep/.exec(n))) {
      const sleeps = all.flatMap((c) => [c.lifecycle?.preStop?.sleep?.seconds, c.lifecycle?.postStart?.sleep?.seconds]);
      if (spec.terminationGracePeriodSeconds !== Number(m[1]) || !sleeps.includes(Number(m[2]))) fail('grace');
    } else if (n.startsWith('QoS Guaranteed kept')) {
      if (stored.status?.qosClass !== 'Guaranteed' || !isGuaranteed(source.spec!)) fail(`${stored.status?.qosClass}`);
    } else if ((m = /^(PVC|ephemeral volume) `(.+)` swapped for emptyDir$/.exec(n))) {
      if (!spec.volumes?.find((v) => v.name === m![2])?.emptyDir) fail('not an emptyDir');
    } else if ((m = /^block devices removed: /.exec(n))) {
      if (all.some((c) => c.volumeDevices?.length)) fail('a device is left');
    } else if ((m = /^made optional, so the clone starts without them: (.+)$/.exec(n))) {
      const refs = all
        .flatMap((c) => c.env ?? [])
        .flatMap((e) => [e.valueFrom?.secretKeyRef, e.valueFrom?.configMapKeyRef]);
      if (refs.some((r) => r && !r.optional)) fail('a reference is still required');
    } else if (
      (m = /^(init )?containers dropped: /.exec(n)) ||
      /^init container \S+ runs as the clone's only/.test(n)
    ) {
      // Checked by the clone table in test/debugpods.
    } else if ((m = /^(\S+) runs with runAsNonRoot/.exec(n))) {
      const c = all.find((x) => x.name === m![1]);
      if (!(c?.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot)) fail('not runAsNonRoot');
    } else if ((m = /^(\S+) has readOnlyRootFilesystem/.exec(n))) {
      if (!all.find((x) => x.name === m![1])?.securityContext?.readOnlyRootFilesystem) fail('writable');
    } else if ((m = /^lifecycle hooks removed from (\S+)$/.exec(n))) {
      if (all.find((x) => x.name === m![1])?.lifecycle) fail('hooks left');
    } else {
      fail('no rule checks this note');
    }
  }
  return problems;
}

beforeAll(async () => {
  sim = await startKubeSim({ clock });
  const file = join(mkdtempSync(join(tmpdir(), 'clone-corpus-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  const big = { cpu: '32', memory: '128Gi' };
  for (const [i, name, labels] of [
    [1, 'worker-1', {}],
    [2, 'worker-2', { 'runtime/kata': 'true' }],
    [3, 'worker-3', {}],
    [4, 'node-a', {}],
    [5, 'cp-1', { 'node-role.kubernetes.io/control-plane': '' }],
    [6, 'arm-1', { 'kubernetes.io/arch': 'arm64', pool: 'web' }],
  ] as const)
    sim.store.create('nodes', buildNode(name, { index: i, ...big, labels }));
  await kc
    .makeApiClient(k8s.SchedulingV1Api)
    .createPriorityClass({ body: { metadata: { name: 'edge-critical' }, value: 100000 } });
  await kc.makeApiClient(k8s.NodeV1Api).createRuntimeClass({
    body: {
      metadata: { name: 'kata' },
      handler: 'kata',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: { nodeSelector: { 'runtime/kata': 'true' } },
    },
  });
  const sources = [...SHAPES, ...REFUSED].map((s) => s.source());
  for (const ns of new Set(sources.map((p) => p.metadata!.namespace ?? 'default')))
    await core.createNamespace({ body: { metadata: { name: ns } } }).catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  for (const p of sources) {
    const sa = p.spec?.serviceAccountName;
    if (sa)
      await core
        .createNamespacedServiceAccount({ namespace: p.metadata!.namespace!, body: { metadata: { name: sa } } })
        .catch(() => undefined);
  }
  // The objects the sources mount exist; the Secret lacks the key the missing-key shape reads.
  await core.createNamespacedConfigMap({
    namespace: 'data',
    body: { metadata: { name: 'db-config' }, data: { a: 'b' } },
  });
  await core.createNamespacedSecret({
    namespace: 'shop',
    body: { metadata: { name: 'db' }, stringData: { user: 'app' } },
  });
});

afterAll(async () => {
  await sim?.close();
});

/** Moves cluster time until the pod's target container runs, or gives up; returns the stored pod. */
async function untilRunning(ns: string, name: string, container: string): Promise<Pod> {
  for (let i = 0; i < 120; i++) {
    const pod = sim.store.get('pods', ns, name) as Pod | undefined;
    const status = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    if (status?.state?.running) return pod!;
    clock.advance(500);
    await new Promise((r) => setImmediate(r));
  }
  const pod = sim.store.get('pods', ns, name) as Pod;
  throw new Error(`${name} not running: ${JSON.stringify(pod?.status)}`);
}

describe(`a corpus of ${SHAPES.length + REFUSED.length} pod shapes, cloned into the simulator`, () => {
  it.each(SHAPES)('$name: the clone is accepted, runs, and its notes are true', async ({ source, container }) => {
    const fixture = source();
    const offer = decideCloneOffer(fixture, container);
    expect(offer.kind).not.toBe('none');
    const read = await createSource(fixture);
    const built = buildDebugClone(
      read,
      {
        requestId: `corpus-${fixture.metadata!.name}`,
        container,
        requestedBy: 'U01ALICE',
        ttlSeconds: 600,
        maxTtlSeconds: 3600,
        helperImage: 'busybox:1.37-musl',
        ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
      },
      { suffix: 'c0rp5', now: new Date('2026-12-01T10:00:00Z') },
    );
    const ns = read.metadata!.namespace!;
    const created = await core.createNamespacedPod({ namespace: ns, body: built.pod });
    expect(falseNotes(built, created, read)).toEqual([]);
    const running = await untilRunning(ns, created.metadata!.name!, container);
    expect(falseNotes(built, running, read)).toEqual([]);
  });

  it.each(REFUSED)('$name: no clone, and the reason up front', ({ source, container }) => {
    const offer = decideCloneOffer(source(), container);
    expect(offer).toMatchObject({ kind: 'none', reason: expect.any(String), fix: expect.any(String) });
  });

  it('refuses to build a Windows clone, saying why', () => {
    expect(() =>
      buildDebugClone(
        cluster.windowsIisPod(),
        {
          requestId: 'r',
          container: 'iis',
          requestedBy: 'U1',
          ttlSeconds: 60,
          maxTtlSeconds: 60,
          helperImage: 'busybox',
        },
        { suffix: 'abcde', now: new Date() },
      ),
    ).toThrow(DebugPodError);
  });
});
