import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCloneOffer } from '../../src/actions/index.js';
import { buildDebugClone, type CloneRequest, isWindowsPod } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { falseNotes, forCreate, REFUSED, SHAPES } from '../debugpods/clone-corpus.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { type CorpusClients, corpusClients, prepareCorpusCluster } from './prepare-corpus-cluster.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';

// Every clone of the corpus created in a real kube-apiserver (validation, defaults and the default admission
// plugins), and the simulator's verdict (accepted, or refused with which reason and field paths) compared with the
// real one's: on each corpus pod, its clones, the clones the rules of src/debugpods prevent, and hand-made pods a
// clone could get wrong. Skipped without the binaries (`npm run control-plane:build`).
const missing = findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);

interface Verdict {
  code: number;
  reason: string;
  message: string;
  /** The field paths of the refusal's causes (`details.causes[].field`), sorted. */
  fields: string[];
}

/** The API server's answer to creating `pod` in `ns`: 201 or its Status. */
async function verdictOf(core: k8s.CoreV1Api, ns: string, pod: Pod): Promise<Verdict> {
  try {
    await core.createNamespacedPod({ namespace: ns, body: pod });
    return { code: 201, reason: 'Created', message: '', fields: [] };
  } catch (e) {
    const body = JSON.parse((e as k8s.ApiException<string>).body);
    const fields = [
      ...new Set<string>((body.details?.causes ?? []).flatMap((c: { field?: string }) => (c.field ? [c.field] : []))),
    ].sort();
    return { code: body.code, reason: body.reason, message: body.message, fields };
  }
}

/** What two servers must agree on: accepted or refused, why, and which fields. */
const verdictShape = (v: Verdict) => ({ code: v.code, reason: v.reason, fields: v.fields });

let n = 0;
const pod = (spec: Partial<k8s.V1PodSpec>, annotations?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `verdict-${++n}`, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'app', image: 'busybox:1.37' }], ...spec },
});
const sleepFor = (seconds: number, grace?: number) =>
  pod({
    ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
    containers: [{ name: 'app', image: 'busybox:1.37', lifecycle: { preStop: { sleep: { seconds } } } }],
  });
const mirror = { 'kubernetes.io/config.mirror': 'abc' };
const claim = { name: 'd', persistentVolumeClaim: { claimName: 'c' } };
const withEnv = (...env: k8s.V1EnvVar[]) => pod({ containers: [{ name: 'app', image: 'x', env }] });
const withDevices = (volumeDevices: k8s.V1VolumeDevice[], ...volumes: k8s.V1Volume[]) =>
  pod({
    volumes,
    containers: [
      {
        name: 'app',
        image: 'x',
        volumeDevices,
        volumeMounts: [
          { name: volumeDevices[0]!.name, mountPath: '/m' },
          { name: volumeDevices[0]!.name, mountPath: '/m' },
        ],
      },
    ],
  });
const onNode = { nodeName: 'node-x' };

