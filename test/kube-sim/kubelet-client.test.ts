import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { DEFAULT_POD_NAMES } from '../sim/kube/scenarios/index.js';

let sim: KubeSim;
let clock: ManualClock;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

const NS = 'demo';

function advance(ms: number): void {
  sim.kubelet.flush();
  clock.advance(ms);
  sim.kubelet.flush();
}

type Status = { state?: Record<string, { reason?: string }>; lastState?: { terminated?: { reason?: string } } };
type StatusPod = {
  status?: {
    phase?: string;
    containerStatuses?: Status[];
    initContainerStatuses?: Status[];
    conditions?: { type: string; status: string }[];
  };
};

/** What `kubectl get pods` would call the pod's failure, read from the stored pod. */
function failureOf(name: string): string | undefined {
  const p = sim.store.get('pods', NS, name) as StatusPod | undefined;
  const all = [...(p?.status?.initContainerStatuses ?? []), ...(p?.status?.containerStatuses ?? [])];
  for (const s of all) {
    const w = s.state?.waiting?.reason;
    if (w && w !== 'ContainerCreating' && w !== 'PodInitializing') return w;
    if (s.state?.terminated?.reason === 'OOMKilled' || s.lastState?.terminated?.reason === 'OOMKilled')
      return 'OOMKilled';
  }
  const scheduled = p?.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return 'Unschedulable';
  if (p?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True') return 'Ready';
  return undefined;
}

/** Status and message of a failed client-node call. */
async function statusOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the call to fail');
}

