import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

// The simulator refuses and changes pods as kube-apiserver does, for every field a debug clone touches (validation
// in pkg/apis/core/validation, defaults in pkg/apis/core/v1, the ServiceAccount, Priority and RuntimeClass admission
// plugins). Each case fails on the laxer behaviour the simulator had before.

let sim: KubeSim;
let core: k8s.CoreV1Api;
let scheduling: k8s.SchedulingV1Api;
let node: k8s.NodeV1Api;
const NS = 'strict-pods';

async function refusal(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the API server to refuse the pod');
}

let n = 0;
const pod = (spec: Partial<k8s.V1PodSpec>, metadata: k8s.V1ObjectMeta = {}): k8s.V1Pod => ({
  metadata: { name: `p${++n}`, ...metadata },
  spec: { containers: [{ name: 'app', image: 'busybox:1.37' }], ...spec },
});
const create = (body: k8s.V1Pod) => core.createNamespacedPod({ namespace: NS, body });

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ManualClock() });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  scheduling = kc.makeApiClient(k8s.SchedulingV1Api);
  node = kc.makeApiClient(k8s.NodeV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await new Promise((r) => setImmediate(r));
});

afterAll(async () => {
  await sim?.close();
});

describe('Windows pods (validateWindows)', () => {
  it.each([
    [
      'a container runAsUser',
      { containers: [{ name: 'app', image: 'iis', securityContext: { runAsUser: 1000 } }] },
      'spec.containers[0].securityContext.runAsUser',
    ],
    [
      'container capabilities',
      { containers: [{ name: 'app', image: 'iis', securityContext: { capabilities: { drop: ['ALL'] } } }] },
      'spec.containers[0].securityContext.capabilities',
    ],
    [
      'an init container seccompProfile',
      {
        initContainers: [{ name: 'i', image: 'iis', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }],
      },
      'spec.initContainers[0].securityContext.seccompProfile',
    ],
    [
      'allowPrivilegeEscalation',
      { containers: [{ name: 'app', image: 'iis', securityContext: { allowPrivilegeEscalation: false } }] },
      'spec.containers[0].securityContext.allowPrivilegeEscalation',
    ],
    [
      'readOnlyRootFilesystem',
      { containers: [{ name: 'app', image: 'iis', securityContext: { readOnlyRootFilesystem: true } }] },
      'spec.containers[0].securityContext.readOnlyRootFilesystem',
    ],
    ['a pod fsGroup', { securityContext: { fsGroup: 2000 } }, 'spec.securityContext.fsGroup'],
  ] as const)('refuses %s', async (_what, spec, field) => {
    const status = await refusal(create(pod({ os: { name: 'windows' }, ...(spec as Partial<k8s.V1PodSpec>) })));
    expect(status.code).toBe(422);
    expect(status.message).toContain(`${field}: Forbidden: cannot be set for a windows pod`);
  });

  it('accepts a Windows pod with only windowsOptions', async () => {
    const created = await create(
      pod({ os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }),
    );
    expect(created.spec!.os!.name).toBe('windows');
  });

  it('refuses windowsOptions on a Linux pod and an unknown OS', async () => {
    const linux = await refusal(
      create(pod({ os: { name: 'linux' }, securityContext: { windowsOptions: { runAsUserName: 'x' } } })),
    );
    expect(linux.message).toContain(
      'spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
    );
    const plan9 = await refusal(create(pod({ os: { name: 'plan9' } })));
    expect(plan9.message).toContain('spec.os.name: Unsupported value: "plan9"');
  });
});

describe('lifecycle sleep actions (validateSleepAction)', () => {
  const sleeping = (seconds: number, grace?: number) =>
    pod({
      ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
      containers: [{ name: 'app', image: 'busybox:1.37', lifecycle: { preStop: { sleep: { seconds } } } }],
    });

  it('refuses a sleep longer than the grace period, the defaulted 30 s included', async () => {
    const status = await refusal(create(sleeping(6, 5)));
    expect(status.code).toBe(422);
    expect(status.message).toContain(
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 6: must be non-negative and less than terminationGracePeriodSeconds (5)',
    );
    expect((await refusal(create(sleeping(31)))).message).toContain('terminationGracePeriodSeconds (30)');
    expect((await refusal(create(sleeping(-1, 5)))).code).toBe(422);
  });

  it('accepts a sleep up to the grace period, and zero', async () => {
    await create(sleeping(5, 5));
    await create(sleeping(0, 5));
  });
});

describe('hostNetwork ports (SetDefaults_Pod, validateHostNetwork)', () => {
  it('defaults hostPort to containerPort, which the scheduler then needs free', async () => {
    const created = await create(
      pod({ hostNetwork: true, containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 9100 }] }] }),
    );
    expect(created.spec!.containers[0]!.ports).toEqual([{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
  });

  it('refuses a hostPort other than the containerPort', async () => {
    const status = await refusal(
      create(
        pod({
          hostNetwork: true,
          containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }],
        }),
      ),
    );
    expect(status.message).toContain(
      'spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true',
    );
  });
});

