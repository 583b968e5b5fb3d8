import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let clock: ManualClock;

/** The Status object of a failed client-node call. */
async function statusOf(
  p: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as k8s.ApiException<string>;
    return JSON.parse(err.body);
  }
  throw new Error('expected the call to fail');
}

const pod = (name: string, extra: Record<string, unknown> = {}): k8s.V1Pod => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  ...extra,
});

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: 'crud' } } });
});

afterAll(async () => {
  await sim?.close();
});

describe('create', () => {
  it('fills uid, creationTimestamp, resourceVersion and the server-side pod defaults', async () => {
    const p = await core.createNamespacedPod({ namespace: 'crud', body: pod('defaults') });
    expect(p.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(p.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
    });
    expect(p.spec?.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.qosClass).toBe('BestEffort');
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry:5000/team/app', 'Always'],
    ['app@sha256:0123', 'IfNotPresent'],
  ])('image %s gets imagePullPolicy %s', async (image, policy) => {
    const p = await core.createNamespacedPod({
      namespace: 'crud',
      body: { metadata: { generateName: 'pull-' }, spec: { containers: [{ name: 'app', image }] } },
    });
    expect(p.spec?.containers[0]?.imagePullPolicy).toBe(policy);
  });

  it('generateName gets a 5-character suffix', async () => {
    const p = await core.createNamespacedPod({
      namespace: 'crud',
      body: { metadata: { generateName: 'gen-' }, spec: pod('x').spec },
    });
    expect(p.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('a second pod with the same name is refused with 409 AlreadyExists', async () => {
    await core.createNamespacedPod({ namespace: 'crud', body: pod('twice') });
    const s = await statusOf(core.createNamespacedPod({ namespace: 'crud', body: pod('twice') }));
    expect(s).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'pods "twice" already exists',
      details: { name: 'twice', kind: 'pods' },
    });
  });

  it('dryRun=All validates and admits without storing', async () => {
    const p = await core.createNamespacedPod({ namespace: 'crud', body: pod('dry'), dryRun: 'All' });
    expect(p.metadata?.name).toBe('dry');
    expect(p.spec?.restartPolicy).toBe('Always');
    expect((await statusOf(core.readNamespacedPod({ namespace: 'crud', name: 'dry' }))).code).toBe(404);
  });

  it('dryRun=All still rejects an invalid pod', async () => {
    const s = await statusOf(
      core.createNamespacedPod({
        namespace: 'crud',
        body: { metadata: { name: 'dry-bad' }, spec: { containers: [] } },
        dryRun: 'All',
      }),
    );
    expect(s.code).toBe(422);
  });

  it('a pod in a namespace that does not exist is refused with 404', async () => {
    const s = await statusOf(core.createNamespacedPod({ namespace: 'nowhere', body: pod('p') }));
    expect(s).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('a new namespace gets a default ServiceAccount and the kube-root-ca.crt ConfigMap', async () => {
    await core.createNamespace({ body: { metadata: { name: 'fresh' } } });
    await new Promise((r) => setImmediate(r));
    const sa = await core.readNamespacedServiceAccount({ namespace: 'fresh', name: 'default' });
    expect(sa.metadata?.name).toBe('default');
    const cm = await core.readNamespacedConfigMap({ namespace: 'fresh', name: 'kube-root-ca.crt' });
    expect(cm.data?.['ca.crt']).toContain('BEGIN CERTIFICATE');
  });

  it('a pod naming a missing ServiceAccount is refused as admission does', async () => {
    const body = pod('sa-missing');
    body.spec = { ...body.spec, serviceAccountName: 'robot' } as k8s.V1PodSpec;
    const s = await statusOf(core.createNamespacedPod({ namespace: 'crud', body }));
    expect(s).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'pods "sa-missing" is forbidden: error looking up service account crud/robot: serviceaccount "robot" not found',
    });
  });

  it('the service account token volume is mounted into every container', async () => {
    const p = await core.createNamespacedPod({ namespace: 'crud', body: pod('token') });
    const vol = p.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    expect(vol?.projected?.sources).toHaveLength(3);
    expect(p.spec?.containers[0]?.volumeMounts).toContainEqual({
      name: vol?.name,
      readOnly: true,
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    });
  });

  it('a Service gets a ClusterIP and TCP ports', async () => {
    const s = await core.createNamespacedService({
      namespace: 'crud',
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    });
    expect(s.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(s.spec?.ports?.[0]).toMatchObject({ protocol: 'TCP', port: 80, targetPort: 80 });
    expect(s.spec?.type).toBe('ClusterIP');
  });

  it('a Deployment gets defaults and generation 1', async () => {
    const d = await apps.createNamespacedDeployment({
      namespace: 'crud',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
        },
      },
    });
    expect(d.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate' },
    });
    expect(d.metadata?.generation).toBe(1);
    expect(d.spec?.template.spec?.restartPolicy).toBe('Always');
  });

  it('a Deployment whose selector does not match its template is refused with 422', async () => {
    const s = await statusOf(
      apps.createNamespacedDeployment({
        namespace: 'crud',
        body: {
          metadata: { name: 'mismatch' },
          spec: {
            selector: { matchLabels: { app: 'a' } },
            template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
          },
        },
      }),
    );
    expect(s.code).toBe(422);
    expect(s.message).toBe(
      'Deployment.apps "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    );
  });
});