/** pod → failure → when it was first seen (ms after start). */
const firstSeen = new Map<string, Map<string, number>>();

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  const file = join(mkdtempSync(join(tmpdir(), 'kubelet-client-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  // Watch the default scenario for its first minute, noting when each pod shows its failure.
  for (let t = 0; t <= 60_000; t += 500) {
    for (const name of DEFAULT_POD_NAMES) {
      const f = failureOf(name);
      const seen = firstSeen.get(name) ?? new Map<string, number>();
      firstSeen.set(name, seen);
      if (f && !seen.has(f)) seen.set(f, t);
    }
    advance(500);
  }
});

afterAll(async () => {
  await sim?.close();
});

describe('the default scenario', () => {
  it.each([
    ['crash-exit1', 'CrashLoopBackOff', 10_000],
    ['oom', 'OOMKilled', 10_000],
    ['liveness', 'CrashLoopBackOff', 15_000],
    ['imagepull', 'ErrImagePull', 5_000],
    ['configerr', 'CreateContainerConfigError', 5_000],
    ['pending', 'Unschedulable', 1_000],
    ['init-crash', 'CrashLoopBackOff', 10_000],
    ['scratch-crash', 'CrashLoopBackOff', 10_000],
    ['multi', 'CrashLoopBackOff', 10_000],
    ['healthy', 'Ready', 5_000],
  ])('%s shows %s within %d ms of start', (name, failure, limit) => {
    expect(firstSeen.get(name)?.get(failure)).toBeLessThanOrEqual(limit);
  });

  it('every pod is owned by a ReplicaSet owned by a Deployment, and selected by a Service', async () => {
    for (const name of DEFAULT_POD_NAMES) {
      const pod = await core.readNamespacedPod({ name, namespace: NS });
      const owner = pod.metadata?.ownerReferences?.[0];
      expect(owner).toMatchObject({ kind: 'ReplicaSet', apiVersion: 'apps/v1', controller: true });
      const rs = await apps.readNamespacedReplicaSet({ name: owner?.name as string, namespace: NS });
      expect(rs.metadata?.uid).toBe(owner?.uid);
      expect(rs.metadata?.name).toBe(`${name}-${pod.metadata?.labels?.['pod-template-hash']}`);
      const dep = await apps.readNamespacedDeployment({ name, namespace: NS });
      expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name, uid: dep.metadata?.uid });
      const svc = await core.readNamespacedService({ name, namespace: NS });
      for (const [k, v] of Object.entries(svc.spec?.selector ?? {})) expect(pod.metadata?.labels?.[k]).toBe(v);
      expect(pod.spec?.serviceAccountName).toBe('default');
    }
    await core.readNamespacedServiceAccount({ name: 'default', namespace: NS });
  });

  it('crash-exit1 reads back with its last state, exit code and back-off message', async () => {
    const pod = await core.readNamespacedPod({ name: 'crash-exit1', namespace: NS });
    const s = pod.status?.containerStatuses?.[0];
    expect(s?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(s?.lastState?.terminated?.finishedAt).toBeInstanceOf(Date);
    expect(s?.restartCount).toBeGreaterThanOrEqual(2);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.qosClass).toBe('Burstable');
  });

  it('events of one pod come back with a field selector, BackOff counted', async () => {
    const list = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.name=crash-exit1' });
    expect(new Set(list.items.map((e) => e.involvedObject.name))).toEqual(new Set(['crash-exit1']));
    const backoff = list.items.find((e) => e.reason === 'BackOff');
    expect(backoff?.count).toBeGreaterThanOrEqual(2);
    expect(backoff?.type).toBe('Warning');
    const unhealthy = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=liveness,reason=Unhealthy',
    });
    expect(unhealthy.items[0]?.message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 503');
    const sched = await core.listNamespacedEvent({ namespace: NS, fieldSelector: 'involvedObject.name=pending' });
    expect(sched.items.find((e) => e.reason === 'FailedScheduling')?.message).toMatch(
      /^0\/3 nodes are available: 3 Insufficient memory\. preemption: /,
    );
  });

  it('logs: current, previous, tail and the kubelet refusals as 400s', async () => {
    const previous = await core.readNamespacedPodLog({ name: 'crash-exit1', namespace: NS, previous: true });
    expect(previous).toContain('password=hunter2');
    expect(previous).toContain('"authorization":"Bearer ');
    const liveness = await core.readNamespacedPodLog({ name: 'liveness', namespace: NS });
    expect(liveness).toContain('Authorization: Bearer ey');
    const current = await core.readNamespacedPodLog({ name: 'crash-exit1', namespace: NS, tailLines: 1 });
    expect(current.trim().split('\n')).toHaveLength(1);
    expect(current).toContain('fatal');
    const scratch = await core.readNamespacedPodLog({ name: 'scratch-crash', namespace: NS, container: 'app' });
    expect(scratch).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(await statusOf(core.readNamespacedPodLog({ name: 'healthy', namespace: NS, previous: true }))).toMatchObject(
      {
        code: 400,
        message: 'previous terminated container "app" in pod "healthy" not found',
      },
    );
    expect(await statusOf(core.readNamespacedPodLog({ name: 'configerr', namespace: NS }))).toMatchObject({
      code: 400,
      message: 'container "app" in pod "configerr" is waiting to start: CreateContainerConfigError',
    });
    expect(await core.readNamespacedPodLog({ name: 'pending', namespace: NS })).toBe('');
    const migrate = await core.readNamespacedPodLog({ name: 'init-crash', namespace: NS, container: 'migrate' });
    expect(migrate).toContain('migration 0042_add_orders_customer_index failed');
  });

  it('termination messages: written by the app, or the log tail under FallbackToLogsOnError', async () => {
    const init = await core.readNamespacedPod({ name: 'init-crash', namespace: NS });
    expect(init.status?.initContainerStatuses?.[0]?.lastState?.terminated?.message).toBe(
      'migration 0042_add_orders_customer_index failed: relation "orders_v2" does not exist',
    );
    const scratch = await core.readNamespacedPod({ name: 'scratch-crash', namespace: NS });
    const t = scratch.status?.containerStatuses?.[0]?.lastState?.terminated;
    expect(t).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(t?.message).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
  });

  it('multi: one of three containers crashes, the others run', async () => {
    const pod = await core.readNamespacedPod({ name: 'multi', namespace: NS });
    const byName = Object.fromEntries((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
    expect(byName.web?.state?.running).toBeDefined();
    expect(byName['log-shipper']?.state?.running).toBeDefined();
    expect(byName.app?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(pod.status?.conditions?.find((c) => c.type === 'ContainersReady')?.message).toBe(
      'containers with unready status: [app]',
    );
  });

  it('a pod created and deleted through the API runs, then goes after a graceful stop', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'sleeper' },
        spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
      },
    });
    advance(5_000);
    const running = await core.readNamespacedPod({ name: 'sleeper', namespace: NS });
    expect(running.status?.phase).toBe('Running');
    await core.deleteNamespacedPod({ name: 'sleeper', namespace: NS });
    sim.kubelet.flush();
    const killing = await core.listNamespacedEvent({
      namespace: NS,
      fieldSelector: 'involvedObject.name=sleeper,reason=Killing',
    });
    expect(killing.items[0]?.message).toBe('Stopping container app');
    advance(2_000);
    expect(await statusOf(core.readNamespacedPod({ name: 'sleeper', namespace: NS }))).toMatchObject({ code: 404 });
  });
});
