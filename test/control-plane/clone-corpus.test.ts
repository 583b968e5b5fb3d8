import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCloneOffer } from '../../src/actions/index.js';
import { buildDebugClone } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { falseNotes, forCreate, SHAPES } from '../debugpods/clone-corpus.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { type CorpusClients, corpusClients, prepareCorpusCluster } from './prepare-corpus-cluster.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';

// Every clone of the corpus created in a real kube-apiserver (validation, defaults and the default admission
// plugins), and the simulator's verdict on pods a clone could get wrong compared with the real one's. Skipped
// without the binaries (`npm run control-plane:build`).
const missing = findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);

interface Verdict {
  code: number;
  reason: string;
  message: string;
}

/** The API server's answer to creating `pod` in `ns`: 201 or its Status. */
async function verdictOf(core: k8s.CoreV1Api, ns: string, pod: Pod): Promise<Verdict> {
  try {
    await core.createNamespacedPod({ namespace: ns, body: pod });
    return { code: 201, reason: 'Created', message: '' };
  } catch (e) {
    const body = JSON.parse((e as k8s.ApiException<string>).body);
    return { code: body.code, reason: body.reason, message: body.message };
  }
}

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

  it.each(VERDICT_CASES)('%s: the simulator answers as kube-apiserver does', async (_what, make) => {
    const [mine, theirs] = [
      await verdictOf(fake.core, 'verdicts', make()),
      await verdictOf(real.core, 'verdicts', make()),
    ];
    expect({ code: mine.code, reason: mine.reason }, `kube-apiserver: ${theirs.message}`).toEqual({
      code: theirs.code,
      reason: theirs.reason,
    });
    // Same causes: each of the simulator's lines appears in the real message (which may word its prefix differently).
    const causes = (m: string) =>
      m
        .replace(/^.*? is (?:invalid|forbidden): /, '')
        .replace(/^\[|\]$/g, '')
        .split(', ');
    for (const cause of causes(mine.message)) expect(theirs.message, `simulator: ${mine.message}`).toContain(cause);
  });
});
