import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;
let clock: ManualClock;

async function statusOf(p: Promise<unknown>): Promise<{
  code: number;
  reason: string;
  message: string;
  details?: { causes?: { reason: string; message: string; field: string }[] };
}> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the call to fail');
}

/** A raw request to the simulator, for what client-node cannot express (query flags, headers). */
async function raw(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

const pod = (name: string, spec: Partial<k8s.V1PodSpec> = {}): k8s.V1Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
});

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'v' } } });
  await new Promise((r) => setImmediate(r));
});

afterAll(async () => {
  await sim?.close();
});

describe('field validation', () => {
  const withUnknown = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'unknown' },
    spec: { foo: 1, containers: [{ name: 'app', image: 'nginx', bar: true }] },
  };

  it('fieldValidation=Strict refuses unknown fields with 400 naming each', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods?fieldValidation=Strict', withUnknown);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    });
  });

  it('fieldValidation=Warn (the default) stores the pod without them and says so in a Warning header', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods', withUnknown);
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toContain('299 - "unknown field \\"spec.foo\\""');
    expect((r.json.spec as Record<string, unknown>).foo).toBeUndefined();
  });

  it('a field of the wrong type is a 400 from the decoder', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods', {
      ...withUnknown,
      metadata: { name: 'typed' },
      spec: { terminationGracePeriodSeconds: 'soon', containers: [{ name: 'app', image: 'nginx' }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(
      /^Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field .*terminationGracePeriodSeconds of type int64$/,
    );
  });

  it('a JSON body labelled protobuf is refused as kube-apiserver refuses it: not a protobuf message', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods', withUnknown, 'application/vnd.kubernetes.protobuf');
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(
      /^the object provided is unrecognized \(must be of type Pod\): provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\] \(\{"apiVersion":"v1","kind":"Pod \.\.\.\)$/,
    );
  });

  it('a body of an unknown media type is refused with 415, naming the ones accepted', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods', withUnknown, 'application/cbor');
    expect(r.status).toBe(415);
    expect(r.json.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });
});

describe('422 Invalid', () => {
  it('a pod without containers names the required field', async () => {
    const s = await statusOf(
      core.createNamespacedPod({ namespace: 'v', body: { metadata: { name: 'empty' }, spec: { containers: [] } } }),
    );
    expect(s).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Pod "empty" is invalid: spec.containers: Required value',
    });
    expect(s.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
    ]);
  });

  it('a name that is not an RFC 1123 subdomain is refused', async () => {
    const s = await statusOf(core.createNamespacedPod({ namespace: 'v', body: pod('Web_1') }));
    expect(s.code).toBe(422);
    expect(s.message).toContain(
      `Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters`,
    );
  });

  it('several errors are listed in brackets', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: 'v',
        body: pod('multi', { containers: [{ name: 'App', image: '' }], restartPolicy: 'Sometimes' }),
      }),
    );
    expect(s.message).toMatch(
      /^Pod "multi" is invalid: \[spec\.containers\[0\]\.name: Invalid value: "App": .*, spec\.containers\[0\]\.image: Required value, spec\.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"\]$/,
    );
    expect(s.details?.causes?.map((c) => c.field)).toEqual([
      'spec.containers[0].name',
      'spec.containers[0].image',
      'spec.restartPolicy',
    ]);
  });

  it('a volumeMount naming no volume and a duplicate container name are caught', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: 'v',
        body: pod('mounts', {
          containers: [
            { name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] },
            { name: 'a', image: 'y' },
          ],
        }),
      }),
    );
    expect(s.details?.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueNotFound',
          message: 'Not found: "data"',
          field: 'spec.containers[0].volumeMounts[0].name',
        },
        { reason: 'FieldValueDuplicate', message: 'Duplicate value: "a"', field: 'spec.containers[1].name' },
      ]),
    );
  });
});