describe('ServiceAccount admission and mirror pods', () => {
  const mirror = { annotations: { 'kubernetes.io/config.mirror': 'abc123' } };
  const onNode = { nodeName: 'node-x' };

  it('leaves a mirror pod without a ServiceAccount or token volume', async () => {
    const created = await create(pod(onNode, mirror));
    expect(created.spec!.serviceAccountName).toBeUndefined();
    expect(created.spec!.volumes).toBeUndefined();
    expect(created.spec!.containers[0]!.volumeMounts).toBeUndefined();
  });

  it('refuses a mirror pod without a node', async () => {
    expect((await refusal(create(pod({}, mirror)))).message).toContain(
      'must set spec.nodeName if mirror pod annotation is set',
    );
  });

  it('refuses a mirror pod that references a ServiceAccount or a Secret', async () => {
    expect((await refusal(create(pod({ ...onNode, serviceAccountName: 'default' }, mirror)))).message).toContain(
      'a mirror pod may not reference service accounts',
    );
    const withSecret = pod({ ...onNode, volumes: [{ name: 's', secret: { secretName: 'x' } }] }, mirror);
    const status = await refusal(create(withSecret));
    expect(status.code).toBe(403);
    expect(status.message).toContain('a mirror pod may not reference secrets');
  });

  it('still gives an ordinary pod its ServiceAccount and token volume', async () => {
    const created = await create(pod({}));
    expect(created.spec!.serviceAccountName).toBe('default');
    expect(created.spec!.volumes![0]!.name).toMatch(/^kube-api-access-/);
  });
});

describe('Priority admission', () => {
  it('sets priority from the class, the system classes included', async () => {
    await scheduling.createPriorityClass({ body: { metadata: { name: 'batch-high' }, value: 1000 } });
    expect((await create(pod({ priorityClassName: 'batch-high' }))).spec!.priority).toBe(1000);
    expect((await create(pod({ priorityClassName: 'system-node-critical' }))).spec!.priority).toBe(2000001000);
    expect((await create(pod({}))).spec!.priority).toBe(0);
  });

  it('refuses an unknown class and a priority that differs from the class', async () => {
    const unknown = await refusal(create(pod({ priorityClassName: 'nope' })));
    expect(unknown.code).toBe(403);
    expect(unknown.message).toContain('no PriorityClass with name nope was found');
    const copied = await refusal(create(pod({ priorityClassName: 'batch-high', priority: 5 })));
    expect(copied.message).toContain(
      'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
  });

  it('applies the globalDefault class to a pod that names none', async () => {
    await scheduling.createPriorityClass({
      body: { metadata: { name: 'default-pri' }, value: 7, globalDefault: true },
    });
    try {
      const created = await create(pod({}));
      expect(created.spec!.priority).toBe(7);
      expect(created.spec!.priorityClassName).toBe('default-pri');
      expect((await refusal(create(pod({ priority: 0 })))).code).toBe(403);
    } finally {
      await scheduling.deletePriorityClass({ name: 'default-pri' });
    }
  });

  it("reserves the 'system-' prefix", async () => {
    const status = await refusal(
      scheduling.createPriorityClass({ body: { metadata: { name: 'system-mine' }, value: 1 } }),
    );
    expect(status.code).toBe(422);
  });
});

describe('RuntimeClass admission', () => {
  beforeAll(async () => {
    await node.createRuntimeClass({
      body: {
        metadata: { name: 'kata' },
        handler: 'kata',
        overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
        scheduling: { nodeSelector: { 'runtime/kata': 'true' }, tolerations: [{ key: 'kata', operator: 'Exists' }] },
      },
    });
  });

  it('adds the overhead and the scheduling of the class', async () => {
    const created = await create(pod({ runtimeClassName: 'kata' }));
    expect(created.spec!.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
    expect(created.spec!.nodeSelector).toEqual({ 'runtime/kata': 'true' });
    expect(created.spec!.tolerations).toContainEqual({ key: 'kata', operator: 'Exists' });
  });

  it('refuses an unknown class, another overhead and a conflicting nodeSelector', async () => {
    expect((await refusal(create(pod({ runtimeClassName: 'gvisor' })))).message).toContain(
      'pod rejected: RuntimeClass "gvisor" not found',
    );
    expect((await refusal(create(pod({ runtimeClassName: 'kata', overhead: { cpu: '1' } })))).message).toContain(
      "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
    );
    expect(
      (await refusal(create(pod({ runtimeClassName: 'kata', nodeSelector: { 'runtime/kata': 'false' } })))).message,
    ).toContain(
      'conflict: runtimeClass.scheduling.nodeSelector[runtime/kata] = true; pod.spec.nodeSelector[runtime/kata] = false',
    );
    expect((await refusal(create(pod({ overhead: { cpu: '1' } })))).code).toBe(403);
  });
});

describe('QoS class', () => {
  it('is Guaranteed when requests equal limits as quantities, init containers counted', async () => {
    const res = { requests: { cpu: '2000m', memory: '1Gi' }, limits: { cpu: '2', memory: '1024Mi' } };
    const guaranteed = await create(pod({ containers: [{ name: 'app', image: 'x', resources: res }] }));
    expect(guaranteed.status!.qosClass).toBe('Guaranteed');
    const burstable = await create(
      pod({
        initContainers: [
          {
            name: 'i',
            image: 'x',
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          },
        ],
        containers: [{ name: 'app', image: 'x', resources: res }],
      }),
    );
    expect(burstable.status!.qosClass).toBe('Burstable');
  });
});