describe('get and list', () => {
  it('a missing pod is a 404 Status naming it', async () => {
    const s = await statusOf(core.readNamespacedPod({ namespace: 'crud', name: 'ghost' }));
    expect(s).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "ghost" not found',
      reason: 'NotFound',
      details: { name: 'ghost', kind: 'pods' },
      code: 404,
    });
  });

  it('a missing deployment names its group in the message', async () => {
    const s = await statusOf(apps.readNamespacedDeployment({ namespace: 'crud', name: 'ghost' }));
    expect(s.message).toBe('deployments.apps "ghost" not found');
    expect(s.details).toEqual({ name: 'ghost', group: 'apps', kind: 'deployments' });
  });

  it('lists pages with limit and continue until every pod is seen once', async () => {
    await core.createNamespace({ body: { metadata: { name: 'paging' } } });
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 23; i++)
      await core.createNamespacedPod({ namespace: 'paging', body: pod(`p-${String(i).padStart(2, '0')}`) });
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedPod({ namespace: 'paging', limit: 5, _continue: cont });
      names.push(...page.items.map((p) => p.metadata?.name as string));
      cont = page.metadata?._continue;
      pages++;
    } while (cont);
    expect(pages).toBe(5);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(23);
  });

  it('label selectors filter lists', async () => {
    await core.createNamespacedPod({
      namespace: 'crud',
      body: { ...pod('labelled'), metadata: { name: 'labelled', labels: { app: 'db', tier: 'back' } } },
    });
    const l = await core.listNamespacedPod({ namespace: 'crud', labelSelector: 'app=db,tier in (back,front),!gone' });
    expect(l.items.map((p) => p.metadata?.name)).toEqual(['labelled']);
    const none = await core.listNamespacedPod({ namespace: 'crud', labelSelector: 'app,app notin (db,web)' });
    expect(none.items).toEqual([]);
  });

  it('field selectors on pods: metadata.name, spec.nodeName, status.phase', async () => {
    expect(
      (await core.listNamespacedPod({ namespace: 'crud', fieldSelector: 'metadata.name=labelled' })).items,
    ).toHaveLength(1);
    const unscheduled = await core.listNamespacedPod({
      namespace: 'crud',
      fieldSelector: 'spec.nodeName=,status.phase=Pending',
    });
    expect(unscheduled.items.length).toBeGreaterThan(1);
    expect((await core.listNamespacedPod({ namespace: 'crud', fieldSelector: 'status.phase!=Pending' })).items).toEqual(
      [],
    );
  });

  it('an unsupported field selector is a 400 naming the field', async () => {
    const s = await statusOf(core.listNamespacedPod({ namespace: 'crud', fieldSelector: 'spec.foo=bar' }));
    expect(s).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
  });

  it('events filter on involvedObject fields', async () => {
    // Objects the kubelet writes no events about, so only these two exist.
    const target = { metadata: { uid: 'u1' } };
    for (const [name, obj] of [
      ['e1', 'labelled-job'],
      ['e2', 'other'],
    ] as const)
      await core.createNamespacedEvent({
        namespace: 'crud',
        body: {
          metadata: { name },
          involvedObject: {
            kind: 'Job',
            namespace: 'crud',
            name: obj,
            uid: obj === 'labelled-job' ? target.metadata.uid : 'u2',
          },
          reason: 'BackOff',
          message: 'Back-off restarting failed container',
          type: 'Warning',
          source: { component: 'kubelet' },
        },
      });
    const byName = await core.listNamespacedEvent({
      namespace: 'crud',
      fieldSelector: 'involvedObject.name=labelled-job,involvedObject.kind=Job',
    });
    expect(byName.items.map((e) => e.metadata?.name)).toEqual(['e1']);
    const byUid = await core.listNamespacedEvent({
      namespace: 'crud',
      fieldSelector: `involvedObject.uid=${target.metadata?.uid}`,
    });
    expect(byUid.items.map((e) => e.metadata?.name)).toEqual(['e1']);
    expect(
      (
        await core.listNamespacedEvent({
          namespace: 'crud',
          fieldSelector: 'involvedObject.kind=Job,reason=BackOff,type=Warning,source=kubelet',
        })
      ).items,
    ).toHaveLength(2);
    const s = await statusOf(core.listNamespacedEvent({ namespace: 'crud', fieldSelector: 'message=x' }));
    expect(s.message).toBe('field label not supported: message');
  });

  it('lists across all namespaces', async () => {
    const l = await core.listPodForAllNamespaces({ fieldSelector: 'metadata.namespace=paging' });
    expect(l.items).toHaveLength(23);
  });
});

