import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 15));
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

const podsOf = async (app: string): Promise<k8s.V1Pod[]> =>
  (await core.listNamespacedPod({ namespace: 'rs', labelSelector: `app=${app}` })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );

async function replicaSet(name: string, replicas: number): Promise<k8s.V1ReplicaSet> {
  const rs = await apps.createNamespacedReplicaSet({
    namespace: 'rs',
    body: {
      metadata: { name },
      spec: {
        replicas,
        selector: { matchLabels: { app: name, 'pod-template-hash': 'abc123' } },
        template: {
          metadata: { labels: { app: name, 'pod-template-hash': 'abc123' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    },
  });
  await settle();
  return rs;
}

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ManualClock() });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: 'rs' } } });
  await settle();
});

afterAll(async () => {
  await sim?.close();
});

describe('ReplicaSet controller', () => {
  it('creates the pods a new ReplicaSet asks for, named after it, and records SuccessfulCreate', async () => {
    const rs = await replicaSet('web', 2);
    const pods = await podsOf('web');
    expect(pods.map((p) => p.metadata?.name)).toEqual([
      expect.stringMatching(/^web-[a-z0-9]{5}$/),
      expect.stringMatching(/^web-[a-z0-9]{5}$/),
    ]);
    expect(pods[0]?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: rs.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pods[0]?.spec?.serviceAccountName).toBe('default');
    const events = await core.listNamespacedEvent({
      namespace: 'rs',
      fieldSelector: 'involvedObject.name=web,reason=SuccessfulCreate',
    });
    expect(events.items.map((e) => e.message).sort()).toEqual(
      pods.map((p) => `Created pod: ${p.metadata?.name}`).sort(),
    );
  });

  it('replaces a deleted pod', async () => {
    const [victim] = await podsOf('web');
    await core.deleteNamespacedPod({ namespace: 'rs', name: victim?.metadata?.name as string });
    await settle();
    const pods = await podsOf('web');
    expect(pods).toHaveLength(2);
    expect(pods.map((p) => p.metadata?.name)).not.toContain(victim?.metadata?.name);
  });

  it('a copy that keeps the labels is adopted and, being surplus, deleted at once', async () => {
    const [original] = await podsOf('web');
    const copy: k8s.V1Pod = {
      metadata: { name: 'web-debug', labels: original?.metadata?.labels },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
    };
    await core.createNamespacedPod({ namespace: 'rs', body: copy });
    await settle();
    expect((await podsOf('web')).map((p) => p.metadata?.name)).not.toContain('web-debug');
    const events = await core.listNamespacedEvent({
      namespace: 'rs',
      fieldSelector: 'involvedObject.name=web,reason=SuccessfulDelete',
    });
    expect(events.items.map((e) => e.message)).toContain('Deleted pod: web-debug');
  });

  it('a copy with replaced labels and no owner reference is left alone', async () => {
    await core.createNamespacedPod({
      namespace: 'rs',
      body: {
        metadata: { name: 'web-clone', labels: { 'debugdead.io/managed': 'true' } },
        spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
      },
    });
    await settle();
    const clone = await core.readNamespacedPod({ namespace: 'rs', name: 'web-clone' });
    expect(clone.metadata?.ownerReferences).toBeUndefined();
    expect(clone.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('scales with spec.replicas', async () => {
    await apps.patchNamespacedReplicaSet({ namespace: 'rs', name: 'web', body: { spec: { replicas: 3 } } }, merge);
    await settle();
    expect(await podsOf('web')).toHaveLength(3);
    await apps.patchNamespacedReplicaSet({ namespace: 'rs', name: 'web', body: { spec: { replicas: 1 } } }, merge);
    await settle();
    expect(await podsOf('web')).toHaveLength(1);
  });

  it('a pod the namespace’s PodSecurity level refuses becomes a FailedCreate event', async () => {
    await core.patchNamespace(
      { name: 'rs', body: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } } },
      merge,
    );
    await replicaSet('locked', 1);
    expect(await podsOf('locked')).toEqual([]);
    const events = await core.listNamespacedEvent({
      namespace: 'rs',
      fieldSelector: 'involvedObject.name=locked,reason=FailedCreate',
    });
    expect(events.items[0]?.message).toMatch(
      /^Error creating: pods "locked-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": /,
    );
  });
});

describe('Job controller', () => {
  let jsim: KubeSim;
  let jcore: k8s.CoreV1Api;
  let batch: k8s.BatchV1Api;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    jsim = await startKubeSim({ clock, scenario: 'empty' });
    const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
    await jsim.writeKubeconfig(file);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(file);
    jcore = kc.makeApiClient(k8s.CoreV1Api);
    batch = kc.makeApiClient(k8s.BatchV1Api);
  });

  afterAll(async () => {
    await jsim?.close();
  });

  const job = (name: string, command: string[], spec: Partial<k8s.V1JobSpec> = {}): k8s.V1Job => ({
    metadata: { name },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command }] } },
      ...spec,
    },
  });

  /** Lets cluster time pass in steps, so that the kubelet and the controller take turns. */
  async function run(seconds: number): Promise<void> {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
  }

  const conditionsOf = async (name: string) =>
    (await batch.readNamespacedJob({ namespace: 'default', name })).status?.conditions?.map(
      (c) => `${c.type}:${c.reason}`,
    ) ?? [];

  it('runs pods one after another until the completions succeed, then is Complete', async () => {
    const created = await batch.createNamespacedJob({
      namespace: 'default',
      body: job('two-steps', ['sleep', '2'], { completions: 2 }),
    });
    expect(created.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(created.metadata?.uid);
    await run(20);
    const j = await batch.readNamespacedJob({ namespace: 'default', name: 'two-steps' });
    expect(j.status).toMatchObject({ succeeded: 2, ready: 0 });
    expect(j.status?.completionTime).toBeDefined();
    expect(await conditionsOf('two-steps')).toEqual([
      'SuccessCriteriaMet:CompletionsReached',
      'Complete:CompletionsReached',
    ]);
    const pods = await jcore.listNamespacedPod({ namespace: 'default', labelSelector: 'job-name=two-steps' });
    expect(pods.items.map((p) => p.status?.phase)).toEqual(['Succeeded', 'Succeeded']);
  });

  it('retries a failing pod with back-off, then fails with BackoffLimitExceeded', async () => {
    await batch.createNamespacedJob({
      namespace: 'default',
      body: job('always-fails', ['false'], { backoffLimit: 1 }),
    });
    await run(60);
    const j = await batch.readNamespacedJob({ namespace: 'default', name: 'always-fails' });
    expect(j.status?.failed).toBe(2);
    expect(await conditionsOf('always-fails')).toEqual([
      'FailureTarget:BackoffLimitExceeded',
      'Failed:BackoffLimitExceeded',
    ]);
    const events = await jcore.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=always-fails,reason=BackoffLimitExceeded',
    });
    expect(events.items[0]?.message).toBe('Job has reached the specified backoff limit');
  });

  it('stops a job that outlives activeDeadlineSeconds', async () => {
    await batch.createNamespacedJob({
      namespace: 'default',
      body: job('too-slow', ['sleep', '600'], { activeDeadlineSeconds: 5 }),
    });
    await run(8);
    expect(await conditionsOf('too-slow')).toEqual(['FailureTarget:DeadlineExceeded', 'Failed:DeadlineExceeded']);
    const j = await batch.readNamespacedJob({ namespace: 'default', name: 'too-slow' });
    expect(j.status?.active).toBeUndefined();
    const left = (await jcore.listNamespacedPod({ namespace: 'default', labelSelector: 'job-name=too-slow' })).items;
    expect(left.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);
  });
});
