import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

// pods/ephemeralcontainers as the API server validates it (ValidatePodEphemeralContainersUpdate and
// validateEphemeralContainers in pkg/apis/core/validation), and the kubelet running what it adds.

let sim: KubeSim;
let core: k8s.CoreV1Api;
let clock: ManualClock;

type Status = {
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { reason: string; message: string; field: string }[] };
};

async function statusOf(p: Promise<unknown>): Promise<Status> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the call to fail');
}

/** A raw request, as kubectl or curl would send it. */
async function raw(method: string, path: string, body: unknown, contentType: string) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': contentType },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const NS = 'eph';
let counter = 0;

/** A fresh running pod (app + a native sidecar), so each rule is checked on its own. */
async function runningPod(extra: Partial<k8s.V1PodSpec> = {}, annotations?: Record<string, string>): Promise<string> {
  const name = `p${++counter}`;
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name, ...(annotations ? { annotations } : {}) },
      spec: {
        initContainers: [{ name: 'proxy', image: 'nginx:1.27', restartPolicy: 'Always' }],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
        volumes: [{ name: 'data', emptyDir: {} }],
        ...extra,
      },
    },
  });
  for (let i = 0; i < 10; i++) clock.advance(1000);
  return name;
}

const add = (pod: string, containers: k8s.V1EphemeralContainer[]) =>
  core.patchNamespacedPodEphemeralcontainers(
    { namespace: NS, name: pod, body: { spec: { ephemeralContainers: containers } } },
    strategic,
  );

const debugger_ = (over: Partial<k8s.V1EphemeralContainer> = {}): k8s.V1EphemeralContainer => ({
  name: 'debugger-abcde',
  image: 'busybox:1.37-musl',
  command: ['sleep', '30'],
  targetContainerName: 'app',
  ...over,
});

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  // The simulator's ServiceAccount controller gives the namespace its `default` account.
  await new Promise((r) => setImmediate(r));
});

afterAll(async () => {
  await sim?.close();
});

describe('pods/ephemeralcontainers: how it is written', () => {
  it('a strategic merge patch (client-node, kubectl) adds one; GET on the subresource returns the pod', async () => {
    const pod = await runningPod();
    const patched = await add(pod, [debugger_()]);
    expect(patched.spec?.ephemeralContainers).toEqual([
      expect.objectContaining({ ...debugger_(), imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }),
    ]);
    const got = await fetch(`${sim.url}/api/v1/namespaces/${NS}/pods/${pod}/ephemeralcontainers`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    expect(((await got.json()) as any).spec.ephemeralContainers[0].name).toBe('debugger-abcde');
  });

  it('a JSON patch adds one, and a second one after it', async () => {
    const pod = await runningPod();
    const path = `/api/v1/namespaces/${NS}/pods/${pod}/ephemeralcontainers`;
    const first = await raw(
      'PATCH',
      path,
      [{ op: 'add', path: '/spec/ephemeralContainers', value: [debugger_()] }],
      'application/json-patch+json',
    );
    expect(first.status).toBe(200);
    const second = await raw(
      'PATCH',
      path,
      [{ op: 'add', path: '/spec/ephemeralContainers/-', value: debugger_({ name: 'debugger-fghij' }) }],
      'application/json-patch+json',
    );
    expect(second.status).toBe(200);
    expect(second.json.spec.ephemeralContainers.map((c: any) => c.name)).toEqual(['debugger-abcde', 'debugger-fghij']);
  });

  it('a PUT of the whole pod adds one, and writes nothing else of the pod', async () => {
    const pod = await runningPod();
    const current = await core.readNamespacedPod({ namespace: NS, name: pod });
    const body = structuredClone(current);
    body.spec!.ephemeralContainers = [debugger_()];
    body.spec!.containers[0]!.image = 'nginx:9.9';
    body.metadata!.labels = { sneaky: 'yes' };
    const put = await raw('PUT', `/api/v1/namespaces/${NS}/pods/${pod}/ephemeralcontainers`, body, 'application/json');
    expect(put.status).toBe(200);
    expect(put.json.spec.ephemeralContainers[0].name).toBe('debugger-abcde');
    expect(put.json.spec.containers[0].image).toBe('nginx:1.27');
    expect(put.json.metadata.labels).toBeUndefined();
  });

  it('the pod itself cannot take them: not on create, and a write to the pod leaves them alone', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: NS,
        body: {
          metadata: { name: 'born-with-one' },
          spec: { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [debugger_()] },
        },
      }),
    );
    expect(s.message).toBe(
      'Pod "born-with-one" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create',
    );
  });
});