describe('namespace deletion and garbage collection', () => {
  it('deleting a namespace marks it Terminating, then removes it with its contents', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await new Promise((r) => setImmediate(r));
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'cm' } } });
    await core.createNamespacedPod({ namespace: 'doomed', body: pod('unbound') });
    // The server answers with the Namespace (client-node types it as a Status).
    const ns = (await core.deleteNamespace({ name: 'doomed' })) as unknown as k8s.V1Namespace;
    expect(ns.status?.phase).toBe('Terminating');
    for (let i = 0; i < 50 && sim.store.get('namespaces', undefined, 'doomed'); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(sim.store.get('namespaces', undefined, 'doomed')).toBeUndefined();
    expect(sim.store.list('configmaps', 'doomed')).toEqual([]);
  });

  it('a pod cannot be created in a terminating namespace', async () => {
    await core.createNamespace({ body: { metadata: { name: 'closing', finalizers: [] } } });
    await new Promise((r) => setImmediate(r));
    await core.createNamespacedPod({
      namespace: 'closing',
      body: { ...pod('bound'), spec: { ...pod('bound').spec, nodeName: 'node-x' } as k8s.V1PodSpec },
    });
    await core.deleteNamespace({ name: 'closing' });
    const s = await statusOf(core.createNamespacedPod({ namespace: 'closing', body: pod('late') }));
    expect(s).toMatchObject({
      code: 403,
      message:
        'pods "late" is forbidden: unable to create new content in namespace closing because it is being terminated',
    });
  });

  it('deleting a ReplicaSet deletes the pods it owns', async () => {
    await apps.createNamespacedReplicaSet({
      namespace: 'crud',
      body: {
        metadata: { name: 'owner' },
        spec: {
          selector: { matchLabels: { app: 'owned' } },
          template: { metadata: { labels: { app: 'owned' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    const [owned] = (await core.listNamespacedPod({ namespace: 'crud', labelSelector: 'app=owned' })).items;
    const name = owned?.metadata?.name as string;
    expect(name).toMatch(/^owner-/);
    await apps.deleteNamespacedReplicaSet({
      namespace: 'crud',
      name: 'owner',
      body: { propagationPolicy: 'Background' },
    });
    for (let i = 0; i < 50 && sim.store.get('pods', 'crud', name); i++) await new Promise((r) => setTimeout(r, 5));
    expect(sim.store.get('pods', 'crud', name)).toBeUndefined();
  });
});

describe('orphaning', () => {
  it('propagationPolicy=Orphan keeps the dependents and drops their owner reference', async () => {
    await apps.createNamespacedReplicaSet({
      namespace: 'crud',
      body: {
        metadata: { name: 'parent' },
        spec: {
          selector: { matchLabels: { app: 'kid' } },
          template: { metadata: { labels: { app: 'kid' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
        },
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    const [kid] = (await core.listNamespacedPod({ namespace: 'crud', labelSelector: 'app=kid' })).items;
    expect(kid?.metadata?.name).toMatch(/^parent-[a-z0-9]{5}$/);
    await apps.deleteNamespacedReplicaSet({ namespace: 'crud', name: 'parent', propagationPolicy: 'Orphan' });
    await new Promise((r) => setTimeout(r, 20));
    const after = await core.readNamespacedPod({ namespace: 'crud', name: kid?.metadata?.name as string });
    expect(after.metadata?.ownerReferences).toBeUndefined();
  });
});

describe('more verbs', () => {
  it('a PUT replaces a ConfigMap and bumps its resourceVersion', async () => {
    const cm = await core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    const next = await core.replaceNamespacedConfigMap({
      namespace: 'crud',
      name: 'settings',
      body: { ...cm, data: { a: '2' } },
    });
    expect(next.data).toEqual({ a: '2' });
    expect(Number(next.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    expect(next.metadata?.uid).toBe(cm.metadata?.uid);
  });

  it('a YAML body is accepted', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces/crud/configmaps`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': 'application/yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n',
    });
    expect(res.status).toBe(201);
    expect((await core.readNamespacedConfigMap({ namespace: 'crud', name: 'from-yaml' })).data).toEqual({ k: 'v' });
  });

  it('deletecollection removes only what the selector picks', async () => {
    for (const [name, tier] of [
      ['dc-1', 'tmp'],
      ['dc-2', 'tmp'],
      ['dc-3', 'keep'],
    ] as const)
      await core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name, labels: { tier } } } });
    await core.deleteCollectionNamespacedConfigMap({ namespace: 'crud', labelSelector: 'tier=tmp' });
    const left = await core.listNamespacedConfigMap({ namespace: 'crud', labelSelector: 'tier' });
    expect(left.items.map((c) => c.metadata?.name)).toEqual(['dc-3']);
  });

  it('a strategic merge patch can delete a list element by its merge key', async () => {
    await core.createNamespacedPod({
      namespace: 'crud',
      body: {
        metadata: { name: 'smp-delete' },
        spec: { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'A', value: '1' }] }] },
      },
    });
    const patched = await core.patchNamespacedPod(
      { namespace: 'crud', name: 'smp-delete', body: { metadata: { labels: { a: '1', b: '2' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ a: '1', b: '2' });
    const again = await core.patchNamespacedPod(
      { namespace: 'crud', name: 'smp-delete', body: { metadata: { labels: { a: null } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(again.metadata?.labels).toEqual({ b: '2' });
  });

  it('a malformed label selector is a 400', async () => {
    const s = await statusOf(core.listNamespacedPod({ namespace: 'crud', labelSelector: 'app in (a' }));
    expect(s.code).toBe(400);
    expect(s.message).toMatch(/^unable to parse requirement/);
  });

  it('a continue token older than the history window is a 410 Expired', async () => {
    const small = await startKubeSim({ clock: new ManualClock(), historySize: 5 });
    try {
      const headers = { Authorization: `Bearer ${small.token}` };
      const first = (await (await fetch(`${small.url}/api/v1/namespaces?limit=1`, { headers })).json()) as {
        metadata: { continue: string };
      };
      for (let i = 0; i < 10; i++)
        small.store.create('configmaps', { metadata: { name: `c${i}`, namespace: 'default' } });
      const res = await fetch(
        `${small.url}/api/v1/namespaces?limit=1&continue=${encodeURIComponent(first.metadata.continue)}`,
        { headers },
      );
      expect(res.status).toBe(410);
      expect(await res.json()).toMatchObject({ reason: 'Expired', code: 410 });
    } finally {
      await small.close();
    }
  });

  it('a verb the resource does not serve is a 405', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces/crud/pods/x/log`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
  });
});

describe('event TTL', () => {
  it('an event disappears an hour after its last write; an updated one lives on', async () => {
    const mk = (name: string) =>
      core.createNamespacedEvent({
        namespace: 'crud',
        body: {
          metadata: { name },
          involvedObject: { kind: 'Pod', namespace: 'crud', name: 'ttl-pod' },
          reason: 'Test',
          message: name,
          type: 'Normal',
        },
      });
    await mk('ttl-old');
    await mk('ttl-renewed');
    clock.advance(50 * 60_000);
    await core.patchNamespacedEvent(
      { namespace: 'crud', name: 'ttl-renewed', body: { count: 2 } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    clock.advance(15 * 60_000);
    const names = (
      await core.listNamespacedEvent({ namespace: 'crud', fieldSelector: 'involvedObject.name=ttl-pod' })
    ).items.map((e) => e.metadata?.name);
    expect(names).toEqual(['ttl-renewed']);
  });
});

describe('list resourceVersion semantics', () => {
  it('a resourceVersion the server has not reached is a 504 Too large resource version', async () => {
    const s = await statusOf(core.listNamespacedPod({ namespace: 'crud', resourceVersion: '999999999' }));
    expect(s).toMatchObject({
      code: 504,
      reason: 'Timeout',
      message: expect.stringMatching(/^Too large resource version: 999999999, current: \d+$/),
    });
  });

  it('an unsupported resourceVersionMatch is a 400', async () => {
    const s = await statusOf(
      core.listNamespacedPod({ namespace: 'crud', resourceVersion: '0', resourceVersionMatch: 'Sometime' }),
    );
    expect(s.code).toBe(400);
  });
});

describe('paging consistency', () => {
  it('later pages show the snapshot of the first: objects created, changed or deleted meanwhile do not leak in', async () => {
    await core.createNamespace({ body: { metadata: { name: 'snap' } } });
    await new Promise((r) => setImmediate(r));
    for (const n of ['a', 'b', 'c', 'd'])
      await core.createNamespacedConfigMap({ namespace: 'snap', body: { metadata: { name: n }, data: { v: '1' } } });
    const first = await core.listNamespacedConfigMap({ namespace: 'snap', limit: 2, labelSelector: '' });
    const names = first.items.map((c) => c.metadata?.name);
    await core.deleteNamespacedConfigMap({ namespace: 'snap', name: 'c' });
    await core.createNamespacedConfigMap({ namespace: 'snap', body: { metadata: { name: 'e' } } });
    await core.patchNamespacedConfigMap(
      { namespace: 'snap', name: 'd', body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const rest = await core.listNamespacedConfigMap({
      namespace: 'snap',
      limit: 10,
      _continue: first.metadata?._continue,
    });
    expect([...names, ...rest.items.map((c) => c.metadata?.name)]).toEqual(['a', 'b', 'c', 'd', 'kube-root-ca.crt']);
    expect(rest.items.find((c) => c.metadata?.name === 'd')?.data).toEqual({ v: '1' });
    expect(rest.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });
});
