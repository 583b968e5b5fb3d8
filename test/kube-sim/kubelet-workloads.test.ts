import { describe, expect, it } from 'vitest';
import { ManualClock } from '../sim/kube/clock.js';
import { Kubelet } from '../sim/kube/kubelet/index.js';
import { loadScenario, SCENARIO_NAMES } from '../sim/kube/scenarios/index.js';
import { MemoryStore } from '../sim/kube/store.js';

function started(name: string) {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const kubelet = new Kubelet(store, clock);
  return { clock, store, kubelet, load: () => loadScenario(name, { store, clock, kubelet }) };
}

type Json = any;
const waiting = (p: Json): string | undefined =>
  [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]
    .map((s: Json) => s.state?.waiting?.reason)
    .find(Boolean);

describe('the workloads scenario', () => {
  it('puts failing pods under a Deployment, a StatefulSet, a Job and a DaemonSet, and a bare healthy pod', async () => {
    const c = started('workloads');
    await c.load();
    c.kubelet.start();
    for (let i = 0; i < 60; i++) {
      c.clock.advance(500);
      c.kubelet.flush();
    }
    const pods = c.store.list('pods', 'shop');
    const byOwner = (kind: string) => pods.filter((p) => p.metadata.ownerReferences?.[0]?.kind === kind);

    const api = byOwner('ReplicaSet');
    expect(api).toHaveLength(3);
    for (const p of api) {
      expect(p.metadata.name).toMatch(/^api-[b-z2-9]{10}-[b-z2-9]{5}$/);
      expect(waiting(p)).toBe('CrashLoopBackOff');
    }
    expect(new Set(api.map((p) => p.spec.nodeName)).size).toBeGreaterThan(1);

    const [pg] = byOwner('StatefulSet');
    expect(pg?.metadata.name).toBe('postgres-0');
    expect(waiting(pg)).toBe('CrashLoopBackOff');

    const [job] = byOwner('Job');
    expect(job?.status).toMatchObject({ phase: 'Failed' });
    expect(job?.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const jobOwner = c.store.get('jobs', 'shop', 'nightly-export');
    expect(job?.metadata.ownerReferences[0].uid).toBe(jobOwner?.metadata.uid);

    const ds = byOwner('DaemonSet');
    expect(ds.map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (const p of ds) expect(waiting(p)).toBe('CrashLoopBackOff');

    const toolbox = c.store.get('pods', 'shop', 'toolbox');
    expect(toolbox?.metadata.ownerReferences).toBeUndefined();
    expect(toolbox?.status.phase).toBe('Running');

    const log = c.kubelet.readLog('shop', job?.metadata.name, { container: 'export' });
    expect(log).toMatchObject({ status: 200, body: expect.stringContaining('aws_secret_access_key=') });
  });

  it('every scenario loads, and an unknown name lists the known ones', async () => {
    expect(SCENARIO_NAMES).toEqual(expect.arrayContaining(['default', 'workloads', 'all', 'empty']));
    const all = started('all');
    await all.load();
    expect(all.store.list('pods').length).toBe(10 + 3 + 1 + 1 + 3 + 1);
    await expect(started('nope').load()).rejects.toThrow(
      'unknown scenario "nope"; known: default, workloads, all, empty',
    );
  });
});