describe('pods/ephemeralcontainers: what the API server refuses', () => {
  it('removing an existing one', async () => {
    const pod = await runningPod();
    await add(pod, [debugger_()]);
    const put = await core.readNamespacedPod({ namespace: NS, name: pod });
    put.spec!.ephemeralContainers = [];
    const s = await raw('PUT', `/api/v1/namespaces/${NS}/pods/${pod}/ephemeralcontainers`, put, 'application/json');
    expect(s.status).toBe(422);
    expect(s.json.message).toContain('existing ephemeral containers "debugger-abcde" may not be removed');
  });

  it('changing an existing one', async () => {
    const pod = await runningPod();
    await add(pod, [debugger_()]);
    const s = await statusOf(add(pod, [debugger_({ command: ['sleep', '99999'] })]));
    expect(s.code).toBe(422);
    expect(s.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueForbidden',
      field: 'spec.ephemeralContainers',
      message: 'Forbidden: existing ephemeral containers "debugger-abcde" may not be changed',
    });
  });

  it.each([
    ['ports', { ports: [{ containerPort: 8080 }] }],
    ['livenessProbe', { livenessProbe: { exec: { command: ['true'] } } }],
    ['readinessProbe', { readinessProbe: { exec: { command: ['true'] } } }],
    ['startupProbe', { startupProbe: { exec: { command: ['true'] } } }],
    ['lifecycle', { lifecycle: { preStop: { exec: { command: ['true'] } } } }],
    ['resources', { resources: { limits: { cpu: '100m' } } }],
    ['resizePolicy', { resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
    ['restartPolicy', { restartPolicy: 'Always' }],
  ] as [string, Partial<k8s.V1EphemeralContainer>][])('%s', async (field, over) => {
    const pod = await runningPod();
    const s = await statusOf(add(pod, [debugger_(over)]));
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      `Pod "${pod}" is invalid: spec.ephemeralContainers[0].${field}: Forbidden: cannot be set for an Ephemeral Container`,
    );
  });

  it('a volume subPath', async () => {
    const pod = await runningPod();
    const s = await statusOf(
      add(pod, [debugger_({ volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'x' }] })]),
    );
    expect(s.details?.causes).toContainEqual({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: cannot be set for an Ephemeral Container',
      field: 'spec.ephemeralContainers[0].volumeMounts[0].subPath',
    });
  });

  it.each([
    ['a regular container', 'app'],
    ['an init container (a native sidecar)', 'proxy'],
  ])('a name already taken by %s', async (_what, name) => {
    const pod = await runningPod();
    const s = await statusOf(add(pod, [debugger_({ name })]));
    expect(s.details?.causes).toContainEqual({
      reason: 'FieldValueDuplicate',
      message: `Duplicate value: "${name}"`,
      field: 'spec.ephemeralContainers[0].name',
    });
  });

  it('two new ones with the same name (a JSON patch: a strategic merge patch would merge them by name)', async () => {
    const pod = await runningPod();
    const s = await raw(
      'PATCH',
      `/api/v1/namespaces/${NS}/pods/${pod}/ephemeralcontainers`,
      [{ op: 'add', path: '/spec/ephemeralContainers', value: [debugger_(), debugger_({ image: 'alpine' })] }],
      'application/json-patch+json',
    );
    expect(s.status).toBe(422);
    expect(s.json.details.causes).toContainEqual({
      reason: 'FieldValueDuplicate',
      message: 'Duplicate value: "debugger-abcde"',
      field: 'spec.ephemeralContainers[1].name',
    });
  });

  it('a target that does not exist, or is itself ephemeral', async () => {
    const pod = await runningPod();
    const missing = await statusOf(add(pod, [debugger_({ targetContainerName: 'nope' })]));
    expect(missing.details?.causes).toContainEqual({
      reason: 'FieldValueNotFound',
      message: 'Not found: "nope"',
      field: 'spec.ephemeralContainers[0].targetContainerName',
    });
    await add(pod, [debugger_()]);
    const ephemeral = await statusOf(
      add(pod, [debugger_({ name: 'debugger-2', targetContainerName: 'debugger-abcde' })]),
    );
    expect(ephemeral.details?.causes?.map((c) => c.field)).toContain('spec.ephemeralContainers[1].targetContainerName');
  });

  it('a native sidecar is a valid target', async () => {
    const pod = await runningPod();
    const p = await add(pod, [debugger_({ targetContainerName: 'proxy' })]);
    expect(p.spec?.ephemeralContainers?.[0]?.targetContainerName).toBe('proxy');
  });

  it('a name or an image missing', async () => {
    const pod = await runningPod();
    const s = await statusOf(add(pod, [{ name: 'debugger-x' } as k8s.V1EphemeralContainer]));
    expect(s.details?.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.ephemeralContainers[0].image',
    });
  });

  it("a static pod's mirror", async () => {
    const pod = await runningPod({ nodeName: 'node-1' }, { 'kubernetes.io/config.mirror': 'abc' });
    const s = await statusOf(add(pod, [debugger_()]));
    expect(s.code).toBe(422);
    expect(s.message).toContain('static pods do not support ephemeral containers');
  });

  it('a profile the namespace Pod Security level forbids', async () => {
    await core.createNamespace({
      body: { metadata: { name: 'eph-baseline', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } },
    });
    await new Promise((r) => setImmediate(r));
    await core.createNamespacedPod({
      namespace: 'eph-baseline',
      body: { metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    });
    const s = await statusOf(
      core.patchNamespacedPodEphemeralcontainers(
        {
          namespace: 'eph-baseline',
          name: 'web',
          body: {
            spec: { ephemeralContainers: [debugger_({ securityContext: { capabilities: { add: ['SYS_PTRACE'] } } })] },
          },
        },
        strategic,
      ),
    );
    expect(s.code).toBe(403);
    expect(s.message).toMatch(/violates PodSecurity "baseline:latest": non-default capabilities/);
  });

  it('RBAC without patch on pods/ephemeralcontainers', async () => {
    const pod = await runningPod();
    const undo = sim.rbac.deny({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', namespace: NS });
    try {
      const s = await statusOf(add(pod, [debugger_()]));
      expect(s.code).toBe(403);
      expect(s.message).toMatch(
        /cannot patch resource "pods\/ephemeralcontainers" in API group "" in the namespace "eph"/,
      );
    } finally {
      undo();
    }
  });
});

describe('the kubelet and an ephemeral container', () => {
  it('starts it beside a running pod, reports it in ephemeralContainerStatuses, serves its logs, and its sleep ends it', async () => {
    const pod = await runningPod();
    await add(pod, [debugger_({ command: ['sleep', '5'] })]);
    clock.advance(1000);
    const running = await core.readNamespacedPod({ namespace: NS, name: pod });
    expect(running.status?.ephemeralContainerStatuses?.[0]).toMatchObject({
      name: 'debugger-abcde',
      state: { running: {} },
    });
    // Not part of the pod's readiness or phase.
    expect(running.status?.phase).toBe('Running');
    expect(running.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    const log = await core.readNamespacedPodLog({ namespace: NS, name: pod, container: 'debugger-abcde' });
    expect(log).toBe('');
    for (let i = 0; i < 6; i++) clock.advance(1000);
    const ended = await core.readNamespacedPod({ namespace: NS, name: pod });
    expect(ended.status?.ephemeralContainerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    // Never restarted, and still in the spec.
    expect(ended.status?.ephemeralContainerStatuses?.[0]?.restartCount).toBe(0);
    expect(ended.spec?.ephemeralContainers).toHaveLength(1);
  });

  it('is started on a crash-looping pod beside its live sidecar', async () => {
    const multi = await core.readNamespacedPod({ namespace: 'demo', name: 'multi' });
    expect(multi.status?.containerStatuses?.find((s) => s.name === 'web')?.state?.running).toBeDefined();
    await core.patchNamespacedPodEphemeralcontainers(
      {
        namespace: 'demo',
        name: 'multi',
        body: { spec: { ephemeralContainers: [debugger_({ targetContainerName: 'web' })] } },
      },
      strategic,
    );
    clock.advance(1000);
    const after = await core.readNamespacedPod({ namespace: 'demo', name: 'multi' });
    expect(after.status?.ephemeralContainerStatuses?.[0]?.state?.running).toBeDefined();
  });
});