/** Pods whose fate depends on a rule the clones touch; each goes to both servers. */
const VERDICT_CASES: [string, () => Pod][] = [
  [
    'Windows pod with a container runAsUser',
    () =>
      pod({ os: { name: 'windows' }, containers: [{ name: 'app', image: 'iis', securityContext: { runAsUser: 1 } }] }),
  ],
  [
    'Windows pod with seccompProfile and capabilities',
    () =>
      pod({
        os: { name: 'windows' },
        containers: [
          {
            name: 'app',
            image: 'iis',
            securityContext: { seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } },
          },
        ],
      }),
  ],
  [
    'Windows pod with windowsOptions only',
    () => pod({ os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }),
  ],
  [
    'Linux pod with windowsOptions',
    () => pod({ os: { name: 'linux' }, securityContext: { windowsOptions: { runAsUserName: 'x' } } }),
  ],
  ['sleep longer than the grace period', () => sleepFor(6, 5)],
  ['sleep as long as the grace period', () => sleepFor(5, 5)],
  ['sleep longer than the default grace period', () => sleepFor(31)],
  ['negative sleep', () => sleepFor(-1, 5)],
  [
    'hostNetwork with another hostPort',
    () =>
      pod({
        hostNetwork: true,
        containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }],
      }),
  ],
  [
    'hostNetwork with a containerPort only',
    () => pod({ hostNetwork: true, containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 9100 }] }] }),
  ],
  [
    'block device on an emptyDir',
    () => withDevices([{ name: 'd', devicePath: '/dev/d' }], { name: 'd', emptyDir: {} }),
  ],
  ['block device on no volume', () => withDevices([{ name: 'nope', devicePath: '/dev/d' }])],
  [
    'block devices sharing a path, one also mounted',
    () =>
      withDevices(
        [
          { name: 'd', devicePath: '/dev/d' },
          { name: 'e', devicePath: '/dev/d' },
        ],
        { name: 'd', persistentVolumeClaim: { claimName: 'c' } },
        {
          name: 'e',
          ephemeral: {
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          },
        },
      ),
  ],
  [
    'block device on a claim',
    () =>
      pod({
        volumes: [claim],
        containers: [{ name: 'app', image: 'x', volumeDevices: [{ name: 'd', devicePath: '/dev/d' }] }],
      }),
  ],
  // Rules a copied or rebuilt pod can break (test/sim/kube/server/check-pod-details.ts).
  [
    'env fieldRef to a field the API server does not know',
    () => withEnv({ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.bogus' } } }),
  ],
  [
    'env fieldRef to all labels',
    () => withEnv({ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } }),
  ],
  [
    'lifecycle on an init container that is no sidecar',
    () => pod({ initContainers: [{ name: 'i', image: 'x', lifecycle: { postStart: { exec: { command: ['x'] } } } }] }),
  ],
  [
    'two ports of one name, one name too long',
    () =>
      pod({
        containers: [
          {
            name: 'app',
            image: 'x',
            ports: [
              { name: 'http', containerPort: 80 },
              { name: 'http', containerPort: 81 },
              { name: 'a-very-long-port-name', containerPort: 82 },
            ],
          },
        ],
      }),
  ],
  [
    'a subPath that climbs out',
    () =>
      pod({
        volumes: [{ name: 'v', emptyDir: {} }],
        containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/v', subPath: '../x' }] }],
      }),
  ],
  ['a negative emptyDir size', () => pod({ volumes: [{ name: 'v', emptyDir: { sizeLimit: '-1' } }] })],
  [
    'a token path that climbs out',
    () => pod({ volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: '../t' } }] } }] }),
  ],
  ['a node name that is no subdomain', () => pod({ nodeName: 'Bad_Node' })],
  ['a hostname that is no label', () => pod({ hostname: 'Bad_Host' })],
  [
    'privileged without privilege escalation',
    () =>
      pod({
        containers: [
          { name: 'app', image: 'x', securityContext: { privileged: true, allowPrivilegeEscalation: false } },
        ],
      }),
  ],
  [
    'a Localhost seccomp profile without its file',
    () => pod({ securityContext: { seccompProfile: { type: 'Localhost' } } }),
  ],
  ['a negative user id', () => pod({ securityContext: { runAsUser: -1 } })],
  ['dnsPolicy None without dnsConfig', () => pod({ dnsPolicy: 'None' })],
  ['shared process namespace on the host PID namespace', () => pod({ shareProcessNamespace: true, hostPID: true })],
  ['a toleration that Exists with a value', () => pod({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] })],
  [
    'required node affinity without terms',
    () =>
      pod({
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      }),
  ],
  [
    'a spread constraint with no skew',
    () => pod({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' }] }),
  ],
  ['mirror pod without a node', () => pod({}, mirror)],
  ['mirror pod', () => pod(onNode, mirror)],
  ['mirror pod with a ServiceAccount', () => pod({ ...onNode, serviceAccountName: 'default' }, mirror)],
  [
    'mirror pod with a Secret volume',
    () => pod({ ...onNode, volumes: [{ name: 's', secret: { secretName: 'x' } }] }, mirror),
  ],
  ['unknown PriorityClass', () => pod({ priorityClassName: 'nope' })],
  ['priority that differs from its class', () => pod({ priorityClassName: 'edge-critical', priority: 5 })],
  ['system PriorityClass', () => pod({ priorityClassName: 'system-node-critical' })],
  ['unknown RuntimeClass', () => pod({ runtimeClassName: 'gvisor' })],
  ['overhead that differs from the RuntimeClass', () => pod({ runtimeClassName: 'kata', overhead: { cpu: '1' } })],
  ['overhead without a RuntimeClass', () => pod({ overhead: { cpu: '1' } })],
  [
    'RuntimeClass nodeSelector conflict',
    () => pod({ runtimeClassName: 'kata', nodeSelector: { 'runtime/kata': 'false' } }),
  ],
];

const everyContainer = (pod: Pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
const withContainers = (pod: Pod, fn: (c: k8s.V1Container) => k8s.V1Container): Pod => ({
  ...pod,
  spec: {
    ...pod.spec!,
    containers: pod.spec!.containers.map(fn),
    ...(pod.spec!.initContainers ? { initContainers: pod.spec!.initContainers.map(fn) } : {}),
  },
});
type Variant = [what: string, make: (fixture: Pod, stored: Pod, container: string) => Pod | undefined];
const cloneOf = (source: Pod, container: string, options: Partial<CloneRequest> = {}): Pod | undefined => {
  const offer = decideCloneOffer(source, container);
  return buildDebugClone(
    source,
    {
      requestId: 'parity',
      container,
      requestedBy: 'U01ALICE',
      ttlSeconds: 600,
      maxTtlSeconds: 3600,
      helperImage: 'busybox:1.37-musl',
      ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
      ...options,
    },
    { suffix: 'p4r1t', now: new Date('2026-11-23T09:15:00Z') },
  ).pod;
};
/** The source (`fixture` as a client would create it) and clones of it (`stored`, as kube-apiserver stored it). */
const VARIANTS: Variant[] = [
  ['the source', (fixture) => forCreate(fixture)],
  ['its clone', (fixture, stored, c) => (isWindowsPod(fixture) ? undefined : cloneOf(stored, c))],
  [
    'its clone on the same node with claims kept',
    (fixture, stored, c) =>
      isWindowsPod(fixture) ? undefined : cloneOf(stored, c, { sameNode: true, keepClaims: true }),
  ],
  [
    'its clone of the target alone',
    (fixture, stored, c) =>
      isWindowsPod(fixture) ? undefined : cloneOf(stored, c, { onlyTarget: true, keepInitContainers: false }),
  ],
  // What the rules prevent: a clone a rule of src/debugpods would have kept the server from refusing.
  [
    'its clone with the fixed 5 s grace period',
    (fixture, stored, c) => {
      const pod = isWindowsPod(fixture) ? undefined : cloneOf(stored, c);
      return pod && { ...pod, spec: { ...pod.spec!, terminationGracePeriodSeconds: 5 } };
    },
  ],
  [
    'its copy without nodeName, annotations kept (kubectl debug)',
    (fixture) => {
      const pod = forCreate(fixture);
      delete pod.spec!.nodeName;
      return pod;
    },
  ],
  [
    'its clone with block devices kept on the swapped claims',
    (fixture, stored, c) => {
      const pod = isWindowsPod(fixture) ? undefined : cloneOf(stored, c);
      const devices = new Map(everyContainer(stored).map((x) => [x.name, x.volumeDevices]));
      return (
        pod && withContainers(pod, (x) => (devices.get(x.name) ? { ...x, volumeDevices: devices.get(x.name)! } : x))
      );
    },
  ],
  [
    'its clone with the busybox tools added twice',
    (fixture, stored, c) => {
      const pod = isWindowsPod(fixture) ? undefined : cloneOf(stored, c);
      if (!pod) return undefined;
      const injector = pod.spec!.initContainers![0]!;
      const tools = pod.spec!.volumes!.at(-1)!;
      return {
        ...pod,
        spec: {
          ...pod.spec!,
          initContainers: [injector, ...pod.spec!.initContainers!],
          volumes: [...pod.spec!.volumes!, tools],
        },
      };
    },
  ],
  [
    'its clone with a 64-character name and label value',
    (fixture, stored, c) => {
      const pod = isWindowsPod(fixture) ? undefined : cloneOf(stored, c);
      return (
        pod && { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata!.labels, long: 'x'.repeat(64) } } }
      );
    },
  ],
  [
    'its Windows clone built as for Linux',
    (fixture, stored, c) => {
      if (!isWindowsPod(fixture)) return undefined;
      const linux = structuredClone(stored);
      delete linux.spec!.os;
      delete linux.spec!.nodeSelector;
      const pod = cloneOf(linux, c)!;
      return { ...pod, spec: { ...pod.spec!, os: stored.spec!.os! } };
    },
  ],
];

