import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createKubeClient,
  forbiddenRule,
  type KubeClient,
  type KubeError,
  loadKubeConfig,
} from '../../src/kube/index.js';
import type { Pod } from '../../src/kube/types.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

// Each read of the KubeClient, through the real @kubernetes/client-node, against the Kubernetes simulator.

let sim: KubeSim;
let clock: ManualClock;
let kube: KubeClient;
let dir: string;

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  clock.advance(60_000);
  dir = mkdtempSync(join(tmpdir(), 'kube-client-'));
  await sim.writeKubeconfig(join(dir, 'config'));
  kube = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'config') }), { timeoutMs: 3000 });
});

afterEach(() => {
  sim.faults.clear();
  sim.rbac.clear();
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<KubeError> {
  try {
    await p;
  } catch (e) {
    return e as KubeError;
  }
  throw new Error('expected the call to fail');
}

const debugPod = (name: string): Pod => ({
  metadata: { name, labels: { 'debugdead.io/managed': 'true' } },
  spec: { containers: [{ name: 'debug', image: 'busybox:1.37-musl', command: ['sleep', '3600'] }] },
});

describe('KubeClient reads', () => {
  it('readPod returns the pod with its status', async () => {
    const pod = await kube.readPod('demo', 'crash-exit1');
    expect(pod.metadata).toMatchObject({ name: 'crash-exit1', namespace: 'demo' });
    expect(pod.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
  });

  it('listPods honours the label selector', async () => {
    const pods = await kube.listPods('demo', { labelSelector: 'app=oom' });
    expect(pods.map((p) => p.metadata?.name)).toEqual(['oom']);
  });

  it('listPodNames lists every pod of the namespace', async () => {
    const names = await kube.listPodNames('demo');
    expect(names).toEqual(
      expect.arrayContaining([
        'crash-exit1',
        'oom',
        'liveness',
        'imagepull',
        'configerr',
        'pending',
        'multi',
        'healthy',
      ]),
    );
  });

  it('findPodsNamed answers the namespaces holding a pod of that name', async () => {
    expect(await kube.findPodsNamed('multi')).toEqual(['demo']);
    expect(await kube.findPodsNamed('no-such-pod')).toEqual([]);
  });

  it('readNamespace returns the namespace', async () => {
    expect((await kube.readNamespace('demo')).metadata?.name).toBe('demo');
  });

  it('listEventsFor returns only the events of that pod, by uid', async () => {
    const pod = await kube.readPod('demo', 'liveness');
    const events = await kube.listEventsFor(pod);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.involvedObject.uid).toBe(pod.metadata?.uid);
    expect(events.map((e) => e.reason)).toContain('Unhealthy');
  });

  it('readLog reads current and previous logs, bounded by tail lines', async () => {
    const current = await kube.readLog('demo', 'crash-exit1', { container: 'app' });
    expect(current).toContain('fatal: could not connect to the database');
    const previous = await kube.readLog('demo', 'crash-exit1', { container: 'app', previous: true });
    expect(previous).toContain('checkout-api v2.14.1 starting');
    const tail = await kube.readLog('demo', 'crash-exit1', { container: 'app', tailLines: 2 });
    expect(tail.trimEnd().split('\n')).toHaveLength(2);
    const capped = await kube.readLog('demo', 'crash-exit1', { container: 'app', limitBytes: 40 });
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(40);
  });

  it("readLog of a container that never ran is the kubelet's 400, as Invalid", async () => {
    const err = await failure(kube.readLog('demo', 'imagepull', { container: 'app' }));
    expect(err.kind).toBe('Invalid');
    expect(err.message).toMatch(/container "app" in pod "imagepull" is waiting to start/);
  });

  it('readOwner follows ReplicaSet to Deployment through apps/v1', async () => {
    const pod = await kube.readPod('demo', 'multi');
    const rsRef = pod.metadata?.ownerReferences?.find((r) => r.controller);
    expect(rsRef?.kind).toBe('ReplicaSet');
    const rs = await kube.readOwner('ReplicaSet', 'demo', rsRef?.name ?? '');
    const depRef = rs.metadata?.ownerReferences?.find((r) => r.controller);
    expect(depRef).toMatchObject({ kind: 'Deployment', name: 'multi' });
    const dep = await kube.readOwner('Deployment', 'demo', 'multi');
    expect(dep.kind).toBe('Deployment');
  });

  it.each([
    ['StatefulSet', 'statefulsets', 'apps/v1'],
    ['DaemonSet', 'daemonsets', 'apps/v1'],
    ['Job', 'jobs', 'batch/v1'],
  ] as const)('readOwner reads a %s through %s', async (kind, resource, apiVersion) => {
    const name = `owner-${resource}`;
    sim.store.create(resource, { apiVersion, kind, metadata: { name, namespace: 'demo' }, spec: {} });
    const got = await kube.readOwner(kind, 'demo', name);
    expect(got).toMatchObject({ kind, metadata: { name, namespace: 'demo' } });
  });

  it('readNode returns the node the pod runs on', async () => {
    const pod = await kube.readPod('demo', 'healthy');
    const node = await kube.readNode(pod.spec?.nodeName ?? '');
    expect(node.metadata?.name).toBe(pod.spec?.nodeName);
  });

  it('createPod, listManagedPods across namespaces, deletePod, and a second delete is already-gone', async () => {
    const created = await kube.createPod('demo', debugPod('multi-debug-k2x9q'));
    expect(created.metadata?.uid).toBeTruthy();
    await kube.createPod('default', debugPod('node-shell-b7c4d'));
    const managed = await kube.listManagedPods('debugdead.io/managed=true');
    expect(managed.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort()).toEqual([
      'default/node-shell-b7c4d',
      'demo/multi-debug-k2x9q',
    ]);
    expect(await kube.deletePod('demo', 'multi-debug-k2x9q', { gracePeriodSeconds: 0 })).toBe('deleted');
    expect(await kube.deletePod('default', 'node-shell-b7c4d', { gracePeriodSeconds: 0 })).toBe('deleted');
    clock.advance(5_000);
    expect(await kube.deletePod('demo', 'multi-debug-k2x9q')).toBe('already-gone');
  });

  it('creating a pod that exists is a Conflict with the server message', async () => {
    const err = await failure(kube.createPod('demo', debugPod('multi')));
    expect(err).toMatchObject({
      kind: 'Conflict',
      status: 409,
      reason: 'AlreadyExists',
      message: 'pods "multi" already exists',
    });
  });

  it('creating an invalid pod is Invalid with the field named', async () => {
    const err = await failure(
      kube.createPod('demo', { metadata: { name: 'no-image' }, spec: { containers: [{ name: 'x' }] } } as Pod),
    );
    expect(err).toMatchObject({ kind: 'Invalid', status: 422 });
    expect(err.message).toContain('spec.containers[0].image');
  });
});

describe('KubeClient failures against the simulator', () => {
  it('a pod that does not exist is NotFound', async () => {
    expect(await failure(kube.readPod('demo', 'nope'))).toMatchObject({
      kind: 'NotFound',
      status: 404,
      message: 'pods "nope" not found',
    });
  });

  it('an RBAC denial on pods/log is Forbidden and names the rule', async () => {
    sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'demo' });
    const err = await failure(kube.readLog('demo', 'multi', { container: 'app' }));
    expect(err).toMatchObject({ kind: 'Forbidden', status: 403 });
    expect(forbiddenRule(err)).toMatchObject({
      verb: 'get',
      resource: 'pods/log',
      namespace: 'demo',
      clusterScope: false,
    });
  });

  it('a cluster-wide list denied at cluster scope says so', async () => {
    sim.rbac.deny({ verb: 'list', resource: 'pods' });
    const err = await failure(kube.listManagedPods('debugdead.io/managed=true'));
    expect(forbiddenRule(err)).toMatchObject({ verb: 'list', resource: 'pods', clusterScope: true });
  });

  it.each([
    [500, 'Unavailable'],
    [503, 'Unavailable'],
    [429, 'Unavailable'],
    [504, 'Timeout'],
  ] as const)('an injected %i is %s', async (status, kind) => {
    sim.faults.error({ status, resource: 'nodes' });
    expect(await failure(kube.readNode('node-1'))).toMatchObject({ kind, status });
  });

  it('latency past the deadline is a Timeout naming the operation', async () => {
    sim.faults.latency(1000, { resource: 'namespaces' });
    const err = await failure(kube.withTimeout(200).readNamespace('demo'));
    expect(err.kind).toBe('Timeout');
    expect(err.message).toBe(`reading namespace demo: no answer from the Kubernetes API at ${sim.url} within 200 ms`);
  });

  it('listPodNames walks every page of a long list', async () => {
    const paged = createKubeClient(kube.kubeConfig, { timeoutMs: 3000, pageSize: 3 });
    const names = await paged.listPodNames('demo');
    expect(names.sort()).toEqual((await kube.listPods('demo')).map((p) => p.metadata?.name).sort());
    expect(names.length).toBeGreaterThan(3);
  });
});