describe('updates and patches', () => {
  it('a strategic merge patch merges containers by name and may change the image', async () => {
    await core.createNamespacedPod({
      namespace: 'v',
      body: pod('smp', {
        containers: [
          { name: 'app', image: 'nginx:1.27' },
          { name: 'side', image: 'busybox:1.36' },
        ],
      }),
    });
    const p = await core.patchNamespacedPod(
      { namespace: 'v', name: 'smp', body: { spec: { containers: [{ name: 'side', image: 'busybox:1.37' }] } } },
      strategic,
    );
    expect(p.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=nginx:1.27', 'side=busybox:1.37']);
  });

  it('a merge patch replaces the whole containers list, which pod immutability refuses with 422', async () => {
    const s = await statusOf(
      core.patchNamespacedPod(
        { namespace: 'v', name: 'smp', body: { spec: { containers: [{ name: 'side', image: 'busybox:1.37' }] } } },
        merge,
      ),
    );
    expect(s.code).toBe(422);
    expect(s.message).toMatch(
      /^Pod "smp" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/,
    );
    expect(s.details?.causes?.[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'spec' });
  });

  it('changing an immutable field (restartPolicy) is refused; labels may change', async () => {
    const s = await statusOf(
      core.patchNamespacedPod({ namespace: 'v', name: 'smp', body: { spec: { restartPolicy: 'Never' } } }, merge),
    );
    expect(s.code).toBe(422);
    const p = await core.patchNamespacedPod(
      { namespace: 'v', name: 'smp', body: { metadata: { labels: { debug: 'true' } } } },
      merge,
    );
    expect(p.metadata?.labels).toEqual({ debug: 'true' });
  });

  it('activeDeadlineSeconds may be lowered but never raised', async () => {
    await core.createNamespacedPod({ namespace: 'v', body: pod('deadline', { activeDeadlineSeconds: 600 }) });
    const lowered = await core.patchNamespacedPod(
      { namespace: 'v', name: 'deadline', body: { spec: { activeDeadlineSeconds: 300 } } },
      merge,
    );
    expect(lowered.spec?.activeDeadlineSeconds).toBe(300);
    const s = await statusOf(
      core.patchNamespacedPod(
        { namespace: 'v', name: 'deadline', body: { spec: { activeDeadlineSeconds: 900 } } },
        merge,
      ),
    );
    expect(s.message).toBe(
      'Pod "deadline" is invalid: spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value',
    );
  });

  it('a JSON patch applies operations in order, and a failing test op changes nothing', async () => {
    const p = await core.patchNamespacedPod(
      {
        namespace: 'v',
        name: 'smp',
        body: [
          { op: 'add', path: '/metadata/annotations', value: { a: '1' } },
          { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.28' },
        ],
      },
      jsonPatch,
    );
    expect(p.spec?.containers[0]?.image).toBe('nginx:1.28');
    const s = await statusOf(
      core.patchNamespacedPod(
        {
          namespace: 'v',
          name: 'smp',
          body: [
            { op: 'test', path: '/metadata/annotations/a', value: '2' },
            { op: 'remove', path: '/metadata/annotations' },
          ],
        },
        jsonPatch,
      ),
    );
    expect(s.code).toBe(422);
    expect((await core.readNamespacedPod({ namespace: 'v', name: 'smp' })).metadata?.annotations).toEqual({ a: '1' });
  });

  it('an update carrying a stale resourceVersion is a 409 Conflict', async () => {
    const p = await core.readNamespacedPod({ namespace: 'v', name: 'smp' });
    await core.patchNamespacedPod(
      { namespace: 'v', name: 'smp', body: { metadata: { labels: { bump: '1' } } } },
      merge,
    );
    const s = await statusOf(core.replaceNamespacedPod({ namespace: 'v', name: 'smp', body: p }));
    expect(s).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on pods "smp": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('the status subresource writes status only, and the main resource leaves status alone', async () => {
    const p = await core.patchNamespacedPodStatus(
      {
        namespace: 'v',
        name: 'deadline',
        body: { status: { message: 'hello' }, metadata: { labels: { via: 'status' } } },
      },
      merge,
    );
    expect(p.status?.message).toBe('hello');
    expect(p.metadata?.labels?.via).toBeUndefined();
    const q = await core.patchNamespacedPod(
      { namespace: 'v', name: 'deadline', body: { status: { message: 'ignored' } } },
      merge,
    );
    expect(q.status?.message).toBe('hello');
  });

  it('ephemeral containers can be added through their subresource, never changed or given ports', async () => {
    const base = await core.readNamespacedPod({ namespace: 'v', name: 'smp' });
    const debug = {
      name: 'debugger',
      image: 'busybox:1.36',
      command: ['sh'],
      stdin: true,
      tty: true,
      targetContainerName: 'app',
    };
    const p = await core.patchNamespacedPodEphemeralcontainers(
      { namespace: 'v', name: 'smp', body: { spec: { ephemeralContainers: [debug] } } },
      strategic,
    );
    expect(p.spec?.ephemeralContainers?.[0]).toMatchObject({
      ...debug,
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePolicy: 'File',
    });
    expect(p.spec?.containers).toEqual(base.spec?.containers);
    const changed = await statusOf(
      core.patchNamespacedPodEphemeralcontainers(
        {
          namespace: 'v',
          name: 'smp',
          body: { spec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.37' }] } },
        },
        strategic,
      ),
    );
    expect(changed.message).toContain('existing ephemeral containers "debugger" may not be changed');
    const ports = await statusOf(
      core.patchNamespacedPodEphemeralcontainers(
        {
          namespace: 'v',
          name: 'smp',
          body: { spec: { ephemeralContainers: [{ name: 'd2', image: 'busybox', ports: [{ containerPort: 80 }] }] } },
        },
        strategic,
      ),
    );
    expect(ports.message).toBe(
      'Pod "smp" is invalid: spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container',
    );
    const dup = await statusOf(
      core.patchNamespacedPodEphemeralcontainers(
        { namespace: 'v', name: 'smp', body: { spec: { ephemeralContainers: [{ name: 'app', image: 'busybox' }] } } },
        strategic,
      ),
    );
    expect(dup.details?.causes).toContainEqual({
      reason: 'FieldValueDuplicate',
      message: 'Duplicate value: "app"',
      field: 'spec.ephemeralContainers[1].name',
    });
  });

  it('ephemeral containers cannot be set when a pod is created', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: 'v',
        body: pod('eph', { ephemeralContainers: [{ name: 'd', image: 'busybox' }] }),
      }),
    );
    expect(s.message).toBe('Pod "eph" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
  });
});

describe('delete', () => {
  it('an unscheduled pod is removed at once', async () => {
    await core.createNamespacedPod({ namespace: 'v', body: pod('unscheduled') });
    const p = await core.deleteNamespacedPod({
      namespace: 'v',
      name: 'unscheduled',
      body: { propagationPolicy: 'Background' },
    });
    expect(p.metadata?.name).toBe('unscheduled');
    expect((await statusOf(core.readNamespacedPod({ namespace: 'v', name: 'unscheduled' }))).code).toBe(404);
  });

  it('a scheduled pod gets deletionTimestamp and its grace period, and stays until the kubelet stops it', async () => {
    await core.createNamespacedPod({ namespace: 'v', body: pod('bound', { nodeName: 'node-gone' }) });
    const p = await core.deleteNamespacedPod({ namespace: 'v', name: 'bound' });
    expect(p.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(p.metadata?.deletionTimestamp?.getTime()).toBe(clock.now() - (clock.now() % 1000) + 30_000);
    const still = await core.readNamespacedPod({ namespace: 'v', name: 'bound' });
    expect(still.metadata?.deletionTimestamp).toBeDefined();
  });

  it('gracePeriodSeconds=0 removes a scheduled pod at once', async () => {
    const s = await core.deleteNamespacedPod({ namespace: 'v', name: 'bound', gracePeriodSeconds: 0 });
    expect(s.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect((await statusOf(core.readNamespacedPod({ namespace: 'v', name: 'bound' }))).code).toBe(404);
  });

  it('deleting a pod that is already gone is a 404', async () => {
    const s = await statusOf(core.deleteNamespacedPod({ namespace: 'v', name: 'bound' }));
    expect(s).toMatchObject({ code: 404, message: 'pods "bound" not found' });
  });

  it('a DeleteOptions body with an unknown field is refused under Strict validation', async () => {
    await core.createNamespacedConfigMap({ namespace: 'v', body: { metadata: { name: 'cm' } } });
    const r = await raw('DELETE', '/api/v1/namespaces/v/configmaps/cm?fieldValidation=Strict', {
      propagationPolicy: 'Background',
      bogus: 1,
    });
    expect(r.status).toBe(400);
    const ok = await raw('DELETE', '/api/v1/namespaces/v/configmaps/cm', { propagationPolicy: 'Background' });
    expect(ok.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'cm', kind: 'configmaps' } });
  });
});

describe('resources and metadata', () => {
  it('a malformed quantity is a decode error', async () => {
    const r = await raw('POST', '/api/v1/namespaces/v/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'q' },
      spec: { containers: [{ name: 'app', image: 'x', resources: { limits: { memory: '12 MB' } } }] },
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(
      `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  });

  it('requests above limits are refused', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: 'v',
        body: pod('greedy', {
          containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } }],
        }),
      }),
    );
    expect(s.message).toBe(
      'Pod "greedy" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m',
    );
  });

  it('limits alone default the requests, and the pod is Guaranteed when cpu and memory are both limited', async () => {
    const p = await core.createNamespacedPod({
      namespace: 'v',
      body: pod('limited', {
        containers: [{ name: 'app', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
      }),
    });
    expect(p.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(p.status?.qosClass).toBe('Guaranteed');
  });

  it('an owner reference without a uid is refused', async () => {
    const body = pod('orphan');
    body.metadata = {
      name: 'orphan',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }],
    };
    const s = await statusOf(core.createNamespacedPod({ namespace: 'v', body }));
    expect(s.message).toBe(
      'Pod "orphan" is invalid: metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    );
  });

  it('annotations over 256 KiB are refused', async () => {
    const body = pod('chatty');
    body.metadata = { name: 'chatty', annotations: { big: 'x'.repeat(300_000) } };
    const s = await statusOf(core.createNamespacedPod({ namespace: 'v', body }));
    expect(s.message).toBe('Pod "chatty" is invalid: metadata.annotations: Too long: must have at most 262144 bytes');
  });

  it('creating an object that carries a resourceVersion fails as etcd refuses it', async () => {
    const body = pod('copied');
    body.metadata = { name: 'copied', resourceVersion: '42' };
    const s = await statusOf(core.createNamespacedPod({ namespace: 'v', body }));
    expect(s).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: resourceVersion should not be set on objects to be created',
    });
  });
});