suite(missing ? `clones in a real control plane: skipped. ${missing}` : 'clones in a real control plane', () => {
  let plane: ControlPlane;
  let sim: KubeSim;
  let real: CorpusClients;
  let fake: CorpusClients;

  beforeAll(async () => {
    plane = await startControlPlane();
    real = corpusClients(plane.kubeconfig);
    sim = await startKubeSim({ clock: new ManualClock() });
    const file = `${plane.dir}/sim-kubeconfig`;
    await sim.writeKubeconfig(file);
    fake = corpusClients(file);
    await prepareCorpusCluster(real, true, ['verdicts']);
    await prepareCorpusCluster(fake, false, ['verdicts']);
  }, 240_000);

  afterAll(async () => {
    await sim?.close();
    await plane?.stop();
  }, 60_000);

  it.each(SHAPES)('$name: kube-apiserver accepts the clone, and its notes are true', async ({ source, container }) => {
    const fixture = source();
    const offer = decideCloneOffer(fixture, container);
    const ns = fixture.metadata!.namespace!;
    const body = forCreate(fixture);
    body.metadata!.name = `${body.metadata!.name!.slice(0, 50)}-${SHAPES.findIndex((s) => s.source === source)}`;
    const created = await real.core.createNamespacedPod({ namespace: ns, body });
    const built = buildDebugClone(
      created,
      {
        requestId: `cp-${body.metadata!.name}`,
        container,
        requestedBy: 'U01ALICE',
        ttlSeconds: 600,
        maxTtlSeconds: 3600,
        helperImage: 'busybox:1.37-musl',
        ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
      },
      { suffix: 'r3a1x', now: new Date() },
    );
    const verdict = await verdictOf(real.core, ns, built.pod);
    expect(verdict).toMatchObject({ code: 201 });
    const stored = await real.core.readNamespacedPod({ namespace: ns, name: built.pod.metadata!.name! });
    expect(falseNotes(built, stored, created)).toEqual([]);
  });

  it.each([...SHAPES, ...REFUSED])(
    '$name: the simulator gives kube-apiserver’s verdict on the source, its clones and the clones the rules prevent',
    async ({ source, container }) => {
      const fixture = source();
      const ns = fixture.metadata!.namespace!;
      const index = [...SHAPES, ...REFUSED].findIndex((s) => s.source === source);
      const body = forCreate(fixture);
      body.metadata!.name = `parity-${index}`;
      const stored = await real.core.createNamespacedPod({ namespace: ns, body });
      const seen: string[] = [];
      for (const [v, [what, make]] of VARIANTS.entries()) {
        const pod = make(fixture, stored, container);
        if (!pod) continue;
        pod.metadata = { ...pod.metadata, name: `parity-${index}-${v}` };
        const [mine, theirs] = [await verdictOf(fake.core, ns, pod), await verdictOf(real.core, ns, pod)];
        expect(
          verdictShape(mine),
          `${what}: kube-apiserver said ${theirs.message || 'yes'}; the simulator ${mine.message || 'yes'}`,
        ).toEqual(verdictShape(theirs));
        seen.push(`${what}: ${theirs.code}`);
      }
      expect(seen.length).toBeGreaterThan(1);
    },
  );

  it.each(VERDICT_CASES)('%s: the simulator answers as kube-apiserver does', async (_what, make) => {
    const [mine, theirs] = [
      await verdictOf(fake.core, 'verdicts', make()),
      await verdictOf(real.core, 'verdicts', make()),
    ];
    expect(verdictShape(mine), `kube-apiserver: ${theirs.message}`).toEqual(verdictShape(theirs));
    // Same causes: each of the simulator's lines appears in the real message (which may word its prefix differently).
    const causes = (m: string) =>
      m
        .replace(/^.*? is (?:invalid|forbidden): /, '')
        .replace(/^\[|\]$/g, '')
        .split(', ');
    for (const cause of causes(mine.message)) expect(theirs.message, `simulator: ${mine.message}`).toContain(cause);
  });
});
